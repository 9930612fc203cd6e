#include "serving/auth/stream_limiter.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace recommender::serving::auth {

StreamLimiter::Slot& StreamLimiter::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    Release();
    limiter_ = std::exchange(other.limiter_, nullptr);
    key_id_ = std::move(other.key_id_);
  }
  return *this;
}

void StreamLimiter::Slot::Release() {
  if (limiter_ == nullptr) return;
  absl::MutexLock lock(&limiter_->mu_);
  auto it = limiter_->open_.find(key_id_);
  if (it != limiter_->open_.end() && --it->second <= 0) {
    limiter_->open_.erase(it);
  }
  limiter_ = nullptr;
}

absl::StatusOr<StreamLimiter::Slot> StreamLimiter::Acquire(
    absl::string_view key_id) {
  absl::MutexLock lock(&mu_);
  int& open = open_[key_id];
  if (max_per_key_ >= 1 && open >= max_per_key_) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "key ", key_id, " has ", open, " streams open, its limit; wait for one "
        "to end"));
  }
  ++open;
  return Slot(this, std::string(key_id));
}

int StreamLimiter::open(absl::string_view key_id) const {
  absl::MutexLock lock(&mu_);
  auto it = open_.find(key_id);
  return it == open_.end() ? 0 : it->second;
}

}  // namespace recommender::serving::auth
