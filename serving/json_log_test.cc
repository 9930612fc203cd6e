#include "serving/json_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"

namespace recommender::serving {
namespace {

TEST(JsonLogTest, QuotesAndEscapes) {
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonQuote("line\nnext\t"), "\"line\\nnext\\t\"");
  EXPECT_EQ(JsonQuote(std::string("\x01", 1)), "\"\\u0001\"");
  EXPECT_EQ(JsonQuote("\xE6\x97\xA5"), "\"\xE6\x97\xA5\"");  // UTF-8 kept.
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

TEST(JsonLogTest, OneJsonObjectPerLine) {
  const std::string text = CaptureStderr([] {
    LogInfo("model loaded", {{"version", "42"}, {"dir", "/srv/\"m\""}});
    LogError("refused");
  });
  const size_t first_end = text.find('\n');
  ASSERT_NE(first_end, std::string::npos) << text;
  const std::string first = text.substr(0, first_end);
  const std::string second = text.substr(first_end + 1);
  // {"time":"2026-11-23T09:00:00.123Z","level":"info","msg":...}: the
  // time is 24 characters from index 9.
  EXPECT_EQ(first.rfind("{\"time\":\"", 0), 0u) << first;
  EXPECT_EQ(first.find("Z\",\"level\":\"info\",\"msg\":\"model loaded\","
                       "\"version\":\"42\",\"dir\":\"/srv/\\\"m\\\"\"}"),
            32u)
      << first;
  EXPECT_NE(second.find("\"level\":\"error\",\"msg\":\"refused\"}\n"),
            std::string::npos)
      << second;
  EXPECT_EQ(second.back(), '\n');
  EXPECT_EQ(second.find('\n'), second.size() - 1);
}

}  // namespace
}  // namespace recommender::serving
