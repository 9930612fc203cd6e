// A gRPC server interceptor that writes the audit log line of every call
// that ran (refused calls are audited by the Authorizer itself): at the
// end of a call whose method the role table marks audited, it hands the
// caller, the outcome, the duration and the counts to
// auth::Authorizer::CallFinished. Counts are the messages received and sent
// (a campaign stream's customers) plus any a handler reported with
// ReportCount, never request contents.
//
// Thread-safe: one interceptor per call.
#ifndef SERVING_AUDIT_INTERCEPTOR_H_
#define SERVING_AUDIT_INTERCEPTOR_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"
#include "serving/auth/authorizer.h"

namespace recommender::serving {

class AuditInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `authorizer` is not owned and must outlive the server.
  explicit AuditInterceptorFactory(auth::Authorizer* authorizer)
      : authorizer_(authorizer) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  auth::Authorizer* authorizer_;
};

// Reports a count for the call's audit line (e.g. "customers", 120): sent
// to the client as trailing metadata "recommender-count-<name>" too.
void ReportCount(grpc::ServerContext* context, absl::string_view name,
                 int64_t value);

}  // namespace recommender::serving

#endif  // SERVING_AUDIT_INTERCEPTOR_H_
