#include "serving/auth/key_file.h"

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace recommender::serving::auth {
namespace {

TEST(KeyFileTest, EntriesWithoutCommentsOrBlankLines) {
  std::vector<std::string> seen;
  const absl::Status status = ForEachKeyFileEntry(
      "# keys\n\n  a  b\tc # note\nd\n   \n", "keys.txt",
      [&](const std::vector<absl::string_view>& fields) {
        seen.push_back(std::string(absl::StrJoin(fields, "|")));
        return absl::OkStatus();
      });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(seen, (std::vector<std::string>{"a|b|c", "d"}));
}

TEST(KeyFileTest, AnErrorNamesTheFileAndLineAndStops) {
  int calls = 0;
  const absl::Status status = ForEachKeyFileEntry(
      "ok\n# comment\nbad\nnever\n", "keys.txt",
      [&](const std::vector<absl::string_view>& fields) {
        ++calls;
        return fields[0] == "bad" ? absl::NotFoundError("not this one")
                                  : absl::OkStatus();
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "keys.txt:3: not this one");
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace recommender::serving::auth
