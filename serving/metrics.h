// Metrics: the server's counters, latency histograms and gauges, rendered
// in the Prometheus text exposition format (version 0.0.4) for the admin
// port's /metrics. Per RPC and status code it keeps the names operators
// know from go-grpc-prometheus: grpc_server_started_total,
// grpc_server_handled_total (started minus handled: the calls in flight)
// and the grpc_server_handling_seconds histogram, which here also carries
// grpc_code (fast refusals do not hide slow successes); gauges (model
// version and age, event log size, ...) are read from callbacks when
// rendered. Calls through the HTTP gateway (serving/http/) are kept apart,
// under the same labels in http_server_started_total,
// http_server_handled_total and http_server_handling_seconds. Snapshot()
// gives the same figures as data, for the JSON status page.
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
  // Which front door a call came through.
  enum class Transport { kGrpc, kHttp };

  // One call has started (counted per method, whatever its outcome).
  // Arguments as in RecordRpc.
  void RecordStart(absl::string_view full_method, absl::string_view type,
                   Transport transport = Transport::kGrpc);

  // One finished call. `full_method` is gRPC's "/package.Service/Method";
  // `type` is "unary", "server_stream", "client_stream" or "bidi_stream";
  // `code` the gRPC status code's name ("OK", "INVALID_ARGUMENT", ...).
  void RecordRpc(absl::string_view full_method, absl::string_view type,
                 absl::string_view code, double seconds,
                 Transport transport = Transport::kGrpc);

  // A value read when rendering, e.g. the model's version. `name` must be
  // a valid metric name; counters should only grow.
  void AddCallback(std::string name, std::string help, Kind kind,
                   std::function<double()> value);

  // Everything in the Prometheus text format.
  std::string Render() const;

  struct MethodKey {
    Transport transport = Transport::kGrpc;
    std::string service;
    std::string method;
    std::string type;
    bool operator<(const MethodKey& other) const {
      return std::tie(transport, service, method, type) <
             std::tie(other.transport, other.service, other.method, other.type);
    }
  };
  struct Latency {
    // Calls that took at most kLatencyBuckets[i] seconds (cumulative).
    std::array<int64_t, kLatencyBuckets.size()> buckets = {};
    int64_t count = 0;
    double sum = 0;
  };
  // The figures of one method and status code.
  struct MethodCode {
    MethodKey key;
    std::string code;
    Latency latency;
  };
  struct Values {
    // Started calls per method.
    std::vector<std::pair<MethodKey, int64_t>> started;
    // Finished calls per method and code, with their latencies.
    std::vector<MethodCode> handled;
    // The callbacks' current values, by name, in registration order.
    std::vector<std::pair<std::string, double>> values;
  };
  // Everything Render() shows, as data.
  Values Snapshot() const;

 private:
  struct Callback {
    std::string name;
    std::string help;
    Kind kind;
    std::function<double()> value;
  };

  // "/package.Service/Method" and type -> the labels.
  static MethodKey KeyOf(absl::string_view full_method, absl::string_view type,
                         Transport transport);
  // The three call families of one transport, in the text format.
  void RenderCalls(Transport transport, std::string* out) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

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
