// OperationsService: recommender.v1.Operations (proto/operations.proto),
// the server's state for operators: the model in service, the versions
// loaded or refused since start, and the call counters and latency
// histograms per method for both front doors (from Metrics). Like
// RecommenderService, the handler is transport-free and the gRPC method
// wraps it; the HTTP gateway calls it in process.
//
// Thread-safe: reads thread-safe sources only.
#ifndef SERVING_OPERATIONS_SERVICE_H_
#define SERVING_OPERATIONS_SERVICE_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "proto/operations.grpc.pb.h"
#include "recommender/model/model_manager.h"
#include "serving/call_context.h"
#include "serving/health_reporter.h"
#include "serving/metrics.h"
#include "serving/model_load_history.h"

namespace recommender::serving {

class OperationsService final : public v1::Operations::Service {
 public:
  // What the status is read from; none is owned, all must outlive the
  // service.
  struct Sources {
    const Metrics* metrics = nullptr;
    const ModelLoadHistory* loads = nullptr;
    const ModelManager* models = nullptr;
    const HealthReporter* health = nullptr;
    absl::Time started_at;
  };

  explicit OperationsService(const Sources& sources) : sources_(sources) {}

  absl::Status GetServerStatus(const CallContext& call,
                               const v1::GetServerStatusRequest& request,
                               v1::ServerStatus* response);

  grpc::Status GetServerStatus(grpc::ServerContext* context,
                               const v1::GetServerStatusRequest* request,
                               v1::ServerStatus* response) override;

 private:
  const Sources sources_;
};

}  // namespace recommender::serving

#endif  // SERVING_OPERATIONS_SERVICE_H_
