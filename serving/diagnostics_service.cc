#include "serving/diagnostics_service.h"

#include "serving/grpc_status.h"

namespace recommender::serving {

absl::Status DiagnosticsService::Echo(const CallContext& /*call*/,
                                      const v1::EchoRequest& request,
                                      v1::EchoResponse* response) {
  response->set_payload(request.payload());
  return absl::OkStatus();
}

grpc::Status DiagnosticsService::Echo(grpc::ServerContext* context,
                                      const v1::EchoRequest* request,
                                      v1::EchoResponse* response) {
  return ToGrpcStatus(Echo(FromGrpc(*context), *request, response));
}

}  // namespace recommender::serving
