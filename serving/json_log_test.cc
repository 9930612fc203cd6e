#include "serving/json_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace recommender::serving {
namespace {

using ::nlohmann::json;

TEST(JsonLogTest, KeysInOrderAndEveryValueEscaped) {
  const std::string line = FormatLogLine(
      "2026-11-23T09:00:00.123Z", "info", "model \"loaded\"",
      {{"dir", "/srv/\"m\"\\x"}, {"note", "line\nnext\t\x01"}});
  ASSERT_EQ(line.back(), '\n');
  ASSERT_EQ(line.find('\n'), line.size() - 1) << "one line: " << line;
  const json parsed = json::parse(line);
  const std::vector<std::string> keys = {"time", "level", "msg", "dir", "note"};
  const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(line);
  std::vector<std::string> seen;
  for (const auto& [key, value] : ordered.items()) seen.push_back(key);
  EXPECT_EQ(seen, keys);
  EXPECT_EQ(parsed["time"], "2026-11-23T09:00:00.123Z");
  EXPECT_EQ(parsed["level"], "info");
  EXPECT_EQ(parsed["msg"], "model \"loaded\"");
  EXPECT_EQ(parsed["dir"], "/srv/\"m\"\\x");
  EXPECT_EQ(parsed["note"], "line\nnext\t\x01");
}

TEST(JsonLogTest, InvalidUtf8BecomesReplacementCharacters) {
  const std::string line = FormatLogLine(
      "t", "error", "refused", {{"customer_id", "ab\xff\xfe" "c\xE6\x97\xA5"}});
  const json parsed = json::parse(line);
  EXPECT_EQ(parsed["customer_id"], "ab\xEF\xBF\xBD\xEF\xBF\xBD" "c\xE6\x97\xA5");
}

// What `write` puts on stderr, captured through a file.
template <typename Write>
std::string CaptureStderr(Write write) {
  const std::string path =
      std::string(std::getenv("TEST_TMPDIR")) + "/stderr.txt";
  const int file = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(file, STDERR_FILENO);
  write();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::string text(4096, '\0');
  const ssize_t n = ::pread(file, text.data(), text.size(), 0);
  ::close(file);
  text.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return text;
}

TEST(JsonLogTest, OneJsonObjectPerLineOnStderr) {
  const std::string text = CaptureStderr([] {
    LogInfo("model loaded", {{"version", "42"}});
    LogError("refused");
  });
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const std::vector<std::string> lines =
      absl::StrSplit(text, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << text;
  const json first = json::parse(lines[0]);
  EXPECT_EQ(first["level"], "info");
  EXPECT_EQ(first["msg"], "model loaded");
  EXPECT_EQ(first["version"], "42");
  // 2026-11-23T09:00:00.123Z
  const std::string time = first["time"];
  EXPECT_EQ(time.size(), 24u) << time;
  EXPECT_EQ(time.back(), 'Z');
  const json second = json::parse(lines[1]);
  EXPECT_EQ(second["level"], "error");
  EXPECT_EQ(second["msg"], "refused");
  EXPECT_EQ(second.size(), 3u);
}

}  // namespace
}  // namespace recommender::serving
