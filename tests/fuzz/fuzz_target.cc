#include "tests/fuzz/fuzz_target.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "recommender/util/file_util.h"

namespace recommender::fuzz {

std::string ScratchDir(absl::string_view name) {
  const char* root = std::getenv("TEST_TMPDIR");
  const std::string dir =
      JoinPath(root != nullptr ? root : "/tmp",
               absl::StrCat("fuzz-", name, "-", ::getpid()));
  if (!RemoveAll(dir).ok() || !CreateDirectories(dir).ok()) {
    std::fprintf(stderr, "cannot make %s\n", dir.c_str());
    std::abort();
  }
  return dir;
}

std::vector<std::string> SplitAtNul(const uint8_t* data, size_t size,
                                    int parts) {
  std::vector<std::string> out;
  const char* text = reinterpret_cast<const char*>(data);
  size_t start = 0;
  for (int p = 0; p + 1 < parts; ++p) {
    size_t end = start;
    while (end < size && text[end] != '\0') ++end;
    out.emplace_back(text + start, end - start);
    start = end < size ? end + 1 : size;
  }
  out.emplace_back(text + start, size - start);
  return out;
}

void FuzzCheck(bool condition, absl::string_view what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz check failed: %.*s\n",
               static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace recommender::fuzz
