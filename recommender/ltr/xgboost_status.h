// Turns XGBoost C API failures into absl::Status, for the adapters that call
// it (the server's ranker here, the trainer's in training/ranker/).
#ifndef RECOMMENDER_LTR_XGBOOST_STATUS_H_
#define RECOMMENDER_LTR_XGBOOST_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace recommender {

// Internal error "<what>: <XGBoost's last error, first line>" when `rc` is
// not 0 (XGBoost's failure code); OK otherwise.
absl::Status XgboostStatus(int rc, absl::string_view what);

}  // namespace recommender

#endif  // RECOMMENDER_LTR_XGBOOST_STATUS_H_
