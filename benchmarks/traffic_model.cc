#include "benchmarks/traffic_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace recommender::benchmarks {

ZipfSampler::ZipfSampler(int64_t n, double exponent, uint64_t permutation_seed)
    : cumulative_(n), member_at_rank_(n) {
  double total = 0;
  for (int64_t r = 0; r < n; ++r) {
    total += std::pow(static_cast<double>(r + 1), -exponent);
    cumulative_[r] = total;
  }
  for (double& c : cumulative_) c /= total;
  cumulative_.back() = 1.0;
  std::iota(member_at_rank_.begin(), member_at_rank_.end(), 0);
  std::mt19937_64 shuffle_rng(permutation_seed);
  std::shuffle(member_at_rank_.begin(), member_at_rank_.end(), shuffle_rng);
}

int64_t ZipfSampler::Draw(std::mt19937_64& rng) const {
  const double u = std::uniform_real_distribution<double>(0, 1)(rng);
  const int64_t rank =
      std::lower_bound(cumulative_.begin(), cumulative_.end(), u) -
      cumulative_.begin();
  return member_at_rank_[std::min<int64_t>(rank, cumulative_.size() - 1)];
}

absl::string_view PageCallName(PageCall call) {
  switch (call) {
    case PageCall::kRecommend:
      return "recommend";
    case PageCall::kSimilarItems:
      return "similar_items";
    case PageCall::kRecordView:
      return "record_events";
  }
  return "unknown";
}

absl::StatusOr<CallMix> ParseCallMix(absl::string_view text) {
  CallMix mix{0, 0, 0};
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> name_share =
        absl::StrSplit(part, absl::MaxSplits(':', 1));
    double share = 0;
    if (!absl::SimpleAtod(name_share.second, &share) || !(share >= 0)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "mix: \"", part, "\" needs NAME:SHARE with a share >= 0"));
    }
    if (name_share.first == "recommend") {
      mix.recommend = share;
    } else if (name_share.first == "similar_items") {
      mix.similar_items = share;
    } else if (name_share.first == "record_events") {
      mix.record_view = share;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("mix: unknown call \"", name_share.first,
                       "\" (recommend, similar_items, record_events)"));
    }
  }
  if (mix.recommend + mix.similar_items + mix.record_view <= 0) {
    return absl::InvalidArgumentError("mix: the shares add up to 0");
  }
  return mix;
}

absl::StatusOr<TrafficModel> TrafficModel::Create(
    const TrafficOptions& options, int64_t customers, int64_t items,
    uint64_t seed) {
  if (customers < 1 || items < 1) {
    return absl::InvalidArgumentError("traffic: need customers and items");
  }
  if (!(options.zipf_exponent >= 0 && options.zipf_exponent <= 5)) {
    return absl::InvalidArgumentError("zipf_exponent: must be in [0, 5]");
  }
  if (!(options.mean_pages_per_session >= 1 &&
        options.mean_pages_per_session <= 1000)) {
    return absl::InvalidArgumentError(
        "session_pages: the mean must be in [1, 1000]");
  }
  if (!(options.mean_think_time_ms >= 0 &&
        options.mean_think_time_ms <= 600000)) {
    return absl::InvalidArgumentError(
        "think_time_ms: the mean must be in [0, 600000]");
  }
  if (!(options.anonymous_share >= 0 && options.anonymous_share <= 1)) {
    return absl::InvalidArgumentError("anonymous_share: must be in [0, 1]");
  }
  const CallMix& mix = options.mix;
  if (!(mix.recommend >= 0 && mix.similar_items >= 0 && mix.record_view >= 0) ||
      mix.recommend + mix.similar_items + mix.record_view <= 0) {
    return absl::InvalidArgumentError(
        "mix: shares must be >= 0 and not all 0");
  }
  return TrafficModel(options,
                      ZipfSampler(customers, options.zipf_exponent, seed),
                      ZipfSampler(items, options.zipf_exponent, seed + 1));
}

TrafficModel::TrafficModel(const TrafficOptions& options,
                           ZipfSampler customers, ZipfSampler items)
    : options_(options),
      customers_(std::move(customers)),
      items_(std::move(items)) {}

std::vector<PageView> TrafficModel::NextSession(std::mt19937_64& rng) const {
  std::uniform_real_distribution<double> unit(0, 1);
  const bool anonymous = unit(rng) < options_.anonymous_share;
  const int64_t customer = anonymous ? -1 : customers_.Draw(rng);
  // Geometric number of pages with the requested mean, at least one.
  std::geometric_distribution<int> extra_pages(
      1.0 / options_.mean_pages_per_session);
  const int pages = 1 + extra_pages(rng);
  const CallMix& mix = options_.mix;
  const double total = mix.recommend + mix.similar_items + mix.record_view;
  std::vector<PageView> session(pages);
  for (int i = 0; i < pages; ++i) {
    PageView& page = session[i];
    page.customer = customer;
    page.item = items_.Draw(rng);
    const double u = unit(rng) * total;
    page.call = u < mix.recommend ? PageCall::kRecommend
                : u < mix.recommend + mix.similar_items
                    ? PageCall::kSimilarItems
                    : PageCall::kRecordView;
    if (i > 0 && options_.mean_think_time_ms > 0) {
      page.think_time_ms = std::exponential_distribution<double>(
          1.0 / options_.mean_think_time_ms)(rng);
    }
  }
  return session;
}

}  // namespace recommender::benchmarks
