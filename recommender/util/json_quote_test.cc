#include "recommender/util/json_quote.h"

#include <string>

#include "gtest/gtest.h"

namespace recommender {
namespace {

TEST(JsonQuoteTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonQuote("line\nnext\t\r"), "\"line\\nnext\\t\\r\"");
  EXPECT_EQ(JsonQuote(std::string("\x01", 1)), "\"\\u0001\"");
  EXPECT_EQ(JsonQuote("\xE6\x97\xA5"), "\"\xE6\x97\xA5\"");  // UTF-8 kept.
}

}  // namespace
}  // namespace recommender
