#include "serving/serving_probe.h"

#include <utility>

namespace recommender::serving {

ServingProbe::ServingProbe(std::function<bool()> probe,
                           std::function<void(bool)> on_change, Options options)
    : probe_(std::move(probe)),
      on_change_(std::move(on_change)),
      options_(options) {}

ServingProbe::~ServingProbe() { Stop(); }

void ServingProbe::Start() {
  thread_ = std::thread([this] {
    while (!stop_.WaitForNotificationWithTimeout(options_.interval)) {
      CheckOnce();
    }
  });
}

void ServingProbe::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void ServingProbe::CheckOnce() {
  const bool answered = probe_();
  bool changed = false;
  bool can_serve = false;
  {
    absl::MutexLock lock(&mu_);
    failures_in_a_row_ = answered ? 0 : failures_in_a_row_ + 1;
    const bool verdict =
        answered || failures_in_a_row_ < options_.failures_to_trip;
    changed = verdict != can_serve_;
    can_serve_ = verdict;
    can_serve = verdict;
  }
  if (changed && on_change_) on_change_(can_serve);
}

bool ServingProbe::can_serve() const {
  absl::MutexLock lock(&mu_);
  return can_serve_;
}

}  // namespace recommender::serving
