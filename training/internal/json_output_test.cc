#include "training/internal/json_output.h"

#include <cmath>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace recommender {
namespace {

std::string Printed(const nlohmann::ordered_json& json) { return json.dump(); }

TEST(JsonSignificantTest, PrintsAsPercentGWithSixDigits) {
  EXPECT_EQ(Printed(JsonSignificant(0.052813512345)), "0.0528135");
  EXPECT_EQ(Printed(JsonSignificant(0.1)), "0.1");
  EXPECT_EQ(Printed(JsonSignificant(0.000123456789)), "0.000123457");
  EXPECT_EQ(Printed(JsonSignificant(1.23456789e-5)), "1.23457e-05");
  EXPECT_EQ(Printed(JsonSignificant(38.19364)), "38.1936");
  EXPECT_EQ(Printed(JsonSignificant(-9582.42917)), "-9582.43");
  EXPECT_EQ(Printed(JsonSignificant(2.5, 1)), "2");  // Ties to even, as printf.
  EXPECT_EQ(Printed(JsonSignificant(123456.7)), "123457");
}

TEST(JsonSignificantTest, WholeNumbersExactNonFiniteNull) {
  EXPECT_EQ(Printed(JsonSignificant(0)), "0");
  EXPECT_EQ(Printed(JsonSignificant(1234567)), "1234567");
  EXPECT_EQ(Printed(JsonSignificant(-25593)), "-25593");
  EXPECT_EQ(Printed(JsonSignificant(std::nan(""))), "null");
  EXPECT_EQ(Printed(JsonSignificant(std::numeric_limits<double>::infinity())),
            "null");
}

TEST(JsonDecimalsTest, RoundsToPlacesWithoutTrailingZeros) {
  EXPECT_EQ(Printed(JsonDecimals(10.4401, 3)), "10.44");
  EXPECT_EQ(Printed(JsonDecimals(67.0, 3)), "67");
  EXPECT_EQ(Printed(JsonDecimals(0.24256, 4)), "0.2426");
  EXPECT_EQ(Printed(JsonDecimals(4.4136014, 6)), "4.413601");
  EXPECT_EQ(Printed(JsonDecimals(-9582.42917, 4)), "-9582.4292");
  EXPECT_EQ(Printed(JsonDecimals(0.99996, 4)), "1");
  EXPECT_EQ(Printed(JsonDecimals(-std::numeric_limits<double>::infinity(), 2)),
            "null");
}

TEST(PrintJsonTest, IndentedOrderedAndParsesBack) {
  nlohmann::ordered_json json;
  json["zeta"] = "a \"quoted\" path\\with\nbreaks";
  json["alpha"] = JsonSignificant(0.5);
  json["list"] = {1, 2};
  const std::string text = PrintJson(json);
  EXPECT_EQ(text,
            "{\n  \"zeta\": \"a \\\"quoted\\\" path\\\\with\\nbreaks\",\n"
            "  \"alpha\": 0.5,\n  \"list\": [\n    1,\n    2\n  ]\n}\n");
  const nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(text);
  EXPECT_EQ(parsed, json);
  EXPECT_EQ(parsed.begin().key(), "zeta");
}

TEST(PrintJsonTest, ReplacesInvalidUtf8InsteadOfThrowing) {
  nlohmann::ordered_json json;
  json["path"] = std::string("caf\xE9", 4);  // Latin-1, not UTF-8.
  const nlohmann::json parsed = nlohmann::json::parse(PrintJson(json));
  EXPECT_EQ(parsed["path"], "caf\xEF\xBF\xBD");
}

}  // namespace
}  // namespace recommender
