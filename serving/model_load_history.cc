#include "serving/model_load_history.h"

#include <utility>

namespace recommender::serving {

void ModelLoadHistory::Loaded(int64_t version, absl::Time at) {
  Add({version, at, true, ""});
}

void ModelLoadHistory::Refused(int64_t version, absl::Time at,
                               std::string error) {
  Add({version, at, false, std::move(error)});
}

void ModelLoadHistory::Add(Attempt attempt) {
  absl::MutexLock lock(&mu_);
  attempts_.push_front(std::move(attempt));
  if (attempts_.size() > capacity_) attempts_.pop_back();
}

std::vector<ModelLoadHistory::Attempt> ModelLoadHistory::Attempts() const {
  absl::MutexLock lock(&mu_);
  return {attempts_.begin(), attempts_.end()};
}

}  // namespace recommender::serving
