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
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "proto/recommender.grpc.pb.h"
#include "serving/client_flags.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "Server address.");
ABSL_FLAG(std::string, customers, "", "Comma-separated customer ids.");
ABSL_FLAG(int32_t, count, 5, "Picks per customer.");
ABSL_FLAG(int32_t, history, 5, "Recent purchases to show per customer.");
ABSL_FLAG(int32_t, due_days, 7,
          "Also list the customers with a consumable due within this many "
          "days of the model's data end, and show the first; 0: do not.");
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

// Prints when the customer will buy again; false if the call failed.
bool ShowTiming(Recommender::Stub& stub, const std::string& customer_id) {
  PredictNextPurchaseRequest request;
  request.set_customer_id(customer_id);
  request.set_horizon_days(30);
  PredictNextPurchaseResponse timing;
  const grpc::Status status =
      stub.PredictNextPurchase(Context().get(), request, &timing);
  if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) return true;
  if (!status.ok()) {
    std::cerr << "PredictNextPurchase(" << customer_id
              << "): " << status.error_message() << "\n";
    return false;
  }
  const CustomerLifetime& c = timing.customer();
  std::cout << absl::StrFormat(
      "  As of %s: active with p=%.2f; next 30 days %.1f orders expected "
      "(%.0f yen)\n",
      timing.as_of().substr(0, 10), c.probability_active(),
      c.expected_orders(), c.expected_spend());
  int shown = 0;
  for (const ConsumableForecast& f : timing.consumables()) {
    if (f.status() == LAPSED || shown++ == 3) continue;
    std::cout << absl::StrFormat(
        "    %-40s %-9s next ~%s (%s..%s), p(30d)=%.2f: %s\n", f.title(),
        RepurchaseStatus_Name(f.status()), f.predicted_at().substr(0, 10),
        f.earliest_at().substr(5, 5), f.latest_at().substr(5, 5),
        f.probability_within_horizon(), f.explanation());
  }
  return true;
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
  return ShowTiming(stub, customer_id) && owned_durables_in_picks == 0;
}

// Lists the customers with a consumable due in the next --due_days days
// (from the model's data end) and shows the first one's story.
bool ShowDueCustomers(Recommender::Stub& stub, const ModelInfo& info) {
  absl::CivilDay today;
  if (!absl::ParseCivilTime(info.data_end().substr(0, 10), &today)) {
    std::cerr << "data_end " << info.data_end() << " is not a date\n";
    return false;
  }
  ListDueCustomersRequest request;
  request.set_due_from(absl::FormatCivilTime(today));
  request.set_due_to(
      absl::FormatCivilTime(today + absl::GetFlag(FLAGS_due_days) - 1));
  request.set_min_probability_active(0.5);
  ListDueCustomersResponse due;
  const grpc::Status status =
      stub.ListDueCustomers(Context().get(), request, &due);
  if (!status.ok()) {
    std::cerr << "ListDueCustomers: " << status.error_message() << "\n";
    return false;
  }
  std::cout << absl::StrFormat(
      "\n%d customers have a consumable due %s..%s (a reminder mail list)%s\n",
      due.total_matching(), request.due_from(), request.due_to(),
      due.customers().empty() ? "" : "; the first one:");
  if (due.customers().empty()) return true;
  return ShowCustomer(stub, due.customers(0).customer_id());
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
  absl::StatusOr<std::shared_ptr<grpc::Channel>> created =
      serving::ChannelFromFlags(absl::GetFlag(FLAGS_target));
  if (!created.ok()) {
    std::cerr << "demo_client: --" << created.status().message() << "\n";
    return 2;
  }
  std::shared_ptr<grpc::Channel> channel = *std::move(created);
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
  if (absl::GetFlag(FLAGS_due_days) > 0) {
    all_good = ShowDueCustomers(*stub, info) && all_good;
  }
  return all_good ? 0 : 1;
}

}  // namespace
}  // namespace recommender::v1

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return recommender::v1::Run();
}
