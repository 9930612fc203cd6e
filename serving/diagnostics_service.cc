#include "serving/diagnostics_service.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "serving/grpc_status.h"

namespace recommender::serving {

grpc::Status DiagnosticsService::Echo(grpc::ServerContext* /*context*/,
                                      const v1::EchoRequest* request,
                                      v1::EchoResponse* response) {
  if (request->payload().size() > kMaxEchoPayloadBytes) {
    return ToGrpcStatus(absl::InvalidArgumentError(
        absl::StrCat("payload: at most ", kMaxEchoPayloadBytes, " bytes, got ",
                     request->payload().size())));
  }
  response->set_payload(request->payload());
  return grpc::Status::OK;
}

}  // namespace recommender::serving
