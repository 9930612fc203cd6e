// Storefront traffic as shops see it, for the gRPC load generator: visitors
// arrive in sessions of several page views with think time between them, a
// few customers make most of the traffic (customer popularity follows a Zipf
// law), some visitors are anonymous, and each page view makes one call
// chosen from a mix (Recommend, SimilarItems, RecordEvents of a view).
//
// Everything is drawn from a caller-seeded generator, so a run's sequence of
// calls is reproducible. Thread-compatible: one TrafficModel may be shared
// read-only; each thread draws with its own generator.
#ifndef BENCHMARKS_TRAFFIC_MODEL_H_
#define BENCHMARKS_TRAFFIC_MODEL_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace recommender::benchmarks {

// Draws ranks 0..n-1 with P(rank r) proportional to 1 / (r + 1)^exponent;
// exponent 0 is uniform. Rank r maps to a fixed, seeded permutation of the
// population, so the most active customers are not simply the first rows of
// the file.
class ZipfSampler {
 public:
  // n >= 1, exponent >= 0.
  ZipfSampler(int64_t n, double exponent, uint64_t permutation_seed);

  // A member index in [0, n).
  int64_t Draw(std::mt19937_64& rng) const;

  // The member index holding popularity rank `rank` (0 = most active).
  int64_t MemberAtRank(int64_t rank) const { return member_at_rank_[rank]; }

 private:
  std::vector<double> cumulative_;  // cumulative_[r] = P(rank <= r).
  std::vector<int64_t> member_at_rank_;
};

enum class PageCall { kRecommend, kSimilarItems, kRecordView };

absl::string_view PageCallName(PageCall call);

// The share of page views making each call; shares are normalized.
struct CallMix {
  double recommend = 0.6;
  double similar_items = 0.3;
  double record_view = 0.1;
};

// "recommend:0.6,similar_items:0.3,record_events:0.1" (any subset; missing
// names get 0). InvalidArgument naming the bad part otherwise.
absl::StatusOr<CallMix> ParseCallMix(absl::string_view text);

struct TrafficOptions {
  double zipf_exponent = 1.0;
  // Mean page views per session (geometric, at least 1).
  double mean_pages_per_session = 5;
  // Mean think time between two page views of one session (exponential).
  double mean_think_time_ms = 0;
  // Share of sessions without a customer id (anonymous visitors).
  double anonymous_share = 0.2;
  CallMix mix;
};

// One page view of a session.
struct PageView {
  PageCall call = PageCall::kRecommend;
  // Index into the customer list; -1 for an anonymous visitor.
  int64_t customer = -1;
  // Index into the item list: the item looked at (SimilarItems and views).
  int64_t item = 0;
  // Time to wait before this page view (0 for the first of a session).
  double think_time_ms = 0;
};

class TrafficModel {
 public:
  // InvalidArgument naming the option if one is out of range or the lists
  // are empty.
  static absl::StatusOr<TrafficModel> Create(const TrafficOptions& options,
                                             int64_t customers, int64_t items,
                                             uint64_t seed);

  // The page views of one new session.
  std::vector<PageView> NextSession(std::mt19937_64& rng) const;

  const ZipfSampler& customer_sampler() const { return customers_; }

 private:
  TrafficModel(const TrafficOptions& options, ZipfSampler customers,
               ZipfSampler items);

  TrafficOptions options_;
  ZipfSampler customers_;
  ZipfSampler items_;
};

}  // namespace recommender::benchmarks

#endif  // BENCHMARKS_TRAFFIC_MODEL_H_
