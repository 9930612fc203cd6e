#include "recommender/model/customer_history.h"

#include <memory>

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender {
namespace {

constexpr int64_t kJan1 = 1767225600;  // 2026-01-01T00:00:00Z.

std::unique_ptr<const ModelSnapshot> Model() {
  auto model = ModelSnapshot::FromContents(
      TestSnapshotBuilder(2)
          .AddItem("kettle", "kitchen/appliances", {1, 0}, snapshot::DURABLE)
          .AddItem("coffee", "food/coffee", {0, 1})
          .AddCustomer("alice", {1, 0},
                       {{"coffee", kJan1}, {"kettle", kJan1 + 10},
                        {"coffee", kJan1 + 20}})
          .AddCustomer("newbie", {0, 1})
          .Build());
  EXPECT_TRUE(model.ok()) << model.status();
  return *std::move(model);
}

TEST(CustomerHistoryTest, NewestFirstAndCapped) {
  const auto model = Model();
  const int32_t coffee = *model->FindItem("coffee");
  const int32_t kettle = *model->FindItem("kettle");
  absl::StatusOr<std::vector<PastPurchase>> all =
      RecentPurchases(*model, "alice", 0);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].item, coffee);
  EXPECT_EQ((*all)[0].purchased_at, absl::FromUnixSeconds(kJan1 + 20));
  EXPECT_EQ((*all)[1].item, kettle);
  EXPECT_EQ((*all)[2].purchased_at, absl::FromUnixSeconds(kJan1));

  absl::StatusOr<std::vector<PastPurchase>> two =
      RecentPurchases(*model, "alice", 2);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].item, kettle);
  EXPECT_EQ(RecentPurchases(*model, "alice", 50)->size(), 3u);
  EXPECT_TRUE(RecentPurchases(*model, "newbie", 0)->empty());
}

TEST(CustomerHistoryTest, ErrorsNameTheField) {
  const auto model = Model();
  EXPECT_EQ(RecentPurchases(*model, "", 0).status(),
            absl::InvalidArgumentError("customer_id: must not be empty"));
  EXPECT_EQ(RecentPurchases(*model, "bob", 0).status(),
            absl::NotFoundError("customer_id: unknown customer \"bob\""));
  EXPECT_EQ(RecentPurchases(*model, "alice", -1).status(),
            absl::InvalidArgumentError("max_purchases: must be >= 0, got -1"));
  EXPECT_EQ(*RequireCustomer(*model, "newbie"), *model->FindCustomer("newbie"));
}

TEST(CustomerHistoryTest, AnErasedCustomerIsUnknown) {
  auto erased = std::make_shared<ErasedCustomers>();
  auto model = ModelSnapshot::FromContents(
      TestSnapshotBuilder(2)
          .AddItem("coffee", "food/coffee", {0, 1})
          .AddCustomer("alice", {1, 0}, {{"coffee", kJan1}})
          .Build(),
      erased);
  ASSERT_TRUE(model.ok());
  const int32_t row = *(*model)->FindCustomer("alice");
  EXPECT_FALSE((*model)->customer_erased(row));
  EXPECT_EQ((*model)->customer_vector(row).size(), 2u);
  erased->AddKey(ErasureKey("alice"));
  EXPECT_EQ((*model)->FindCustomer("alice"), std::nullopt);
  EXPECT_TRUE((*model)->customer_erased(row));
  EXPECT_TRUE((*model)->customer_vector(row).empty());
  EXPECT_EQ(RecentPurchases(**model, "alice", 0).status(),
            absl::NotFoundError("customer_id: unknown customer \"alice\""));
}

}  // namespace
}  // namespace recommender
