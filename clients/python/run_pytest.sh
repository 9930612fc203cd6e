#!/usr/bin/env bash
# Runs the package's pytest suite under `bazel test`: the package and the
# binaries come from the runfiles tree, and pytest writes its JUnit XML where
# Bazel expects the test's XML, so that each case counts on its own.
set -euo pipefail
root="${TEST_SRCDIR}/${TEST_WORKSPACE}"
cd "$root/clients/python"
export SHOP_RECOMMENDER_BAZEL_BIN="$root"
export PYTHONPATH="$root/clients/python"
export PYTHONDONTWRITEBYTECODE=1
exec "${PYTHON:-/usr/bin/python3}" -m pytest -p no:cacheprovider -q \
  --basetemp="${TEST_TMPDIR}/pytest" --junitxml="${XML_OUTPUT_FILE}" \
  -o junit_suite_name=clients/python tests
