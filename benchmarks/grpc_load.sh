#!/usr/bin/env bash
# Starts the server on MODEL_DIR (127.0.0.1, a free port), runs the gRPC load
# generator against it for each RPC in turn -- echo first, the floor -- at
# each concurrency, prints one result line per run with the server's CPU
# time per call, prints the server's resident memory, and stops the server.
#
#   benchmarks/grpc_load.sh MODEL_DIR DATA_DIR [DURATION_S] [CONCURRENCIES] [RPCS]
#   e.g. benchmarks/grpc_load.sh /srv/models-1m-1m /srv/shop-1m-1m 10 "1 8" \
#          "echo recommend similar_items"
#
# RPCS may include record_events: then the server gets an event log in
# $EVENT_LOG_DIR (default: a temporary folder; put it on the disk to
# measure) and each call carries $EVENTS_PER_CALL (default 1) view events;
# and batch_recommend: each call asks for $BATCH_CUSTOMERS (default 1000)
# customers. The pseudo-RPC "sessions" runs storefront traffic instead
# (--traffic=sessions: Zipf customers, sessions with think time, a mix of
# Recommend / SimilarItems / view events; one line per RPC and a total); the
# server then gets an event log too, and $SESSION_FLAGS passes further flags
# (e.g. "--zipf_exponent=1.1 --think_time_ms=200").
#
# $LOADGEN_FLAGS passes further load generator flags to every run (e.g.
# "--exclude_purchased" for "new to you" Recommend and BatchRecommend calls).
#
# $SERVER_FLAGS passes further server flags (e.g.
# "--candidate_cache_entries=0" to measure without the candidate cache).
# After each run the candidate cache's hit rate over that run is printed
# (from the admin port's /metrics).
#
# Binaries: $SERVER and $LOADGEN, or bazel-bin's.
set -euo pipefail
model_dir=$1
data_dir=$2
duration=${3:-10}
concurrencies=${4:-"1 8"}
rpcs=${5:-"echo recommend similar_items"}
root=$(cd "$(dirname "$0")/.." && pwd)
server=${SERVER:-$root/bazel-bin/serving/server}
loadgen=${LOADGEN:-$root/bazel-bin/benchmarks/grpc_load_generator}
work=$(mktemp -d)
trap 'kill -TERM "$server_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

event_flags=()
if [[ " $rpcs " == *" record_events "* || " $rpcs " == *" sessions "* ]]; then
  event_flags=(--event_log_dir="${EVENT_LOG_DIR:-$work/events}")
fi
start=$(date +%s.%N)
# Loopback without keys; Echo (the floor) is served only when asked for.
# shellcheck disable=SC2086 # SERVER_FLAGS is a list of flags.
"$server" --model_dir="$model_dir" --port=0 --port_file="$work/port" \
  --admin_port=0 --admin_port_file="$work/admin_port" \
  --poll_interval_seconds=3600 --enable_diagnostics "${event_flags[@]}" \
  ${SERVER_FLAGS:-} \
  2>"$work/server.log" &
server_pid=$!
# Wait for the port, then for the model (health SERVING shows in the log).
for _ in $(seq 6000); do
  if [ -s "$work/port" ] && grep -q '"model loaded"' "$work/server.log"; then
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
grep -q '"model loaded"' "$work/server.log" || { echo "no model loaded" >&2; exit 1; }
ready=$(date +%s.%N)
echo "server ready in $(awk -v a="$start" -v b="$ready" 'BEGIN {printf "%.1f", b - a}') s (start + snapshot load);" \
  "resident memory $(awk '/VmRSS/ {print $2 / 1024 " MB"}' /proc/$server_pid/status)"
target=127.0.0.1:$(cat "$work/port")
ticks=$(getconf CLK_TCK)

server_cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }

# "hits misses" of the candidate cache so far.
cache_counts() {
  local metrics
  metrics=$(curl -s "http://127.0.0.1:$(cat "$work/admin_port")/metrics" 2>/dev/null || true)
  awk '/^recommender_candidate_cache_hits_total / {h = $2}
       /^recommender_candidate_cache_misses_total / {m = $2}
       END {printf "%d %d\n", h, m}' <<<"$metrics"
}

for concurrency in $concurrencies; do
  for rpc in $rpcs; do
    before=$(server_cpu_ticks)
    read -r hits_before misses_before < <(cache_counts)
    # shellcheck disable=SC2206 # LOADGEN_FLAGS, SESSION_FLAGS: lists of flags.
    mode_flags=(--rpc="$rpc" ${LOADGEN_FLAGS:-})
    # shellcheck disable=SC2206
    [ "$rpc" = sessions ] && mode_flags=(--traffic=sessions ${SESSION_FLAGS:-} ${LOADGEN_FLAGS:-})
    line=$("$loadgen" --target="$target" "${mode_flags[@]}" --data_dir="$data_dir" \
      --concurrency="$concurrency" --duration_seconds="$duration" \
      --warmup_seconds=1 --events_per_call="${EVENTS_PER_CALL:-1}" \
      --batch_customers="${BATCH_CUSTOMERS:-1000}") ||
      { echo "$line"; exit 1; }
    after=$(server_cpu_ticks)
    read -r hits_after misses_after < <(cache_counts)
    lookups=$(( hits_after - hits_before + misses_after - misses_before ))
    calls=$(sed -n 's/.* calls=\([0-9]*\).*/\1/p' <<<"$line" | tail -n 1)
    # Server CPU over warm-up and measured time, per measured call: an upper
    # bound (warm-up calls are not counted).
    echo "$line server_cpu_us_per_call<=$(( (after - before) * 1000000 / ticks / (calls > 0 ? calls : 1) ))" \
      "candidate_cache_hit_rate=$( ((lookups > 0)) && awk -v h=$(( hits_after - hits_before )) -v n="$lookups" 'BEGIN {printf "%.3f", h / n}' || echo n/a)"
  done
done
echo "server resident memory after the runs:" \
  "$(awk '/VmRSS/ {print $2 / 1024 " MB"}' /proc/$server_pid/status)"
