// End to end: the right to erasure on the real server (API keys on, over
// loopback). DeleteCustomer makes a customer unknown to every call at once
// and for good (also after a restart), campaign sends and experiment
// exposures included; the next training drops them; once that model
// serves, old model versions are removed and the event, campaign and
// experiment logs are compacted, and no file under the model, event-log
// and campaign-log folders holds a byte of their id.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "proto/recommender.grpc.pb.h"
#include "recommender/util/file_util.h"
#include "serving/auth/api_keys.h"
#include "tests/testing/grpc_client.h"
#include "tests/testing/sample_model.h"
#include "tests/testing/server_process.h"
#include "tests/testing/test_dir.h"

namespace recommender {
namespace {

using testing::ServerProcess;

// In the sample shop's exports and model (customers C00001..C00300).
constexpr char kKnown[] = "C00007";
// Known only from live events.
constexpr char kLiveOnly[] = "ERASE-LIVE-0042";

std::string Root() { return testing::TestDir("erasure"); }

// Every regular file under `dir`, recursively.
void ListFiles(const std::string& dir, std::vector<std::string>* files) {
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) return;
  while (dirent* entry = ::readdir(handle)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    const std::string path = JoinPath(dir, name);
    struct stat info;
    if (::lstat(path.c_str(), &info) != 0) continue;
    if (S_ISDIR(info.st_mode)) {
      ListFiles(path, files);
    } else if (S_ISREG(info.st_mode)) {
      files->push_back(path);
    }
  }
  ::closedir(handle);
}

// The files under `dirs` holding `bytes`.
std::vector<std::string> FilesHolding(const std::vector<std::string>& dirs,
                                      const std::string& bytes) {
  std::vector<std::string> files, holding;
  for (const std::string& dir : dirs) ListFiles(dir, &files);
  for (const std::string& file : files) {
    absl::StatusOr<std::string> data = ReadFileToString(file);
    if (data.ok() && data->find(bytes) != std::string::npos) holding.push_back(file);
  }
  return holding;
}

// The customers a BatchRecommend stream named, in order; expects it to end OK.
std::vector<std::string> CustomerIds(
    grpc::ClientReaderInterface<v1::BatchRecommendResponse>& stream) {
  const testing::StreamResult<v1::BatchRecommendResponse> batch =
      testing::ReadToEnd(stream);
  EXPECT_TRUE(batch.status.ok());
  std::vector<std::string> ids;
  for (const v1::BatchRecommendResponse& message : batch.messages) {
    ids.push_back(message.customer_id());
  }
  return ids;
}

class ErasureEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RemoveAll(Root()).IgnoreError();
    data_dir_ = JoinPath(Root(), "data");
    model_dir_ = JoinPath(Root(), "models");
    events_dir_ = JoinPath(Root(), "events");
    campaigns_dir_ = JoinPath(Root(), "campaigns");
    testing::SampleModelOptions first;
    first.version = 1;
    ASSERT_TRUE(testing::TrainSampleModel(data_dir_, model_dir_, first).ok());
    std::string keys;
    for (const char* role : {"admin", "orders", "storefront", "campaign"}) {
      absl::StatusOr<serving::auth::RoleSet> roles =
          serving::auth::RoleSet::Parse(role);
      absl::StatusOr<serving::auth::NewApiKey> key =
          serving::auth::MakeApiKey(role, *roles);
      ASSERT_TRUE(key.ok());
      keys += serving::auth::FormatKeyLine(key->key);
      tokens_[role] = key->token;
    }
    keys_file_ = JoinPath(Root(), "keys.txt");
    ASSERT_TRUE(WriteFileDurably(keys_file_, keys).ok());
    Start();
  }

  void Start() {
    auto server = ServerProcess::StartServing(
        model_dir_, {"--event_log_dir=" + events_dir_,
                     "--campaign_log_dir=" + campaigns_dir_, "--keep_snapshots=1",
                     "--clock=data_end", "--keys_file=" + keys_file_});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = v1::Recommender::NewStub(server_->channel());
  }

  std::unique_ptr<grpc::ClientContext> As(const std::string& role) const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(30));
    context->AddMetadata("authorization", "Bearer " + tokens_.at(role));
    return context;
  }

  grpc::Status History(const std::string& customer) {
    v1::GetCustomerHistoryRequest request;
    request.set_customer_id(customer);
    v1::GetCustomerHistoryResponse response;
    return stub_->GetCustomerHistory(As("admin").get(), request, &response);
  }

  std::vector<std::string> Everyone() {
    v1::BatchRecommendRequest request;
    request.mutable_selector()->set_kind(v1::CustomerSelector::ALL);
    request.set_count(3);
    auto context = As("campaign");
    return CustomerIds(*stub_->BatchRecommend(context.get(), request));
  }

  v1::RecordEventsResponse Record(const std::string& role,
                                  const std::string& customer,
                                  v1::EventType type) {
    v1::RecordEventsRequest request;
    for (const char* item : {"P00001", "P00002", "P00003"}) {
      v1::Event* event = request.add_events();
      event->set_customer_id(customer);
      event->set_item_id(item);
      event->set_type(type);
    }
    v1::RecordEventsResponse response;
    const grpc::Status status =
        stub_->RecordEvents(As(role).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // Exports a campaign to everyone; the customers it recorded (mailed or
  // held back as control).
  std::vector<std::string> ExportCampaign(const std::string& id) {
    v1::CreateCampaignRequest create;
    create.mutable_campaign()->set_campaign_id(id);
    create.mutable_campaign()->set_segment("all");
    create.mutable_campaign()->set_picks_per_customer(2);
    create.mutable_campaign()->add_arms()->set_name("personal");
    v1::Campaign created;
    const grpc::Status status =
        stub_->CreateCampaign(As("campaign").get(), create, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    v1::BatchRecommendRequest request;
    request.set_campaign_id(id);
    auto context = As("campaign");
    return CustomerIds(*stub_->BatchRecommend(context.get(), request));
  }

  int64_t ExposedCustomers() {
    v1::ListExperimentsResponse listed;
    EXPECT_TRUE(stub_->ListExperiments(As("campaign").get(),
                                       v1::ListExperimentsRequest(), &listed)
                    .ok());
    return listed.experiments_size() == 1
               ? listed.experiments(0).exposed_customers()
               : -1;
  }

  int64_t ModelVersion() {
    v1::ModelInfo info;
    if (!stub_->GetModelInfo(As("admin").get(), v1::GetModelInfoRequest(), &info)
             .ok()) {
      return 0;
    }
    return info.model_version();
  }

  std::string data_dir_, model_dir_, events_dir_, campaigns_dir_, keys_file_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::Recommender::Stub> stub_;
};

TEST_F(ErasureEndToEndTest, ErasedCustomersAreUnknownAtOnceAndLeaveNoByteBehind) {
  ASSERT_TRUE(History(kKnown).ok());
  EXPECT_EQ(Record("orders", kKnown, v1::PURCHASE).accepted(), 3);
  EXPECT_EQ(Record("storefront", kLiveOnly, v1::VIEW).accepted(), 3);
  std::vector<std::string> everyone = Everyone();
  ASSERT_NE(std::find(everyone.begin(), everyone.end(), kKnown), everyone.end());
  ASSERT_NE(std::find(everyone.begin(), everyone.end(), kLiveOnly), everyone.end());
  ASSERT_FALSE(FilesHolding({events_dir_}, kLiveOnly).empty());
  ASSERT_FALSE(FilesHolding({model_dir_}, kKnown).empty());

  // Their traces in the campaign and experiment logs: a campaign send, an
  // opt-out, a storefront experiment's exposure.
  const std::vector<std::string> exported = ExportCampaign("spring");
  ASSERT_NE(std::find(exported.begin(), exported.end(), kKnown), exported.end());
  v1::UpdateOptOutsRequest opt_out;
  opt_out.add_opt_out_customer_ids(kLiveOnly);
  v1::UpdateOptOutsResponse opted;
  ASSERT_TRUE(stub_->UpdateOptOuts(As("campaign").get(), opt_out, &opted).ok());
  v1::CreateExperimentRequest experiment;
  experiment.mutable_experiment()->set_experiment_id("layout");
  for (const char* arm : {"a", "b"}) {
    v1::ExperimentArm* added = experiment.mutable_experiment()->add_arms();
    added->set_name(arm);
    added->set_share(0.5);
  }
  v1::Experiment created;
  const grpc::Status experiment_created =
      stub_->CreateExperiment(As("campaign").get(), experiment, &created);
  ASSERT_TRUE(experiment_created.ok()) << experiment_created.error_message();
  for (const char* customer : {kKnown, "C00008", "C00009"}) {
    v1::RecommendRequest recommend;
    recommend.set_customer_id(customer);
    recommend.set_count(3);
    v1::RecommendResponse picks;
    ASSERT_TRUE(
        stub_->Recommend(As("storefront").get(), recommend, &picks).ok());
    EXPECT_EQ(picks.experiment_id(), "layout");
  }
  EXPECT_EQ(ExposedCustomers(), 3);
  ASSERT_FALSE(FilesHolding({campaigns_dir_}, kKnown).empty());
  ASSERT_FALSE(FilesHolding({campaigns_dir_}, kLiveOnly).empty());

  // Erase both: durable before acknowledged.
  for (const char* customer : {kKnown, kLiveOnly}) {
    v1::DeleteCustomerRequest request;
    request.set_customer_id(customer);
    v1::DeleteCustomerResponse response;
    const grpc::Status status =
        stub_->DeleteCustomer(As("admin").get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(response.known());
    EXPECT_GT(response.sequence(), 0u);
    EXPECT_EQ(response.live_events_removed(), 3);
  }

  // Unknown everywhere at once.
  EXPECT_EQ(ExposedCustomers(), 2);
  auto unknown_everywhere = [this] {
    EXPECT_EQ(History(kKnown).error_code(), grpc::StatusCode::NOT_FOUND);
    v1::PredictNextPurchaseRequest timing;
    timing.set_customer_id(kKnown);
    v1::PredictNextPurchaseResponse forecast;
    EXPECT_EQ(stub_->PredictNextPurchase(As("campaign").get(), timing, &forecast)
                  .error_code(),
              grpc::StatusCode::NOT_FOUND);
    const std::vector<std::string> ids = Everyone();
    EXPECT_FALSE(ids.empty());
    EXPECT_EQ(std::find(ids.begin(), ids.end(), kKnown), ids.end());
    EXPECT_EQ(std::find(ids.begin(), ids.end(), kLiveOnly), ids.end());
    v1::ListDueCustomersRequest due;
    due.set_due_from("2026-07-01");
    due.set_due_to("2026-12-31");
    due.set_include_lapsed(true);
    due.set_max_customers(10000);
    v1::ListDueCustomersResponse due_response;
    const grpc::Status listed =
        stub_->ListDueCustomers(As("campaign").get(), due, &due_response);
    ASSERT_TRUE(listed.ok()) << listed.error_message();
    EXPECT_GT(due_response.customers_size(), 0);
    for (const v1::DueCustomer& customer : due_response.customers()) {
      EXPECT_NE(customer.customer_id(), kKnown);
    }
    // Picks as for a stranger: popular items, nothing personal.
    for (const char* customer : {kKnown, kLiveOnly}) {
      v1::RecommendRequest recommend;
      recommend.set_customer_id(customer);
      recommend.set_count(5);
      v1::RecommendResponse picks;
      ASSERT_TRUE(
          stub_->Recommend(As("storefront").get(), recommend, &picks).ok());
      for (const v1::RecommendedItem& item : picks.items()) {
        EXPECT_EQ(item.reason(), v1::REASON_POPULAR) << customer;
      }
    }
    // And their id cannot be used again.
    v1::RecordEventsResponse again = Record("storefront", kKnown, v1::VIEW);
    EXPECT_EQ(again.accepted(), 0);
    ASSERT_EQ(again.rejected_size(), 3);
    EXPECT_NE(again.rejected(0).message().find("erased"), std::string::npos);
  };
  unknown_everywhere();
  // For good: the tombstones are replayed after a restart.
  EXPECT_EQ(server_->Terminate(), 0);
  Start();
  unknown_everywhere();

  // Retrain with the server's log: the new model drops them; once it
  // serves, the old version is removed and the log compacted.
  testing::SampleModelOptions second;
  second.version = 2;
  second.event_log_dir = events_dir_;
  ASSERT_TRUE(testing::TrainSampleModel(data_dir_, model_dir_, second).ok());
  const std::vector<std::string> folders = {model_dir_, events_dir_,
                                            campaigns_dir_};
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline &&
         (ModelVersion() != 2 || PathExists(JoinPath(model_dir_, "1")) ||
          !FilesHolding(folders, kKnown).empty() ||
          !FilesHolding(folders, kLiveOnly).empty())) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_EQ(ModelVersion(), 2);
  EXPECT_FALSE(PathExists(JoinPath(model_dir_, "1")));
  EXPECT_EQ(FilesHolding(folders, kKnown), std::vector<std::string>{});
  EXPECT_EQ(FilesHolding(folders, kLiveOnly), std::vector<std::string>{});
  // The search does find ids that are still there.
  EXPECT_FALSE(FilesHolding({model_dir_}, "C00008").empty());
  EXPECT_FALSE(FilesHolding({campaigns_dir_}, "C00008").empty());
  unknown_everywhere();
  // Serving them as strangers recorded nothing of theirs again.
  EXPECT_EQ(ExposedCustomers(), 2);
  EXPECT_EQ(FilesHolding(folders, kKnown), std::vector<std::string>{});
  EXPECT_EQ(server_->Terminate(), 0);
}

}  // namespace
}  // namespace recommender
