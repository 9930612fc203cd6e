// Requests that do not parse. gRPC's synchronous server answers a request
// it cannot deserialize with INTERNAL and an empty message, and protobuf
// logs a line of its own (not JSON) for every string field that is not
// valid UTF-8, so any client could fill the error log. Here:
//
// - InstallProtobufLogHandler routes protobuf's log through json_log.h and,
//   instead of logging a UTF-8 complaint made while parsing a request, keeps
//   the field it names for the interceptor below (on the parsing thread);
// - RequestParseErrorInterceptorFactory turns the INTERNAL answer to a
//   request that failed to parse into INVALID_ARGUMENT naming the field
//   ("events.customer_id: not valid UTF-8 ...") or, for bytes that are not
//   the request message at all, saying so. It must come before interceptors
//   that read the status (metrics), which then count INVALID_ARGUMENT.
//
// Thread-safe. InstallProtobufLogHandler may be called more than once.
#ifndef SERVING_REQUEST_PARSE_ERRORS_H_
#define SERVING_REQUEST_PARSE_ERRORS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/server_interceptor.h"

namespace recommender::serving {

void InstallProtobufLogHandler();

class RequestParseErrorInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

// The message for a request of `full_method` ("/package.Service/Method")
// that did not parse; `utf8_field` is the full name of the string field
// protobuf found not UTF-8 ("recommender.v1.Event.customer_id"), or empty.
// The field is given as its path in the request ("events.customer_id").
std::string RequestParseErrorMessage(absl::string_view full_method,
                                     absl::string_view utf8_field);

}  // namespace recommender::serving

#endif  // SERVING_REQUEST_PARSE_ERRORS_H_
