// ModelSnapshot: one trained model, loaded and immutable. The server holds
// it as std::shared_ptr<const ModelSnapshot> and swaps in a newer one
// atomically; requests keep the snapshot they started with.
//
// Erased customers (right to erasure) are masked: given the server's
// ErasedCustomers, the snapshot answers for an erased customer as for one it
// never knew (FindCustomer finds no row, customer_erased() marks the row for
// code that walks the table), from the moment the erasure is recorded, in
// every snapshot, until a model trained without them replaces it.
//
// Thread-safe: all methods are const; the object never changes, except
// that the set of erased customers it consults may grow.
#ifndef RECOMMENDER_MODEL_MODEL_SNAPSHOT_H_
#define RECOMMENDER_MODEL_MODEL_SNAPSHOT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "proto/snapshot.pb.h"
#include "recommender/data/event_weights.h"
#include "recommender/erasure/erased_customers.h"
#include "recommender/index/item_index.h"
#include "recommender/ltr/ranker_model.h"
#include "recommender/model/segment_popularity.h"
#include "recommender/model/snapshot_contents.h"

namespace recommender {

// The iALS settings a snapshot was trained with (training/ials/ials.h,
// training/ials/interaction_matrix.h), read back from its manifest's
// parameters, for folding in new events the same way.
struct FoldInParameters {
  // One block of the factor vectors (snapshot::FactorBlock): its columns
  // [offset, offset + factors) and the settings it was learned with.
  struct Block {
    int32_t offset = 0;
    int32_t factors = 0;
    float alpha = 1;
    // lambda_u = regularization * (items + alpha * sum of strengths)^exponent.
    float regularization = 0.1f;
    float regularization_exponent = 0;
  };
  // In order, covering the whole vector; each is folded in on its own.
  std::vector<Block> blocks;
  EventWeights weights;
  // 0: strength = summed weights; > 0: log(1 + sum / epsilon).
  float log_strength_epsilon = 0;
};

class ModelSnapshot {
 public:
  // Reads MODEL_DIR/<version>/ as written by WriteSnapshot, verifying every
  // file's size and CRC-32C against the manifest and the parts against each
  // other. DataLoss names the file at fault. `erased` (may be null: none)
  // masks customers erased before or after the load.
  static absl::StatusOr<std::unique_ptr<const ModelSnapshot>> Load(
      const std::string& snapshot_dir,
      std::shared_ptr<const ErasedCustomers> erased = nullptr);

  // Wraps contents already in memory (e.g. straight from the trainer).
  static absl::StatusOr<std::unique_ptr<const ModelSnapshot>> FromContents(
      SnapshotContents contents,
      std::shared_ptr<const ErasedCustomers> erased = nullptr);

  ModelSnapshot(const ModelSnapshot&) = delete;
  ModelSnapshot& operator=(const ModelSnapshot&) = delete;

  int64_t version() const { return contents_.manifest.version(); }
  const snapshot::Manifest& manifest() const { return contents_.manifest; }

  int32_t num_items() const { return contents_.items.items_size(); }
  const snapshot::Item& item(int32_t row) const {
    return contents_.items.items(row);
  }
  std::optional<int32_t> FindItem(absl::string_view id) const;
  absl::Span<const float> item_vector(int32_t row) const {
    return contents_.item_factors.row(row);
  }

  int32_t num_customers() const { return contents_.customers.customers_size(); }
  const snapshot::Customer& customer(int32_t row) const {
    return contents_.customers.customers(row);
  }
  // The customer's row; nullopt if unknown or erased.
  std::optional<int32_t> FindCustomer(absl::string_view id) const;
  // True if the customer of `row` was erased: code walking the customer
  // table skips such rows.
  bool customer_erased(int32_t row) const;
  // True if `customer_id` was erased, whether this snapshot knows them or
  // not.
  bool IsErasedCustomer(absl::string_view customer_id) const;
  // The customer's taste vector; empty if the model has none for them or
  // they were erased.
  absl::Span<const float> customer_vector(int32_t row) const;

  int32_t dimension() const { return contents_.manifest.embedding_dimension(); }
  const EmbeddingMatrix& item_factors() const { return contents_.item_factors; }

  // Fold-in settings; nullopt if the manifest does not record them (then
  // new events cannot move a customer's vector).
  const std::optional<FoldInParameters>& fold_in_parameters() const {
    return fold_in_;
  }
  // For fold-in, per block of fold_in_parameters() (none without them):
  // Y^T Y over the block's columns of the item factors, factors x factors
  // floats (symmetric), computed at load.
  absl::Span<const float> block_item_gram(int block) const {
    return block_grams_[block];
  }
  const ItemIndex& index() const { return *contents_.index; }
  // Per dimension, 1 where a block serves requests with (`excludes_purchased`
  // true) or without exclude_purchased and 0 elsewhere (manifest
  // factor_blocks' `requests`); empty when every block serves both kinds.
  // A request's taste vector is multiplied by it before scoring.
  absl::Span<const float> request_mask(bool excludes_purchased) const {
    return request_masks_[excludes_purchased ? 1 : 0];
  }

  // The purchase-timing models; empty (default) if the snapshot has none.
  const snapshot::TimingModel& timing() const { return contents_.timing; }

  // The learned ranker (manifest().ranker() describes its features); null
  // if the snapshot has none.
  const RankerModel* ranker() const { return ranker_.get(); }

  // The item-to-item neighbour list named `name` ("item_knn", "ease");
  // null if the snapshot has none.
  const snapshot::ItemNeighborList* similarity(absl::string_view name) const;

  // Item rows with at least one recent purchase, most purchased first (ties
  // by row), for popularity fallbacks.
  const std::vector<int32_t>& popular_items() const { return popular_items_; }

  // What customers sharing attributes bought in the 90 days before the
  // newest training event (segments of at least 10 buyers).
  const SegmentPopularity& segments() const { return segments_; }

 private:
  ModelSnapshot(SnapshotContents contents,
                std::unique_ptr<const RankerModel> ranker,
                std::shared_ptr<const ErasedCustomers> erased);
  // Checks the parts and loads the ranker (InvalidArgument for parts that
  // disagree, FailedPrecondition for a ranker of another feature schema).
  static absl::StatusOr<std::unique_ptr<const ModelSnapshot>> Create(
      SnapshotContents contents, std::shared_ptr<const ErasedCustomers> erased);

  SnapshotContents contents_;
  const std::shared_ptr<const ErasedCustomers> erased_;
  absl::flat_hash_map<std::string, int32_t> item_rows_;
  absl::flat_hash_map<std::string, int32_t> customer_rows_;
  std::vector<int32_t> popular_items_;
  SegmentPopularity segments_;
  std::optional<FoldInParameters> fold_in_;
  // Per fold-in block: its Gram matrix.
  std::vector<std::vector<float>> block_grams_;
  // request_mask(false), request_mask(true).
  std::vector<float> request_masks_[2];
  std::unique_ptr<const RankerModel> ranker_;
};

// Reads and parses SNAPSHOT_DIR/manifest.pbtxt alone (no other file);
// NotFound if it is missing, DataLoss if it does not parse.
absl::StatusOr<snapshot::Manifest> ReadSnapshotManifest(
    const std::string& snapshot_dir);

// Versions present in `model_dir` (folders named by a positive integer in
// plain decimal: "7", not "07"), ascending. Temporary folders of unfinished
// writes are ignored.
absl::StatusOr<std::vector<int64_t>> ListSnapshotVersions(
    const std::string& model_dir);

}  // namespace recommender

#endif  // RECOMMENDER_MODEL_MODEL_SNAPSHOT_H_
