// A gRPC server interceptor that counts every call (every service: the
// recommender, diagnostics, health, reflection) as it starts, and times it
// and records it by method and status code as it ends; calls ending in a
// server fault (INTERNAL, UNKNOWN, DATA_LOSS) are also logged. Keeps the
// handlers free of bookkeeping.
//
// Thread-safe: one interceptor per call; Metrics is thread-safe.
#ifndef SERVING_METRICS_INTERCEPTOR_H_
#define SERVING_METRICS_INTERCEPTOR_H_

#include "absl/strings/string_view.h"
#include "grpcpp/support/server_interceptor.h"
#include "grpcpp/support/status_code_enum.h"
#include "serving/metrics.h"

namespace recommender::serving {

class MetricsInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `metrics` is not owned and must outlive the server.
  explicit MetricsInterceptorFactory(Metrics* metrics) : metrics_(metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  Metrics* metrics_;
};

// "OK", "INVALID_ARGUMENT", ...: the names Prometheus' gRPC metrics use;
// "UNKNOWN" for a number that is no gRPC code (a peer may send any). An
// int, since such a number is no valid grpc::StatusCode value.
absl::string_view StatusCodeName(int code);

}  // namespace recommender::serving

#endif  // SERVING_METRICS_INTERCEPTOR_H_
