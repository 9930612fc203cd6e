// The gRPC side of access control: an auth metadata processor that runs
// auth::Authorizer (serving/auth/authorizer.h) on every call before any
// handler sees it, and CallerOf, which tells a handler whose key the call
// carries. A refused call never reaches a handler or an interceptor, so the
// processor also counts it in the metrics (grpc_server_handled_total with
// its code). The authorization metadata is consumed: handlers never see a
// key.
//
// gRPC runs auth metadata processors only on secure credentials: the server
// uses TLS credentials, or local credentials (loopback only) when keys are
// on without TLS.
//
// Thread-safe: Process runs on gRPC's threads concurrently.
#ifndef SERVING_GRPC_AUTH_H_
#define SERVING_GRPC_AUTH_H_

#include "grpcpp/security/auth_metadata_processor.h"
#include "grpcpp/server_context.h"
#include "serving/auth/authorizer.h"
#include "serving/metrics.h"

namespace recommender::serving {

class GrpcAuthProcessor final : public grpc::AuthMetadataProcessor {
 public:
  // Neither is owned; both must outlive the server. `metrics` may be null.
  GrpcAuthProcessor(auth::Authorizer* authorizer, Metrics* metrics)
      : authorizer_(authorizer), metrics_(metrics) {}

  // Cheap (a hash and a lookup): runs on the call's thread.
  bool IsBlocking() const override { return false; }

  grpc::Status Process(const InputMetadata& metadata, grpc::AuthContext* context,
                       OutputMetadata* consumed_metadata,
                       OutputMetadata* response_metadata) override;

 private:
  auth::Authorizer* const authorizer_;
  Metrics* const metrics_;
};

// Who makes the call: the key the processor accepted, or
// Authorizer::Unrestricted() when keys are off.
auth::Principal CallerOf(const grpc::ServerContextBase& context,
                         const auth::Authorizer& authorizer);

// "unary" or "server_stream" etc. for a full method name of a service
// linked into the binary ("unary" if unknown), for metrics labels.
absl::string_view MethodTypeName(absl::string_view full_method);

}  // namespace recommender::serving

#endif  // SERVING_GRPC_AUTH_H_
