// The demo's client: for a few customers, prints what they bought and the
// picks the server returns over gRPC, and checks that no durable item they
// own is among the picks.
//
//   demo_client --target=127.0.0.1:50051 --customers=C00001,C00002
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "grpcpp/grpcpp.h"
#include "absl/time/clock.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "proto/recommender.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "Server address.");
ABSL_FLAG(std::string, customers, "", "Comma-separated customer ids.");
ABSL_FLAG(int32_t, count, 5, "Picks per customer.");
ABSL_FLAG(int32_t, history, 5, "Recent purchases to show per customer.");
ABSL_FLAG(int32_t, wait_for_serving_seconds, 30,
          "How long to wait for the server's health to become SERVING.");

namespace recommender::v1 {
namespace {

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(5));
  return context;
}

const char* DurabilityName(Durability durability) {
  switch (durability) {
    case DURABLE:
      return "durable";
    case CONSUMABLE:
      return "consumable";
    default:
      return "unknown";
  }
}

// Prints one customer's story; false if a call failed or a check broke.
bool ShowCustomer(Recommender::Stub& stub, const std::string& customer_id) {
  GetCustomerHistoryRequest history_request;
  history_request.set_customer_id(customer_id);
  GetCustomerHistoryResponse history;
  grpc::Status status =
      stub.GetCustomerHistory(Context().get(), history_request, &history);
  if (!status.ok()) {
    std::cerr << "GetCustomerHistory(" << customer_id
              << "): " << status.error_message() << "\n";
    return false;
  }
  RecommendRequest request;
  request.set_customer_id(customer_id);
  request.set_count(absl::GetFlag(FLAGS_count));
  RecommendResponse picks;
  status = stub.Recommend(Context().get(), request, &picks);
  if (!status.ok()) {
    std::cerr << "Recommend(" << customer_id << "): " << status.error_message()
              << "\n";
    return false;
  }

  std::cout << "\nCustomer " << customer_id << "\n  Recent purchases:\n";
  absl::flat_hash_set<std::string> owned_durables;
  int shown = 0;
  for (const Purchase& purchase : history.purchases()) {
    if (purchase.durability() == DURABLE) {
      owned_durables.insert(purchase.item_id());
    }
    if (shown++ < absl::GetFlag(FLAGS_history)) {
      std::cout << absl::StrFormat("    %s  %-40s %-26s %s\n",
                                   purchase.purchased_at().substr(0, 10),
                                   purchase.title(), purchase.category(),
                                   DurabilityName(purchase.durability()));
    }
  }
  std::cout << absl::StrFormat("  Picks (model %d, %s):\n",
                               picks.model_version(),
                               picks.recommendation_id());
  int rank = 0;
  int owned_durables_in_picks = 0;
  for (const RecommendedItem& item : picks.items()) {
    owned_durables_in_picks += owned_durables.contains(item.item_id());
    std::cout << absl::StrFormat("    %d. %-40s %-26s %8.0f yen  %.3f  %s\n",
                                 ++rank, item.title(), item.category(),
                                 item.price(), item.score(),
                                 item.reason_text());
  }
  std::cout << absl::StrFormat(
      "  Durables owned: %d; among the picks: %d %s\n", owned_durables.size(),
      owned_durables_in_picks,
      owned_durables_in_picks == 0 ? "(OK: never re-offered)" : "(WRONG)");
  return owned_durables_in_picks == 0;
}

// Polls grpc.health.v1 until the server reports SERVING.
bool WaitUntilServing(const std::shared_ptr<grpc::Channel>& channel) {
  auto health = grpc::health::v1::Health::NewStub(channel);
  const absl::Time deadline =
      absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_wait_for_serving_seconds));
  while (absl::Now() < deadline) {
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    if (health->Check(Context().get(), request, &response).ok() &&
        response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

int Run() {
  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_target),
                                     grpc::InsecureChannelCredentials());
  if (!WaitUntilServing(channel)) {
    std::cerr << "server at " << absl::GetFlag(FLAGS_target)
              << " is not SERVING\n";
    return 1;
  }
  auto stub = Recommender::NewStub(channel);
  ModelInfo info;
  grpc::Status status =
      stub->GetModelInfo(Context().get(), GetModelInfoRequest(), &info);
  if (!status.ok()) {
    std::cerr << "GetModelInfo: " << status.error_message() << "\n";
    return 1;
  }
  std::cout << absl::StrFormat(
      "Model %d trained %s on events up to %s: %d items, %d customers, "
      "%d events, %d-d embeddings, %s index\n",
      info.model_version(), info.trained_at(), info.data_end(),
      info.num_items(), info.num_customers(), info.num_events(),
      info.embedding_dimension(), info.index_type());
  bool all_good = true;
  for (absl::string_view id :
       absl::StrSplit(absl::GetFlag(FLAGS_customers), ',', absl::SkipEmpty())) {
    all_good = ShowCustomer(*stub, std::string(id)) && all_good;
  }
  return all_good ? 0 : 1;
}

}  // namespace
}  // namespace recommender::v1

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return recommender::v1::Run();
}
