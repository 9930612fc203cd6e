#include "recommender/util/file_util.h"

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"

namespace recommender {
namespace {

std::string TestDir() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return JoinPath(tmp != nullptr ? tmp : "/tmp", "file_util_test");
}

TEST(FileUtilTest, FileWriterStreamsMoreThanItsBuffer) {
  const std::string dir = TestDir();
  ASSERT_TRUE(CreateDirectories(dir).ok());
  const std::string path = JoinPath(dir, "big.txt");
  auto writer = FileWriter::Create(path);
  ASSERT_TRUE(writer.ok()) << writer.status();
  std::string expected;
  for (int i = 0; i < 300000; ++i) {
    const std::string line = std::to_string(i) + "\n";
    expected += line;
    ASSERT_TRUE((*writer)->Append(line).ok());
  }
  EXPECT_EQ((*writer)->bytes_written(), static_cast<int64_t>(expected.size()));
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_FALSE((*writer)->Append("x").ok());
  auto contents = ReadFileToString(path);
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(*contents, expected);
}

TEST(FileUtilTest, FileWriterNamesAPathItCannotCreate) {
  auto writer = FileWriter::Create("/nonexistent-dir/x.txt");
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.status().message().find("/nonexistent-dir/x.txt"),
            std::string::npos);
}

TEST(FileUtilTest, WritesReadsAndListsFiles) {
  const std::string dir = TestDir();
  ASSERT_TRUE(RemoveAll(dir).ok());
  ASSERT_TRUE(CreateDirectories(JoinPath(dir, "sub")).ok());
  ASSERT_TRUE(WriteFileDurably(JoinPath(dir, "b.txt"), "bee").ok());
  ASSERT_TRUE(WriteFileDurably(JoinPath(dir, "a.txt"), "ay").ok());

  auto contents = ReadFileToString(JoinPath(dir, "b.txt"));
  ASSERT_TRUE(contents.ok()) << contents.status();
  EXPECT_EQ(*contents, "bee");

  auto names = ListDirectory(dir);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"a.txt", "b.txt", "sub"}));
}

TEST(FileUtilTest, MissingFileIsNotFoundAndNamesThePath) {
  auto contents = ReadFileToString("/nonexistent/dir/file.csv");
  ASSERT_FALSE(contents.ok());
  EXPECT_EQ(contents.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(contents.status().message().find("/nonexistent/dir/file.csv"),
            std::string::npos);
}

TEST(FileUtilTest, RenameMovesADirectoryAtomically) {
  const std::string dir = TestDir();
  ASSERT_TRUE(RemoveAll(dir).ok());
  ASSERT_TRUE(CreateDirectories(JoinPath(dir, "tmp")).ok());
  ASSERT_TRUE(WriteFileDurably(JoinPath(dir, "tmp/x"), "1").ok());
  ASSERT_TRUE(RenamePath(JoinPath(dir, "tmp"), JoinPath(dir, "final")).ok());
  EXPECT_FALSE(PathExists(JoinPath(dir, "tmp")));
  EXPECT_TRUE(PathExists(JoinPath(dir, "final/x")));
}

TEST(FileUtilTest, ReplaceFileAtomicallyLeavesTheNewFileAndNoTemporary) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), "replace");
  ASSERT_TRUE(CreateDirectories(dir).ok());
  const std::string path = JoinPath(dir, "segment.log");
  ASSERT_TRUE(WriteFileDurably(path, "old contents").ok());
  ASSERT_TRUE(ReplaceFileAtomically(path, "new", ".compacting").ok());
  EXPECT_EQ(*ReadFileToString(path), "new");
  EXPECT_EQ(*ListDirectory(dir), std::vector<std::string>{"segment.log"});
  // A folder that does not exist: the error names the temporary file.
  const absl::Status missing =
      ReplaceFileAtomically(JoinPath(dir, "no/such/file"), "x");
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("no/such/file.tmp"), std::string::npos)
      << missing;
}

TEST(FileUtilTest, JoinPathAddsOneSlash) {
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
  EXPECT_EQ(JoinPath("", "b"), "b");
}

}  // namespace
}  // namespace recommender
