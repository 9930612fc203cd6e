#include "serving/diagnostics_service.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "serving/grpc_status.h"

namespace recommender::serving {

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
  // The serving probe's in-process calls are answered even when off.
  if (absl::StartsWith(context->peer(), "inproc")) {
    return ToGrpcStatus(Answer(*request, response));
  }
  return ToGrpcStatus(Echo(FromGrpc(*context), *request, response));
}

}  // namespace recommender::serving
