#include "recommender/data/csv_reader.h"

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

std::string WriteTemp(const std::string& name, const std::string& contents) {
  const std::string path = JoinPath(std::getenv("TEST_TMPDIR"), name);
  EXPECT_TRUE(WriteFileDurably(path, contents).ok());
  return path;
}

TEST(CsvReaderTest, ReadsQuotedFieldsWithCommasQuotesAndNewlines) {
  const std::string path = WriteTemp(
      "quoted.csv",
      "id,title\r\n"
      "a,\"Coffee, dark roast\"\r\n"
      "b,\"The \"\"best\"\" kettle\"\n"
      "c,\"two\nlines\"\n"
      "d,\xE3\x82\xB3\xE3\x83\xBC\xE3\x83\x92\xE3\x83\xBC\n");  // コーヒー
  auto reader = CsvReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->header(), (std::vector<std::string>{"id", "title"}));

  CsvRecord record;
  absl::Status error;
  ASSERT_TRUE((*reader)->Next(&record, &error));
  ASSERT_TRUE(error.ok()) << error;
  EXPECT_EQ(record.line, 2);
  EXPECT_EQ(record.fields[1], "Coffee, dark roast");
  ASSERT_TRUE((*reader)->Next(&record, &error));
  EXPECT_EQ(record.fields[1], "The \"best\" kettle");
  ASSERT_TRUE((*reader)->Next(&record, &error));
  EXPECT_EQ(record.fields[1], "two\nlines");
  EXPECT_EQ(record.line, 4);
  ASSERT_TRUE((*reader)->Next(&record, &error));
  EXPECT_EQ(record.line, 6);
  EXPECT_EQ(record.fields[1], "\xE3\x82\xB3\xE3\x83\xBC\xE3\x83\x92\xE3\x83\xBC");
  EXPECT_FALSE((*reader)->Next(&record, &error));
}

TEST(CsvReaderTest, SkipsByteOrderMark) {
  const std::string path = WriteTemp("bom.csv", "\xEF\xBB\xBFid,x\n1,2\n");
  auto reader = CsvReader::Open(path);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->FindColumn("id"), 0);
}

TEST(CsvReaderTest, EmptyFileIsAnErrorNamingTheFile) {
  const std::string path = WriteTemp("empty.csv", "");
  auto reader = CsvReader::Open(path);
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("empty.csv"), std::string::npos);
  EXPECT_NE(reader.status().message().find("empty"), std::string::npos);
}

TEST(CsvReaderTest, MissingColumnIsNamed) {
  auto reader = CsvReader::Open(WriteTemp("cols.csv", "id,title\n"));
  ASSERT_TRUE(reader.ok());
  auto column = (*reader)->RequireColumn("price");
  ASSERT_FALSE(column.ok());
  EXPECT_NE(column.status().message().find("\"price\""), std::string::npos);
}

TEST(CsvReaderTest, RepeatedHeaderColumnIsRejected) {
  EXPECT_FALSE(CsvReader::Open(WriteTemp("rep.csv", "id,id\n")).ok());
  EXPECT_FALSE(CsvReader::Open(WriteTemp("blank.csv", "id,,x\n")).ok());
}

TEST(CsvReaderTest, BadRowsReportLineAndGoOn) {
  const std::string path = WriteTemp("bad.csv",
                                     "a,b\n"
                                     "1,2,3\n"
                                     "\"open,2\n"
                                     "x\xFFy,2\n"
                                     "ok,\"fine\"\n"
                                     "in\"side,2\n");
  auto reader = CsvReader::Open(path);
  ASSERT_TRUE(reader.ok());
  CsvRecord record;
  absl::Status error;

  ASSERT_TRUE((*reader)->Next(&record, &error));
  EXPECT_NE(error.message().find("bad.csv:2: expected 2 fields"),
            std::string::npos)
      << error;
  // The unbalanced quote swallows the following lines: one error, at line 3.
  ASSERT_TRUE((*reader)->Next(&record, &error));
  EXPECT_NE(error.message().find("bad.csv:3:"), std::string::npos) << error;
  EXPECT_FALSE((*reader)->Next(&record, &error));

  auto again = CsvReader::Open(WriteTemp("bad2.csv",
                                         "a,b\n"
                                         "x\xFFy,2\n"
                                         "ok,\"fine\"\n"
                                         "in\"side,2\n"));
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*again)->Next(&record, &error));
  EXPECT_NE(error.message().find("bad2.csv:2: byte 2 is not valid UTF-8"),
            std::string::npos)
      << error;
  ASSERT_TRUE((*again)->Next(&record, &error));
  EXPECT_TRUE(error.ok());
  ASSERT_TRUE((*again)->Next(&record, &error));
  EXPECT_NE(error.message().find("quote inside an unquoted value"),
            std::string::npos);
}

TEST(FindInvalidUtf8Test, AcceptsValidAndFindsInvalidSequences) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), -1);
  EXPECT_EQ(FindInvalidUtf8("\xE6\x97\xA5\xE6\x9C\xAC"), -1);  // 日本
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F\x98\x80"), -1);          // emoji
  EXPECT_EQ(FindInvalidUtf8("ab\x80"), 2);                     // stray
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0);                   // overlong
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0);               // surrogate
  EXPECT_EQ(FindInvalidUtf8("x\xE6\x97"), 1);                  // truncated
  EXPECT_EQ(FindInvalidUtf8("\x83\x52\x81\x5B"), 0);           // Shift_JIS
}

}  // namespace
}  // namespace recommender
