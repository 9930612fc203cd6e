#!/usr/bin/env bash
# Soak test (not CI): ten minutes of mixed traffic against the real server
# with slow and stalled campaign readers and bad input, a new model version
# every 30 s (the trainer, reading the live event log), and a SIGKILL and
# restart half-way. At the end: every acknowledged event must be in the
# event log, and it prints the calls by RPC and status code and the
# server's RSS over time (benchmarks/README.md has a run's figures).
#
#   benchmarks/soak.sh [WORK_DIR] [SECONDS]     (default: a fresh temp folder, 600)
# BAZEL="bazel --output_base=DIR" runs the build in an output base of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
seconds=${2:-600}
mkdir -p "$work"
BAZEL=${BAZEL:-bazel}
$BAZEL build //training/sample_data:generate_sample_data //training:train \
  //serving:server //benchmarks:soak_client
bin=$($BAZEL info bazel-bin 2>/dev/null)
data="$work/data" models="$work/models" events="$work/events"
[ -f "$data/events.csv" ] || "$bin/training/sample_data/generate_sample_data" --out="$data" >/dev/null
[ -d "$models" ] || "$bin/training/train" --data_dir="$data" --model_dir="$models" >/dev/null 2>&1

server_pid=0
start_server() {
  rm -f "$work/port"
  "$bin/serving/server" --model_dir="$models" --event_log_dir="$events" \
    --port="${port:-0}" --port_file="$work/port" --poll_interval_seconds=2 \
    --admin_port=0 --admin_port_file="$work/admin.port" \
    --stream_write_timeout_seconds=10 --clock=data_end \
    2>>"$work/server.log" &
  server_pid=$!
  for _ in $(seq 300); do [ -s "$work/port" ] && break; sleep 0.1; done
  port=$(cat "$work/port")
}
start_server
echo "server on port $port, pid $server_pid; work in $work"
trap 'kill $server_pid $client_pid $sampler_pid 2>/dev/null || true' EXIT

# RSS of the server every 5 s (seconds since start, RSS in MB).
start=$SECONDS
( while true; do
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$(cat "$work/pid" 2>/dev/null || echo 0)/status" 2>/dev/null || true)
    [ -n "$rss" ] && echo "$((SECONDS - start)) $((rss / 1024))" >>"$work/rss.txt"
    sleep 5
  done ) &
sampler_pid=$!
echo "$server_pid" >"$work/pid"

rm -f "$work/acks.tsv"
"$bin/benchmarks/soak_client" --target="127.0.0.1:$port" --data_dir="$data" \
  --seconds="$seconds" --acks="$work/acks.tsv" --report="$work/codes.tsv" \
  >"$work/client.log" 2>&1 &
client_pid=$!

next_model=30
killed=0
train_pid=0
while kill -0 $client_pid 2>/dev/null; do
  sleep 1
  elapsed=$((SECONDS - start))
  # A new version trained on the shop and the live log so far, in the
  # background: one every 30 s, or as soon as the last one ends if it took
  # longer.
  if [ $elapsed -ge $next_model ] &&
     { [ $train_pid -eq 0 ] || ! kill -0 $train_pid 2>/dev/null; }; then
    ( "$bin/training/train" --data_dir="$data" --model_dir="$models" \
        --event_log_dir="$events" >>"$work/train.log" 2>&1 &&
        echo "$((SECONDS - start)) s: new model $(ls "$models" | grep -E '^[0-9]+$' | tail -1) (training started at $elapsed s)" ||
        echo "$((SECONDS - start)) s: training failed (see train.log)" ) &
    train_pid=$!
    next_model=$((elapsed + 30))
  fi
  if [ $killed -eq 0 ] && [ $elapsed -ge $((seconds / 2)) ]; then
    echo "$elapsed s: SIGKILL"
    kill -KILL $server_pid
    wait $server_pid 2>/dev/null || true
    start_server
    echo "$server_pid" >"$work/pid"
    echo "$((SECONDS - start)) s: restarted on the same port ($port)"
    killed=1
  fi
done
wait $client_pid || true
kill -TERM $server_pid
wait $server_pid || true
kill $sampler_pid 2>/dev/null || true
[ $train_pid -eq 0 ] || wait $train_pid 2>/dev/null || true

echo
cat "$work/client.log"
echo
"$bin/benchmarks/soak_client" --verify_log="$events" --acks="$work/acks.tsv"
echo
echo "server RSS (s, MB): $(awk '{ printf "%s:%s ", $1, $2 }' "$work/rss.txt")"
