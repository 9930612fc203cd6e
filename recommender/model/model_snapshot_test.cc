#include "recommender/model/model_snapshot.h"

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/ltr/testing_ranker.h"
#include "recommender/model/snapshot_writer.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

SnapshotContents SmallContents(int64_t version) {
  return TestSnapshotBuilder(2)
      .AddItem("microwave", "kitchen/appliances", {1, 0}, snapshot::DURABLE,
               19800, 3)
      .AddItem("coffee", "food/coffee", {0, 1}, snapshot::CONSUMABLE, 1200, 9)
      .AddItem("kettle", "kitchen/appliances", {0.7f, 0.7f})
      .AddCustomer("alice", {1, 0.5f}, {{"microwave", 1700000000}})
      .AddCustomer("bob", {})
      .Build(version);
}

class ModelSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model_dir_ = JoinPath(
        std::getenv("TEST_TMPDIR"),
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(RemoveAll(model_dir_).ok());
  }
  std::string model_dir_;
};

TEST_F(ModelSnapshotTest, WriteThenLoadGivesTheSameModel) {
  absl::StatusOr<std::string> dir = WriteSnapshot(SmallContents(7), model_dir_);
  ASSERT_TRUE(dir.ok()) << dir.status();
  EXPECT_EQ(*dir, JoinPath(model_dir_, "7"));

  auto snapshot = ModelSnapshot::Load(*dir);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  const ModelSnapshot& model = **snapshot;
  EXPECT_EQ(model.version(), 7);
  EXPECT_EQ(model.num_items(), 3);
  EXPECT_EQ(model.manifest().index_type(), "flat_ip");
  EXPECT_EQ(model.manifest().files_size(), 6);
  ASSERT_TRUE(model.FindItem("coffee").has_value());
  EXPECT_EQ(model.item(*model.FindItem("coffee")).category(), "food/coffee");
  EXPECT_FALSE(model.FindItem("toaster").has_value());

  const int32_t alice = *model.FindCustomer("alice");
  ASSERT_EQ(model.customer_vector(alice).size(), 2u);
  EXPECT_FLOAT_EQ(model.customer_vector(alice)[1], 0.5f);
  EXPECT_EQ(model.customer(alice).purchased_items(0), 0);
  EXPECT_TRUE(model.customer_vector(*model.FindCustomer("bob")).empty());

  EXPECT_EQ(model.popular_items(), (std::vector<int32_t>{1, 0}));
  auto found = model.index().Search(model.customer_vector(alice), 1);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ((*found)[0].item, 2);  // kettle: 0.7 + 0.35 beats microwave: 1.
}

TEST_F(ModelSnapshotTest, TimingModelRoundTripsAndIsOptional) {
  SnapshotContents contents = SmallContents(3);
  contents.timing.set_utc_offset_seconds(9 * 3600);
  contents.timing.mutable_lifetime()->set_bgnbd_r(0.25);
  snapshot::RepurchaseModel* repurchase = contents.timing.mutable_repurchase();
  repurchase->add_categories()->set_category("food/coffee");
  for (int i = 0; i < 3; ++i) {
    snapshot::ItemRepurchase* item = repurchase->add_items();
    item->set_consumable(i == 1);
    item->set_log_sd(i == 1 ? 0.2 : 0);
  }
  absl::StatusOr<std::string> dir = WriteSnapshot(contents, model_dir_);
  ASSERT_TRUE(dir.ok()) << dir.status();
  auto loaded = ModelSnapshot::Load(*dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->timing().utc_offset_seconds(), 9 * 3600);
  EXPECT_DOUBLE_EQ((*loaded)->timing().lifetime().bgnbd_r(), 0.25);
  EXPECT_TRUE((*loaded)->timing().repurchase().items(1).consumable());

  // A snapshot from before the timing model: no file, no manifest entry.
  snapshot::Manifest manifest = (*loaded)->manifest();
  manifest.clear_files();
  for (const snapshot::FileEntry& file : (*loaded)->manifest().files()) {
    if (file.name() != kTimingFile) *manifest.add_files() = file;
  }
  ASSERT_TRUE(RemoveAll(JoinPath(*dir, kTimingFile)).ok());
  ASSERT_TRUE(WriteFileDurably(JoinPath(*dir, kManifestFile),
                               manifest.DebugString())
                  .ok());
  auto old = ModelSnapshot::Load(*dir);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ((*old)->timing().repurchase().items_size(), 0);
}

