#include "training/trainer/trainer.h"

#include <cstdlib>
#include <iterator>
#include <sstream>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "recommender/erasure/erased_customers.h"
#include "recommender/events/event_log_writer.h"
#include "recommender/index/item_index_factory.h"
#include "recommender/live/fold_in.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/recommend.h"
#include "recommender/util/file_util.h"
#include "training/sample_data/sample_shop.h"

namespace recommender {
namespace {

class TrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = JoinPath(
        std::getenv("TEST_TMPDIR"),
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(RemoveAll(root_).ok());
    SampleShopOptions shop;
    shop.num_customers = 400;
    shop.num_items = 100;
    ASSERT_TRUE(WriteSampleShop(GenerateSampleShop(shop), DataDir()).ok());
    options_.data_dir = DataDir();
    options_.model_dir = JoinPath(root_, "models");
    options_.ials.factors = 16;
    options_.ials.epochs = 5;
  }

  std::string DataDir() const { return JoinPath(root_, "data"); }

  // Trains with options_ (log into `log`) and loads the snapshot written.
  std::unique_ptr<const ModelSnapshot> TrainAndLoad(std::ostringstream& log) {
    absl::StatusOr<TrainingResult> result = Train(options_, log);
    EXPECT_TRUE(result.ok()) << result.status();
    if (!result.ok()) return nullptr;
    auto snapshot = ModelSnapshot::Load(result->snapshot_dir);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status();
    if (!snapshot.ok()) return nullptr;
    return *std::move(snapshot);
  }

