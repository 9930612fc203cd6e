#include "recommender/segments/segment_selector.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "recommender/segments/lifetime_value.h"
#include "recommender/timing/customer_rfm.h"
#include "recommender/timing/next_purchase.h"
#include "recommender/util/time_util.h"

namespace recommender::segments {
namespace {

// Horizon of the consumable forecasts behind due(...); it only affects
// their probabilities, not the due dates.
constexpr double kDueHorizonDays = 30;

// Keeps the customers for whom `keep(c)` holds: from 0..n-1 if `all`, else
// from `rows`, in place.
template <typename Keep>
void KeepIf(bool all, int32_t n, std::vector<int32_t>* rows, Keep keep) {
  if (all) {
    rows->clear();
    for (int32_t c = 0; c < n; ++c) {
      if (keep(c)) rows->push_back(c);
    }
    return;
  }
  rows->erase(std::remove_if(rows->begin(), rows->end(),
                             [&](int32_t c) { return !keep(c); }),
              rows->end());
}

// Cheap terms first; due(...) forecasts last.
int Cost(const SegmentTerm& term) {
  switch (term.kind) {
    case SegmentTerm::Kind::kDue:
      return 2;
    case SegmentTerm::Kind::kAttribute:
      return 1;
    default:
      return 0;
  }
}

}  // namespace

SegmentSelector::SegmentSelector(std::shared_ptr<const CustomerFacts> facts)
    : facts_(std::move(facts)),
      rfm_(ScoreRfm(*facts_)),
      ltv_deciles_(LifetimeValueDeciles(facts_->lifetime_value())) {}

absl::StatusOr<std::vector<int32_t>> SegmentSelector::Select(
    const SegmentExpression& expression, absl::string_view field) const {
  absl::StatusOr<std::vector<int32_t>> rows = SelectAll(expression, field);
  if (!rows.ok()) return rows;
  const ModelSnapshot& snapshot = facts_->snapshot();
  rows->erase(std::remove_if(rows->begin(), rows->end(),
                             [&](int32_t c) {
                               const int32_t row = facts_->snapshot_row(c);
                               return row >= 0 && snapshot.customer_erased(row);
                             }),
              rows->end());
  return rows;
}

absl::StatusOr<std::vector<int32_t>> SegmentSelector::SelectAll(
    const SegmentExpression& expression, absl::string_view field) const {
  std::vector<const SegmentTerm*> terms;
  for (const SegmentTerm& term : expression.terms) {
    if (term.kind == SegmentTerm::Kind::kScore &&
        term.score == ScoreField::kLtvDecile && !facts_->has_lifetime_value()) {
      return absl::FailedPreconditionError(absl::StrCat(
          field, ": ltv_decile needs a model with a customer-lifetime fit; "
                 "model version ",
          facts_->snapshot().version(), " has none"));
    }
    if (term.kind == SegmentTerm::Kind::kDue &&
        facts_->snapshot().timing().repurchase().items_size() == 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          field, ": due(...) needs a model with a repurchase fit; model "
                 "version ",
          facts_->snapshot().version(), " has none"));
    }
    terms.push_back(&term);
  }
  std::stable_sort(terms.begin(), terms.end(),
                   [](const SegmentTerm* a, const SegmentTerm* b) {
                     return Cost(*a) < Cost(*b);
                   });
  std::vector<int32_t> rows;
  if (terms.empty()) {
    rows.resize(static_cast<size_t>(facts_->size()));
    for (int32_t c = 0; c < facts_->size(); ++c) rows[c] = c;
    return rows;
  }
  bool all = true;
  for (const SegmentTerm* term : terms) {
    if (term->kind == SegmentTerm::Kind::kDue) {
      if (all) {
        KeepIf(true, facts_->size(), &rows,
               [&](int32_t c) { return facts_->snapshot_row(c) >= 0; });
      }
      FilterDue(*term, &rows);
    } else {
      Filter(*term, all, &rows);
    }
    all = false;
  }
  return rows;
}

