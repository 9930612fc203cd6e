// HealthReporter: what the server tells grpc.health.v1 (and the admin
// port's /healthz) about itself: SERVING once a model is loaded, NOT_SERVING
// while the server cannot answer calls (ServingProbe), and NOT_SERVING for
// good once draining has begun, so that load balancers stop sending calls
// while the ones in flight finish. A model loaded while draining does not
// bring it back.
//
// Thread-safe. The grpc::Server given to Attach is not owned and must
// outlive the reporter's use.
#ifndef SERVING_HEALTH_REPORTER_H_
#define SERVING_HEALTH_REPORTER_H_

#include <string>

#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"

namespace recommender::serving {

class HealthReporter {
 public:
  // `service_name` is reported beside the whole server ("").
  explicit HealthReporter(std::string service_name)
      : service_name_(std::move(service_name)) {}

  // From now on changes go to `server`'s health service (which must be
  // enabled), starting with the current state.
  void Attach(grpc::Server* server);

  // A model is (or is no longer) loaded. Ignored once draining.
  void SetModelLoaded(bool loaded);

  // Whether calls are answered (ServingProbe); NOT_SERVING while not.
  void SetAnswering(bool answering);

  // NOT_SERVING from now on.
  void StartDraining();

  // SERVING: a model is loaded, calls are answered and the server is not
  // draining.
  bool serving() const;
  bool draining() const;

 private:
  void Apply() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string service_name_;
  mutable absl::Mutex mu_;
  grpc::Server* server_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool Serving() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return model_loaded_ && answering_ && !draining_;
  }

  bool model_loaded_ ABSL_GUARDED_BY(mu_) = false;
  bool answering_ ABSL_GUARDED_BY(mu_) = true;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace recommender::serving

#endif  // SERVING_HEALTH_REPORTER_H_
