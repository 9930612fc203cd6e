// Fits the purchase-timing models the server needs (snapshot::TimingModel)
// from what the snapshot already holds: every customer's purchases with
// quantities and prices, and the items' durability and categories.
//   - BG/NBD, Pareto/NBD and Gamma-Gamma on the customers' orders (calendar
//     days with purchases, in the shop's zone), times in days;
//   - the item-level repurchase model on purchases of consumables.
// A part that cannot be fitted (e.g. nobody bought twice) is left empty and
// said so in the log; the server then answers without it.
//
// Thread-safe: pure function of its arguments (writes only to `log`).
#ifndef TRAINING_TIMING_TIMING_MODEL_BUILDER_H_
#define TRAINING_TIMING_TIMING_MODEL_BUILDER_H_

#include <cstdint>
#include <ostream>

#include "proto/snapshot.pb.h"
#include "recommender/model/snapshot_contents.h"

namespace recommender {

struct TimingModelOptions {
  // Same-day purchases in this zone (seconds east of UTC) are one order.
  int32_t utc_offset_seconds = 9 * 3600;
  // Pareto/NBD is fitted for comparison only (the server uses BG/NBD); it
  // is the slowest part.
  bool fit_pareto_nbd = true;
  // The population parameters of the customer-level models are fitted on a
  // uniform sample of at most this many customers (drawn from `seed`; 0:
  // all), which bounds the fit's time on a large shop; the per-customer
  // figures still come from every customer's own history.
  int64_t fit_max_customers = 100000;
  uint64_t seed = 42;
  // Threads evaluating the likelihood sums.
  int threads = 1;
};

// `contents` must have its items and customers filled (purchases in time
// order). Adds "timing_*" figures to `metrics`, among them the number of
// customers the fit used and, per model, whether its search converged (a
// model whose search did not converge is logged and left out).
snapshot::TimingModel BuildTimingModel(
    const SnapshotContents& contents, const TimingModelOptions& options,
    std::ostream& log,
    google::protobuf::Map<std::string, double>* metrics = nullptr);

}  // namespace recommender

#endif  // TRAINING_TIMING_TIMING_MODEL_BUILDER_H_
