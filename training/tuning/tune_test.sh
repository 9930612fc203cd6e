#!/usr/bin/env bash
# End-to-end check of //training/tuning:tune on a tiny generated shop: a seeded
# random search writes one table row per trial with both tasks' metrics and
# names the best trial; a bad grid value is refused naming its flag.
set -euo pipefail
generate=$1
tune=$2
dir=${TEST_TMPDIR:-$(mktemp -d)}
"$generate" --out="$dir/shop" --customers=200 --items=40 --days=120 >/dev/null

"$tune" --dataset="shop:$dir/shop" --split=time:2026-01-01 --model=default \
  --epochs=2 --grid_epochs=2 --grid_factors=4,8 --grid_regularization=1,10 \
  --grid_alpha=1 --search=random --trials=3 --seed=5 --out="$dir/table.tsv" \
  >"$dir/stdout.tsv" 2>"$dir/stderr.txt"

cmp "$dir/table.tsv" "$dir/stdout.tsv"
[ "$(wc -l <"$dir/table.tsv")" -eq 4 ] || { echo "want header + 3 rows"; cat "$dir/table.tsv"; exit 1; }
head -1 "$dir/table.tsv" | grep -q $'factors\tepochs\tregularization'
head -1 "$dir/table.tsv" | grep -q 'all/ndcg@10'
head -1 "$dir/table.tsv" | grep -q 'new/ndcg@10'
grep -q '^best: trial [1-3], ndcg@10 0\.[0-9]*: --factors=[48] ' "$dir/stderr.txt"
# Three distinct settings were tried.
[ "$(cut -f2,4 "$dir/table.tsv" | tail -n +2 | sort -u | wc -l)" -eq 3 ]

status=0
"$tune" --dataset="shop:$dir/shop" --split=time:2026-01-01 --grid_alpha=1,x \
  >/dev/null 2>"$dir/bad.txt" || status=$?
[ "$status" -eq 2 ] || { echo "want exit 2, got $status"; exit 1; }
grep -q -- '--grid_alpha: not a number: "x"' "$dir/bad.txt"
echo PASS
