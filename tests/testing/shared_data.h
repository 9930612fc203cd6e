// The one way tests and benchmarks reach the real datasets in ../shared/data
// (their licences forbid copying them into this repository).
//
// ./run.sh exports RECOMMENDER_SHARED_DATA=<repo>/../shared/data and .bazelrc
// passes it into tests; a plain `bazel test` needs it set by hand.
#ifndef TESTS_TESTING_SHARED_DATA_H_
#define TESTS_TESTING_SHARED_DATA_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace recommender::testing {

inline constexpr char kSharedDataEnv[] = "RECOMMENDER_SHARED_DATA";

// The path of `relative` (e.g. "cdnow/CDNOW_sample.txt") under the shared
// data folder. FailedPrecondition if the variable is unset, NotFound if the
// file is missing; both say how to fix it.
absl::StatusOr<std::string> SharedDataPath(absl::string_view relative);

}  // namespace recommender::testing

#endif  // TESTS_TESTING_SHARED_DATA_H_
