#include "recommender/util/quote.h"

#include <string>

#include "gtest/gtest.h"

namespace recommender {
namespace {

TEST(QuoteTest, PlainTextIsQuotedAsIs) {
  EXPECT_EQ(Quote("P9"), "\"P9\"");
  EXPECT_EQ(Quote(""), "\"\"");
  EXPECT_EQ(Quote("café 東京"), "\"café 東京\"");
}

TEST(QuoteTest, QuotesBackslashesAndControlCharactersAreEscaped) {
  EXPECT_EQ(Quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Quote(std::string("a\0b", 3)), "\"a\\x00b\"");
  EXPECT_EQ(Quote("line\nbreak\ttab\r"), "\"line\\nbreak\\ttab\\r\"");
  // A terminal escape (ESC [ 2 J clears the screen) and DEL.
  EXPECT_EQ(Quote("\x1b[2J\x7f"), "\"\\x1b[2J\\x7f\"");
}

TEST(QuoteTest, InvalidUtf8AndDisplaySteeringCharactersAreEscaped) {
  EXPECT_EQ(Quote("a\xff\xc3"), "\"a\\xff\\xc3\"");
  // U+009B (C1 CSI), U+202E (right-to-left override), U+2028.
  EXPECT_EQ(Quote("x\xC2\x9By\xE2\x80\xAEz\xE2\x80\xA8"),
            "\"x\\u009by\\u202ez\\u2028\"");
  // Overlong '/' and a surrogate are not UTF-8.
  EXPECT_EQ(Quote("\xC0\xAF"), "\"\\xc0\\xaf\"");
  EXPECT_EQ(Quote("\xED\xA0\x80"), "\"\\xed\\xa0\\x80\"");
}

TEST(QuoteTest, LongTextIsCutAtACharacterAndItsLengthGiven) {
  const std::string id(10240, 'x');
  const std::string quoted = Quote(id);
  EXPECT_EQ(quoted, "\"" + std::string(kQuotedBytes, 'x') +
                        "\xE2\x80\xA6\" (10240 bytes)");
  // Never inside a multi-byte character.
  std::string wide;
  for (int i = 0; i < 40; ++i) wide += "東";
  const std::string cut = Quote(wide);
  EXPECT_TRUE(IsValidUtf8(cut)) << cut;
  EXPECT_NE(cut.find("(120 bytes)"), std::string::npos) << cut;
}

TEST(QuoteTest, OutputIsBoundedValidUtf8WithoutControlCharacters) {
  std::string nasty;
  for (int i = 0; i < 4096; ++i) nasty.push_back(static_cast<char>(i * 37));
  const std::string quoted = Quote(nasty);
  EXPECT_LE(quoted.size(), 4 * kQuotedBytes + 32);
  EXPECT_TRUE(IsValidUtf8(quoted));
  for (char c : quoted) {
    EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7F);
  }
}

TEST(Utf8Test, ValidAndInvalidSequences) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x98"));      // Cut short.
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // Above U+10FFFF.
  EXPECT_FALSE(IsValidUtf8("\x80"));
  EXPECT_EQ(Utf8SequenceLength("\xE6\x9D\xB1"), 3u);
  EXPECT_EQ(Utf8SequenceLength(""), 0u);
}

}  // namespace
}  // namespace recommender
