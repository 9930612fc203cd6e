#include "training/trainer/snapshot_builder.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "recommender/data/event_weights.h"

namespace recommender {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kStart = 1700000000;  // 2023-11-14T22:13:20Z.

Event At(int32_t customer, int32_t item, EventType type, int day,
         int32_t quantity = 1, float unit_price = 0) {
  Event e;
  e.customer = customer;
  e.item = item;
  e.type = type;
  e.unix_seconds = kStart + day * kDay;
  e.quantity = quantity;
  e.unit_price = unit_price;
  return e;
}

// Items: I0 a durable, I1 a consumable (both labelled), I2 unlabelled.
// C0 views I2, buys I0, buys two I1 on day 50, carts I2; C1 buys I1 on days
// 30 and 58 and views I0 on day 60 (the newest event); C2 did nothing.
ShopData Shop() {
  ShopData data;
  const Durability labels[] = {Durability::kDurable, Durability::kConsumable,
                               Durability::kUnknown};
  for (int i = 0; i < 3; ++i) {
    CatalogItem item;
    item.id = "I" + std::to_string(i);
    item.title = "Item " + std::to_string(i);
    item.category = i == 0 ? "kitchen" : "food";
    item.price = 100 * (i + 1);
    item.in_stock = i != 2;
    item.durability = labels[i];
    data.items.push_back(item);
    CustomerRecord customer;
    customer.id = "C" + std::to_string(i);
    customer.region = i == 0 ? "Tokyo" : "";
    data.customers.push_back(customer);
  }
  data.item_rows = IndexIds(data.items);
  data.customer_rows = IndexIds(data.customers);
  data.events = {At(0, 2, EventType::kView, 1),
                 At(0, 0, EventType::kPurchase, 2, 1, 100),
                 At(0, 1, EventType::kPurchase, 50, 2, 5),
                 At(0, 2, EventType::kCart, 55),
                 At(1, 1, EventType::kPurchase, 30, 1, 6),
                 At(1, 1, EventType::kPurchase, 58, 1, 6),
                 At(1, 0, EventType::kView, 60)};
  FileLoadReport report;
  report.path = "events.csv";
  report.rows_read = 8;
  report.rows_loaded = 7;
  report.rows_skipped = 1;
  report.sample_errors = {"events.csv:9: bad"};
  data.reports = {report};
  return data;
}

InteractionMatrix Matrix(const ShopData& data) {
  return InteractionMatrix::FromEvents(3, 3, data.events, EventWeights());
}

IalsModel Factors() {
  IalsModel model;
  model.user_factors.resize(3, 2);
  model.user_factors << 1, 2, 3, 4, 0, 0;
  model.item_factors.resize(3, 2);
  model.item_factors << 1, 0, 0, 1, 0.5, 0.5;
  return model;
}

SnapshotMetadata Metadata() {
  SnapshotMetadata metadata;
  metadata.version = 7;
  metadata.trained_at = absl::FromUnixSeconds(kStart);
  metadata.parameters = {{"alpha", "2"}, {"seed", "42"}};
  metadata.metrics = {{"final_loss", 1.5}};
  metadata.popularity_window_days = 10;
  metadata.index.kind = IndexKind::kExact;
  return metadata;
}

TEST(ToEmbeddingsTest, RowMajorValues) {
  const EmbeddingMatrix matrix = ToEmbeddings(Factors().user_factors);
  EXPECT_EQ(matrix.rows, 3);
  EXPECT_EQ(matrix.dimension, 2);
  EXPECT_EQ(matrix.values, (std::vector<float>{1, 2, 3, 4, 0, 0}));
}

TEST(SnapshotBuilderTest, ItemsWithPopularityAndDurability) {
  const ShopData data = Shop();
  const absl::StatusOr<SnapshotContents> contents =
      BuildSnapshotContents(data, Matrix(data), Factors(), Metadata());
  ASSERT_TRUE(contents.ok()) << contents.status();
  ASSERT_EQ(contents->items.items_size(), 3);
  const snapshot::Item& i0 = contents->items.items(0);
  EXPECT_EQ(i0.id(), "I0");
  EXPECT_EQ(i0.title(), "Item 0");
  EXPECT_EQ(i0.category(), "kitchen");
  EXPECT_EQ(i0.price(), 100);
  EXPECT_EQ(i0.durability(), snapshot::DURABLE);
  EXPECT_EQ(i0.durability_source(), snapshot::CATALOG);
  EXPECT_EQ(i0.buyers(), 1);
  EXPECT_EQ(i0.recent_purchases(), 0);
  // Window of 10 days before day 60: day 58 is recent; day 50 falls in the
  // window before (days 40..50); day 30 in neither.
  const snapshot::Item& i1 = contents->items.items(1);
  EXPECT_EQ(i1.durability(), snapshot::CONSUMABLE);
  EXPECT_EQ(i1.recent_purchases(), 1);
  EXPECT_EQ(i1.previous_purchases(), 1);
  EXPECT_EQ(i1.buyers(), 2);  // C1 twice counts once.
  const snapshot::Item& i2 = contents->items.items(2);
  EXPECT_FALSE(i2.in_stock());
  EXPECT_EQ(i2.buyers(), 0);
  EXPECT_NE(i2.durability_source(), snapshot::CATALOG);
}

TEST(SnapshotBuilderTest, CustomersWithHistoryTouchesAndFactors) {
  const ShopData data = Shop();
  const absl::StatusOr<SnapshotContents> contents =
      BuildSnapshotContents(data, Matrix(data), Factors(), Metadata());
  ASSERT_TRUE(contents.ok()) << contents.status();
  ASSERT_EQ(contents->customers.customers_size(), 3);
  const snapshot::Customer& c0 = contents->customers.customers(0);
  EXPECT_EQ(c0.id(), "C0");
  EXPECT_EQ(c0.region(), "Tokyo");
  EXPECT_EQ(c0.factor_row(), 0);
  // Interactions: I0 purchase 10, I1 purchase 10, I2 view 1 + cart 4.
  EXPECT_EQ(std::vector<int32_t>(c0.interaction_items().begin(),
                                 c0.interaction_items().end()),
            (std::vector<int32_t>{0, 1, 2}));
  EXPECT_EQ(std::vector<float>(c0.interaction_strengths().begin(),
                               c0.interaction_strengths().end()),
            (std::vector<float>{10, 10, 5}));
  EXPECT_EQ(std::vector<int32_t>(c0.purchased_items().begin(),
                                 c0.purchased_items().end()),
            (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(c0.purchase_times(1), kStart + 50 * kDay);
  EXPECT_EQ(c0.purchase_quantities(1), 2);
  EXPECT_EQ(c0.purchase_unit_prices(1), 5);
  // Views and carts, oldest first: 1 a view, 2 a cart.
  EXPECT_EQ(std::vector<int32_t>(c0.touched_items().begin(), c0.touched_items().end()),
            (std::vector<int32_t>{2, 2}));
  EXPECT_EQ(std::vector<int32_t>(c0.touch_kinds().begin(), c0.touch_kinds().end()),
            (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(c0.last_event_time(), kStart + 55 * kDay);

  const snapshot::Customer& c2 = contents->customers.customers(2);
  EXPECT_EQ(c2.factor_row(), -1);  // No interactions: no vector.
  EXPECT_EQ(c2.purchased_items_size(), 0);

  EXPECT_EQ(contents->customer_factors.values,
            (std::vector<float>{1, 2, 3, 4, 0, 0}));
  EXPECT_EQ(contents->item_factors.values,
            (std::vector<float>{1, 0, 0, 1, 0.5f, 0.5f}));
}

TEST(SnapshotBuilderTest, ManifestAndIndexReport) {
  const ShopData data = Shop();
  const absl::StatusOr<SnapshotContents> contents =
      BuildSnapshotContents(data, Matrix(data), Factors(), Metadata());
  ASSERT_TRUE(contents.ok()) << contents.status();
  const snapshot::Manifest& manifest = contents->manifest;
  EXPECT_EQ(manifest.version(), 7);
  EXPECT_EQ(manifest.trained_at(), "2023-11-14T22:13:20Z");
  EXPECT_EQ(manifest.data_end(), "2024-01-13T22:13:20Z");  // Day 60.
  EXPECT_EQ(manifest.num_items(), 3);
  EXPECT_EQ(manifest.num_customers(), 3);
  EXPECT_EQ(manifest.num_events(), 7);
  EXPECT_EQ(manifest.num_purchases(), 4);
  EXPECT_EQ(manifest.embedding_dimension(), 2);
  EXPECT_EQ(manifest.parameters().at("alpha"), "2");
  EXPECT_EQ(manifest.parameters().at("seed"), "42");
  EXPECT_EQ(manifest.metrics().at("final_loss"), 1.5);
  ASSERT_EQ(manifest.inputs_size(), 1);
  EXPECT_EQ(manifest.inputs(0).path(), "events.csv");
  EXPECT_EQ(manifest.inputs(0).rows_skipped(), 1);
  EXPECT_EQ(manifest.inputs(0).sample_errors(0), "events.csv:9: bad");

  ASSERT_NE(contents->index, nullptr);
  EXPECT_EQ(contents->index->size(), 3);
  EXPECT_EQ(manifest.index().requested(), "exact");
  EXPECT_EQ(manifest.index().recall_queries(), 2);  // C0 and C1.
  EXPECT_EQ(manifest.index().recall_at_10(), 1.0);  // Exact search.
}

TEST(SnapshotBuilderTest, MismatchedFactorsAreRefused) {
  const ShopData data = Shop();
  IalsModel wrong = Factors();
  wrong.item_factors.resize(2, 2);
  const absl::StatusOr<SnapshotContents> contents =
      BuildSnapshotContents(data, Matrix(data), wrong, Metadata());
  EXPECT_EQ(contents.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(WithFactorsTest, NewFactorsAndIndexTheRestCopied) {
  const ShopData data = Shop();
  const absl::StatusOr<SnapshotContents> base =
      BuildSnapshotContents(data, Matrix(data), Factors(), Metadata());
  ASSERT_TRUE(base.ok()) << base.status();
  IalsModel other;
  other.user_factors = FactorMatrix::Constant(3, 3, 0.5f);
  other.item_factors = FactorMatrix::Identity(3, 3);
  IalsOptions first;
  first.factors = 2;
  first.alpha = 4;
  first.regularization = 40;
  IalsOptions second;
  second.factors = 1;
  second.alpha = 10;
  second.regularization = 60;
  const IalsOptions blocks[] = {first, second};
  const absl::StatusOr<SnapshotContents> swapped =
      WithFactors(*base, other, blocks, Metadata().index);
  ASSERT_TRUE(swapped.ok()) << swapped.status();
  EXPECT_EQ(swapped->manifest.embedding_dimension(), 3);
  ASSERT_EQ(swapped->manifest.factor_blocks_size(), 2);
  EXPECT_EQ(swapped->manifest.factor_blocks(0).factors(), 2);
  EXPECT_EQ(swapped->manifest.factor_blocks(0).alpha(), 4);
  EXPECT_EQ(swapped->manifest.factor_blocks(1).factors(), 1);
  EXPECT_EQ(swapped->manifest.factor_blocks(1).regularization(), 60);
  EXPECT_EQ(swapped->item_factors.dimension, 3);
  EXPECT_EQ(swapped->item_factors.values,
            (std::vector<float>{1, 0, 0, 0, 1, 0, 0, 0, 1}));
  EXPECT_EQ(swapped->customer_factors.values, std::vector<float>(9, 0.5f));
  ASSERT_NE(swapped->index, nullptr);
  EXPECT_EQ(swapped->index->size(), 3);
  EXPECT_EQ(swapped->manifest.version(), 7);
  EXPECT_EQ(swapped->items.SerializeAsString(), base->items.SerializeAsString());
  EXPECT_EQ(swapped->customers.SerializeAsString(),
            base->customers.SerializeAsString());
}

TEST(WithFactorsTest, BlocksThatDoNotCoverTheFactorsAreRefused) {
  const ShopData data = Shop();
  const absl::StatusOr<SnapshotContents> base =
      BuildSnapshotContents(data, Matrix(data), Factors(), Metadata());
  ASSERT_TRUE(base.ok()) << base.status();
  IalsOptions block;
  block.factors = 3;
  const IalsOptions blocks[] = {block};
  const absl::StatusOr<SnapshotContents> swapped =
      WithFactors(*base, Factors(), blocks, Metadata().index);
  EXPECT_EQ(swapped.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(swapped.status().message(), testing::HasSubstr("add up to 3"));
}

TEST(SnapshotBuilderTest, FactorBlocksGoIntoTheManifest) {
  const ShopData data = Shop();
  SnapshotMetadata metadata = Metadata();
  metadata.factor_blocks.resize(2);
  metadata.factor_blocks[0].factors = 1;
  metadata.factor_blocks[1].factors = 1;
  metadata.factor_blocks[1].alpha = 7;
  const absl::StatusOr<SnapshotContents> contents =
      BuildSnapshotContents(data, Matrix(data), Factors(), metadata);
  ASSERT_TRUE(contents.ok()) << contents.status();
  ASSERT_EQ(contents->manifest.factor_blocks_size(), 2);
  EXPECT_EQ(contents->manifest.factor_blocks(1).alpha(), 7);
  EXPECT_EQ(contents->manifest.factor_blocks(1).requests(),
            snapshot::SERVED_REQUESTS_EVERY);

  // Each block serving its kind of request; one kind per block.
  metadata.factor_block_requests = {
      snapshot::SERVED_REQUESTS_EVERY,
      snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED};
  const absl::StatusOr<SnapshotContents> kinds =
      BuildSnapshotContents(data, Matrix(data), Factors(), metadata);
  ASSERT_TRUE(kinds.ok()) << kinds.status();
  EXPECT_EQ(kinds->manifest.factor_blocks(0).requests(),
            snapshot::SERVED_REQUESTS_EVERY);
  EXPECT_EQ(kinds->manifest.factor_blocks(1).requests(),
            snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED);
  metadata.factor_block_requests.pop_back();
  const absl::StatusOr<SnapshotContents> short_kinds =
      BuildSnapshotContents(data, Matrix(data), Factors(), metadata);
  EXPECT_EQ(short_kinds.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(short_kinds.status().message(),
              testing::HasSubstr("1 kinds of request for 2 factor blocks"));
  metadata.factor_block_requests.clear();

  metadata.factor_blocks.pop_back();
  EXPECT_EQ(BuildSnapshotContents(data, Matrix(data), Factors(), metadata)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recommender
