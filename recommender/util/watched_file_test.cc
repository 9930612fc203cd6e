#include "recommender/util/watched_file.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

std::string TestPath(const std::string& name) {
  return JoinPath(std::getenv("TEST_TMPDIR"), name);
}

// A file holding one integer.
absl::StatusOr<int> ParseNumber(const std::string& text,
                                const std::string& path) {
  int value = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":1: not a number"));
  }
  return value;
}

// Writes `text` aside and renames it in, as operators should.
void Publish(const std::string& path, const std::string& text) {
  ASSERT_TRUE(ReplaceFileAtomically(path, text).ok());
}

TEST(WatchedFileTest, ReloadsOnChangeAndKeepsTheLastGoodValue) {
  const std::string path = TestPath("number");
  Publish(path, "1\n");
  auto file = WatchedFile<int>::Open(path, ParseNumber);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(*(*file)->Get(), 1);
  EXPECT_FALSE(*(*file)->ReloadIfChanged());  // Unchanged.

  Publish(path, "22\n");
  EXPECT_TRUE(*(*file)->ReloadIfChanged());
  EXPECT_EQ(*(*file)->Get(), 22);

  Publish(path, "twenty\n");
  absl::StatusOr<bool> broken = (*file)->ReloadIfChanged();
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(broken.status().message().find(path + ":1:"), std::string::npos);
  EXPECT_EQ(*(*file)->Get(), 22);

  ASSERT_TRUE(RemoveAll(path).ok());
  EXPECT_EQ((*file)->ReloadIfChanged().status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(*(*file)->Get(), 22);
  Publish(path, "3\n");
  EXPECT_TRUE(*(*file)->ReloadIfChanged());
  EXPECT_EQ(*(*file)->Get(), 3);
}

TEST(WatchedFileTest, OpenNamesAMissingOrBadFile) {
  const absl::Status missing =
      WatchedFile<int>::Open(TestPath("absent"), ParseNumber).status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("absent"), std::string::npos);
  const std::string bad = TestPath("bad");
  Publish(bad, "x");
  EXPECT_EQ(WatchedFile<int>::Open(bad, ParseNumber).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(WatchedFileTest, TheWatcherReportsNewValuesAndEachFailureOnce) {
  const std::string path = TestPath("watched");
  Publish(path, "1");
  auto file = WatchedFile<int>::Open(path, ParseNumber);
  ASSERT_TRUE(file.ok()) << file.status();
  std::atomic<int> reloads{0}, failures{0};
  (*file)->StartWatching(absl::Milliseconds(5), [&](const absl::Status& s) {
    ++(s.ok() ? reloads : failures);
  });
  Publish(path, "oops");
  for (int i = 0; i < 400 && failures.load() == 0; ++i) ::usleep(5000);
  ::usleep(50000);  // Several more polls of the same broken file.
  EXPECT_EQ(failures.load(), 1);
  Publish(path, "7");
  for (int i = 0; i < 400 && *(*file)->Get() != 7; ++i) ::usleep(5000);
  EXPECT_EQ(*(*file)->Get(), 7);
  EXPECT_EQ(reloads.load(), 1);
  file->reset();  // Stops the watcher.
}

}  // namespace
}  // namespace recommender
