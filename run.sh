#!/usr/bin/env bash
# The project's entry point (see README.md):
#   ./run.sh demo   generate the sample shop, train, serve, query over gRPC,
#                   print the storefront's and the dashboard's addresses
#   ./run.sh serve  the demo's server, kept running (storefront and
#                   dashboard on http://127.0.0.1:8080) until Ctrl-C
#   ./run.sh test   build everything and run the whole test suite (the
#                   browser tests included)
#   ./run.sh python build the Python package's modules and the binaries it
#                   runs (clients/python/README.md)
# Each installs whatever Debian packages are missing first (needs root).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
# Real datasets for tests and benchmarks (never copied into this repository).
export RECOMMENDER_SHARED_DATA="$ROOT/../shared/data"

PACKAGES=(
  bazel-bootstrap bazel-platforms bazel-rules-java g++ pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libeigen3-dev libabsl-dev libfaiss-dev libopenblas-dev
  libgtest-dev libbenchmark-dev nlohmann-json3-dev libcpp-httplib-dev
  libssl-dev openssl curl
  python3 python3-grpcio python3-protobuf python3-numpy python3-pandas
  python3-matplotlib python3-pytest python3-crc32c
  libxgboost-dev
  clang-14 libfuzzer-14-dev
  nodejs chromium fonts-noto-cjk wrk
)
# The browser tests' npm packages (web/tests/package-lock.json).
WEB_TESTS="$ROOT/web/tests"

say() { printf '\n== %s\n' "$*"; }

