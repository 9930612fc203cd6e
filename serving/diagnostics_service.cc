#include "serving/diagnostics_service.h"

namespace recommender::serving {

grpc::Status DiagnosticsService::Echo(grpc::ServerContext* /*context*/,
                                      const v1::EchoRequest* request,
                                      v1::EchoResponse* response) {
  response->set_payload(request->payload());
  return grpc::Status::OK;
}

}  // namespace recommender::serving
