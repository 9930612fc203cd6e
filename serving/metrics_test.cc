#include "serving/metrics.h"

#include <string>

#include "gtest/gtest.h"

namespace recommender::serving {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(MetricsTest, RendersCountersHistogramsAndCallbacks) {
  Metrics metrics;
  for (int i = 0; i < 4; ++i) {
    metrics.RecordStart("/recommender.v1.Recommender/Recommend", "unary");
  }
  metrics.RecordRpc("/recommender.v1.Recommender/Recommend", "unary", "OK", 0.003);
  metrics.RecordRpc("/recommender.v1.Recommender/Recommend", "unary", "OK", 0.2);
  metrics.RecordRpc("/recommender.v1.Recommender/Recommend", "unary",
                    "INVALID_ARGUMENT", 0.0001);
  double version = 42;
  metrics.AddCallback("recommender_model_version", "The model in service.",
                      Metrics::Kind::kGauge, [&version] { return version; });
  const std::string text = metrics.Render();
  const std::string labels =
      "grpc_service=\"recommender.v1.Recommender\",grpc_method=\"Recommend\","
      "grpc_type=\"unary\"";
  // Four started, three handled: one is still in flight.
  EXPECT_TRUE(Has(text, "# TYPE grpc_server_started_total counter"));
  EXPECT_TRUE(Has(text, "grpc_server_started_total{" + labels + "} 4")) << text;
  EXPECT_TRUE(Has(text, "grpc_server_handled_total{" + labels +
                            ",grpc_code=\"OK\"} 2"))
      << text;
  EXPECT_TRUE(Has(text, "grpc_server_handled_total{" + labels +
                            ",grpc_code=\"INVALID_ARGUMENT\"} 1"));
  EXPECT_TRUE(Has(text, "# TYPE grpc_server_handling_seconds histogram"));
  // Cumulative buckets per status code: the OK calls took 3 ms and 0.2 s,
  // the refused one 0.1 ms.
  const std::string ok = labels + ",grpc_code=\"OK\"";
  const std::string refused = labels + ",grpc_code=\"INVALID_ARGUMENT\"";
  EXPECT_TRUE(Has(text, "grpc_server_handling_seconds_bucket{" + ok +
                            ",le=\"0.0005\"} 0"))
      << text;
  EXPECT_TRUE(Has(text, "grpc_server_handling_seconds_bucket{" + ok +
                            ",le=\"0.005\"} 1"));
  EXPECT_TRUE(Has(text, "grpc_server_handling_seconds_bucket{" + ok +
                            ",le=\"0.25\"} 2"));
  EXPECT_TRUE(Has(text, "grpc_server_handling_seconds_bucket{" + ok +
                            ",le=\"+Inf\"} 2"));
  EXPECT_TRUE(Has(text, "grpc_server_handling_seconds_count{" + ok + "} 2"));
  EXPECT_TRUE(Has(text, "grpc_server_handling_seconds_bucket{" + refused +
                            ",le=\"0.0005\"} 1"));
  EXPECT_TRUE(Has(text, "grpc_server_handling_seconds_count{" + refused + "} 1"));
  EXPECT_TRUE(Has(text, "# TYPE recommender_model_version gauge"));
  EXPECT_TRUE(Has(text, "recommender_model_version 42"));
  version = 43;
  EXPECT_TRUE(Has(metrics.Render(), "recommender_model_version 43"));
}

// A model version such as 20261206093015 is printed digit for digit:
// versions that differ in the last digits must not look equal.
TEST(MetricsTest, PrintsWholeNumbersExactlyAndFractionsRoundTrip) {
  Metrics metrics;
  metrics.AddCallback("recommender_model_version", "The model in service.",
                      Metrics::Kind::kGauge, [] { return 20261206093015.0; });
  metrics.AddCallback("big_total", "A large count.", Metrics::Kind::kCounter,
                      [] { return 9007199254740992.0; });
  metrics.AddCallback("age_seconds", "A fraction.", Metrics::Kind::kGauge,
                      [] { return 0.1; });
  metrics.AddCallback("ratio", "A fraction needing 17 digits.",
                      Metrics::Kind::kGauge, [] { return 1.0 / 3.0; });
  const std::string text = metrics.Render();
  EXPECT_TRUE(Has(text, "recommender_model_version 20261206093015")) << text;
  EXPECT_TRUE(Has(text, "big_total 9007199254740992")) << text;
  EXPECT_TRUE(Has(text, "age_seconds 0.1")) << text;
  EXPECT_TRUE(Has(text, "ratio 0.3333333333333333")) << text;
}

TEST(MetricsTest, GatewayCallsAreKeptApartAndSnapshotted) {
  Metrics metrics;
  metrics.RecordStart("/recommender.v1.Recommender/Recommend", "unary");
  metrics.RecordRpc("/recommender.v1.Recommender/Recommend", "unary", "OK",
                    0.002);
  EXPECT_EQ(metrics.Render().find("http_server_"), std::string::npos);
  metrics.RecordStart("/recommender.v1.Recommender/Recommend", "unary",
                      Metrics::Transport::kHttp);
  metrics.RecordRpc("/recommender.v1.Recommender/Recommend", "unary",
                    "NOT_FOUND", 0.02, Metrics::Transport::kHttp);
  metrics.AddCallback("recommender_live_events", "Events.",
                      Metrics::Kind::kGauge, [] { return 7.0; });
  const std::string text = metrics.Render();
  const std::string labels =
      "grpc_service=\"recommender.v1.Recommender\",grpc_method=\"Recommend\","
      "grpc_type=\"unary\"";
  EXPECT_TRUE(
      Has(text, "grpc_server_handled_total{" + labels + ",grpc_code=\"OK\"} 1"))
      << text;
  EXPECT_TRUE(Has(text, "http_server_started_total{" + labels + "} 1"));
  EXPECT_TRUE(Has(text, "http_server_handled_total{" + labels +
                            ",grpc_code=\"NOT_FOUND\"} 1"));
  EXPECT_TRUE(Has(text, "http_server_handling_seconds_count{" + labels +
                            ",grpc_code=\"NOT_FOUND\"} 1"));
  EXPECT_EQ(text.find("grpc_server_handled_total{" + labels +
                      ",grpc_code=\"NOT_FOUND\"}"),
            std::string::npos);

  const Metrics::Values values = metrics.Snapshot();
  ASSERT_EQ(values.started.size(), 2u);
  ASSERT_EQ(values.handled.size(), 2u);
  EXPECT_EQ(values.handled[0].key.transport, Metrics::Transport::kGrpc);
  EXPECT_EQ(values.handled[0].code, "OK");
  EXPECT_EQ(values.handled[1].key.transport, Metrics::Transport::kHttp);
  EXPECT_EQ(values.handled[1].key.method, "Recommend");
  EXPECT_EQ(values.handled[1].code, "NOT_FOUND");
  EXPECT_EQ(values.handled[1].latency.count, 1);
  EXPECT_EQ(values.handled[1].latency.buckets[4], 0);  // <= 10 ms
  EXPECT_EQ(values.handled[1].latency.buckets[5], 1);  // <= 25 ms
  ASSERT_EQ(values.values.size(), 1u);
  EXPECT_EQ(values.values[0].first, "recommender_live_events");
  EXPECT_EQ(values.values[0].second, 7.0);
}

}  // namespace
}  // namespace recommender::serving
