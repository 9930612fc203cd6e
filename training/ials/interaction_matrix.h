// InteractionMatrix: the sparse customer x item matrix of implicit feedback
// strength that iALS learns from, stored both by row (customer) and by
// column (item) for the two alternating half-steps.
//
// Immutable after construction; thread-safe for concurrent reads.
#ifndef TRAINING_IALS_INTERACTION_MATRIX_H_
#define TRAINING_IALS_INTERACTION_MATRIX_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "recommender/data/event_weights.h"
#include "recommender/data/shop_data.h"

namespace recommender {

// How a customer's events become the strength of their preference for an
// item: the events' type weights, each decayed by its age, summed, and
// optionally log-scaled (Hu, Koren & Volinsky 2008, sec. 4:
// strength = log(1 + sum / epsilon) keeps a habit of 30 purchases from
// drowning everything else).
struct InteractionOptions {
  EventWeights weights;
  // An event's weight halves every this many days before the reference time
  // (events after it count fully); 0: no decay.
  double recency_half_life_days = 0;
  // 0: strength = the decayed sum; > 0: log(1 + sum / epsilon).
  double log_strength_epsilon = 0;
};

struct Interaction {
  int32_t row = 0;
  int32_t column = 0;
  float value = 0;
};

class InteractionMatrix {
 public:
  // Sums the weights of each customer's events per item.
  static InteractionMatrix FromEvents(int32_t num_customers, int32_t num_items,
                                      absl::Span<const Event> events,
                                      const EventWeights& weights);

  // Strengths as InteractionOptions describes, with ages counted back from
  // `reference_unix_seconds` (usually the newest training event).
  static InteractionMatrix FromEvents(int32_t num_customers, int32_t num_items,
                                      absl::Span<const Event> events,
                                      const InteractionOptions& options,
                                      int64_t reference_unix_seconds);

  // Entries with the same (row, column) are summed; values must be > 0.
  static InteractionMatrix FromInteractions(int32_t num_rows,
                                            int32_t num_columns,
                                            std::vector<Interaction> entries);

  int32_t num_rows() const { return num_rows_; }
  int32_t num_columns() const { return num_columns_; }
  int64_t num_nonzeros() const { return static_cast<int64_t>(row_columns_.size()); }

  // Columns (items) of a row and their values, columns ascending.
  absl::Span<const int32_t> RowIndices(int32_t row) const;
  absl::Span<const float> RowValues(int32_t row) const;
  // Rows (customers) of a column and their values, rows ascending.
  absl::Span<const int32_t> ColumnIndices(int32_t column) const;
  absl::Span<const float> ColumnValues(int32_t column) const;

 private:
  int32_t num_rows_ = 0;
  int32_t num_columns_ = 0;
  std::vector<int64_t> row_offsets_;
  std::vector<int32_t> row_columns_;
  std::vector<float> row_values_;
  std::vector<int64_t> column_offsets_;
  std::vector<int32_t> column_rows_;
  std::vector<float> column_values_;
};

}  // namespace recommender

#endif  // TRAINING_IALS_INTERACTION_MATRIX_H_
