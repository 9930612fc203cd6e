#!/usr/bin/env bash
# Runs one benchmark binary (first argument) with the remaining arguments and
# fails if it fails or prints nothing: a smoke pass, no timing is asserted.
# It is not a GoogleTest case, so it reports none to the test-case count.
set -euo pipefail
binary=$1
shift
output=$("$binary" "$@")
printf '%s\n' "$output"
[ -n "$output" ]
if [ -n "${XML_OUTPUT_FILE:-}" ]; then
  echo '<?xml version="1.0" encoding="UTF-8"?><testsuites></testsuites>' \
    >"$XML_OUTPUT_FILE"
fi
