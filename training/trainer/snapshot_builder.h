// Assembles the model snapshot from the loaded shop data and the trained
// factors: item metadata and popularity, each customer's purchase history,
// the factor matrices and the item index.
#ifndef TRAINING_TRAINER_SNAPSHOT_BUILDER_H_
#define TRAINING_TRAINER_SNAPSHOT_BUILDER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "proto/snapshot.pb.h"
#include "recommender/data/shop_data.h"
#include "recommender/index/item_index_factory.h"
#include "recommender/model/snapshot_contents.h"
#include "training/durability/durability_inference.h"
#include "training/ials/ials.h"
#include "training/ials/interaction_matrix.h"

namespace recommender {

struct SnapshotMetadata {
  int64_t version = 0;
  absl::Time trained_at;
  // Every training parameter as given, the seed included.
  std::map<std::string, std::string> parameters;
  std::map<std::string, double> metrics;
  // Purchases in this many days before the newest event count as "recent"
  // for popularity.
  int32_t popularity_window_days = 30;
  // Which item index to build; its recall against exact search is measured
  // on up to recall_queries customer vectors and recorded in the manifest.
  IndexOptions index;
  int32_t recall_queries = 500;
  // How unlabeled items' durability is inferred from the catalog's labels
  // and data.events.
  DurabilityInferenceOptions durability;
  // The iALS settings of each block of the factor vectors, in order (their
  // factors add up to the model's); empty: one block, described by
  // `parameters` alone.
  std::vector<IalsOptions> factor_blocks;
  // Per block of factor_blocks, which Recommend requests score with it;
  // empty: every request with every block.
  std::vector<snapshot::ServedRequests> factor_block_requests;
};

// Factor rows as the snapshot stores them (row-major, same shape).
EmbeddingMatrix ToEmbeddings(const FactorMatrix& factors);

// Records in `manifest` the blocks of its factor vectors, trained with
// `blocks` in order, each serving the kind of request in `requests` (one
// per block; empty: every request); InvalidArgument unless their factors
// add up to `dimension` and `requests` has one entry per block.
absl::Status SetFactorBlocks(
    absl::Span<const IalsOptions> blocks, int32_t dimension,
    snapshot::Manifest* manifest,
    absl::Span<const snapshot::ServedRequests> requests = {});

// `base` with its factors replaced by `factors` (same numbers of rows),
// learned with the settings `blocks` (ConcatenateIalsModels' members, or
// one) serving `requests` (as in SetFactorBlocks), and a new index: what
// other iALS settings would have given on the same data (everything else,
// timing and neighbour lists included, is copied).
absl::StatusOr<SnapshotContents> WithFactors(
    const SnapshotContents& base, const IalsModel& factors,
    absl::Span<const IalsOptions> blocks, const IndexOptions& index,
    absl::Span<const snapshot::ServedRequests> requests = {});

// `matrix` is the one `model` was trained on (rows: data.customers,
// columns: data.items); customers with an empty row get no factor row.
absl::StatusOr<SnapshotContents> BuildSnapshotContents(
    const ShopData& data, const InteractionMatrix& matrix,
    const IalsModel& model, const SnapshotMetadata& metadata);

}  // namespace recommender

#endif  // TRAINING_TRAINER_SNAPSHOT_BUILDER_H_
