// Fuzzes request validation and conversion for every RPC of
// recommender.v1.Recommender, through the service's own handlers (and, for
// BatchRecommend's stream, PlanBatch and the per-customer picks) against a
// small model with live events. The first byte picks the RPC; the rest is
// the request message. Whatever it holds: no crash, never INTERNAL or
// UNKNOWN, an error message that is short, printable UTF-8 and names a
// field, and an answer that serializes (its strings are UTF-8).
#include <string>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "recommender/live/live_context.h"
#include "recommender/live/live_events.h"
#include "recommender/model/model_manager.h"
#include "recommender/model/snapshot_writer.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/util/file_util.h"
#include "recommender/util/quote.h"
#include "serving/grpc_status.h"
#include "serving/recommender_service.h"
#include "tests/fuzz/fuzz_target.h"

namespace recommender::fuzz {
namespace {

constexpr int64_t kJan1 = 1767225600;  // 2026-01-01T00:00:00Z.
constexpr int64_t kDay = 86400;

struct World {
  std::unique_ptr<ModelManager> models;
  std::unique_ptr<LiveEvents> live;
  std::unique_ptr<serving::RecommenderService> service;
};

World& TheWorld() {
  static World* world = [] {
    auto* out = new World;
    const std::string root = ScratchDir("requests");
    SnapshotContents contents =
        TestSnapshotBuilder(2)
            .AddItem("kettle", "kitchen/appliances", {1, 0}, snapshot::DURABLE)
            .AddItem("coffee", "food/coffee", {0.5f, 1})
            .AddItem("tea", "food/tea", {0.2f, 1})
            .AddCustomer("bob", {1, 0.5f},
                         {{"coffee", kJan1},
                          {"coffee", kJan1 + 30 * kDay},
                          {"kettle", kJan1 + 40 * kDay}})
            .AddCustomer("ann", {0.1f, 1})
            .SetRepurchaseCycle("coffee", 30)
            .SetDataEnd(kJan1 + 65 * kDay)
            .Build(5);
    FuzzCheck(WriteSnapshot(contents, JoinPath(root, "models")).ok(),
              "model written");
    out->models = std::make_unique<ModelManager>(JoinPath(root, "models"),
                                                 ModelManager::Listener{});
    FuzzCheck(out->models->PollOnce().ok(), "model loaded");
    LiveEvents::Options options;
    options.log.sync = false;
    options.max_live_customers = 256;
    events::EventLogReadSummary recovered;
    auto live = LiveEvents::Open(JoinPath(root, "events"), options,
                                 out->models->Current()->manifest().event_log_sequence(),
                                 &recovered);
    FuzzCheck(live.ok(), "event log opened");
    out->live = *std::move(live);
    // A fixed wall clock: the same input gives the same answer.
    out->service = std::make_unique<serving::RecommenderService>(
        out->models.get(), out->live.get(),
        serving::RequestClock(serving::ClockMode::kWall,
                              [] { return absl::FromUnixSeconds(kJan1 + 70 * kDay); }));
    return out;
  }();
  return *world;
}

void CheckStatus(const grpc::Status& status) {
  FuzzCheck(status.error_code() != grpc::StatusCode::INTERNAL &&
                status.error_code() != grpc::StatusCode::UNKNOWN,
            "never INTERNAL or UNKNOWN");
  if (status.ok()) return;
  const std::string& message = status.error_message();
  FuzzCheck(message.size() < 1024, "error messages are short");
  FuzzCheck(IsValidUtf8(message), "error messages are UTF-8");
  for (char c : message) {
    FuzzCheck(static_cast<unsigned char>(c) >= 0x20, "no control characters");
  }
  FuzzCheck(absl::StrContains(message, ": "), "an error names its field");
}

void CheckAnswer(const google::protobuf::Message& response) {
  std::string bytes;
  FuzzCheck(response.SerializeToString(&bytes), "the answer serializes");
}

template <typename Request, typename Response, typename Handler>
void Call(const uint8_t* data, size_t size, Handler handler) {
  Request request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  Response response;
  grpc::ServerContext context;
  const grpc::Status status = handler(&context, &request, &response);
  CheckStatus(status);
  if (status.ok()) CheckAnswer(response);
}

}  // namespace
}  // namespace recommender::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace recommender;  // NOLINT
  using namespace recommender::fuzz;  // NOLINT
  if (size == 0) return 0;
  World& world = TheWorld();
  serving::RecommenderService& service = *world.service;
  const uint8_t rpc = data[0];
  ++data;
  --size;
  switch (rpc % 9) {
    case 0:
      Call<v1::RecommendRequest, v1::RecommendResponse>(
          data, size, [&](auto* c, auto* q, auto* r) { return service.Recommend(c, q, r); });
      break;
    case 1:
      Call<v1::SimilarItemsRequest, v1::SimilarItemsResponse>(
          data, size, [&](auto* c, auto* q, auto* r) { return service.SimilarItems(c, q, r); });
      break;
    case 2:
      Call<v1::GetCustomerHistoryRequest, v1::GetCustomerHistoryResponse>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return service.GetCustomerHistory(c, q, r); });
      break;
    case 3:
      Call<v1::GetModelInfoRequest, v1::ModelInfo>(
          data, size, [&](auto* c, auto* q, auto* r) { return service.GetModelInfo(c, q, r); });
      break;
    case 4:
      Call<v1::RecordEventsRequest, v1::RecordEventsResponse>(
          data, size, [&](auto* c, auto* q, auto* r) { return service.RecordEvents(c, q, r); });
      break;
    case 5:
      Call<v1::UpsertItemsRequest, v1::UpsertItemsResponse>(
          data, size, [&](auto* c, auto* q, auto* r) { return service.UpsertItems(c, q, r); });
      break;
    case 6:
      Call<v1::PredictNextPurchaseRequest, v1::PredictNextPurchaseResponse>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return service.PredictNextPurchase(c, q, r); });
      break;
    case 7:
      Call<v1::ListDueCustomersRequest, v1::ListDueCustomersResponse>(
          data, size,
          [&](auto* c, auto* q, auto* r) { return service.ListDueCustomers(c, q, r); });
      break;
    default: {
      v1::BatchRecommendRequest request;
      if (!request.ParseFromArray(data, static_cast<int>(size))) break;
      const std::shared_ptr<const ModelSnapshot> model = world.models->Current();
      absl::StatusOr<serving::BatchPlan> plan = serving::PlanBatch(
          request, *model, &world.live->state(),
          absl::FromUnixSeconds(kJan1 + 70 * kDay));
      if (!plan.ok()) {
        CheckStatus(serving::ToGrpcStatus(plan.status()));
        break;
      }
      for (size_t i = 0; i < plan->customers.size() && i < 3; ++i) {
        plan->query.customer_id = plan->customers[i];
        absl::StatusOr<std::vector<Recommendation>> picks =
            RecommendWithLiveContext(*model, &world.live->state(), plan->query);
        FuzzCheck(picks.ok(), "a planned customer gets picks");
      }
    }
  }
  return 0;
}