  std::string root_;
  TrainerOptions options_;
};

TEST_F(TrainerTest, WritesALoadableSnapshotThatRecordsTheRun) {
  std::ostringstream log;
  absl::StatusOr<TrainingResult> result = Train(options_, log);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_NE(log.str().find("epoch 5/5"), std::string::npos) << log.str();
  ASSERT_EQ(result->epoch_losses.size(), 5u);
  EXPECT_LT(result->epoch_losses.back(), result->epoch_losses.front());

  auto snapshot = ModelSnapshot::Load(result->snapshot_dir);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  const snapshot::Manifest& manifest = (*snapshot)->manifest();
  EXPECT_EQ(manifest.version(), result->version);
  EXPECT_EQ(manifest.num_items(), 100);
  EXPECT_EQ(manifest.num_customers(), 400);
  EXPECT_EQ(manifest.embedding_dimension(), 16);
  EXPECT_GT(manifest.num_purchases(), 1000);
  EXPECT_EQ(manifest.parameters().at("seed"), "42");
  EXPECT_EQ(manifest.parameters().at("factors"), "16");
  EXPECT_TRUE(manifest.metrics().contains("loss_epoch_05"));
  ASSERT_EQ(manifest.inputs_size(), 3);
  EXPECT_EQ(manifest.inputs(2).rows_skipped(), 0);
  EXPECT_FALSE((*snapshot)->popular_items().empty());
}

TEST_F(TrainerTest, FitsTheCustomerLevelModelsOnASeededSample) {
  options_.timing.fit_max_customers = 150;
  std::ostringstream log;
  std::unique_ptr<const ModelSnapshot> snapshot = TrainAndLoad(log);
  ASSERT_NE(snapshot, nullptr);
  const snapshot::Manifest& manifest = snapshot->manifest();
  EXPECT_EQ(manifest.parameters().at("timing_fit_max_customers"), "150");
  EXPECT_EQ(manifest.metrics().at("timing_fit_customers"), 150);
  EXPECT_EQ(manifest.metrics().at("timing_bgnbd_converged"), 1);
  const snapshot::CustomerLifetimeModel& lifetime =
      snapshot->timing().lifetime();
  EXPECT_GT(lifetime.customers(), 150);
  EXPECT_EQ(lifetime.fit_customers(), 150);
  EXPECT_GT(lifetime.bgnbd_r(), 0);
  EXPECT_NE(log.str().find("on 150 of"), std::string::npos) << log.str();
}

TEST_F(TrainerTest, PersonalPicksFollowEachCustomersTasteBetterThanPopularity) {
  std::ostringstream log;
  absl::StatusOr<TrainingResult> result = Train(options_, log);
  ASSERT_TRUE(result.ok()) << result.status();
  auto snapshot = ModelSnapshot::Load(result->snapshot_dir);
  ASSERT_TRUE(snapshot.ok());
  const ModelSnapshot& model = **snapshot;

  // Share of picks in a category the customer has bought from.
  double personal = 0, popular = 0;
  int customers = 0;
  for (int32_t c = 0; c < model.num_customers(); ++c) {
    const snapshot::Customer& customer = model.customer(c);
    if (customer.purchased_items_size() < 3) continue;
    absl::flat_hash_set<std::string> categories;
    for (int32_t item : customer.purchased_items()) {
      categories.insert(model.item(item).category());
    }
    RecommendQuery query;
    query.customer_id = customer.id();
    query.count = 10;
    auto picks = Recommend(model, query);
    ASSERT_TRUE(picks.ok());
    int hits = 0;
    for (const Recommendation& pick : *picks) {
      hits += categories.contains(model.item(pick.item).category());
    }
    personal += hits / 10.0;
    hits = 0;
    for (int k = 0; k < 10; ++k) {
      hits += categories.contains(
          model.item(model.popular_items()[k]).category());
    }
    popular += hits / 10.0;
    ++customers;
  }
  ASSERT_GT(customers, 100);
  personal /= customers;
  popular /= customers;
  EXPECT_GT(personal, popular + 0.2)
      << "personal " << personal << " vs popular " << popular;
}

TEST_F(TrainerTest, SameSeedSameModelAndVersionsIncrease) {
  std::ostringstream log;
  auto first = Train(options_, log);
  auto second = Train(options_, log);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_GT(second->version, first->version);
  auto a = ModelSnapshot::Load(first->snapshot_dir);
  auto b = ModelSnapshot::Load(second->snapshot_dir);
  ASSERT_TRUE(a.ok() && b.ok());
  for (int32_t i = 0; i < (*a)->num_items(); ++i) {
    const auto va = (*a)->item_vector(i);
    const auto vb = (*b)->item_vector(i);
    ASSERT_EQ(std::vector<float>(va.begin(), va.end()),
              std::vector<float>(vb.begin(), vb.end()));
  }
}

TEST_F(TrainerTest, FurtherIalsBlocksSitBesideTheFirstAndFoldInBlockByBlock) {
  std::ostringstream log;
  const std::unique_ptr<const ModelSnapshot> single = TrainAndLoad(log);
  options_.extra_ials_blocks.push_back(options_.ials);
  options_.extra_ials_blocks.back().factors = 8;
  options_.extra_ials_blocks.back().regularization = 60;
  options_.extra_ials_blocks.back().alpha = 10;
  const std::unique_ptr<const ModelSnapshot> joined = TrainAndLoad(log);
  ASSERT_NE(single, nullptr);
  ASSERT_NE(joined, nullptr);
  const snapshot::Manifest& manifest = joined->manifest();
  EXPECT_EQ(manifest.embedding_dimension(), 24);
  ASSERT_EQ(manifest.factor_blocks_size(), 2);
  EXPECT_EQ(manifest.factor_blocks(0).factors(), 16);
  EXPECT_EQ(manifest.factor_blocks(1).factors(), 8);
  EXPECT_EQ(manifest.factor_blocks(1).alpha(), 10);
  // The first block is the model `ials` alone gives (same seed).
  for (int32_t i = 0; i < joined->num_items(); ++i) {
    const absl::Span<const float> a = single->item_vector(i);
    const absl::Span<const float> b = joined->item_vector(i).first(16);
    ASSERT_EQ(std::vector<float>(a.begin(), a.end()),
              std::vector<float>(b.begin(), b.end()));
  }
  // Folding in is block by block: the first block's vector is the single
  // model's, the second is solved too.
  int checked = 0;
  for (int32_t row = 0; row < joined->num_customers() && checked < 20; ++row) {
    if (joined->customer_vector(row).empty()) continue;
    const std::vector<float> alone = FoldIn(*single, row, {});
    const std::vector<float> both = FoldIn(*joined, row, {});
    ASSERT_EQ(alone.size(), 16u);
    ASSERT_EQ(both.size(), 24u);
    double second_norm = 0;
    for (size_t f = 0; f < both.size(); ++f) {
      if (f < 16) {
        EXPECT_NEAR(both[f], alone[f], 1e-4) << "customer row " << row;
      } else {
        second_norm += both[f] * both[f];
      }
    }
    EXPECT_GT(second_norm, 0) << "customer row " << row;
    ++checked;
  }
  EXPECT_EQ(checked, 20);
}

TEST_F(TrainerTest, BlocksServeTheKindsOfRequestTheyAreTrainedFor) {
  options_.extra_ials_blocks.push_back(options_.ials);
  options_.extra_ials_blocks.back().factors = 8;
  options_.extra_ials_blocks.back().alpha = 0.5f;
  options_.block_requests = {snapshot::SERVED_REQUESTS_INCLUDING_PURCHASED,
                             snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED};
  std::ostringstream log;
  const std::unique_ptr<const ModelSnapshot> model = TrainAndLoad(log);
  ASSERT_NE(model, nullptr);
  ASSERT_EQ(model->manifest().factor_blocks_size(), 2);
  EXPECT_EQ(model->manifest().factor_blocks(1).requests(),
            snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED);
  const absl::Span<const float> excluding = model->request_mask(true);
  ASSERT_EQ(excluding.size(), 24u);
  EXPECT_EQ(excluding[15], 0);
  EXPECT_EQ(excluding[16], 1);
  EXPECT_EQ(model->request_mask(false)[15], 1);
  EXPECT_EQ(model->request_mask(false)[16], 0);

  // One kind per block, or the training fails.
  options_.block_requests.pop_back();
  EXPECT_EQ(Train(options_, log).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TrainerTest, BadRowFailsOrIsSkippedAndRecorded) {
  std::string events = *ReadFileToString(JoinPath(DataDir(), kEventsFile));
  events += "C00001,P00001,purchase,2026-01-01T00:00:00Z,-3,100\n";
  ASSERT_TRUE(WriteFileDurably(JoinPath(DataDir(), kEventsFile), events).ok());
  std::ostringstream log;
  auto failed = Train(options_, log);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("events.csv:"), std::string::npos);
  EXPECT_NE(failed.status().message().find("(quantity)"), std::string::npos);

  options_.load.on_bad_row = BadRowPolicy::kSkip;
  auto skipped = Train(options_, log);
  ASSERT_TRUE(skipped.ok()) << skipped.status();
  EXPECT_NE(log.str().find("1 skipped"), std::string::npos);
  auto snapshot = ModelSnapshot::Load(skipped->snapshot_dir);
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ((*snapshot)->manifest().inputs(2).rows_skipped(), 1);
  EXPECT_EQ((*snapshot)->manifest().parameters().at("on_bad_row"), "skip");
}

// Events the server acknowledged are trained on: a customer known only
// from the event log gets a vector, and the snapshot records how far the
// log was read.
TEST_F(TrainerTest, ReadsTheServersEventLog) {
  options_.event_log_dir = JoinPath(root_, "events");
  {
    events::EventLogReadSummary summary;
    auto writer = events::EventLogWriter::Open(
        options_.event_log_dir, {},
        [](const events::LogRecord&) { return absl::OkStatus(); }, &summary);
    ASSERT_TRUE(writer.ok()) << writer.status();
    events::LogRecord record;
    for (const char* item : {"P00001", "P00002", "P00003"}) {
      events::LoggedEvent* event = record.add_events();
      event->set_customer_id("walk-in");
      event->set_item_id(item);
      event->set_type(events::PURCHASE);
      event->set_quantity(1);
      event->set_unix_seconds(1780000000);
    }
    ASSERT_TRUE((*writer)->Append(record).ok());
  }
  std::ostringstream log;
  std::unique_ptr<const ModelSnapshot> snapshot = TrainAndLoad(log);
  ASSERT_NE(snapshot, nullptr);
  const snapshot::Manifest& manifest = snapshot->manifest();
  EXPECT_EQ(manifest.event_log_sequence(), 1u);
  EXPECT_EQ(manifest.num_customers(), 401);
  ASSERT_EQ(manifest.inputs_size(), 4);
  EXPECT_EQ(manifest.inputs(3).rows_loaded(), 3);
  const std::optional<int32_t> walk_in = snapshot->FindCustomer("walk-in");
  ASSERT_TRUE(walk_in.has_value());
  EXPECT_EQ(snapshot->customer(*walk_in).purchased_items_size(), 3);
  EXPECT_FALSE(snapshot->customer_vector(*walk_in).empty());
}

// Customers erased on the server (tombstones in its log) leave no trace in
// the snapshot: not their table row, not their events, not a byte of their
// id in any file, whether the exports or the log held them.
TEST_F(TrainerTest, ErasedCustomersLeaveNoTraceInTheSnapshot) {
  options_.event_log_dir = JoinPath(root_, "events");
  {
    events::EventLogReadSummary summary;
    auto writer = events::EventLogWriter::Open(
        options_.event_log_dir, {},
        [](const events::LogRecord&) { return absl::OkStatus(); }, &summary);
    ASSERT_TRUE(writer.ok()) << writer.status();
    events::LogRecord record;
    events::LoggedEvent* event = record.add_events();
    event->set_customer_id("walk-in-gone");
    event->set_item_id("P00001");
    event->set_type(events::PURCHASE);
    event->set_quantity(1);
    event->set_unix_seconds(1780000000);
    ASSERT_TRUE((*writer)->Append(record).ok());
    events::LogRecord tombstones;
    tombstones.add_erased_customers(ErasureKey("walk-in-gone"));
    tombstones.add_erased_customers(ErasureKey("C00007"));
    ASSERT_TRUE((*writer)->Append(tombstones).ok());
  }
  std::ostringstream log;
  absl::StatusOr<TrainingResult> result = Train(options_, log);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_NE(log.str().find("2 tombstones in the event log, 2 customers"),
            std::string::npos)
      << log.str();
  auto snapshot = ModelSnapshot::Load(result->snapshot_dir);
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ((*snapshot)->manifest().num_customers(), 399);
  EXPECT_FALSE((*snapshot)->FindCustomer("C00007").has_value());
  EXPECT_TRUE((*snapshot)->FindCustomer("C00008").has_value());
  EXPECT_EQ((*snapshot)->manifest().event_log_sequence(), 2u);
  absl::StatusOr<std::vector<std::string>> names =
      ListDirectory(result->snapshot_dir);
  ASSERT_TRUE(names.ok());
  for (const std::string& name : *names) {
    const std::string bytes =
        *ReadFileToString(JoinPath(result->snapshot_dir, name));
    EXPECT_EQ(bytes.find("C00007"), std::string::npos) << name;
    EXPECT_EQ(bytes.find("walk-in-gone"), std::string::npos) << name;
  }
}

// The index kind is chosen by catalog size unless forced; the manifest
// records the choice and its recall against exact search.
TEST_F(TrainerTest, RecordsTheChosenIndexAndItsRecall) {
  std::ostringstream log;
  absl::StatusOr<TrainingResult> exact = Train(options_, log);
  ASSERT_TRUE(exact.ok()) << exact.status();
  auto small = ModelSnapshot::Load(exact->snapshot_dir);
  ASSERT_TRUE(small.ok()) << small.status();
  EXPECT_EQ((*small)->manifest().index_type(), "exact_avx2");
  EXPECT_EQ((*small)->manifest().index().requested(), "auto");
  EXPECT_DOUBLE_EQ((*small)->manifest().index().recall_at_10(), 1.0);
  EXPECT_GT((*small)->manifest().index().recall_queries(), 100);

  options_.index.kind = IndexKind::kHnsw;
  absl::StatusOr<TrainingResult> hnsw = Train(options_, log);
  ASSERT_TRUE(hnsw.ok()) << hnsw.status();
  EXPECT_NE(log.str().find("item index: hnsw_flat"), std::string::npos)
      << log.str();
  auto forced = ModelSnapshot::Load(hnsw->snapshot_dir);
  ASSERT_TRUE(forced.ok()) << forced.status();
  const snapshot::IndexReport& report = (*forced)->manifest().index();
  EXPECT_EQ((*forced)->manifest().index_type(), "hnsw_flat");
  EXPECT_EQ(report.requested(), "hnsw");
  EXPECT_EQ(report.parameters().at("hnsw_m"), "16");
  EXPECT_LE(report.recall_at_10(), 1.0);
  // The beam width is tuned to the recall target (0.97 by default), unless
  // even the widest one misses it.
  EXPECT_EQ(report.parameters().at("recall_target"), "0.97");
  const int ef_search = std::stoi(report.parameters().at("ef_search"));
  if (ef_search != kSearchBreadths[std::size(kSearchBreadths) - 1]) {
    EXPECT_GE(report.recall_at_10(), 0.97);
  }
  RecommendQuery query;
  query.customer_id = (*forced)->customer(0).id();
  EXPECT_TRUE(Recommend(**forced, query).ok());
}

// A catalog without any durability labels: the trainer infers every item's
// class from purchases, the snapshot carries it, and recommendations never
// re-offer a durable the customer owns (by the inferred class).
TEST_F(TrainerTest, InfersDurabilityOfAnUnlabeledCatalogForTheExclusion) {
  SampleShopOptions unlabeled;
  unlabeled.num_customers = 400;
  unlabeled.num_items = 100;
  unlabeled.unlabeled_share = 1.0;
  const SampleShop shop = GenerateSampleShop(unlabeled);
  ASSERT_TRUE(RemoveAll(DataDir()).ok());
  ASSERT_TRUE(WriteSampleShop(shop, DataDir()).ok());
  std::ostringstream log;
  absl::StatusOr<TrainingResult> result = Train(options_, log);
  ASSERT_TRUE(result.ok()) << result.status();
  auto snapshot = ModelSnapshot::Load(result->snapshot_dir);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  const ModelSnapshot& model = **snapshot;

  int correct = 0;
  for (int32_t i = 0; i < 100; ++i) {
    const snapshot::Item& item = model.item(i);
    ASSERT_EQ(item.durability_source(), snapshot::INFERRED) << item.id();
    EXPECT_GT(item.durability_confidence(), 0.5f);
    const bool durable = item.durability() == snapshot::DURABLE;
    correct +=
        durable == (shop.item_truth[i].durability == Durability::kDurable);
  }
  EXPECT_GE(correct, 90);

  int owned_durables = 0;
  for (int32_t c = 0; c < model.num_customers(); ++c) {
    const snapshot::Customer& customer = model.customer(c);
    absl::flat_hash_set<int32_t> owned;
    for (int32_t item : customer.purchased_items()) {
      if (model.item(item).durability() == snapshot::DURABLE) owned.insert(item);
    }
    if (owned.empty()) continue;
    owned_durables += owned.size();
    RecommendQuery query;
    query.customer_id = customer.id();
    query.count = 20;
    auto picks = Recommend(model, query);
    ASSERT_TRUE(picks.ok()) << picks.status();
    for (const Recommendation& pick : *picks) {
      EXPECT_FALSE(owned.contains(pick.item)) << customer.id();
    }
  }
  EXPECT_GT(owned_durables, 100);
}

}  // namespace
}  // namespace recommender
