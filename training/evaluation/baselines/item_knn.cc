#include "training/evaluation/baselines/item_knn.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "training/internal/parallel_for.h"

namespace recommender {
namespace {

absl::Status Validate(const ItemKnnOptions& options) {
  if (options.neighbors < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("item-kNN neighbors must be >= 1, got ", options.neighbors));
  }
  if (!(options.shrinkage >= 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "item-kNN shrinkage must be >= 0, got ", options.shrinkage));
  }
  if (options.threads < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("item-kNN threads must be >= 1, got ", options.threads));
  }
  return absl::OkStatus();
}

// |r_i| for every column.
std::vector<double> ColumnNorms(const InteractionMatrix& matrix, bool binary) {
  std::vector<double> norms(matrix.num_columns());
  for (int32_t i = 0; i < matrix.num_columns(); ++i) {
    double sum = 0;
    for (float v : matrix.ColumnValues(i)) sum += binary ? 1.0 : double{v} * v;
    norms[i] = std::sqrt(sum);
  }
  return norms;
}

// Item i's top neighbours by shrunk cosine, most similar first.
// `dots` is scratch of size num_columns, all zero on entry and on return.
std::vector<std::pair<float, int32_t>> TopNeighbors(
    const InteractionMatrix& matrix, const std::vector<double>& norms,
    const ItemKnnOptions& options, int32_t item, std::vector<double>* dots,
    std::vector<int32_t>* touched) {
  touched->clear();
  const auto rows = matrix.ColumnIndices(item);
  const auto row_values = matrix.ColumnValues(item);
  for (size_t k = 0; k < rows.size(); ++k) {
    const double vi = options.binary ? 1.0 : row_values[k];
    const auto items = matrix.RowIndices(rows[k]);
    const auto values = matrix.RowValues(rows[k]);
    for (size_t m = 0; m < items.size(); ++m) {
      const int32_t j = items[m];
      if (j == item) continue;
      if ((*dots)[j] == 0) touched->push_back(j);
      (*dots)[j] += vi * (options.binary ? 1.0 : values[m]);
    }
  }
  std::vector<std::pair<float, int32_t>> candidates;
  candidates.reserve(touched->size());
  for (int32_t j : *touched) {
    const double denominator = norms[item] * norms[j] + options.shrinkage;
    if (denominator > 0) {
      candidates.emplace_back(static_cast<float>((*dots)[j] / denominator), j);
    }
    (*dots)[j] = 0;
  }
  const auto more_similar = [](const std::pair<float, int32_t>& a,
                               const std::pair<float, int32_t>& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  const size_t keep =
      std::min(candidates.size(), static_cast<size_t>(options.neighbors));
  std::partial_sort(candidates.begin(), candidates.begin() + keep,
                    candidates.end(), more_similar);
  candidates.resize(keep);
  return candidates;
}

}  // namespace

absl::StatusOr<ItemKnnModel> ItemKnnModel::Train(
    const InteractionMatrix& matrix, const ItemKnnOptions& options) {
  if (absl::Status s = Validate(options); !s.ok()) return s;
  const int32_t n = matrix.num_columns();
  const std::vector<double> norms = ColumnNorms(matrix, options.binary);
  std::vector<std::vector<std::pair<float, int32_t>>> lists(n);
  ParallelFor(n, options.threads, 16, [&](int64_t begin, int64_t end) {
    std::vector<double> dots(n, 0.0);
    std::vector<int32_t> touched;
    for (int64_t i = begin; i < end; ++i) {
      lists[i] = TopNeighbors(matrix, norms, options, static_cast<int32_t>(i),
                              &dots, &touched);
    }
  });
  ItemKnnModel model;
  model.binary_ = options.binary;
  model.offsets_.assign(n + 1, 0);
  for (int32_t i = 0; i < n; ++i) {
    model.offsets_[i + 1] = model.offsets_[i] + lists[i].size();
  }
  model.neighbors_.reserve(model.offsets_[n]);
  model.similarities_.reserve(model.offsets_[n]);
  for (const auto& list : lists) {
    for (const auto& [similarity, j] : list) {
      model.neighbors_.push_back(j);
      model.similarities_.push_back(similarity);
    }
  }
  return model;
}

void ItemKnnModel::Score(absl::Span<const int32_t> history_items,
                         absl::Span<const float> history_values,
                         absl::Span<float> scores) const {
  std::fill(scores.begin(), scores.end(), 0.0f);
  for (size_t k = 0; k < history_items.size(); ++k) {
    const int32_t i = history_items[k];
    if (i < 0 || i >= num_items()) continue;
    const float weight = binary_ ? 1.0f : history_values[k];
    const auto neighbors = Neighbors(i);
    const auto similarities = Similarities(i);
    for (size_t m = 0; m < neighbors.size(); ++m) {
      scores[neighbors[m]] += weight * similarities[m];
    }
  }
}

absl::Span<const int32_t> ItemKnnModel::Neighbors(int32_t item) const {
  return absl::MakeConstSpan(neighbors_).subspan(
      offsets_[item], offsets_[item + 1] - offsets_[item]);
}

absl::Span<const float> ItemKnnModel::Similarities(int32_t item) const {
  return absl::MakeConstSpan(similarities_)
      .subspan(offsets_[item], offsets_[item + 1] - offsets_[item]);
}

}  // namespace recommender
