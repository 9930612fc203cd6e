#include "recommender/segments/segment_library.h"

#include "gtest/gtest.h"
#include "recommender/util/file_util.h"

namespace recommender::segments {
namespace {

TEST(SegmentLibraryTest, ParsesAFileWhoseDefinitionsBuildOnEachOther) {
  absl::StatusOr<SegmentLibrary> library = SegmentLibrary::Parse(
      "# saved segments\n"
      "\n"
      "tokyo_regulars: region = tokyo and f >= 4\n"
      "  winback : tokyo_regulars and at_risk\n",
      "segments.txt");
  ASSERT_TRUE(library.ok()) << library.status();
  ASSERT_EQ(library->saved().size(), 2u);
  EXPECT_EQ(library->saved()[1].name, "winback");
  EXPECT_EQ(FormatSegmentExpression(library->saved()[1].expression),
            "region = tokyo and f >= 4 and at_risk");
  absl::StatusOr<SegmentExpression> e =
      library->Resolve("WinBack and lapsed(90)", "--segment");
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->terms.size(), 4u);
  EXPECT_EQ(library->Resolve("winbak", "--segment").status().message(),
            "--segment: at 1: unknown segment \"winbak\" (not an RFM segment "
            "or a saved one)");
  // Built-in names always resolve.
  EXPECT_TRUE(SegmentLibrary().Resolve("hibernating", "s").ok());
}

TEST(SegmentLibraryTest, ErrorsNameFileAndLine) {
  EXPECT_EQ(SegmentLibrary::Parse("a: all\nno colon here\n", "seg.txt")
                .status()
                .message(),
            "seg.txt:2: expected \"name: expression\"");
  EXPECT_EQ(SegmentLibrary::Parse("\n\nvip: ltv_decile >= 11\n", "seg.txt")
                .status()
                .message(),
            "seg.txt:3: segment vip: at 16: ltv_decile: matches nobody "
            "(ltv_decile is 1 to 10)");
  EXPECT_EQ(SegmentLibrary::Parse("a: all\na: at_risk\n", "seg.txt")
                .status()
                .message(),
            "seg.txt:2: name: segment \"a\" is defined already");
  EXPECT_EQ(SegmentLibrary::Parse("b: later\nlater: all\n", "seg.txt")
                .status()
                .message(),
            "seg.txt:1: segment b: at 2: unknown segment \"later\" (not an "
            "RFM segment or a saved one)");
}

TEST(SegmentLibraryTest, NamesMustNotShadowTheGrammar) {
  EXPECT_EQ(ValidateSegmentName("at_risk").message(),
            "name: \"at_risk\" is a built-in RFM segment");
  EXPECT_EQ(ValidateSegmentName("region").message(),
            "name: \"region\" is a word of the segment grammar");
  EXPECT_EQ(ValidateSegmentName("Tokyo").message(),
            "name: \"Tokyo\" must start with a letter a-z");
  EXPECT_EQ(ValidateSegmentName("a-b").message(),
            "name: \"a-b\" may hold only a-z, 0-9 and '_'");
  EXPECT_FALSE(ValidateSegmentName("").ok());
  EXPECT_TRUE(ValidateSegmentName("spring_2026").ok());
}

TEST(SegmentLibraryTest, LoadsFromDisk) {
  const std::string path =
      JoinPath(::testing::TempDir(), "segment_library_test.txt");
  ASSERT_TRUE(WriteFileDurably(path, "big: m = 5\n").ok());
  absl::StatusOr<SegmentLibrary> library = SegmentLibrary::Load(path);
  ASSERT_TRUE(library.ok()) << library.status();
  EXPECT_NE(library->Find("big"), nullptr);
  EXPECT_EQ(SegmentLibrary::Load(path + ".missing").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace recommender::segments
