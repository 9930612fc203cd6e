#include "training/trainer/command_line.h"

#include <cstdlib>
#include <string>
#include <vector>

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

class CommandLineTest : public ::testing::Test {
 protected:
  static std::string Write(const std::string& name, const std::string& text) {
    const std::string path = JoinPath(std::getenv("TEST_TMPDIR"), name);
    EXPECT_TRUE(WriteFileDurably(path, text).ok());
    return path;
  }

  // Parses `args` (argv[0] added) and returns the positional arguments
  // after argv[0].
  static std::vector<std::string> Parse(std::vector<std::string> args) {
    args.insert(args.begin(), "tool");
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    const std::vector<char*> rest =
        ParseTrainingCommandLine(static_cast<int>(argv.size()), argv.data());
    return std::vector<std::string>(rest.begin() + 1, rest.end());
  }

  absl::FlagSaver saver_;
};

TEST_F(CommandLineTest, ConfigIsAbseilsFlagfile) {
  const std::string path = Write("shop.conf",
                                 "# tuned for shop A\n"
                                 "--test_factors=128\n"
                                 "\n"
                                 "  # indented comment\n"
                                 "--test_regularization=0.002\n"
                                 "--test_name=red #1, \"quoted\"\n");
  EXPECT_TRUE(Parse({"--config=" + path}).empty());
  EXPECT_EQ(absl::GetFlag(FLAGS_test_factors), 128);
  EXPECT_DOUBLE_EQ(absl::GetFlag(FLAGS_test_regularization), 0.002);
  // The value runs to the end of the line: '#' and quotes are kept.
  EXPECT_EQ(absl::GetFlag(FLAGS_test_name), "red #1, \"quoted\"");
  EXPECT_EQ(FlagFilesRead(), path);
}

TEST_F(CommandLineTest, TheCommandLineWinsWhereverConfigStands) {
  const std::string path =
      Write("threads.conf", "--test_threads=1\n--test_factors=3\n");
  EXPECT_EQ(Parse({"--test_threads=7", "extra", "--config", path}),
            std::vector<std::string>({"extra"}));
  EXPECT_EQ(absl::GetFlag(FLAGS_test_threads), 7);
  EXPECT_EQ(absl::GetFlag(FLAGS_test_factors), 3);
}

TEST_F(CommandLineTest, SeveralFilesInOrderAndArgumentsAfterDashDashKept) {
  const std::string a = Write("a.conf", "--test_factors=3\n--test_threads=4\n");
  const std::string b = Write("b.conf", "--test_factors=5\n");
  EXPECT_EQ(Parse({"-config=" + a, "--config=" + b, "--", "--config=c"}),
            std::vector<std::string>({"--config=c"}));
  EXPECT_EQ(absl::GetFlag(FLAGS_test_factors), 5);
  EXPECT_EQ(absl::GetFlag(FLAGS_test_threads), 4);
  EXPECT_EQ(FlagFilesRead(), a + "," + b);
}

TEST_F(CommandLineTest, NoConfigLeavesTheCommandLineAlone) {
  std::vector<std::string> storage;
  char program[] = "tool", flag[] = "--test_factors=9", positional[] = "x";
  char* argv[] = {program, flag, positional};
  const std::vector<char*> args = ConfigAsFlagfile(3, argv, &storage);
  EXPECT_EQ(args, std::vector<char*>({program, flag, positional}));
  EXPECT_TRUE(storage.empty());
  EXPECT_TRUE(Parse({"--test_factors=9"}).empty());
  EXPECT_EQ(FlagFilesRead(), "");
}

using CommandLineDeathTest = CommandLineTest;

TEST_F(CommandLineDeathTest, BadFilesStopTheToolNamingTheProblem) {
  const std::string unknown = Write("unknown.conf", "--factorz=3\n");
  EXPECT_EXIT(Parse({"--config=" + unknown}), ::testing::ExitedWithCode(1),
              "Unknown command line flag 'factorz'");
  const std::string old_syntax = Write("old.conf", "test_factors = 8\n");
  EXPECT_EXIT(Parse({"--config=" + old_syntax}), ::testing::ExitedWithCode(1),
              "Unexpected line in the flagfile .*old.conf: test_factors = 8");
  const std::string bad_value = Write("bad.conf", "--test_factors=many\n");
  EXPECT_EXIT(Parse({"--config=" + bad_value}), ::testing::ExitedWithCode(1),
              "test_factors");
  EXPECT_EXIT(Parse({"--config=/nonexistent/x.conf"}),
              ::testing::ExitedWithCode(1),
              "Can't open flagfile /nonexistent/x.conf");
}

}  // namespace
}  // namespace recommender
