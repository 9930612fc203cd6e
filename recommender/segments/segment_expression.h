// Segment expressions: which customers a campaign or a batch is for, as
// text a marketer writes (a CLI flag, a saved-segment file, an API field)
// and as the parsed form segment_selector.h evaluates.
//
// Grammar (words are case-insensitive, attribute values are not):
//
//   segment := term { "and" term }
//   term    := "all"                          every customer
//            | NAME                           an RFM segment (rfm_scores.h:
//                                             "at_risk", "champions", ...) or
//                                             a saved segment (segment_library.h)
//            | "rfm" ("=" | "!=") NAME { "," NAME }
//            | SCORE OP NUMBER | SCORE "=" NUMBER ".." NUMBER
//            | ATTRIBUTE ("=" | "!=") VALUE { "," VALUE }
//            | "lapsed" "(" DAYS ")"          bought before, not in the last
//                                             DAYS days
//            | "active" "(" DAYS ")"          any event in the last DAYS days
//            | "due" "(" FROM ".." TO ")"     a consumable due from FROM to TO:
//                                             days from the date (0..7) or
//                                             dates (2026-03-01..2026-03-07)
//   SCORE     := "r" | "f" | "m" (1-5) | "ltv_decile" (1-10) | "orders" (>= 0)
//   OP        := "=" | "!=" | "<" | "<=" | ">" | ">="
//   ATTRIBUTE := "age_band" | "gender" | "region"
//   VALUE     := a word, or "double-quoted" (for spaces or commas)
//
// e.g. `at_risk and region = tokyo,osaka and ltv_decile >= 8`.
//
// RFM names and scores (and ltv_decile) only ever match customers who have
// them: `rfm != new` and `r <= 5` leave out customers without an order. An
// attribute's `!=` does keep customers whose attribute is not given.
//
// Errors are InvalidArgument and start with the caller's field name and the
// character position: `segment: at 14: unknown field "regon"`.
//
// Thread-safe: plain data and pure functions.
#ifndef RECOMMENDER_SEGMENTS_SEGMENT_EXPRESSION_H_
#define RECOMMENDER_SEGMENTS_SEGMENT_EXPRESSION_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "recommender/segments/customer_facts.h"
#include "recommender/segments/rfm_scores.h"

namespace recommender::segments {

enum class ScoreField { kRecency, kFrequency, kMonetary, kLtvDecile, kOrders };

// One condition; a customer matches a segment when every term holds.
struct SegmentTerm {
  enum class Kind { kRfm, kScore, kAttribute, kLapsed, kActive, kDue };
  Kind kind = Kind::kRfm;

  // kRfm: one of these named segments (or, negated, none of them).
  std::vector<RfmSegment> rfm;
  // kAttribute: one of these values (or, negated, none of them).
  Attribute attribute = Attribute::kAgeBand;
  std::vector<std::string> values;
  bool negated = false;

  // kScore: min <= score <= max.
  ScoreField score = ScoreField::kRecency;
  int64_t min = 0;
  int64_t max = 0;

  // kLapsed, kActive: days.
  int32_t days = 0;

  // kDue: calendar days in the shop's zone, either offsets from the
  // selection's date (dates_are_offsets) or absolute.
  bool dates_are_offsets = true;
  int32_t from_offset = 0;
  int32_t to_offset = 0;
  absl::CivilDay from_day;
  absl::CivilDay to_day;

  bool operator==(const SegmentTerm& other) const;
};

// Terms combined with AND; no terms: every customer.
struct SegmentExpression {
  std::vector<SegmentTerm> terms;

  bool operator==(const SegmentExpression& other) const {
    return terms == other.terms;
  }
};

// Looks a bare name up among saved segments: its expression, or nullptr if
// there is none of that name.
using SegmentResolver =
    std::function<const SegmentExpression*(absl::string_view name)>;

// Parses `text`; `field` prefixes error messages. Bare names that are not
// RFM segments are looked up with `resolver` (may be empty), and their
// terms inlined. InvalidArgument naming the field and position for
// anything malformed or out of range (scores 1-5, deciles 1-10, days 1 to
// 3650, due ranges of at most 366 days with FROM <= TO) and for an unknown
// segment name.
absl::StatusOr<SegmentExpression> ParseSegmentExpression(
    absl::string_view text, absl::string_view field,
    const SegmentResolver& resolver = {});

// Canonical text that parses back to the same expression: lower-case
// words, values quoted where needed, "all" for no terms.
std::string FormatSegmentExpression(const SegmentExpression& expression);

// "r", "f", "m", "ltv_decile", "orders".
absl::string_view ScoreFieldName(ScoreField field);

}  // namespace recommender::segments

#endif  // RECOMMENDER_SEGMENTS_SEGMENT_EXPRESSION_H_