TEST_F(ModelSnapshotTest, InconsistentTimingOrPurchaseDetailsAreRefused) {
  SnapshotContents wrong_items = SmallContents(4);
  wrong_items.timing.mutable_repurchase()->add_items();
  EXPECT_EQ(WriteSnapshot(wrong_items, model_dir_).status().code(),
            absl::StatusCode::kInvalidArgument);
  SnapshotContents no_category = SmallContents(5);
  for (int i = 0; i < 3; ++i) {
    snapshot::ItemRepurchase* item =
        no_category.timing.mutable_repurchase()->add_items();
    item->set_consumable(true);
    item->set_log_sd(0.1);
  }
  EXPECT_EQ(WriteSnapshot(no_category, model_dir_).status().code(),
            absl::StatusCode::kInvalidArgument);
  SnapshotContents quantities = SmallContents(6);
  quantities.customers.mutable_customers(0)->add_purchase_quantities(1);
  quantities.customers.mutable_customers(0)->add_purchase_quantities(2);
  EXPECT_EQ(WriteSnapshot(quantities, model_dir_).status().code(),
            absl::StatusCode::kInvalidArgument);
}

SnapshotContents WithRankerAndNeighbors(int64_t version) {
  return TestSnapshotBuilder(2)
      .AddItem("microwave", "kitchen/appliances", {1, 0})
      .AddItem("coffee", "food/coffee", {0, 1})
      .AddItem("kettle", "kitchen/appliances", {0.7f, 0.7f})
      .AddCustomer("alice", {1, 0.5f}, {{"microwave", 1700000000}})
      .SetNeighbors("item_knn", {{"microwave", "kettle", 0.5f},
                                 {"coffee", "kettle", 0.25f},
                                 {"coffee", "microwave", 0.125f}})
      .SetRanker(TrainTestRanker(kPopularityTrend))
      .Build(version);
}

