#include "tests/testing/shared_data.h"

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "recommender/util/file_util.h"

namespace recommender::testing {

absl::StatusOr<std::string> SharedDataPath(absl::string_view relative) {
  const char* root = std::getenv(kSharedDataEnv);
  if (root == nullptr || *root == '\0') {
    return absl::FailedPreconditionError(absl::StrCat(
        kSharedDataEnv, " is not set; run ./run.sh test, or export it as "
        "<repo>/../shared/data before bazel test"));
  }
  const std::string path = JoinPath(root, relative);
  if (!PathExists(path)) {
    return absl::NotFoundError(absl::StrCat(path, " does not exist (",
                                            kSharedDataEnv, "=", root, ")"));
  }
  return path;
}

}  // namespace recommender::testing
