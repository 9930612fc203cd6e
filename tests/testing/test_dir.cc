#include "tests/testing/test_dir.h"

#include <cstdlib>

#include "recommender/util/file_util.h"

namespace recommender::testing {

std::string TestDir(absl::string_view name) {
  return JoinPath(std::getenv("TEST_TMPDIR"), name);
}

}  // namespace recommender::testing
