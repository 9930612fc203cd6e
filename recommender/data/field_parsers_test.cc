#include "recommender/data/field_parsers.h"

#include "gtest/gtest.h"

namespace recommender {
namespace {

TEST(FieldParsersTest, Decimals) {
  EXPECT_DOUBLE_EQ(*ParseNonNegativeDecimal("1980"), 1980.0);
  EXPECT_DOUBLE_EQ(*ParseNonNegativeDecimal("12.5"), 12.5);
  EXPECT_DOUBLE_EQ(*ParseNonNegativeDecimal("0"), 0.0);
  for (const char* bad : {"", "-1", "abc", "1,000", " 5", "nan", "inf"}) {
    EXPECT_FALSE(ParseNonNegativeDecimal(bad).ok()) << bad;
  }
}

TEST(FieldParsersTest, PositiveIntegers) {
  EXPECT_EQ(*ParsePositiveInteger("3"), 3);
  for (const char* bad : {"0", "-2", "1.5", "", "x", "99999999999"}) {
    absl::StatusOr<int32_t> parsed = ParsePositiveInteger(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.status().message().find(bad), std::string::npos);
  }
}

TEST(FieldParsersTest, Booleans) {
  EXPECT_TRUE(*ParseBoolean("true"));
  EXPECT_TRUE(*ParseBoolean("YES"));
  EXPECT_TRUE(*ParseBoolean("1"));
  EXPECT_FALSE(*ParseBoolean("False"));
  EXPECT_FALSE(*ParseBoolean("0"));
  EXPECT_FALSE(ParseBoolean("maybe").ok());
  EXPECT_FALSE(ParseBoolean("").ok());
}

TEST(FieldParsersTest, Ids) {
  EXPECT_TRUE(ValidateId("C-0001").ok());
  EXPECT_TRUE(ValidateId("\xE9\x88\xB4\xE6\x9C\xA8").ok());  // 鈴木
  EXPECT_FALSE(ValidateId("").ok());
  EXPECT_FALSE(ValidateId(" C1").ok());
  EXPECT_FALSE(ValidateId("C1\t").ok());
  EXPECT_FALSE(ValidateId(std::string(300, 'x')).ok());
  EXPECT_FALSE(ValidateId(std::string("a\0b", 3)).ok());
}

TEST(FieldParsersTest, IdMessagesAreBoundedEscapedAndSayWhy) {
  const absl::Status long_id = ValidateId(std::string(10240, 'x'));
  EXPECT_LT(long_id.message().size(), 200u) << long_id.message().size();
  EXPECT_NE(long_id.message().find("(10240 bytes)"), std::string::npos);
  const absl::Status escape = ValidateId("C1\x1b[2J");
  EXPECT_NE(escape.message().find("control character at byte 2"),
            std::string::npos)
      << escape;
  EXPECT_EQ(escape.message().find('\x1b'), std::string::npos);
  EXPECT_NE(ValidateId("C\xff").message().find("not valid UTF-8"),
            std::string::npos);
  EXPECT_NE(ValidateId("C1 ").message().find("leading or trailing space"),
            std::string::npos);
}

TEST(FieldParsersTest, FreeText) {
  EXPECT_TRUE(ValidateText("region", "", 256).ok());
  EXPECT_TRUE(ValidateText("region", "Tōkyō", 256).ok());
  EXPECT_FALSE(ValidateText("region", "a\nb", 256).ok());
  EXPECT_FALSE(ValidateText("region", std::string(257, 'a'), 256).ok());
  EXPECT_FALSE(ValidateText("region", "\xc3", 256).ok());
}

TEST(FieldParsersTest, CategoryPaths) {
  EXPECT_TRUE(ValidateCategoryPath("kitchen").ok());
  EXPECT_TRUE(ValidateCategoryPath("kitchen/appliances").ok());
  EXPECT_FALSE(ValidateCategoryPath("").ok());
  EXPECT_FALSE(ValidateCategoryPath("kitchen//x").ok());
  EXPECT_FALSE(ValidateCategoryPath("/kitchen").ok());
  EXPECT_FALSE(ValidateCategoryPath("kitchen/").ok());
}

}  // namespace
}  // namespace recommender
