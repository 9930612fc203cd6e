#!/usr/bin/env bash
# The JSON gateway against gRPC in the same run: starts the server on
# MODEL_DIR with both ports (127.0.0.1, free ports), then at each
# concurrency runs, one after the other, the gRPC load generator and wrk
# (Debian's package) against the HTTP port, for the empty call (Echo: the
# floor of each transport) and for Recommend (customers drawn from
# DATA_DIR/customers.csv, 10 picks). Prints one line per run: QPS, p50 and
# p99 latency, and the server's CPU time per call; then stops the server.
#
#   benchmarks/http_vs_grpc.sh MODEL_DIR DATA_DIR [DURATION_S] [CONCURRENCIES]
#   e.g. benchmarks/http_vs_grpc.sh .demo/models .demo/data 10 "1 8 32"
#
# Both clients keep CONCURRENCY calls in flight: the load generator on one
# channel, wrk on CONCURRENCY kept-alive connections (HTTP/1.1 has one call
# in flight per connection). Binaries: $SERVER and $LOADGEN, or bazel-bin's.
set -euo pipefail
model_dir=$1
data_dir=$2
duration=${3:-10}
concurrencies=${4:-"1 8 32"}
root=$(cd "$(dirname "$0")/.." && pwd)
server=${SERVER:-$root/bazel-bin/serving/server}
loadgen=${LOADGEN:-$root/bazel-bin/benchmarks/grpc_load_generator}
command -v wrk >/dev/null || { echo "http_vs_grpc: wrk is missing (apt-get install wrk)" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill -TERM "$server_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

"$server" --model_dir="$model_dir" --port=0 --port_file="$work/port" \
  --http_port=0 --http_port_file="$work/http_port" --http_threads=64 \
  --poll_interval_seconds=3600 --enable_diagnostics 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 6000); do
  if [ -s "$work/port" ] && grep -q '"model loaded"' "$work/server.log"; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
grpc_target=127.0.0.1:$(cat "$work/port")
http_base=http://127.0.0.1:$(cat "$work/http_port")
ticks=$(getconf CLK_TCK)
server_cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }

# wrk's request bodies: Recommend for a customer drawn at random from the
# first 20,000 of customers.csv (as the load generator draws them), or Echo.
awk -F, 'NR > 1 && NR <= 20001 { printf "%s\"%s\"", (n++ ? "," : ""), $1 }
         END { print "" }' "$data_dir/customers.csv" >"$work/ids"
cat >"$work/recommend.lua" <<LUA
local ids = {$(cat "$work/ids")}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
math.randomseed(1)
request = function()
  local body = '{"customerId":"' .. ids[math.random(#ids)] .. '","count":10}'
  return wrk.format(nil, "/v1/recommend", nil, body)
end
LUA
cat >"$work/echo.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"payload":""}'
wrk.path = "/v1/echo"
LUA

# "QPS p50_us p99_us calls errors" from wrk's report (--latency).
wrk_figures() {
  awk '
    function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /s$/) return v * 1000000; return v }
    /^ +50%/ { p50 = us($2) } /^ +99%/ { p99 = us($2) }
    /requests in/ { calls = $1 }
    /Non-2xx/ { errors += $NF } /Socket errors/ { errors += 1 }
    /^Requests\/sec/ { qps = $2 }
    END { printf "qps=%.0f p50_us=%.0f p99_us=%.0f calls=%d errors=%d", qps, p50, p99, calls, errors + 0 }'
}

wrk_run() {  # THREADS CONCURRENCY RPC
  wrk -t"$1" -c"$2" -d"${duration}s" --latency -s "$work/$3.lua" "$http_base" | wrk_figures
}

run() {  # LABEL COMMAND...
  local label=$1
  shift
  local before after line calls
  before=$(server_cpu_ticks)
  line=$("$@")
  after=$(server_cpu_ticks)
  calls=$(sed -n 's/.*calls=\([0-9]*\).*/\1/p' <<<"$line" | tail -n 1)
  echo "$label $line server_cpu_us_per_call<=$(( (after - before) * 1000000 / ticks / (calls > 0 ? calls : 1) ))"
}

for concurrency in $concurrencies; do
  threads=$(( concurrency < 2 ? 1 : 2 ))
  for rpc in echo recommend; do
    run "grpc $rpc c=$concurrency" "$loadgen" --target="$grpc_target" --rpc="$rpc" \
      --data_dir="$data_dir" --concurrency="$concurrency" \
      --duration_seconds="$duration" --warmup_seconds=1 --count=10
    wrk -t"$threads" -c"$concurrency" -d1s -s "$work/$rpc.lua" "$http_base" >/dev/null  # warm-up
    run "http $rpc c=$concurrency" wrk_run "$threads" "$concurrency" "$rpc"
  done
done
