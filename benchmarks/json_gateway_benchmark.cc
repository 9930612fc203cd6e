// What the HTTP gateway's JSON costs on top of the call itself, in process:
// a Recommend request parsed from JSON and a 10-item response printed as
// JSON (serving/http/json_api.h: protobuf's canonical mapping), against the
// same messages in protobuf's binary wire format, which gRPC parses and
// writes. The transport (HTTP/1.1 vs HTTP/2) is measured end to end by
// benchmarks/http_vs_grpc.sh.
#include <string>

#include "benchmark/benchmark.h"
#include "benchmarks/benchmark_main.h"
#include "proto/recommender.pb.h"
#include "serving/http/json_api.h"

namespace recommender::serving {
namespace {

v1::RecommendResponse Response(int items) {
  v1::RecommendResponse response;
  for (int i = 0; i < items; ++i) {
    v1::RecommendedItem* item = response.add_items();
    item->set_item_id("P" + std::to_string(10000 + i));
    item->set_score(0.9f - 0.01f * i);
    item->set_reason(v1::REASON_PERSONALIZED);
    item->set_reason_text("similar to Kumo Sencha 緑茶 (small) you bought");
    item->set_title("Kawa Sencha 緑茶 (regular)");
    item->set_category("food/tea");
    item->set_price(1480);
  }
  response.set_model_version(20261123040506);
  response.set_recommendation_id("r-00112233445566778899aabbccddeeff");
  return response;
}

constexpr char kRequestJson[] =
    R"({"customerId":"C00042","count":10,"filter":{"inStockOnly":true}})";

void BM_RequestFromJson(benchmark::State& state) {
  for (auto _ : state) {
    v1::RecommendRequest request;
    benchmark::DoNotOptimize(ParseJson(kRequestJson, &request));
  }
}

void BM_RequestFromBinary(benchmark::State& state) {
  v1::RecommendRequest request;
  if (!ParseJson(kRequestJson, &request).ok()) state.SkipWithError("parse");
  const std::string wire = request.SerializeAsString();
  for (auto _ : state) {
    v1::RecommendRequest parsed;
    benchmark::DoNotOptimize(parsed.ParseFromString(wire));
  }
}

void BM_ResponseToJson(benchmark::State& state) {
  const v1::RecommendResponse response = Response(state.range(0));
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string json = ToJson(response);
    bytes = json.size();
    benchmark::DoNotOptimize(json);
  }
  state.counters["bytes"] = bytes;
}

void BM_ResponseToBinary(benchmark::State& state) {
  const v1::RecommendResponse response = Response(state.range(0));
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string wire = response.SerializeAsString();
    bytes = wire.size();
    benchmark::DoNotOptimize(wire);
  }
  state.counters["bytes"] = bytes;
}

}  // namespace
}  // namespace recommender::serving

int main(int argc, char** argv) {
  using namespace recommender::serving;  // NOLINT: the benchmarks' names.
  return recommender::RunBenchmarkMain(argc, argv, [](bool smoke) {
    const int items = smoke ? 2 : 10;
    benchmark::RegisterBenchmark("RequestFromJson", BM_RequestFromJson);
    benchmark::RegisterBenchmark("RequestFromBinary", BM_RequestFromBinary);
    benchmark::RegisterBenchmark("ResponseToJson", BM_ResponseToJson)->Arg(items);
    benchmark::RegisterBenchmark("ResponseToBinary", BM_ResponseToBinary)->Arg(items);
  });
}
