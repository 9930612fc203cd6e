#include "recommender/segments/segment_expression.h"

#include <string>

#include "gtest/gtest.h"

namespace recommender::segments {
namespace {

SegmentExpression Parse(const std::string& text) {
  absl::StatusOr<SegmentExpression> e = ParseSegmentExpression(text, "segment");
  EXPECT_TRUE(e.ok()) << text << ": " << e.status();
  return e.ok() ? *e : SegmentExpression();
}

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<SegmentExpression> e = ParseSegmentExpression(text, "segment");
  EXPECT_FALSE(e.ok()) << text;
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(e.status().message());
}

TEST(SegmentExpressionTest, RfmNamesScoresAndAttributes) {
  const SegmentExpression e = Parse(
      "at_risk AND region = tokyo,\"New York\" and ltv_decile >= 8 and "
      "r=1..2 and f < 3 and gender != f");
  ASSERT_EQ(e.terms.size(), 6u);
  EXPECT_EQ(e.terms[0].kind, SegmentTerm::Kind::kRfm);
  EXPECT_EQ(e.terms[0].rfm, std::vector<RfmSegment>{RfmSegment::kAtRisk});
  EXPECT_EQ(e.terms[1].kind, SegmentTerm::Kind::kAttribute);
  EXPECT_EQ(e.terms[1].attribute, Attribute::kRegion);
  EXPECT_EQ(e.terms[1].values, (std::vector<std::string>{"tokyo", "New York"}));
  EXPECT_EQ(e.terms[2].score, ScoreField::kLtvDecile);
  EXPECT_EQ(e.terms[2].min, 8);
  EXPECT_EQ(e.terms[2].max, 10);
  EXPECT_EQ(e.terms[3].min, 1);
  EXPECT_EQ(e.terms[3].max, 2);
  EXPECT_EQ(e.terms[4].score, ScoreField::kFrequency);
  EXPECT_EQ(e.terms[4].max, 2);
  EXPECT_TRUE(e.terms[5].negated);
}

TEST(SegmentExpressionTest, BehaviourTerms) {
  const SegmentExpression e =
      Parse("lapsed(60) and active( 30 ) and due(0..7) and "
            "due(2026-03-01..2026-03-07) and orders >= 2");
  ASSERT_EQ(e.terms.size(), 5u);
  EXPECT_EQ(e.terms[0].kind, SegmentTerm::Kind::kLapsed);
  EXPECT_EQ(e.terms[0].days, 60);
  EXPECT_EQ(e.terms[1].kind, SegmentTerm::Kind::kActive);
  EXPECT_EQ(e.terms[2].kind, SegmentTerm::Kind::kDue);
  EXPECT_TRUE(e.terms[2].dates_are_offsets);
  EXPECT_EQ(e.terms[2].to_offset, 7);
  EXPECT_FALSE(e.terms[3].dates_are_offsets);
  EXPECT_EQ(e.terms[3].from_day, absl::CivilDay(2026, 3, 1));
  EXPECT_EQ(e.terms[4].score, ScoreField::kOrders);
  EXPECT_EQ(e.terms[4].min, 2);
  EXPECT_TRUE(Parse("all").terms.empty());
  EXPECT_EQ(Parse("ALL and Champions").terms.size(), 1u);
}

TEST(SegmentExpressionTest, FormatParsesBackToTheSameExpression) {
  for (const std::string text :
       {"all", "at_risk", "rfm = at_risk,cant_lose", "rfm != new",
        "r = 3", "f >= 4", "m <= 2", "r = 2..4", "ltv_decile >= 9",
        "orders = 0", "region = tokyo,\"New York\",\"a\\\"b\"",
        "gender != f", "lapsed(60)", "active(7)", "due(-3..3)",
        "due(2026-03-01..2026-03-07)",
        "champions and age_band = 30-39 and due(0..14)"}) {
    const SegmentExpression e = Parse(text);
    const std::string formatted = FormatSegmentExpression(e);
    EXPECT_EQ(formatted, text);
    EXPECT_EQ(Parse(formatted), e) << text;
  }
  // Non-canonical forms become canonical.
  EXPECT_EQ(FormatSegmentExpression(Parse("R>3 AND f<5")), "r >= 4 and f <= 4");
  EXPECT_EQ(FormatSegmentExpression(Parse("rfm=champions")), "champions");
}

TEST(SegmentExpressionTest, ErrorsNameTheFieldAndPosition) {
  EXPECT_EQ(ErrorOf("regon = tokyo"),
            "segment: at 1: unknown field \"regon\" (one of rfm, r, f, m, "
            "ltv_decile, orders, age_band, gender, region, lapsed(), "
            "active(), due())");
  EXPECT_EQ(ErrorOf("at_risk and vips"),
            "segment: at 13: unknown segment \"vips\" (not an RFM segment or "
            "a saved one)");
  EXPECT_NE(ErrorOf("rfm = at_rsk").find("segment: at 7: rfm: unknown RFM "
                                         "segment \"at_rsk\" (one of champions"),
            std::string::npos);
  EXPECT_EQ(ErrorOf("r = 6"), "segment: at 5: r is 1 to 5, got 6");
  EXPECT_EQ(ErrorOf("ltv_decile = 0..3"),
            "segment: at 14: ltv_decile is 1 to 10, got \"0\"");
  EXPECT_EQ(ErrorOf("r > 5"), "segment: at 5: r: matches nobody (r is 1 to 5)");
  EXPECT_EQ(ErrorOf("r != 3"),
            "segment: at 3: r: use =, <, <=, >, >= or a range a..b (got !=)");
  EXPECT_EQ(ErrorOf("region > tokyo"),
            "segment: at 8: region: use = or != (got >)");
  EXPECT_EQ(ErrorOf("lapsed(0)"),
            "segment: at 8: lapsed: days must be 1 to 3650, got \"0\"");
  EXPECT_EQ(ErrorOf("due(7..0)"), "segment: at 5: due: TO is before FROM");
  EXPECT_EQ(ErrorOf("due(2026-01-01..2027-06-01)"),
            "segment: at 5: due: at most 366 days");
  EXPECT_NE(ErrorOf("due(soon)").find("due: expected FROM..TO"),
            std::string::npos);
  EXPECT_EQ(ErrorOf("at_risk or champions"),
            "segment: at 9: expected \"and\" or the end, got \"or\"");
  EXPECT_EQ(ErrorOf("at_risk and"),
            "segment: at 12: expected a segment name or a field, got the end");
  EXPECT_EQ(ErrorOf(""), "segment: at 1: empty segment (write \"all\" for "
                         "everyone)");
  EXPECT_EQ(ErrorOf("region = \"tokyo"),
            "segment: at 10: unterminated quoted value");
  EXPECT_EQ(ErrorOf("region ="), "segment: at 9: expected a value, got the end");
  EXPECT_EQ(ErrorOf("frequent(3)"),
            "segment: at 1: unknown function \"frequent\" (one of "
            "lapsed(DAYS), active(DAYS), due(FROM..TO))");
  // The caller's field name leads.
  absl::StatusOr<SegmentExpression> e =
      ParseSegmentExpression("nobody", "campaign.segment");
  EXPECT_EQ(e.status().message().substr(0, 20), "campaign.segment: at");
}

TEST(SegmentExpressionTest, SavedNamesAreInlined) {
  SegmentExpression tokyo = Parse("region = tokyo and f >= 4");
  SegmentResolver resolver =
      [&](absl::string_view name) -> const SegmentExpression* {
    return name == "tokyo_regulars" ? &tokyo : nullptr;
  };
  absl::StatusOr<SegmentExpression> e =
      ParseSegmentExpression("tokyo_regulars and lapsed(30)", "s", resolver);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(FormatSegmentExpression(*e),
            "region = tokyo and f >= 4 and lapsed(30)");
}

}  // namespace
}  // namespace recommender::segments
