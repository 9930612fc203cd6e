// Metrics: the server's counters, latency histograms and gauges, rendered
// in the Prometheus text exposition format (version 0.0.4) for the admin
// port's /metrics. Per RPC and status code it keeps the names operators
// know from go-grpc-prometheus: grpc_server_started_total,
// grpc_server_handled_total (started minus handled: the calls in flight)
// and the grpc_server_handling_seconds histogram, which here also carries
// grpc_code (fast refusals do not hide slow successes); gauges (model
// version and age, event log size, ...) are read from callbacks when
// rendered.
//
// Thread-safe: RecordRpc and Render may run concurrently; register gauges
// before the server starts.
#ifndef SERVING_METRICS_H_
#define SERVING_METRICS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace recommender::serving {

class Metrics {
 public:
  // Upper bounds of the latency histogram's buckets, seconds.
  static constexpr std::array<double, 14> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,  0.5,    1,     2.5,  5,     10};

  enum class Kind { kCounter, kGauge };

  // One call has started (counted per method, whatever its outcome).
  // Arguments as in RecordRpc.
  void RecordStart(absl::string_view full_method, absl::string_view type);

  // One finished call. `full_method` is gRPC's "/package.Service/Method";
  // `type` is "unary", "server_stream", "client_stream" or "bidi_stream";
  // `code` the gRPC status code's name ("OK", "INVALID_ARGUMENT", ...).
  void RecordRpc(absl::string_view full_method, absl::string_view type,
                 absl::string_view code, double seconds);

  // A value read when rendering, e.g. the model's version. `name` must be
  // a valid metric name; counters should only grow.
  void AddCallback(std::string name, std::string help, Kind kind,
                   std::function<double()> value);

  // Everything in the Prometheus text format.
  std::string Render() const;

 private:
  struct MethodKey {
    std::string service;
    std::string method;
    std::string type;
    bool operator<(const MethodKey& other) const {
      return std::tie(service, method, type) <
             std::tie(other.service, other.method, other.type);
    }
  };
  struct Latency {
    std::array<int64_t, kLatencyBuckets.size()> buckets = {};
    int64_t count = 0;
    double sum = 0;
  };
  struct Callback {
    std::string name;
    std::string help;
    Kind kind;
    std::function<double()> value;
  };

  // "/package.Service/Method" and type -> the labels.
  static MethodKey KeyOf(absl::string_view full_method, absl::string_view type);

  mutable absl::Mutex mu_;
  std::map<MethodKey, int64_t> started_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<MethodKey, std::string>, int64_t> handled_
      ABSL_GUARDED_BY(mu_);
  // By method and status code, as handled_.
  std::map<std::pair<MethodKey, std::string>, Latency> latency_
      ABSL_GUARDED_BY(mu_);
  std::vector<Callback> callbacks_ ABSL_GUARDED_BY(mu_);
};

}  // namespace recommender::serving

#endif  // SERVING_METRICS_H_
