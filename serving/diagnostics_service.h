// DiagnosticsService: recommender.v1.Diagnostics, registered by the server
// beside RecommenderService so that an empty call (Echo) shares the
// channel, threads and process with the real ones: the floor against which
// the load generator reports Recommend and SimilarItems.
//
// Thread-safe: stateless.
#ifndef SERVING_DIAGNOSTICS_SERVICE_H_
#define SERVING_DIAGNOSTICS_SERVICE_H_

#include "absl/status/status.h"
#include "proto/diagnostics.grpc.pb.h"
#include "serving/call_context.h"

namespace recommender::serving {

class DiagnosticsService final : public v1::Diagnostics::Service {
 public:
  // For any transport (the HTTP gateway's floor too).
  absl::Status Echo(const CallContext& call, const v1::EchoRequest& request,
                    v1::EchoResponse* response);

  grpc::Status Echo(grpc::ServerContext* context,
                    const v1::EchoRequest* request,
                    v1::EchoResponse* response) override;
};

}  // namespace recommender::serving

#endif  // SERVING_DIAGNOSTICS_SERVICE_H_
