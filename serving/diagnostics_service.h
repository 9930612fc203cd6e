// DiagnosticsService: recommender.v1.Diagnostics, registered by the server
// beside RecommenderService (only with --enable_diagnostics) so that an
// empty call (Echo) shares the channel, threads and process with the real
// ones: the floor against which the load generator reports Recommend and
// SimilarItems. The role table admits admin keys only, and payloads are
// small (kMaxEchoPayloadBytes), so it cannot be used to move data or load.
//
// Without --enable_diagnostics Echo answers UNIMPLEMENTED to every caller
// but the server's own serving probe, which calls it over an in-process
// channel with a random secret of the process in its metadata
// (kProbeMetadata).
//
// Thread-safe: the setters before the server starts; then stateless.
#ifndef SERVING_DIAGNOSTICS_SERVICE_H_
#define SERVING_DIAGNOSTICS_SERVICE_H_

#include <cstddef>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "proto/diagnostics.grpc.pb.h"
#include "serving/call_context.h"

namespace recommender::serving {

inline constexpr size_t kMaxEchoPayloadBytes = 1024;
inline constexpr char kProbeMetadata[] = "recommender-probe";

// A fresh random secret for the serving probe (32 hex digits).
std::string NewProbeSecret();

class DiagnosticsService final : public v1::Diagnostics::Service {
 public:
  // Serves Echo to callers over the network (--enable_diagnostics).
  void set_enabled(bool enabled) { enabled_ = enabled; }
  // The secret the serving probe sends as kProbeMetadata.
  void set_probe_secret(std::string secret) { probe_secret_ = std::move(secret); }

  // For any transport (the HTTP gateway's floor too). The payload back;
  // INVALID_ARGUMENT above kMaxEchoPayloadBytes; UNIMPLEMENTED unless
  // enabled.
  absl::Status Echo(const CallContext& call, const v1::EchoRequest& request,
                    v1::EchoResponse* response);

  grpc::Status Echo(grpc::ServerContext* context,
                    const v1::EchoRequest* request,
                    v1::EchoResponse* response) override;

 private:
  absl::Status Answer(const v1::EchoRequest& request,
                      v1::EchoResponse* response) const;

  bool enabled_ = false;
  std::string probe_secret_;
};

}  // namespace recommender::serving

#endif  // SERVING_DIAGNOSTICS_SERVICE_H_
