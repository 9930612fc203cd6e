// ServingProbe: whether the server can actually answer a call, asked the way
// a client would. gRPC's health service answers on threads of its own, so
// it would say SERVING even with every request thread stuck (a hung disk
// under RecordEvents, say). The probe makes a cheap real call through the
// same request threads every Options::interval; after
// Options::failures_to_trip failures in a row it reports that the server
// cannot serve (health then says NOT_SERVING, so load balancers move the
// traffic), and the first success reports that it can again.
//
// Thread-safe. `probe` and `on_change` run on the probe's thread.
#ifndef SERVING_SERVING_PROBE_H_
#define SERVING_SERVING_PROBE_H_

#include <functional>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace recommender::serving {

class ServingProbe {
 public:
  struct Options {
    absl::Duration interval = absl::Seconds(1);
    int failures_to_trip = 3;
  };

  // `probe` makes one call and says whether it was answered in time;
  // `on_change` hears every change of verdict (true: can serve).
  ServingProbe(std::function<bool()> probe,
               std::function<void(bool can_serve)> on_change, Options options);
  ~ServingProbe();
  ServingProbe(const ServingProbe&) = delete;
  ServingProbe& operator=(const ServingProbe&) = delete;

  // Probes every interval on a thread of its own until Stop().
  void Start();
  void Stop();

  // One probe (what the thread does each interval).
  void CheckOnce();

  bool can_serve() const;

 private:
  const std::function<bool()> probe_;
  const std::function<void(bool)> on_change_;
  const Options options_;
  mutable absl::Mutex mu_;
  int failures_in_a_row_ ABSL_GUARDED_BY(mu_) = 0;
  bool can_serve_ ABSL_GUARDED_BY(mu_) = true;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace recommender::serving

#endif  // SERVING_SERVING_PROBE_H_
