#!/usr/bin/env bash
# Recommend with the snapshot's learned ranker and without it, in the same
# run: copies the newest snapshot of MODEL_DIR into a temporary model
# folder without its ranker (ranker.xgb, its manifest entry and the
# manifest's ranker section removed: the server then ranks by taste and
# the repurchase stage), then runs benchmarks/grpc_load.sh on each in turn,
# ROUNDS times (echo, the floor, and recommend at each concurrency), so
# that both see the same machine. Prints grpc_load.sh's lines, each
# prefixed with "ranker=on" or "ranker=off".
#
#   benchmarks/ranker_on_off.sh MODEL_DIR DATA_DIR [DURATION_S] [CONCURRENCIES] [ROUNDS]
#   e.g. benchmarks/ranker_on_off.sh .demo/models .demo/data 10 "1 8" 2
set -euo pipefail
model_dir=$1
data_dir=$2
duration=${3:-10}
concurrencies=${4:-"1 8"}
rounds=${5:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

version=$(find "$model_dir" -mindepth 1 -maxdepth 1 -type d -regex '.*/[1-9][0-9]*' \
  -printf '%f\n' | sort -n | tail -n 1)
[ -n "$version" ] || { echo "ranker_on_off: no snapshot in $model_dir" >&2; exit 1; }
snapshot=$model_dir/$version
[ -f "$snapshot/ranker.xgb" ] || { echo "ranker_on_off: $snapshot has no ranker" >&2; exit 1; }
mkdir -p "$work/with/$version" "$work/without/$version"
cp "$snapshot"/* "$work/with/$version/"
cp "$snapshot"/* "$work/without/$version/"
rm "$work/without/$version/ranker.xgb"
# The manifest without the top-level "ranker { ... }" section and without
# the "files { ... }" entry naming ranker.xgb.
awk '
  skip { if ($0 == "}") skip = 0; next }
  $0 == "ranker {" { skip = 1; next }
  held != "" { held = held "\n" $0
               if ($0 == "}") { if (held !~ /name: "ranker.xgb"/) print held; held = "" }
               next }
  $0 == "files {" { held = $0; next }
  { print }
' "$snapshot/MANIFEST.textproto" >"$work/without/$version/MANIFEST.textproto"

for round in $(seq "$rounds"); do
  for ranker in on off; do
    dir=$work/with
    [ "$ranker" = off ] && dir=$work/without
    "$root/benchmarks/grpc_load.sh" "$dir" "$data_dir" "$duration" "$concurrencies" \
      "echo recommend" | sed "s/^/round=$round ranker=$ranker /"
  done
done
