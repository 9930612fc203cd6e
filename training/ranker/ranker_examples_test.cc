#include "training/ranker/ranker_examples.h"

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "recommender/ltr/ranking_features.h"
#include "recommender/model/test_snapshot_builder.h"
#include "training/evaluation/protocol/data_split.h"
#include "training/evaluation/protocol/testing_shop.h"

namespace recommender {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kStart = 1700000000;
constexpr int64_t kCutoff = kStart + 10 * kDay;

// Six items, three customers, the same rows in the split and the snapshot.
// Before the cutoff: C0 bought I0, C1 and C2 bought I2. After it: C0 buys
// I0 again and the best seller I4, C1 buys I3, C2 buys I5 (which no source
// proposes).
DataSplit Split() {
  const ShopData data =
      TestShop(6, 3,
               {TestPurchase(0, 0, kStart), TestPurchase(0, 0, kCutoff + kDay),
                TestPurchase(0, 4, kCutoff + 2 * kDay), TestPurchase(1, 2, kStart),
                TestPurchase(1, 3, kCutoff + kDay), TestPurchase(2, 2, kStart),
                TestPurchase(2, 5, kCutoff + kDay)});
  return SplitAtTime(data, absl::FromUnixSeconds(kCutoff));
}

// Trained before the cutoff. Taste (1, 0) is nearest I0, then I1; taste
// (0, 1) nearest I3, then I2. I4 is the only recent seller.
std::unique_ptr<const ModelSnapshot> Snapshot() {
  TestSnapshotBuilder builder(2);
  builder.AddItem("I0", "a", {1.0f, 0.0f})
      .AddItem("I1", "a", {0.9f, 0.1f})
      .AddItem("I2", "b", {0.0f, 1.0f})
      .AddItem("I3", "b", {0.1f, 1.2f})
      .AddItem("I4", "c", {-1.0f, -1.0f}, snapshot::CONSUMABLE, 1000, 9)
      .AddItem("I5", "c", {-1.0f, -1.0f})
      .AddCustomer("C0", {1.0f, 0.0f}, {{"I0", kStart}})
      .AddCustomer("C1", {0.0f, 1.0f}, {{"I2", kStart}})
      .AddCustomer("C2", {0.0f, 1.0f}, {{"I2", kStart}})
      .SetDataEnd(kCutoff);
  return *ModelSnapshot::FromContents(builder.Build());
}

const std::vector<Durability> kUnknown(6, Durability::kUnknown);
const std::vector<EvalTask> kBothTasks = {EvalTask::kAll, EvalTask::kNew};

// One candidate per source: the taste's nearest, the customer's own most
// bought, the best seller.
CandidateOptions OnePerSource() {
  CandidateOptions options;
  options.per_source = 1;
  return options;
}

float Feature(const RankerExamples& examples, int64_t row, RankingFeature f) {
  return examples.features[row * kNumRankingFeatures + f];
}

// Groups, in case order then task order:
//   C0 all: I0 (taste, rebuy; relevant), I4 (popular; relevant)
//   C0 new: I1 (taste; I0 is left out), I4 (relevant)
//   C1 all: I3 (taste; relevant), I2 (rebuy), I4 (popular)
//   C1 new: I3 (relevant), I4
//   C2: I5 is never a candidate, so neither task has a group.
TEST(RankerExamplesTest, OneGroupPerCaseAndTaskWithARelevantCandidate) {
  const DataSplit split = Split();
  const EvaluationCases cases(split, kUnknown);
  ASSERT_EQ(cases.cases().size(), 3u);
  const auto model = Snapshot();
  const absl::StatusOr<RankerExamples> examples = BuildRankerExamples(
      *model, OnePerSource(), cases, kBothTasks, /*count=*/1, /*threads=*/1);
  ASSERT_TRUE(examples.ok()) << examples.status();
  EXPECT_EQ(examples->group_sizes, (std::vector<uint32_t>{2, 2, 3, 2}));
  EXPECT_EQ(examples->group_case, (std::vector<int32_t>{0, 0, 1, 1}));
  EXPECT_EQ(examples->groups(), 4);
  EXPECT_EQ(examples->rows(), 9);
  EXPECT_EQ(examples->labels,
            (std::vector<float>{1, 1, 0, 1, 1, 0, 0, 1, 0}));
  ASSERT_EQ(examples->features.size(), 9u * kNumRankingFeatures);

  // Row 0, C0's I0 for "all": first by taste and by rebuying, bought once
  // ten days before the cutoff.
  EXPECT_FLOAT_EQ(Feature(*examples, 0, kIalsScore), 1.0f);
  EXPECT_EQ(Feature(*examples, 0, kIalsRank), 1);
  EXPECT_EQ(Feature(*examples, 0, kRebuyRank), 1);
  EXPECT_TRUE(std::isnan(Feature(*examples, 0, kPopularityRank)));
  EXPECT_EQ(Feature(*examples, 0, kPurchaseCount), 1);
  EXPECT_FLOAT_EQ(Feature(*examples, 0, kDaysSincePurchase), 10);
  // Row 1, the best seller, proposed by popularity only.
  EXPECT_EQ(Feature(*examples, 1, kPopularityRank), 1);
  EXPECT_EQ(Feature(*examples, 1, kRecentPurchases), 9);
  EXPECT_TRUE(std::isnan(Feature(*examples, 1, kIalsRank)));
  // Row 2, C0's I1 for "new": the taste's nearest once I0 is left out.
  EXPECT_FLOAT_EQ(Feature(*examples, 2, kIalsScore), 0.9f);
  EXPECT_EQ(Feature(*examples, 2, kIalsRank), 1);
  EXPECT_EQ(Feature(*examples, 2, kPurchaseCount), 0);
  // Row 5, C1's I2 for "all": their own purchase.
  EXPECT_EQ(Feature(*examples, 5, kRebuyRank), 1);
  EXPECT_EQ(Feature(*examples, 5, kPurchaseCount), 1);
  // "new" groups are requests that leave out the customer's purchases.
  const std::vector<float> excludes = {0, 0, 1, 1, 0, 0, 0, 1, 1};
  for (int64_t row = 0; row < examples->rows(); ++row) {
    EXPECT_EQ(Feature(*examples, row, kExcludesPurchased), excludes[row])
        << row;
  }
}

TEST(RankerExamplesTest, TasksAsAskedAndTheSameWithMoreThreads) {
  const EvaluationCases cases(Split(), kUnknown);
  const auto model = Snapshot();
  const absl::StatusOr<RankerExamples> fresh = BuildRankerExamples(
      *model, OnePerSource(), cases, {EvalTask::kNew}, 1, 1);
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_EQ(fresh->group_sizes, (std::vector<uint32_t>{2, 2}));
  EXPECT_EQ(fresh->labels, (std::vector<float>{0, 1, 1, 0}));

  const absl::StatusOr<RankerExamples> one = BuildRankerExamples(
      *model, OnePerSource(), cases, kBothTasks, 1, 1);
  const absl::StatusOr<RankerExamples> two = BuildRankerExamples(
      *model, OnePerSource(), cases, kBothTasks, 1, 2);
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_EQ(one->labels, two->labels);
  EXPECT_EQ(one->group_sizes, two->group_sizes);
  EXPECT_EQ(one->group_case, two->group_case);
  ASSERT_EQ(one->features.size(), two->features.size());
  for (size_t i = 0; i < one->features.size(); ++i) {
    const float a = one->features[i];
    const float b = two->features[i];
    EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << i;
  }
}

TEST(RankerExamplesTest, ErrorsNameTheCustomerRow) {
  const EvaluationCases cases(Split(), kUnknown);
  const auto model = Snapshot();
  const absl::StatusOr<RankerExamples> examples = BuildRankerExamples(
      *model, OnePerSource(), cases, kBothTasks, /*count=*/0, 1);
  ASSERT_FALSE(examples.ok());
  EXPECT_EQ(examples.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(examples.status().message().find("ranker examples, customer row 0: "),
            absl::string_view::npos)
      << examples.status();
}

// Three groups of one-wide rows: group g's rows hold 10 * g + their index.
RankerExamples ThreeGroups() {
  RankerExamples examples;
  examples.group_sizes = {2, 1, 2};
  examples.group_case = {4, 5, 7};
  int g = 0;
  for (uint32_t size : examples.group_sizes) {
    for (uint32_t r = 0; r < size; ++r) {
      examples.features.push_back(static_cast<float>(10 * g + r));
      examples.labels.push_back(r == 0 ? 1.0f : 0.0f);
    }
    ++g;
  }
  return examples;
}

TEST(RankerExamplesTest, SelectKeepsWholeGroupsByCase) {
  const RankerExamples all = ThreeGroups();
  const RankerExamples odd = all.Select([](int32_t c) { return c % 2 == 1; });
  EXPECT_EQ(odd.group_case, (std::vector<int32_t>{5, 7}));
  EXPECT_EQ(odd.group_sizes, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(odd.features, (std::vector<float>{10, 20, 21}));
  EXPECT_EQ(odd.labels, (std::vector<float>{1, 1, 0}));
  EXPECT_EQ(odd.rows(), 3);

  const RankerExamples none = all.Select([](int32_t) { return false; });
  EXPECT_EQ(none.rows(), 0);
  EXPECT_EQ(none.groups(), 0);
  EXPECT_TRUE(none.features.empty());
}

TEST(RankerExamplesTest, SelectCarriesEveryFeatureOfARow) {
  const EvaluationCases cases(Split(), kUnknown);
  const auto model = Snapshot();
  const absl::StatusOr<RankerExamples> examples = BuildRankerExamples(
      *model, OnePerSource(), cases, kBothTasks, 1, 1);
  ASSERT_TRUE(examples.ok()) << examples.status();
  const RankerExamples c1 = examples->Select([](int32_t c) { return c == 1; });
  ASSERT_EQ(c1.rows(), 5);
  ASSERT_EQ(c1.features.size(), 5u * kNumRankingFeatures);
  // C1's rows are rows 4.. of the whole.
  for (size_t i = 0; i < c1.features.size(); ++i) {
    const float a = c1.features[i];
    const float b = examples->features[4 * kNumRankingFeatures + i];
    EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << i;
  }
}

}  // namespace
}  // namespace recommender