void SegmentSelector::Filter(const SegmentTerm& term, bool all,
                             std::vector<int32_t>* rows) const {
  const int32_t n = facts_->size();
  switch (term.kind) {
    case SegmentTerm::Kind::kRfm: {
      uint32_t mask = 0;
      for (RfmSegment s : term.rfm) mask |= 1u << static_cast<int>(s);
      if (term.negated) mask = ~mask;
      mask &= ~1u;  // Unscored customers are in no RFM segment.
      const RfmSegment* segment = rfm_.segment.data();
      KeepIf(all, n, rows, [&](int32_t c) {
        return (mask >> static_cast<int>(segment[c])) & 1u;
      });
      return;
    }
    case SegmentTerm::Kind::kScore: {
      const int64_t lo = term.min, hi = term.max;
      if (term.score == ScoreField::kOrders) {
        const int32_t* orders = facts_->orders().data();
        KeepIf(all, n, rows,
               [&](int32_t c) { return orders[c] >= lo && orders[c] <= hi; });
        return;
      }
      const uint8_t* score = term.score == ScoreField::kRecency   ? rfm_.r.data()
                             : term.score == ScoreField::kFrequency ? rfm_.f.data()
                             : term.score == ScoreField::kMonetary  ? rfm_.m.data()
                                                                 : ltv_deciles_.data();
      // Score 0 (unknown) is below every lo (>= 1).
      KeepIf(all, n, rows,
             [&](int32_t c) { return score[c] >= lo && score[c] <= hi; });
      return;
    }
    case SegmentTerm::Kind::kAttribute: {
      const std::vector<std::string>& values =
          facts_->attribute_values(term.attribute);
      std::vector<uint8_t> allowed(values.size(), term.negated ? 1 : 0);
      for (size_t k = 0; k < values.size(); ++k) {
        if (std::find(term.values.begin(), term.values.end(), values[k]) !=
            term.values.end()) {
          allowed[k] = term.negated ? 0 : 1;
        }
      }
      const uint32_t* codes = facts_->attribute_codes(term.attribute).data();
      KeepIf(all, n, rows, [&](int32_t c) { return allowed[codes[c]] != 0; });
      return;
    }
    case SegmentTerm::Kind::kLapsed: {
      const int64_t cutoff = absl::ToUnixSeconds(facts_->as_of()) -
                             int64_t{term.days} * kSecondsPerDay;
      const int64_t* last = facts_->last_purchase().data();
      KeepIf(all, n, rows,
             [&](int32_t c) { return last[c] > 0 && last[c] <= cutoff; });
      return;
    }
    case SegmentTerm::Kind::kActive: {
      const int64_t cutoff = absl::ToUnixSeconds(facts_->as_of()) -
                             int64_t{term.days} * kSecondsPerDay;
      const int64_t* last = facts_->last_event().data();
      KeepIf(all, n, rows,
             [&](int32_t c) { return last[c] > 0 && last[c] >= cutoff; });
      return;
    }
    case SegmentTerm::Kind::kDue:
      return;  // FilterDue.
  }
}

void SegmentSelector::FilterDue(const SegmentTerm& term,
                                std::vector<int32_t>* rows) const {
  const ModelSnapshot& snapshot = facts_->snapshot();
  const int32_t offset = snapshot.timing().utc_offset_seconds();
  const int64_t from = term.dates_are_offsets
                           ? facts_->as_of_day() + term.from_offset
                           : DayNumber(term.from_day);
  const int64_t to = term.dates_are_offsets
                         ? facts_->as_of_day() + term.to_offset
                         : DayNumber(term.to_day);
  KeepIf(false, facts_->size(), rows, [&](int32_t c) {
    const int32_t row = facts_->snapshot_row(c);
    if (row < 0 || facts_->orders()[c] == 0) return false;
    for (const ConsumableForecast& f : ForecastConsumables(
             snapshot, row, facts_->as_of(), kDueHorizonDays)) {
      if (f.status == RepurchaseStatus::kLapsed) continue;
      const int64_t day = DayNumber(absl::ToUnixSeconds(f.due), offset);
      if (day >= from && day <= to) return true;
    }
    return false;
  });
}

}  // namespace recommender::segments
