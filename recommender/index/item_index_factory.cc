#include "recommender/index/item_index_factory.h"

#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "recommender/index/exact_item_index.h"
#include "recommender/util/status_macros.h"

namespace recommender {

absl::StatusOr<IndexKind> ParseIndexKind(absl::string_view name) {
  if (name == "auto") return IndexKind::kAuto;
  if (name == "exact") return IndexKind::kExact;
  if (name == "hnsw") return IndexKind::kHnsw;
  if (name == "ivf") return IndexKind::kIvf;
  return absl::InvalidArgumentError(absl::StrCat(
      "index kind must be auto, exact, hnsw or ivf, got \"", name, "\""));
}

absl::StatusOr<std::unique_ptr<ItemIndex>> BuildItemIndex(
    const EmbeddingMatrix& items, const IndexOptions& options) {
  IndexKind kind = options.kind;
  if (kind == IndexKind::kAuto) {
    kind = items.rows <= options.exact_max_items ? IndexKind::kExact
                                                 : IndexKind::kHnsw;
  }
  switch (kind) {
    case IndexKind::kHnsw: {
      ASSIGN_OR_RETURN(auto index,
                       FaissItemIndex::BuildHnsw(items, options.hnsw));
      return std::unique_ptr<ItemIndex>(std::move(index));
    }
    case IndexKind::kIvf: {
      ASSIGN_OR_RETURN(auto index, FaissItemIndex::BuildIvf(items, options.ivf));
      return std::unique_ptr<ItemIndex>(std::move(index));
    }
    case IndexKind::kAuto:
    case IndexKind::kExact:
      break;
  }
  ASSIGN_OR_RETURN(auto index, ExactItemIndex::Build(items));
  return std::unique_ptr<ItemIndex>(std::move(index));
}

absl::StatusOr<std::unique_ptr<ItemIndex>> LoadItemIndex(
    absl::string_view type, absl::string_view bytes,
    const EmbeddingMatrix& items) {
  std::unique_ptr<ItemIndex> index;
  if (type == "exact_avx2") {
    ASSIGN_OR_RETURN(index, ExactItemIndex::Deserialize(bytes, items));
  } else if (type == "flat_ip" || type == "hnsw_flat" || type == "ivf_flat") {
    ASSIGN_OR_RETURN(index, FaissItemIndex::Deserialize(bytes));
    if (index->type() != type) {
      return absl::DataLossError(absl::StrCat("item index is ", index->type(),
                                              ", manifest says ", type));
    }
  } else {
    return absl::DataLossError(
        absl::StrCat("unknown item index type \"", type, "\""));
  }
  if (index->size() != items.rows || index->dimension() != items.dimension) {
    return absl::DataLossError(absl::StrCat(
        "item index is ", index->size(), " x ", index->dimension(),
        ", item factors are ", items.rows, " x ", items.dimension));
  }
  return index;
}

namespace {

// Exact top k of each query row.
absl::StatusOr<std::vector<std::vector<ScoredItem>>> ExactAnswers(
    const EmbeddingMatrix& items, const EmbeddingMatrix& queries, int k) {
  if (queries.rows < 1) return absl::InvalidArgumentError("no queries");
  ASSIGN_OR_RETURN(std::unique_ptr<ExactItemIndex> exact,
                   ExactItemIndex::Build(items));
  std::vector<float> flat(queries.values.begin(),
                          queries.values.begin() + queries.rows * queries.dimension);
  return exact->SearchBatch(flat, k);
}

// The share of `truth` that `index` also returns.
absl::StatusOr<double> RecallAgainst(
    const ItemIndex& index, const EmbeddingMatrix& queries,
    const std::vector<std::vector<ScoredItem>>& truth, int k) {
  int64_t found = 0, wanted = 0;
  for (int64_t q = 0; q < queries.rows; ++q) {
    ASSIGN_OR_RETURN(std::vector<ScoredItem> got,
                     index.Search(queries.row(q), k));
    absl::flat_hash_set<int32_t> got_items;
    for (const ScoredItem& s : got) got_items.insert(s.item);
    for (const ScoredItem& s : truth[q]) found += got_items.contains(s.item);
    wanted += static_cast<int64_t>(truth[q].size());
  }
  return wanted == 0 ? 1.0 : static_cast<double>(found) / wanted;
}

}  // namespace

absl::StatusOr<double> MeasureRecall(const ItemIndex& index,
                                     const EmbeddingMatrix& items,
                                     const EmbeddingMatrix& queries, int k) {
  ASSIGN_OR_RETURN(const auto truth, ExactAnswers(items, queries, k));
  return RecallAgainst(index, queries, truth, k);
}

absl::StatusOr<BreadthChoice> TuneSearchBreadth(FaissItemIndex& index,
                                                const EmbeddingMatrix& items,
                                                const EmbeddingMatrix& queries,
                                                int k, double target) {
  if (!(target > 0 && target <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("recall target must be in (0, 1], got ", target));
  }
  ASSIGN_OR_RETURN(const auto truth, ExactAnswers(items, queries, k));
  BreadthChoice choice;
  for (int breadth : kSearchBreadths) {
    RETURN_IF_ERROR(index.SetSearchBreadth(breadth));
    ASSIGN_OR_RETURN(const double recall,
                     RecallAgainst(index, queries, truth, k));
    choice = {breadth, recall};
    if (recall >= target) break;
  }
  return choice;
}

}  // namespace recommender
