#include "serving/diagnostics_service.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "serving/grpc_status.h"

namespace recommender::serving {

std::string NewProbeSecret() {
  absl::BitGen generator;
  return absl::StrFormat("%016x%016x", absl::Uniform<uint64_t>(generator),
                         absl::Uniform<uint64_t>(generator));
}

absl::Status DiagnosticsService::Answer(const v1::EchoRequest& request,
                                        v1::EchoResponse* response) const {
  if (request.payload().size() > kMaxEchoPayloadBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("payload: at most ", kMaxEchoPayloadBytes, " bytes, got ",
                     request.payload().size()));
  }
  response->set_payload(request.payload());
  return absl::OkStatus();
}

absl::Status DiagnosticsService::Echo(const CallContext& /*call*/,
                                      const v1::EchoRequest& request,
                                      v1::EchoResponse* response) {
  if (!enabled_) {
    return absl::UnimplementedError(
        "Diagnostics/Echo is off: start the server with --enable_diagnostics");
  }
  return Answer(request, response);
}

grpc::Status DiagnosticsService::Echo(grpc::ServerContext* context,
                                      const v1::EchoRequest* request,
                                      v1::EchoResponse* response) {
  // The serving probe's calls are answered even when off.
  if (!probe_secret_.empty()) {
    auto probe = context->client_metadata().find(kProbeMetadata);
    if (probe != context->client_metadata().end() &&
        absl::string_view(probe->second.data(), probe->second.size()) ==
            probe_secret_) {
      return ToGrpcStatus(Answer(*request, response));
    }
  }
  return ToGrpcStatus(Echo(FromGrpc(*context), *request, response));
}

}  // namespace recommender::serving