install_missing_packages() {
  local missing=()
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" ||
      missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

# Prints "N passed, N failed" (and ", N skipped" when any were) counted from
# the JUnit XML of every test target: GoogleTest's, pytest's (many test cases
# on one line) and the one Bazel writes for other tests (with an <error> for a
# binary that crashed). Elements are split at "<"; CDATA text is skipped.
# $1: the test-log folder (default bazel-testlogs).
count_test_cases() {
  find -L "${1:-bazel-testlogs}" -name test.xml -print0 2>/dev/null |
    xargs -0 -r cat |
    awk '
      function finish() {
        if (bad) failed++; else if (skip) skipped++; else passed++
        open = 0
      }
      BEGIN { RS = "<" }
      cdata { if (index($0, "]]>")) cdata = 0; next }
      /^!\[CDATA\[/ { if (!index($0, "]]>")) cdata = 1; next }
      /^testcase[[:space:]\/>]/ {
        open = 1; bad = 0; skip = /status="notrun"/
        if (substr($0, 1, index($0, ">")) ~ /\/>$/) finish()
        next
      }
      open && /^(failure|error)[[:space:]\/>]/ { bad = 1 }
      open && /^skipped[[:space:]\/>]/ { skip = 1 }
      open && /^\/testcase>/ { finish() }
      END {
        printf "%d passed, %d failed", passed, failed
        if (skipped) printf ", %d skipped", skipped
        printf "\n"
      }'
}

# count_test_cases over the logs of the given test targets only, summed;
# a target without a log (it did not build) counts as one failed case.
# $1: the test-log folder; then the targets (//package:name).
count_targets_test_cases() {
  local logs=$1 target log
  shift
  for target in "$@"; do
    log="$logs/$(tr : / <<<"${target#//}")"
    if [ -f "$log/test.xml" ]; then
      count_test_cases "$log"
    else
      echo "0 passed, 1 failed"
    fi
  done | awk '{ p += $1; f += $3 } END { printf "%d passed, %d failed\n", p, f }'
}

# The browser tests' driver (puppeteer-core; no browser download: they use
# Debian's chromium), installed from the lockfile when it changed.
install_web_test_packages() {
  local stamp="$WEB_TESTS/node_modules/.installed-package-lock.json"
  cmp -s "$WEB_TESTS/package-lock.json" "$stamp" 2>/dev/null && return 0
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 20 ]; then
    echo "run.sh: the browser tests need Node.js 20 or newer (its test runner's JUnit report); this is $(node --version)" >&2
    return 1
  fi
  say "Installing the browser tests' npm packages (npm ci in web/tests)"
  (cd "$WEB_TESTS" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  cp "$WEB_TESTS/package-lock.json" "$stamp"
}

# The tests whose subject is concurrency, for ThreadSanitizer: the event
# log's group commit, the live state, the model manager's swaps, the call
# gate and the health probe. The server's own tests (serving:server_test,
# tests:*_e2e_test) are not among them: Debian's gRPC is not built for
# TSan, so every object gRPC hands from one of its threads to another (an
# interceptor, a request) shows up as a race in the code that touches it;
# they run under ASan and UBSan instead.
TSAN_TESTS=(
  //recommender/events:event_log_test
  //recommender/live:live_state_test
  //recommender/live:live_events_test
  //recommender/model:model_manager_test
  //serving:call_gate_test
  //serving:serving_probe_test
  //recommender/campaigns:experiment_store_test
)
FUZZ_TARGETS=(shop_data event_log_reader snapshot_loader request)
# Seconds each fuzzer runs in `./run.sh test`: a short, bounded run. Longer:
# FUZZ_SECONDS=600 ./run.sh test, or the binaries by hand.
FUZZ_SECONDS=${FUZZ_SECONDS:-60}

# Runs each libFuzzer target for FUZZ_SECONDS over a copy of its seed
# corpus; prints "N passed, N failed" (one case per target). A crash
# leaves its input in .fuzz-artifacts/; once fixed, the input goes into
# tests/fuzz/corpus/<target>/, where every test run replays it.
run_fuzzers() {
  if ! bazel build --config=fuzz //tests/fuzz:all >&2; then
    echo "0 passed, ${#FUZZ_TARGETS[@]} failed"
    return
  fi
  local bin passed=0 failed=0 artifacts="$ROOT/.fuzz-artifacts" target work
  bin="$(bazel info --config=fuzz bazel-bin 2>/dev/null)/tests/fuzz"
  mkdir -p "$artifacts"
  for target in "${FUZZ_TARGETS[@]}"; do
    work=$(mktemp -d)
    cp -r "tests/fuzz/corpus/$target/." "$work/"
    if "$bin/${target}_fuzzer" -max_total_time="$FUZZ_SECONDS" -timeout=20 \
      -rss_limit_mb=2560 -print_final_stats=1 \
      -artifact_prefix="$artifacts/$target-" "$work" \
      >"$artifacts/$target.log" 2>&1; then
      passed=$((passed + 1))
      echo "fuzz $target: $(awk '/^stat::number_of_executed_units/ { print $2 }' \
        "$artifacts/$target.log") executions, no crash" >&2
    else
      failed=$((failed + 1))
      echo "fuzz $target: FAILED (log and input in $artifacts/)" >&2
      tail -n 30 "$artifacts/$target.log" >&2
    fi
    rm -rf "$work"
  done
  echo "$passed passed, $failed failed"
}

# CI's test run: four kinds, each timed. Every test runs once, under the
# sanitizers unless it cannot (two full builds of the suite, plain and
# sanitized, do not fit CI's time on two cores):
#   tests  everything built as shipped (bazel build of every target but the
#          tests), then the tests tagged no_asan run on that build: the
#          browser and Python client tests, one whole tuning too slow under
#          ASan, a check of glibc's malloc;
#   asan   every other test under AddressSanitizer and UBSan (--config=asan);
#   tsan   the concurrency tests under ThreadSanitizer (--config=tsan);
#   fuzz   each fuzzer for FUZZ_SECONDS under ASan and UBSan (--config=fuzz).
# The last line, "N passed, N failed", counts each test case of each kind
# (a case the tsan kind runs again counts twice), plus one case per fuzzer;
# the lines above it give each kind's own count and time.
run_tests() {
  install_missing_packages
  install_web_test_packages
  local status=0 start summary=() passed=0 failed=0
  record() {  # KIND "N passed, N failed[, ...]" SECONDS
    local p f
    p=$(sed -n 's/^\([0-9]*\) passed.*/\1/p' <<<"$2")
    f=$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$2")
    summary+=("$(printf '%-5s %s  (%d min %02d s)' "$1" "$2" $(($3 / 60)) $(($3 % 60)))")
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-1}))
    [ "${f:-1}" -eq 0 ] || status=1
  }

  say "Building everything as shipped; the tests that cannot run under ASan"
  start=$SECONDS
  local shipped plain_tests
  shipped=$(bazel query 'kind(rule, //...) except tests(//...)' 2>/dev/null) &&
    bazel build $shipped || status=1
  plain_tests=$(bazel query 'attr(tags, "\bno_asan\b", tests(//...))' 2>/dev/null) &&
    bazel test $plain_tests || status=1
  record tests "$(count_targets_test_cases "$(bazel info bazel-testlogs 2>/dev/null)" \
    $plain_tests)" $((SECONDS - start))

  say "Every other test under AddressSanitizer and UBSan (--config=asan)"
  start=$SECONDS
  bazel test --config=asan //... || status=1
  record asan "$(count_test_cases "$(bazel info --config=asan bazel-testlogs 2>/dev/null)")" \
    $((SECONDS - start))

  say "The concurrency tests under ThreadSanitizer (--config=tsan)"
  start=$SECONDS
  bazel test --config=tsan "${TSAN_TESTS[@]}" || status=1
  record tsan "$(count_targets_test_cases "$(bazel info --config=tsan bazel-testlogs 2>/dev/null)" \
    "${TSAN_TESTS[@]}")" $((SECONDS - start))

  say "Each fuzzer for ${FUZZ_SECONDS}s under ASan and UBSan (--config=fuzz)"
  start=$SECONDS
  record fuzz "$(run_fuzzers)" $((SECONDS - start))

  say "Results by kind"
  printf '%s\n' "${summary[@]}"
  printf '%d passed, %d failed\n' "$passed" "$failed"
  return $status
}

# The three sample customers shown: the first ones who bought a durable.
demo_customers() {
  awk -F, 'NR == FNR { if ($NF == "durable") durable[$1] = 1; next }
           FNR > 1 && $3 == "purchase" && ($2 in durable) && !seen[$1]++ { print $1 }' \
    "$1/catalog.csv" "$1/events.csv" | head -3 | paste -sd, -
}

# A throw-away CA and a certificate for 127.0.0.1 signed by it (openssl),
# in $1, for the demo's TLS.
make_demo_certificates() {
  local dir=$1
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=recommender demo CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj "/CN=127.0.0.1" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=CA:FALSE" \
    "keyUsage=digitalSignature" "extendedKeyUsage=serverAuth" >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 2 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
  chmod 600 "$dir/ca.key" "$dir/server.key"
}

# The demo's credentials in .demo: TLS (tls/), an admin key and a
# storefront key (keys.txt, the secrets in demo-admin.key and
# demo-shop.key), and the key customer tokens are signed with
# (token-keys.txt).
make_demo_credentials() {
  make_demo_certificates "$DEMO/tls"
  rm -f "$DEMO/keys.txt" "$DEMO/token-keys.txt"
  "$BIN/serving/auth/create_api_key" --keys_file="$DEMO/keys.txt" \
    --key_id=demo-admin --roles=admin >"$DEMO/demo-admin.key"
  "$BIN/serving/auth/create_api_key" --keys_file="$DEMO/keys.txt" \
    --key_id=demo-shop --roles=storefront >"$DEMO/demo-shop.key"
  chmod 600 "$DEMO/demo-admin.key" "$DEMO/demo-shop.key"
  "$BIN/serving/auth/mint_customer_token" --new_key_file="$DEMO/token-keys.txt" \
    --key_id=demo-shop 2>/dev/null
}

# Builds what the demo needs, generates the sample shop into .demo/data
# (once) and trains a model into .demo/models.
prepare_demo() {
  install_missing_packages
  say "Building the trainer, the server and the demo client"
  bazel build //training/sample_data:generate_sample_data //training:train \
    //serving:server //serving:demo_client //serving/auth:create_api_key \
    //serving/auth:mint_customer_token
  mkdir -p "$DEMO"
  if [ ! -f "$DEMO/data/events.csv" ]; then
    say "Generating the sample shop into .demo/data"
    "$BIN/training/sample_data/generate_sample_data" --out="$DEMO/data"
  fi
  if [ "${1:-}" = "--if-missing" ] && [ -n "$(ls -A "$DEMO/models" 2>/dev/null)" ]; then
    return 0
  fi
  say "Training (iALS) into .demo/models"
  "$BIN/training/train" --data_dir="$DEMO/data" --model_dir="$DEMO/models"
}

# Starts the server in the background on GRPC_PORT and HTTP_PORT (0: free
# ones), with live events in .demo/events; sets SERVER_PID, GRPC_PORT and
# HTTP_PORT to what it bound. Further arguments are server flags.
start_demo_server() {
  local grpc_port=$1 http_port=$2
  shift 2
  rm -f "$DEMO/server.port" "$DEMO/http.port"
  # The sample data ends on 2026-09-30: rank as of then, not today.
  "$BIN/serving/server" --model_dir="$DEMO/models" --clock=data_end \
    --port="$grpc_port" --port_file="$DEMO/server.port" \
    --http_port="$http_port" --http_port_file="$DEMO/http.port" \
    --event_log_dir="$DEMO/events" "$@" 2>"$DEMO/server.log" &
  SERVER_PID=$!
  for _ in $(seq 100); do
    [ -s "$DEMO/server.port" ] && break
    kill -0 $SERVER_PID 2>/dev/null || { cat "$DEMO/server.log"; exit 1; }
    sleep 0.1
  done
  GRPC_PORT=$(cat "$DEMO/server.port")
  HTTP_PORT=$(cat "$DEMO/http.port")
}

# The demo's server flags for TLS, keys, customer tokens and the audit log.
DEMO_SECURITY_FLAGS=()
demo_security_flags() {
  DEMO_SECURITY_FLAGS=(--tls_cert="$DEMO/tls/server.pem" --tls_key="$DEMO/tls/server.key"
    --keys_file="$DEMO/keys.txt" --customer_token_keys="$DEMO/token-keys.txt"
    --audit_log="$DEMO/audit.jsonl")
}

# The web pages' addresses on HTTP port $1 with scheme $2; with keys
# (scheme https), the storefront gets the storefront key and, signed in, a
# customer token valid for an hour; the dashboard the admin key (each page
# keeps it in the tab's sessionStorage and drops it from the address).
print_web_addresses() {
  local port=$1 scheme=${2:-http} first shop_key="" admin_key="" token=""
  # (awk stops early on a closed pipe: not a failure.)
  first=$(demo_customers "$DEMO/data" | cut -d, -f1) || true
  if [ "$scheme" = https ]; then
    shop_key="&key=$(cat "$DEMO/demo-shop.key")"
    admin_key="?key=$(cat "$DEMO/demo-admin.key")"
    token="&token=$("$BIN/serving/auth/mint_customer_token" \
      --key_file="$DEMO/token-keys.txt" --customer_id="$first" --ttl_seconds=3600)"
  fi
  echo "  Demo storefront (signed in):  $scheme://127.0.0.1:$port/demo/?customer=$first$token$shop_key"
  echo "  Demo storefront (anonymous):  $scheme://127.0.0.1:$port/demo/?${shop_key#&}"
  echo "  Operators' dashboard:         $scheme://127.0.0.1:$port/admin/$admin_key"
  echo "  JSON API (list of methods):   $scheme://127.0.0.1:$port/v1/"
  if [ "$scheme" = https ]; then
    echo "  (TLS by the demo's own CA: let the browser trust .demo/tls/ca.pem, or accept its warning)"
  fi
}

run_demo() {
  prepare_demo
  say "TLS and API keys: a throw-away CA and certificate (.demo/tls), an admin and a storefront key, a customer-token key"
  make_demo_credentials
  demo_security_flags
  say "Starting the server on free loopback ports (log: .demo/server.log)"
  start_demo_server 0 0 "${DEMO_SECURITY_FLAGS[@]}"
  trap 'kill -TERM $SERVER_PID 2>/dev/null || true' EXIT
  say "A call without a key is refused"
  "$BIN/serving/demo_client" --target="127.0.0.1:$GRPC_PORT" \
    --tls_ca="$DEMO/tls/ca.pem" --customers= 2>&1 | sed 's/^/  /' || true
  say "Asking 127.0.0.1:$GRPC_PORT for picks over gRPC with TLS and the demo's admin key"
  local status=0
  "$BIN/serving/demo_client" --target="127.0.0.1:$GRPC_PORT" \
    --tls_ca="$DEMO/tls/ca.pem" --api_key_file="$DEMO/demo-admin.key" \
    --customers="$(demo_customers "$DEMO/data")" || status=$?
  say "The JSON gateway refuses a call without a key, over HTTPS"
  curl -sS --cacert "$DEMO/tls/ca.pem" -X POST -d '{"count":3}' \
    "https://127.0.0.1:$HTTP_PORT/v1/recommend" | sed 's/^/  /' || true
  echo
  echo "(audit log: $(wc -l <"$DEMO/audit.jsonl") lines in .demo/audit.jsonl)"

  say "In a browser, while the server runs (./run.sh serve keeps one running on port 8080, loopback without keys)"
  print_web_addresses "$HTTP_PORT" https

  say "Stopping the server (SIGTERM)"
  kill -TERM $SERVER_PID
  wait $SERVER_PID
  trap - EXIT
  tail -n 2 "$DEMO/server.log"
  return $status
}

# The demo's server on fixed ports until Ctrl-C (HTTP_PORT, default 8080;
# GRPC_PORT, default 50051), training the sample model first if there is none.
run_serve() {
  prepare_demo --if-missing
  local http_port=${HTTP_PORT:-8080} grpc_port=${GRPC_PORT:-50051}
  say "Starting the server (log: .demo/server.log)"
  start_demo_server "$grpc_port" "$http_port"
  trap 'kill -TERM $SERVER_PID 2>/dev/null || true' INT TERM
  say "Serving gRPC on 127.0.0.1:$GRPC_PORT and HTTP on 127.0.0.1:$HTTP_PORT; Ctrl-C stops it"
  print_web_addresses "$HTTP_PORT"
  # The first wait ends at Ctrl-C; the second lets the server drain.
  wait $SERVER_PID 2>/dev/null || true
  local status=0
  wait $SERVER_PID 2>/dev/null || status=$?
  trap - INT TERM
  tail -n 1 "$DEMO/server.log"
  return $status
}

# The Python package (clients/python): its generated protocol-buffer modules
# and the binaries its tools run.
run_python() {
  install_missing_packages
  say "Building the Python package's modules and the binaries it runs"
  bazel build //clients/python:proto_stubs //serving:server //training:train \
    //training/sample_data:generate_sample_data //training/evaluation:evaluate \
    //training/tuning:tune //training/timing:fit_btyd
  say "Ready; for Python:"
  echo "export PYTHONPATH=$ROOT/clients/python:$ROOT/bazel-bin/clients/python"
}

DEMO="$ROOT/.demo"
BIN="$ROOT/bazel-bin"

case "${1:-}" in
  demo) run_demo ;;
  serve) run_serve ;;
  test) run_tests ;;
  python) run_python ;;
  *)
    echo "usage: $0 demo|serve|test|python" >&2
    exit 2
    ;;
esac
