#!/usr/bin/env bash
# Fails if the build graph breaks the project's layering:
#   - //recommender/... (the core) depends on //serving, //training, //tests,
#     //benchmarks, //clients or //tools, or on gRPC;
#   - //training/... depends on //serving;
#   - //proto/... depends on anything of ours but //proto.
# Test-only targets may use //tests/testing; the rules apply to libraries and
# binaries. Runs `bazel query` on the workspace whose tests/BUILD.bazel is in
# this test's runfiles, with an output root of its own (the outer build holds
# the workspace's usual one).
set -euo pipefail

build_file=$(readlink -f "${TEST_SRCDIR:-$PWD}/${TEST_WORKSPACE:-recommender}/tests/BUILD.bazel" 2>/dev/null ||
  readlink -f tests/BUILD.bazel)
workspace=$(dirname "$(dirname "$build_file")")
[ -f "$workspace/WORKSPACE" ] || { echo "layering_test: no WORKSPACE above $build_file" >&2; exit 1; }
output_root="${TEST_TMPDIR:-$(mktemp -d)}/layering_bazel"
cd "$workspace"

query() {
  local out
  if ! out=$(bazel --nohome_rc --output_user_root="$output_root" query \
    --noshow_progress "$1" 2>"$output_root.err"); then
    echo "layering_test: bazel query '$1' failed:" >&2
    cat "$output_root.err" >&2
    exit 1
  fi
  printf '%s\n' "$out" | sed '/^$/d'
}

# The query must see the graph at all, or every rule below would pass.
[ -n "$(query '//recommender/ranking:recommend')" ] ||
  { echo "layering_test: the query sees no targets" >&2; exit 1; }

failures=0
# forbid NAME PRODUCTION_TARGETS FORBIDDEN_SET
forbid() {
  local name=$1 from=$2 forbidden=$3
  local hits
  hits=$(query "deps($from) intersect ($forbidden)")
  if [ -n "$hits" ]; then
    echo "FAIL $name:"
    local target
    for target in $hits; do
      echo "  $(query "somepath($from, $target)" | paste -sd' ' | sed 's/ / -> /g')"
    done
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

# //DIR/... for each top-level folder of ours above the core that exists.
above_core=""
for dir in serving training tests benchmarks tools clients web; do
  [ -d "$dir" ] && above_core="${above_core:+$above_core + }//$dir/..."
done

core='kind("cc_library|cc_binary", //recommender/...)'
forbid "recommender depends only on proto, third_party and itself" "$core" "$above_core"
forbid "recommender never links gRPC" "$core" '//third_party:grpc + //proto:recommender_cc_grpc + //proto:health_cc_grpc + //proto:diagnostics_cc_grpc'
forbid "training never depends on serving" \
  'kind("cc_library|cc_binary", //training/...)' '//serving/...'
forbid "proto depends on nothing of ours" '//proto/...' \
  '//recommender/... + //training/... + //serving/... + //tools/...'

# No package cycles among ours (targets never cycle; packages can): every edge
# between two of our packages, sorted topologically.
edges=$(query 'kind(rule, deps(//recommender/... + //training/... + //serving/...))' >/dev/null;
  bazel --nohome_rc --output_user_root="$output_root" query --noshow_progress --output=graph --nograph:factored \
    'kind(rule, deps(//recommender/... + //training/... + //serving/...))' 2>/dev/null |
  sed -n 's/^ *"\(\/\/[^:"]*\):[^"]*" -> "\(\/\/[^:"]*\):[^"]*"$/\1 \2/p' |
  grep -v -E '//third_party|//proto' | awk '$1 != $2' | sort -u)
if [ -z "$edges" ]; then
  echo "layering_test: no package edges read from the graph" >&2
  exit 1
fi
if cycle=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null) && [ -z "$cycle" ]; then
  echo "ok   no package cycles ($(printf '%s\n' "$edges" | wc -l) package edges)"
else
  echo "FAIL package cycle:"
  printf '%s\n' "$cycle" | sed 's/^/  /'
  failures=$((failures + 1))
fi

bazel --nohome_rc --output_user_root="$output_root" shutdown >/dev/null 2>&1 || true
if [ "$failures" -gt 0 ]; then
  echo "$failures layering rule(s) broken" >&2
  exit 1
fi
