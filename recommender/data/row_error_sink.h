// Applies the bad-row policy while a loader reads a file: a rejected row
// either stops the load (kFail) or is counted and skipped (kSkip).
//
// Not thread-safe; one sink per file being loaded.
#ifndef RECOMMENDER_DATA_ROW_ERROR_SINK_H_
#define RECOMMENDER_DATA_ROW_ERROR_SINK_H_

#include <cstddef>

#include "absl/status/status.h"
#include "recommender/data/shop_data.h"

namespace recommender {

enum class BadRowPolicy {
  kFail,  // The first bad row fails the whole load.
  kSkip,  // Bad rows are skipped, counted and sampled in the report.
};

class RowErrorSink {
 public:
  // `report` is not owned and must outlive the sink.
  RowErrorSink(BadRowPolicy policy, FileLoadReport* report,
               size_t max_sample_errors = 10)
      : policy_(policy),
        report_(report),
        max_sample_errors_(max_sample_errors) {}

  // Records that a row was rejected for `error` (which names file, line and
  // column). Returns `error` under kFail, so the caller stops; OK under
  // kSkip, so the caller goes on with the next row.
  absl::Status Reject(absl::Status error);

 private:
  BadRowPolicy policy_;
  FileLoadReport* report_;
  size_t max_sample_errors_;
};

}  // namespace recommender

#endif  // RECOMMENDER_DATA_ROW_ERROR_SINK_H_
