#!/usr/bin/env bash
# Smoke pass of the gRPC load benchmark: a tiny generated shop, a 3-epoch
# model, and half a second of each RPC at concurrency 2. Fails if a step
# fails or a call errs; no timing is asserted. Not a GoogleTest case.
set -euo pipefail
generate=$1 train=$2
export SERVER=$3 LOADGEN=$4
load_script=$5
dir=${TEST_TMPDIR:-$(mktemp -d)}/grpc_load_smoke
rm -rf "$dir"
"$generate" --out="$dir/data" --customers=200 --items=100 >/dev/null
"$train" --data_dir="$dir/data" --model_dir="$dir/models" --epochs=3 \
  --factors=16 >/dev/null
output=$(BATCH_CUSTOMERS=20 "$load_script" "$dir/models" "$dir/data" 0.5 2 \
  "echo recommend similar_items batch_recommend")
printf '%s\n' "$output"
events=$(EVENTS_PER_CALL=5 "$load_script" "$dir/models" "$dir/data" 0.5 2 \
  record_events)
printf '%s\n' "$events"
output+=$'\n'"$events"
sessions=$(SESSION_FLAGS="--zipf_exponent=1.1 --think_time_ms=5" \
  "$load_script" "$dir/models" "$dir/data" 0.5 2 sessions)
printf '%s\n' "$sessions"
grep -q "^rpc=all traffic=sessions .* errors=0 " <<<"$sessions" ||
  { echo "no clean sessions run"; exit 1; }
output+=$'\n'"$sessions"
new_to_you=$(LOADGEN_FLAGS=--exclude_purchased BATCH_CUSTOMERS=20 \
  "$load_script" "$dir/models" "$dir/data" 0.5 2 "recommend batch_recommend")
printf '%s\n' "$new_to_you"
for rpc in recommend batch_recommend; do
  grep -q "^rpc=$rpc .* errors=0 " <<<"$new_to_you" ||
    { echo "no clean $rpc run with --exclude_purchased"; exit 1; }
done
for rpc in echo recommend similar_items batch_recommend record_events; do
  grep -q "^rpc=$rpc .* errors=0 " <<<"$output" || { echo "no clean $rpc run"; exit 1; }
done
if [ -n "${XML_OUTPUT_FILE:-}" ]; then
  echo '<?xml version="1.0" encoding="UTF-8"?><testsuites></testsuites>' \
    >"$XML_OUTPUT_FILE"
fi
