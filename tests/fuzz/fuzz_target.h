// What every fuzz target of tests/fuzz/ implements (the libFuzzer entry
// points), and small helpers they share.
//
// Each target builds two ways. Under `--config=fuzz` (clang, libFuzzer,
// AddressSanitizer and UndefinedBehaviorSanitizer) it is a fuzzer:
//   bazel build --config=fuzz //tests/fuzz:event_log_reader_fuzzer
//   bazel-bin/tests/fuzz/event_log_reader_fuzzer -max_total_time=60 CORPUS
// In every other build it is a test that runs each file of its seed corpus
// (tests/fuzz/corpus/<name>/, crashes found included) once through the
// same function (corpus_driver.cc), so that a crash once found stays fixed.
//
// A target returns 0 for every input; it fails by crashing (a sanitizer
// report) or by FuzzCheck, for a property that must hold whatever the input.
#ifndef TESTS_FUZZ_FUZZ_TARGET_H_
#define TESTS_FUZZ_FUZZ_TARGET_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace recommender::fuzz {

// A fresh empty folder for this process (under TEST_TMPDIR or /tmp).
std::string ScratchDir(absl::string_view name);

// `data` cut at its first `parts - 1` NUL bytes; missing parts are empty.
std::vector<std::string> SplitAtNul(const uint8_t* data, size_t size,
                                    int parts);

// Aborts with `what` (and the sanitizer's stack) unless `condition` holds.
void FuzzCheck(bool condition, absl::string_view what);

}  // namespace recommender::fuzz

#endif  // TESTS_FUZZ_FUZZ_TARGET_H_
