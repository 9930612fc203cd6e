#include "training/ials/interaction_matrix.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

namespace recommender {
namespace {

// Builds compressed rows from entries sorted by (major, minor).
void Compress(const std::vector<Interaction>& sorted, int32_t num_major,
              bool by_row, std::vector<int64_t>* offsets,
              std::vector<int32_t>* minors, std::vector<float>* values) {
  offsets->assign(num_major + 1, 0);
  minors->reserve(sorted.size());
  values->reserve(sorted.size());
  for (const Interaction& e : sorted) {
    ++(*offsets)[(by_row ? e.row : e.column) + 1];
    minors->push_back(by_row ? e.column : e.row);
    values->push_back(e.value);
  }
  for (int32_t i = 0; i < num_major; ++i) (*offsets)[i + 1] += (*offsets)[i];
}

}  // namespace

InteractionMatrix InteractionMatrix::FromEvents(int32_t num_customers,
                                                int32_t num_items,
                                                absl::Span<const Event> events,
                                                const EventWeights& weights) {
  InteractionOptions options;
  options.weights = weights;
  return FromEvents(num_customers, num_items, events, options, 0);
}

InteractionMatrix InteractionMatrix::FromEvents(
    int32_t num_customers, int32_t num_items, absl::Span<const Event> events,
    const InteractionOptions& options, int64_t reference_unix_seconds) {
  std::vector<Interaction> entries;
  entries.reserve(events.size());
  const double decay_per_second =
      options.recency_half_life_days > 0
          ? std::log(2.0) / (options.recency_half_life_days * 86400.0)
          : 0.0;
  for (const Event& e : events) {
    double weight = options.weights.Of(e.type);
    if (!(weight > 0)) continue;
    const int64_t age = reference_unix_seconds - e.unix_seconds;
    if (decay_per_second > 0 && age > 0) {
      weight *= std::exp(-decay_per_second * static_cast<double>(age));
    }
    const auto value = static_cast<float>(weight);
    if (value > 0) entries.push_back({e.customer, e.item, value});
  }
  InteractionMatrix m =
      FromInteractions(num_customers, num_items, std::move(entries));
  if (options.log_strength_epsilon > 0) {
    const double epsilon = options.log_strength_epsilon;
    for (float& v : m.row_values_) v = static_cast<float>(std::log1p(v / epsilon));
    for (float& v : m.column_values_) {
      v = static_cast<float>(std::log1p(v / epsilon));
    }
  }
  return m;
}

InteractionMatrix InteractionMatrix::FromInteractions(
    int32_t num_rows, int32_t num_columns, std::vector<Interaction> entries) {
  InteractionMatrix m;
  m.num_rows_ = num_rows;
  m.num_columns_ = num_columns;
  std::sort(entries.begin(), entries.end(),
            [](const Interaction& a, const Interaction& b) {
              return std::tie(a.row, a.column) < std::tie(b.row, b.column);
            });
  // Sum duplicates in place.
  size_t out = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (out > 0 && entries[out - 1].row == entries[i].row &&
        entries[out - 1].column == entries[i].column) {
      entries[out - 1].value += entries[i].value;
    } else {
      entries[out++] = entries[i];
    }
  }
  entries.resize(out);
  Compress(entries, num_rows, /*by_row=*/true, &m.row_offsets_,
           &m.row_columns_, &m.row_values_);
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Interaction& a, const Interaction& b) {
                     return a.column < b.column;
                   });
  Compress(entries, num_columns, /*by_row=*/false, &m.column_offsets_,
           &m.column_rows_, &m.column_values_);
  return m;
}

absl::Span<const int32_t> InteractionMatrix::RowIndices(int32_t row) const {
  return absl::MakeConstSpan(row_columns_.data() + row_offsets_[row],
                             row_offsets_[row + 1] - row_offsets_[row]);
}

absl::Span<const float> InteractionMatrix::RowValues(int32_t row) const {
  return absl::MakeConstSpan(row_values_.data() + row_offsets_[row],
                             row_offsets_[row + 1] - row_offsets_[row]);
}

absl::Span<const int32_t> InteractionMatrix::ColumnIndices(
    int32_t column) const {
  return absl::MakeConstSpan(column_rows_.data() + column_offsets_[column],
                             column_offsets_[column + 1] -
                                 column_offsets_[column]);
}

absl::Span<const float> InteractionMatrix::ColumnValues(int32_t column) const {
  return absl::MakeConstSpan(column_values_.data() + column_offsets_[column],
                             column_offsets_[column + 1] -
                                 column_offsets_[column]);
}

}  // namespace recommender
