#include "recommender/ltr/xgboost_status.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "xgboost/c_api.h"

namespace recommender {

absl::Status XgboostStatus(int rc, absl::string_view what) {
  if (rc == 0) return absl::OkStatus();
  std::string message = XGBGetLastError();
  // XGBoost appends a stack trace after the first line.
  if (const size_t newline = message.find('\n'); newline != std::string::npos) {
    message.resize(newline);
  }
  return absl::InternalError(absl::StrCat(what, ": ", message));
}

}  // namespace recommender
