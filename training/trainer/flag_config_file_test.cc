#include "training/trainer/flag_config_file.h"

#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "gtest/gtest.h"
#include "recommender/util/file_util.h"

ABSL_FLAG(int32_t, test_factors, 64, "For the test.");
ABSL_FLAG(double, test_regularization, 0.1, "For the test.");
ABSL_FLAG(std::string, test_name, "x", "For the test.");
ABSL_FLAG(int32_t, test_threads, 2, "For the test.");

namespace recommender {
namespace {

class FlagConfigFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& contents) {
    const std::string path = JoinPath(std::getenv("TEST_TMPDIR"), "test.conf");
    EXPECT_TRUE(WriteFileDurably(path, contents).ok());
    return path;
  }
  absl::FlagSaver saver_;
};

TEST_F(FlagConfigFileTest, SetsFlagsFromNameValueLines) {
  const std::string path = Write(
      "# tuned for shop A\n"
      "test_factors = 128\n"
      "\n"
      "test_regularization: 0.002   # scaled\n"
      "test_name = \"two words\"\n");
  ASSERT_TRUE(ApplyFlagConfigFile(path).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_test_factors), 128);
  EXPECT_DOUBLE_EQ(absl::GetFlag(FLAGS_test_regularization), 0.002);
  EXPECT_EQ(absl::GetFlag(FLAGS_test_name), "two words");
}

TEST_F(FlagConfigFileTest, NamesTheFileAndLineOfABadSetting) {
  absl::Status status = ApplyFlagConfigFile(Write("test_factors = 8\nfactorz = 3\n"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("test.conf:2: unknown setting \"factorz\""),
            std::string::npos)
      << status;
  status = ApplyFlagConfigFile(Write("test_factors = many\n"));
  EXPECT_NE(status.message().find("test.conf:1: test_factors:"),
            std::string::npos)
      << status;
  status = ApplyFlagConfigFile(Write("test_factors 8\n"));
  EXPECT_NE(status.message().find("test.conf:1: expected"), std::string::npos)
      << status;
  EXPECT_EQ(ApplyFlagConfigFile("/nonexistent/x.conf").code(),
            absl::StatusCode::kNotFound);
}

TEST_F(FlagConfigFileTest, TheCommandLineWinsOverTheFile) {
  std::string config = "--config=" + Write("test_threads = 1\ntest_factors = 3\n");
  char program[] = "tool";
  char given[] = "--test_threads=7";
  char positional[] = "extra";
  char* argv[] = {program, config.data(), given, positional};
  absl::StatusOr<std::vector<char*>> rest =
      ParseCommandLineWithConfigFile(4, argv);
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(absl::GetFlag(FLAGS_test_threads), 7);
  EXPECT_EQ(absl::GetFlag(FLAGS_test_factors), 3);
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_STREQ((*rest)[1], "extra");
}

}  // namespace
}  // namespace recommender
