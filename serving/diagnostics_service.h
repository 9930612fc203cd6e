// DiagnosticsService: recommender.v1.Diagnostics, registered by the server
// beside RecommenderService (only with --enable_diagnostics) so that an
// empty call (Echo) shares the channel, threads and process with the real
// ones: the floor against which the load generator reports Recommend and
// SimilarItems. The role table admits admin keys only, and payloads are
// small (kMaxEchoPayloadBytes), so it cannot be used to move data or load.
//
// Thread-safe: stateless.
#ifndef SERVING_DIAGNOSTICS_SERVICE_H_
#define SERVING_DIAGNOSTICS_SERVICE_H_

#include <cstddef>

#include "proto/diagnostics.grpc.pb.h"

namespace recommender::serving {

inline constexpr size_t kMaxEchoPayloadBytes = 1024;

class DiagnosticsService final : public v1::Diagnostics::Service {
 public:
  // The payload back; INVALID_ARGUMENT above kMaxEchoPayloadBytes.
  grpc::Status Echo(grpc::ServerContext* context,
                    const v1::EchoRequest* request,
                    v1::EchoResponse* response) override;
};

}  // namespace recommender::serving

#endif  // SERVING_DIAGNOSTICS_SERVICE_H_
