#include "training/evaluation/protocol/served_model_ranker.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "gtest/gtest.h"
#include "recommender/ltr/ranker_model.h"
#include "recommender/ltr/ranking_features.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kNow = 1700000000 + 30 * kDay;

// Rows as a split would number them: items I0..I3, customers C0, C1.
// Taste (1, 0) ranks I0 > I1 > I2 > I3; recent purchases rank I2 > I1 > I0.
// C1 bought the consumable I1 two days ago, on a 30-day cycle.
std::shared_ptr<const ModelSnapshot> Snapshot() {
  TestSnapshotBuilder builder(2);
  builder.AddItem("I0", "kitchen", {1.0f, 0.0f}, snapshot::DURABLE, 1000, 1)
      .AddItem("I1", "food", {0.9f, 0.1f}, snapshot::CONSUMABLE, 1000, 5)
      .AddItem("I2", "food", {0.5f, 0.5f}, snapshot::CONSUMABLE, 1000, 9)
      .AddItem("I3", "food", {0.0f, 1.0f}, snapshot::CONSUMABLE, 1000, 0)
      .AddCustomer("C0", {1.0f, 0.0f})
      .AddCustomer("C1", {1.0f, 0.0f}, {{"I1", kNow - 2 * kDay}})
      .SetRepurchaseCycle("I1", 30)
      .SetDataEnd(kNow);
  absl::StatusOr<std::unique_ptr<const ModelSnapshot>> model =
      ModelSnapshot::FromContents(builder.Build());
  EXPECT_TRUE(model.ok()) << model.status();
  return std::shared_ptr<const ModelSnapshot>(*std::move(model));
}

RankRequest Request(int32_t customer, int count,
                    const absl::flat_hash_set<int32_t>* excluded = nullptr,
                    bool exclude_purchased = false) {
  RankRequest request;
  request.customer = customer;
  request.as_of = absl::FromUnixSeconds(kNow);
  request.count = count;
  request.excluded = excluded;
  request.exclude_purchased = exclude_purchased;
  return request;
}

std::vector<std::string> Sorted(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

RepurchaseRankingOptions NoRepurchaseStage() {
  RepurchaseRankingOptions options;
  options.enabled = false;
  return options;
}

// Scores every candidate by its item's recent purchases.
class RecentPurchasesRanker : public RankerModel {
 public:
  int32_t num_features() const override { return kNumRankingFeatures; }
  absl::StatusOr<std::vector<float>> Score(
      absl::Span<const float> features) const override {
    std::vector<float> scores;
    for (size_t row = 0; row < features.size() / kNumRankingFeatures; ++row) {
      scores.push_back(features[row * kNumRankingFeatures + kRecentPurchases]);
    }
    return scores;
  }
};

TEST(ServedQueryTest, TheRequestInTheServersTerms) {
  const auto model = Snapshot();
  const absl::flat_hash_set<int32_t> excluded = {1, 2};
  const RecommendQuery query =
      ServedQuery(*model, Request(1, 3, &excluded), std::nullopt);
  EXPECT_EQ(query.customer_id, "C1");
  EXPECT_EQ(query.count, 3);
  EXPECT_EQ(query.as_of, absl::FromUnixSeconds(kNow));
  EXPECT_FALSE(query.exclude_purchased);
  EXPECT_FALSE(query.repurchase.has_value());
  EXPECT_EQ(Sorted(query.filter.exclude_item_ids),
            (std::vector<std::string>{"I1", "I2"}));

  const RecommendQuery plain =
      ServedQuery(*model, Request(0, 5), NoRepurchaseStage());
  EXPECT_EQ(plain.customer_id, "C0");
  EXPECT_TRUE(plain.filter.exclude_item_ids.empty());
  ASSERT_TRUE(plain.repurchase.has_value());
  EXPECT_FALSE(plain.repurchase->enabled);
}

// With exclude_purchased the server leaves out what the snapshot knows C1
// bought (I1); only the rest of the list goes into the filter.
TEST(ServedQueryTest, ExcludePurchasedSendsOnlyWhatTheSnapshotDoesNotKnow) {
  const auto model = Snapshot();
  const absl::flat_hash_set<int32_t> excluded = {1, 3};
  const RecommendQuery query =
      ServedQuery(*model, Request(1, 3, &excluded, true), std::nullopt);
  EXPECT_TRUE(query.exclude_purchased);
  EXPECT_EQ(query.filter.exclude_item_ids, (std::vector<std::string>{"I3"}));
  // C0 bought nothing: the whole list is sent.
  const RecommendQuery c0 =
      ServedQuery(*model, Request(0, 3, &excluded, true), std::nullopt);
  EXPECT_EQ(Sorted(c0.filter.exclude_item_ids),
            (std::vector<std::string>{"I1", "I3"}));
}

TEST(ServedModelRankerTest, RanksByTasteWithoutTheExcluded) {
  const ServedModelRanker ranker(Snapshot());
  EXPECT_EQ(ranker.snapshot().num_items(), 4);
  absl::StatusOr<std::vector<int32_t>> items = ranker.Rank(Request(0, 3));
  ASSERT_TRUE(items.ok()) << items.status();
  EXPECT_EQ(*items, (std::vector<int32_t>{0, 1, 2}));
  const absl::flat_hash_set<int32_t> excluded = {0};
  items = ranker.Rank(Request(0, 3, &excluded));
  ASSERT_TRUE(items.ok()) << items.status();
  EXPECT_EQ(*items, (std::vector<int32_t>{1, 2, 3}));
}

// The snapshot's repurchase stage holds back the consumable C1 bought two
// days ago (of a 30-day cycle); a ranker built without the stage offers it.
TEST(ServedModelRankerTest, RepurchaseStageIsTheSnapshotsUnlessGiven) {
  const auto model = Snapshot();
  absl::StatusOr<std::vector<int32_t>> items =
      ServedModelRanker(model).Rank(Request(1, 3));
  ASSERT_TRUE(items.ok()) << items.status();
  EXPECT_EQ(*items, (std::vector<int32_t>{0, 2, 3}));
  const ServedModelRanker without(model, NoRepurchaseStage());
  items = without.Rank(Request(1, 3));
  ASSERT_TRUE(items.ok()) << items.status();
  EXPECT_EQ(*items, (std::vector<int32_t>{0, 1, 2}));
  // The "new" task: what C1 bought stays out all the same.
  const absl::flat_hash_set<int32_t> bought = {1};
  items = without.Rank(Request(1, 3, &bought, true));
  ASSERT_TRUE(items.ok()) << items.status();
  EXPECT_EQ(*items, (std::vector<int32_t>{0, 2, 3}));
}

TEST(ServedModelRankerTest, AGivenLearnedRankingOrdersTheCandidates) {
  const RecentPurchasesRanker by_recent;
  const ServedModelRanker ranker(Snapshot(),
                                 LearnedRanking{&by_recent, CandidateOptions()},
                                 std::nullopt);
  const absl::StatusOr<std::vector<int32_t>> items = ranker.Rank(Request(0, 3));
  ASSERT_TRUE(items.ok()) << items.status();
  EXPECT_EQ(*items, (std::vector<int32_t>{2, 1, 0}));
}

TEST(ServedModelRankerTest, ServersErrorsComeBack) {
  const ServedModelRanker ranker(Snapshot());
  const absl::StatusOr<std::vector<int32_t>> items = ranker.Rank(Request(0, 0));
  ASSERT_FALSE(items.ok());
  EXPECT_EQ(items.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recommender
