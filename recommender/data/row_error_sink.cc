#include "recommender/data/row_error_sink.h"

#include <string>

namespace recommender {

absl::Status RowErrorSink::Reject(absl::Status error) {
  if (policy_ == BadRowPolicy::kFail) return error;
  ++report_->rows_skipped;
  if (report_->sample_errors.size() < max_sample_errors_) {
    report_->sample_errors.emplace_back(error.message());
  }
  return absl::OkStatus();
}

}  // namespace recommender