TEST_F(ModelSnapshotTest, RankerAndNeighbourListsRoundTripChecksummed) {
  absl::StatusOr<std::string> dir =
      WriteSnapshot(WithRankerAndNeighbors(11), model_dir_);
  ASSERT_TRUE(dir.ok()) << dir.status();
  auto loaded = ModelSnapshot::Load(*dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const ModelSnapshot& model = **loaded;
  ASSERT_NE(model.ranker(), nullptr);
  EXPECT_EQ(model.ranker()->num_features(), kNumRankingFeatures);
  EXPECT_EQ(model.similarity("ease"), nullptr);
  const snapshot::ItemNeighborList* knn = model.similarity("item_knn");
  ASSERT_NE(knn, nullptr);
  EXPECT_EQ(knn->offsets_size(), 4);
  EXPECT_EQ(knn->neighbors(knn->offsets(1)), 2);  // coffee -> kettle first.
  bool listed = false;
  for (const snapshot::FileEntry& file : model.manifest().files()) {
    listed |= file.name() == kRankerFile && file.size_bytes() > 0;
  }
  EXPECT_TRUE(listed);

  // A damaged ranker file fails its checksum like any other part.
  const std::string path = JoinPath(*dir, kRankerFile);
  std::string bytes = *ReadFileToString(path);
  bytes[bytes.size() / 2] ^= 0x01;
  ASSERT_TRUE(WriteFileDurably(path, bytes).ok());
  auto damaged = ModelSnapshot::Load(*dir);
  EXPECT_EQ(damaged.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(damaged.status().message().find(kRankerFile), std::string::npos);
}

TEST_F(ModelSnapshotTest, RankerOfAnotherFeatureListOrBadListsAreRefused) {
  SnapshotContents renamed = WithRankerAndNeighbors(12);
  renamed.manifest.mutable_ranker()->set_features(0, "something_else");
  EXPECT_EQ(ModelSnapshot::FromContents(std::move(renamed)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  SnapshotContents no_features = WithRankerAndNeighbors(13);
  no_features.manifest.mutable_ranker()->clear_features();
  EXPECT_EQ(WriteSnapshot(no_features, model_dir_).status().code(),
            absl::StatusCode::kInvalidArgument);
  SnapshotContents bad_list = WithRankerAndNeighbors(14);
  bad_list.similarities.mutable_lists(0)->set_neighbors(0, 7);
  EXPECT_EQ(WriteSnapshot(bad_list, model_dir_).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ModelSnapshotTest, WritingAnExistingVersionFails) {
  ASSERT_TRUE(WriteSnapshot(SmallContents(1), model_dir_).ok());
  EXPECT_EQ(WriteSnapshot(SmallContents(1), model_dir_).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(ModelSnapshotTest, CorruptFileIsDataLossNamingTheFile) {
  absl::StatusOr<std::string> dir = WriteSnapshot(SmallContents(2), model_dir_);
  ASSERT_TRUE(dir.ok());
  const std::string path = JoinPath(*dir, kItemFactorsFile);
  std::string bytes = *ReadFileToString(path);
  bytes[bytes.size() - 1] ^= 0x10;
  ASSERT_TRUE(WriteFileDurably(path, bytes).ok());
  auto snapshot = ModelSnapshot::Load(*dir);
  ASSERT_FALSE(snapshot.ok());
  EXPECT_EQ(snapshot.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(snapshot.status().message().find(kItemFactorsFile),
            std::string::npos);
}

TEST_F(ModelSnapshotTest, TruncatedOrMissingFileIsDataLoss) {
  absl::StatusOr<std::string> dir = WriteSnapshot(SmallContents(3), model_dir_);
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(WriteFileDurably(JoinPath(*dir, kItemIndexFile), "x").ok());
  EXPECT_EQ(ModelSnapshot::Load(*dir).status().code(),
            absl::StatusCode::kDataLoss);
  ASSERT_TRUE(RemoveAll(JoinPath(*dir, kItemIndexFile)).ok());
  EXPECT_EQ(ModelSnapshot::Load(*dir).status().code(),
            absl::StatusCode::kDataLoss);
  ASSERT_TRUE(WriteFileDurably(JoinPath(*dir, kManifestFile), "{{{").ok());
  EXPECT_EQ(ModelSnapshot::Load(*dir).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(ModelSnapshotTest, InconsistentContentsAreRejected) {
  SnapshotContents contents = SmallContents(4);
  contents.customers.mutable_customers(0)->add_purchased_items(99);
  contents.customers.mutable_customers(0)->add_purchase_times(1);
  EXPECT_EQ(WriteSnapshot(contents, model_dir_).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ModelSnapshot::FromContents(std::move(contents)).ok());
}

// SmallContents with its two factors as two blocks of one, the second
// `second_factors` wide with alpha `second_alpha`.
SnapshotContents TwoBlocks(int32_t second_factors, float second_alpha) {
  SnapshotContents contents = SmallContents(5);
  for (const auto& [factors, alpha] :
       {std::pair<int32_t, float>{1, 4.0f}, {second_factors, second_alpha}}) {
    snapshot::FactorBlock* block = contents.manifest.add_factor_blocks();
    block->set_factors(factors);
    block->set_alpha(alpha);
    block->set_regularization(30);
  }
  return contents;
}

TEST_F(ModelSnapshotTest, FactorBlocksRoundTripAndMustCoverTheDimension) {
  absl::StatusOr<std::string> dir = WriteSnapshot(TwoBlocks(1, 10), model_dir_);
  ASSERT_TRUE(dir.ok()) << dir.status();
  auto loaded = ModelSnapshot::Load(*dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const std::optional<FoldInParameters>& fold_in =
      (*loaded)->fold_in_parameters();
  ASSERT_TRUE(fold_in.has_value());
  ASSERT_EQ(fold_in->blocks.size(), 2u);
  EXPECT_EQ(fold_in->blocks[1].offset, 1);
  EXPECT_EQ(fold_in->blocks[1].alpha, 10);
  // The Gram matrix of the second block's column of the item factors.
  ASSERT_EQ((*loaded)->block_item_gram(1).size(), 1u);
  EXPECT_NEAR((*loaded)->block_item_gram(1)[0], 1 + 0.49, 1e-6);

  EXPECT_EQ(ModelSnapshot::FromContents(TwoBlocks(2, 10)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ModelSnapshot::FromContents(TwoBlocks(1, 0)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ModelSnapshotTest, BlocksOfOneKindOfRequestMaskTheOthers) {
  // Every block serves every request: no mask.
  auto both = ModelSnapshot::FromContents(TwoBlocks(1, 10));
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_TRUE((*both)->request_mask(false).empty());
  EXPECT_TRUE((*both)->request_mask(true).empty());

  // The second block only for requests with exclude_purchased, the first
  // only for the others; round-trips through the files.
  SnapshotContents apart = TwoBlocks(1, 10);
  apart.manifest.mutable_factor_blocks(0)->set_requests(
      snapshot::SERVED_REQUESTS_INCLUDING_PURCHASED);
  apart.manifest.mutable_factor_blocks(1)->set_requests(
      snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED);
  absl::StatusOr<std::string> dir = WriteSnapshot(apart, model_dir_);
  ASSERT_TRUE(dir.ok()) << dir.status();
  auto loaded = ModelSnapshot::Load(*dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(std::vector<float>((*loaded)->request_mask(false).begin(),
                               (*loaded)->request_mask(false).end()),
            (std::vector<float>{1, 0}));
  EXPECT_EQ(std::vector<float>((*loaded)->request_mask(true).begin(),
                               (*loaded)->request_mask(true).end()),
            (std::vector<float>{0, 1}));

  // A block beside the others for requests with exclude_purchased.
  SnapshotContents beside = TwoBlocks(1, 10);
  beside.manifest.mutable_factor_blocks(1)->set_requests(
      snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED);
  auto extra = ModelSnapshot::FromContents(std::move(beside));
  ASSERT_TRUE(extra.ok()) << extra.status();
  EXPECT_EQ(std::vector<float>((*extra)->request_mask(false).begin(),
                               (*extra)->request_mask(false).end()),
            (std::vector<float>{1, 0}));
  EXPECT_EQ(std::vector<float>((*extra)->request_mask(true).begin(),
                               (*extra)->request_mask(true).end()),
            (std::vector<float>{1, 1}));
}

TEST_F(ModelSnapshotTest, EveryKindOfRequestNeedsABlock) {
  SnapshotContents none_without = TwoBlocks(1, 10);
  for (int b = 0; b < 2; ++b) {
    none_without.manifest.mutable_factor_blocks(b)->set_requests(
        snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED);
  }
  absl::Status refused =
      ModelSnapshot::FromContents(std::move(none_without)).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("without exclude_purchased"),
            absl::string_view::npos)
      << refused;

  SnapshotContents ranker_kind = TwoBlocks(1, 10);
  ranker_kind.manifest.mutable_ranker()->set_requests(
      static_cast<snapshot::ServedRequests>(9));
  refused = ModelSnapshot::FromContents(std::move(ranker_kind)).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("ranker requests: unknown kind 9"),
            absl::string_view::npos)
      << refused;

  SnapshotContents unknown = TwoBlocks(1, 10);
  unknown.manifest.mutable_factor_blocks(1)->set_requests(
      static_cast<snapshot::ServedRequests>(7));
  refused = WriteSnapshot(unknown, model_dir_).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("unknown kind 7"), absl::string_view::npos)
      << refused;
}

TEST_F(ModelSnapshotTest, ListsVersionsIgnoringTemporaryFolders) {
  ASSERT_TRUE(WriteSnapshot(SmallContents(20261101), model_dir_).ok());
  ASSERT_TRUE(WriteSnapshot(SmallContents(9), model_dir_).ok());
  ASSERT_TRUE(CreateDirectories(JoinPath(model_dir_, ".tmp-99999999-1")).ok());
  ASSERT_TRUE(CreateDirectories(JoinPath(model_dir_, "notes")).ok());
  auto versions = ListSnapshotVersions(model_dir_);
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(*versions, (std::vector<int64_t>{9, 20261101}));
}

}  // namespace
}  // namespace recommender
