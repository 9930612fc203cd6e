// Everything a model snapshot holds, before it is written or after it is
// read: the parts the trainer produces and the server consumes.
#ifndef RECOMMENDER_MODEL_SNAPSHOT_CONTENTS_H_
#define RECOMMENDER_MODEL_SNAPSHOT_CONTENTS_H_

#include <memory>
#include <string>

#include "proto/snapshot.pb.h"
#include "recommender/index/item_index.h"
#include "recommender/embedding/embedding_matrix.h"

namespace recommender {

// File names inside MODEL_DIR/<version>/.
inline constexpr char kManifestFile[] = "MANIFEST.textproto";
inline constexpr char kItemTableFile[] = "items.binpb";
inline constexpr char kCustomerTableFile[] = "customers.binpb";
inline constexpr char kItemFactorsFile[] = "item_factors.emb";
inline constexpr char kCustomerFactorsFile[] = "customer_factors.emb";
// The item index in the format its manifest's index_type names (exact scan,
// FAISS HNSW or IVF). Snapshots written before the rename call it
// kLegacyItemIndexFile; loading accepts either.
inline constexpr char kItemIndexFile[] = "item_index.bin";
inline constexpr char kLegacyItemIndexFile[] = "items.faiss";
// Optional: snapshots written before it existed have no timing model.
inline constexpr char kTimingFile[] = "timing.binpb";
// Optional: only snapshots with a learned ranker have them.
inline constexpr char kItemSimilarityFile[] = "item_similarity.binpb";
inline constexpr char kRankerFile[] = "ranker.xgb";

struct SnapshotContents {
  // The writer fills in `files`; everything else comes from the trainer.
  snapshot::Manifest manifest;
  snapshot::ItemTable items;
  snapshot::CustomerTable customers;
  // One row per item, in ItemTable order.
  EmbeddingMatrix item_factors;
  // Rows referenced by Customer.factor_row.
  EmbeddingMatrix customer_factors;
  // Search structure over item_factors.
  std::unique_ptr<ItemIndex> index;
  // Purchase-timing models (recommender/timing/); empty if none was fitted.
  snapshot::TimingModel timing;
  // Item-to-item neighbour lists (item-kNN, EASE); empty if none.
  snapshot::ItemSimilarities similarities;
  // The learned ranker's model bytes (manifest.ranker() describes them);
  // empty if none.
  std::string ranker_model;
};

}  // namespace recommender

#endif  // RECOMMENDER_MODEL_SNAPSHOT_CONTENTS_H_
