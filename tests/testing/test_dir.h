// Where an end-to-end suite keeps its files: a folder of its own under the
// test's temporary folder, which Bazel empties before each run.
#ifndef TESTS_TESTING_TEST_DIR_H_
#define TESTS_TESTING_TEST_DIR_H_

#include <string>

#include "absl/strings/string_view.h"

namespace recommender::testing {

// $TEST_TMPDIR/`name`. Only the path: the folder is not created.
std::string TestDir(absl::string_view name);

}  // namespace recommender::testing

#endif  // TESTS_TESTING_TEST_DIR_H_
