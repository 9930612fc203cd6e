#!/usr/bin/env bash
# Runs the browser tests (browser.test.mjs) with Node's test runner and
# writes their JUnit report where Bazel expects it ($XML_OUTPUT_FILE), so
# that each test case counts in `./run.sh test`'s "N passed, N failed".
# Needs Debian's chromium and this folder's node_modules (`npm ci`, which
# ./run.sh runs); screenshots go to $SCREENSHOT_DIR (default: the test's
# undeclared outputs).
set -euo pipefail

runfiles="${TEST_SRCDIR:-$PWD/..}/${TEST_WORKSPACE:-recommender}"
# The test files are links into the source tree, where node_modules is.
here=$(dirname "$(readlink -f "$runfiles/web/tests/browser.test.mjs")")
if [ ! -d "$here/node_modules/puppeteer-core" ]; then
  echo "run_browser_tests: no $here/node_modules: run 'npm ci' in web/tests (./run.sh test does)" >&2
  exit 1
fi

export SERVER_BIN="$runfiles/serving/server"
export TRAIN_BIN="$runfiles/training/train"
export GENERATE_BIN="$runfiles/training/sample_data/generate_sample_data"
export CREATE_API_KEY_BIN="$runfiles/serving/auth/create_api_key"
export MINT_TOKEN_BIN="$runfiles/serving/auth/mint_customer_token"
export WORK_DIR="${TEST_TMPDIR:-$(mktemp -d)}/browser"
export SCREENSHOT_DIR="${SCREENSHOT_DIR:-${TEST_UNDECLARED_OUTPUTS_DIR:-}}"
export HOME="${TEST_TMPDIR:-$HOME}"

reporters=(--test-reporter=spec --test-reporter-destination=stdout)
if [ -n "${XML_OUTPUT_FILE:-}" ]; then
  reporters+=(--test-reporter=junit --test-reporter-destination="$XML_OUTPUT_FILE")
fi
cd "$here"
exec node --test --test-concurrency=1 "${reporters[@]}" browser.test.mjs
