#include "serving/health_reporter.h"

#include "grpcpp/health_check_service_interface.h"

namespace recommender::serving {

void HealthReporter::Attach(grpc::Server* server) {
  absl::MutexLock lock(&mu_);
  server_ = server;
  Apply();
}

void HealthReporter::SetModelLoaded(bool loaded) {
  absl::MutexLock lock(&mu_);
  model_loaded_ = loaded;
  Apply();
}

void HealthReporter::SetAnswering(bool answering) {
  absl::MutexLock lock(&mu_);
  answering_ = answering;
  Apply();
}

void HealthReporter::StartDraining() {
  absl::MutexLock lock(&mu_);
  draining_ = true;
  Apply();
}

bool HealthReporter::serving() const {
  absl::MutexLock lock(&mu_);
  return Serving();
}

bool HealthReporter::draining() const {
  absl::MutexLock lock(&mu_);
  return draining_;
}

void HealthReporter::Apply() {
  if (server_ == nullptr) return;
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  if (health == nullptr) return;
  const bool serving = Serving();
  health->SetServingStatus("", serving);
  health->SetServingStatus(service_name_, serving);
}

}  // namespace recommender::serving
