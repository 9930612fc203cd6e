#include "recommender/timing/customer_rfm.h"

#include <algorithm>

namespace recommender {

int64_t DayNumber(int64_t unix_seconds, int32_t utc_offset_seconds) {
  const int64_t local = unix_seconds + utc_offset_seconds;
  constexpr int64_t kDay = 86400;
  // Floor division, also before 1970.
  return local >= 0 ? local / kDay : -((-local + kDay - 1) / kDay);
}

int64_t DayNumber(absl::CivilDay day) {
  return day - absl::CivilDay(1970, 1, 1);
}

std::vector<DatedPurchase> TransactionDays(
    absl::Span<const DatedPurchase> purchases, int64_t end_day) {
  std::vector<DatedPurchase> days;
  for (const DatedPurchase& p : purchases) {
    if (p.day <= end_day) days.push_back(p);
  }
  std::sort(days.begin(), days.end(),
            [](const DatedPurchase& a, const DatedPurchase& b) {
              return a.day < b.day;
            });
  size_t out = 0;
  for (size_t i = 0; i < days.size(); ++i) {
    if (out > 0 && days[out - 1].day == days[i].day) {
      days[out - 1].value += days[i].value;
    } else {
      days[out++] = days[i];
    }
  }
  days.resize(out);
  return days;
}

std::optional<CustomerRfm> SummarizePurchases(
    absl::Span<const DatedPurchase> purchases, int64_t end_day,
    double days_per_unit) {
  const std::vector<DatedPurchase> days = TransactionDays(purchases, end_day);
  if (days.empty()) return std::nullopt;
  CustomerRfm rfm;
  rfm.frequency = static_cast<double>(days.size() - 1);
  rfm.recency = static_cast<double>(days.back().day - days.front().day) /
                days_per_unit;
  rfm.age = static_cast<double>(end_day - days.front().day) / days_per_unit;
  if (days.size() > 1) {
    double total = 0;
    for (size_t i = 1; i < days.size(); ++i) total += days[i].value;
    rfm.mean_repeat_value = total / static_cast<double>(days.size() - 1);
  }
  return rfm;
}

}  // namespace recommender
