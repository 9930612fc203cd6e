#include "recommender/ranking/repurchase_adjuster.h"

#include <algorithm>

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender {
namespace {

constexpr int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z.
constexpr int64_t kDay = 86400;

// Alice buys coffee every 30 days (days 0 to 90) and tea once (day 95);
// her taste points at the kettle.
std::unique_ptr<const ModelSnapshot> Shop() {
  auto snapshot = ModelSnapshot::FromContents(
      TestSnapshotBuilder(2)
          .AddItem("kettle", "kitchen", {1, 0}, snapshot::DURABLE)
          .AddItem("coffee", "food/coffee", {0.2f, 1})
          .AddItem("tea", "food/tea", {0.1f, 1})
          .AddCustomer("alice", {1, 0},
                       {{"coffee", kStart},
                        {"coffee", kStart + 30 * kDay},
                        {"coffee", kStart + 60 * kDay},
                        {"coffee", kStart + 90 * kDay},
                        {"tea", kStart + 95 * kDay}})
          .SetRepurchaseCycle("coffee", 30)
          .SetRepurchaseCycle("tea", 20)
          .Build());
  EXPECT_TRUE(snapshot.ok()) << snapshot.status();
  return *std::move(snapshot);
}

absl::Time Day(double d) {
  return absl::FromUnixSeconds(kStart) + absl::Seconds(d * kDay);
}

TEST(RepurchaseAdjusterTest, JustBoughtIsSuppressedDueIsBoosted) {
  auto snapshot = Shop();
  const int32_t coffee = *snapshot->FindItem("coffee");
  const int32_t tea = *snapshot->FindItem("tea");
  const int32_t kettle = *snapshot->FindItem("kettle");
  const ItemFilter no_filter;
  const BoundItemFilter filter(no_filter, *snapshot);
  const std::vector<float> taste = {1, 0};

  // Day 97: coffee (7 of 30 days) and tea (2 of 20) were just bought.
  const RepurchaseAdjuster fresh(*snapshot, 0, Day(97), {});
  std::vector<int32_t> suppressed = fresh.suppressed();
  std::sort(suppressed.begin(), suppressed.end());
  EXPECT_EQ(suppressed, (std::vector<int32_t>{coffee, tea}));

  // Day 117: coffee due in 3 days, tea overdue: both join, their taste
  // score (0.2, 0.1) raised by P(bought within a week) times the top score.
  const RepurchaseAdjuster due(*snapshot, 0, Day(117), {});
  EXPECT_TRUE(due.suppressed().empty());
  const std::vector<ScoredItem> candidates = {{kettle, 1.0f}};
  std::vector<RepurchaseAdjuster::Pick> picks =
      due.Rerank(taste, filter, 3, candidates);
  ASSERT_EQ(picks.size(), 3u);
  for (const RepurchaseAdjuster::Pick& pick : picks) {
    EXPECT_EQ(pick.boosted, pick.item != kettle);
    EXPECT_EQ(pick.due, pick.item != kettle);
    if (pick.item == coffee) {
      EXPECT_GT(pick.score, 0.2f + 0.5f);
      EXPECT_EQ(pick.explanation,
                "re-bought about every 30 days; last bought 27 days ago");
    }
    if (pick.item == tea) {
      EXPECT_GT(pick.score, 0.1f + 0.5f);
    }
  }
  EXPECT_GE(picks[0].score, picks[1].score);
  EXPECT_GE(picks[1].score, picks[2].score);
  // Only `count` survive, and the filter still applies to added items.
  EXPECT_EQ(due.Rerank(taste, filter, 1, candidates).size(), 1u);
  ItemFilter no_tea;
  no_tea.exclude_categories = {"food/tea"};
  const BoundItemFilter tea_filter(no_tea, *snapshot);
  for (const auto& pick : due.Rerank(taste, tea_filter, 3, candidates)) {
    EXPECT_NE(pick.item, tea);
  }
}

TEST(RepurchaseAdjusterTest, NotYetDueIsBoostedByItsSmallerChance) {
  auto snapshot = Shop();
  const int32_t coffee = *snapshot->FindItem("coffee");
  const int32_t kettle = *snapshot->FindItem("kettle");
  const ItemFilter no_filter;
  const BoundItemFilter filter(no_filter, *snapshot);
  const std::vector<ScoredItem> candidates = {{kettle, 1.0f}};
  // Day 105: coffee half way (15 of 30 days), tea half way (10 of 20):
  // neither just bought nor due within the week.
  const RepurchaseAdjuster adjuster(*snapshot, 0, Day(105), {});
  EXPECT_TRUE(adjuster.suppressed().empty());
  const std::vector<RepurchaseAdjuster::Pick> picks =
      adjuster.Rerank({1, 0}, filter, 3, candidates);
  ASSERT_EQ(picks.size(), 3u);
  EXPECT_EQ(picks[0].item, kettle);  // A small chance: taste still leads.
  for (const RepurchaseAdjuster::Pick& pick : picks) {
    EXPECT_EQ(pick.boosted, pick.item != kettle);
    EXPECT_FALSE(pick.due);
    if (pick.item == coffee) {
      EXPECT_GT(pick.score, 0.2f);
      EXPECT_EQ(pick.explanation,
                "re-bought about every 30 days; last bought 15 days ago");
    }
  }
  RepurchaseRankingOptions due_only;
  due_only.boost_not_yet_due = false;
  EXPECT_FALSE(RepurchaseAdjuster(*snapshot, 0, Day(105), due_only).has_boosts());
}

TEST(RepurchaseAdjusterTest, ShortCycleDueSoonIsBoostedNotSuppressed) {
  // Milk every 8 days, last bought on day 95: on day 98 it is within half
  // its cycle and also due in 5 days.
  auto snapshot = ModelSnapshot::FromContents(
      TestSnapshotBuilder(2)
          .AddItem("milk", "food/milk", {0.2f, 1})
          .AddCustomer("bob", {1, 0},
                       {{"milk", kStart + 79 * kDay},
                        {"milk", kStart + 87 * kDay},
                        {"milk", kStart + 95 * kDay}})
          .SetRepurchaseCycle("milk", 8)
          .Build());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  const RepurchaseAdjuster adjuster(**snapshot, 0, Day(98), {});
  EXPECT_TRUE(adjuster.suppressed().empty());
  EXPECT_TRUE(adjuster.has_boosts());
  // Half a day after the purchase the next one is 7.5 days away, beyond
  // the week's window: just bought, left out.
  const RepurchaseAdjuster fresh(**snapshot, 0, Day(95.5), {});
  EXPECT_EQ(fresh.suppressed(), (std::vector<int32_t>{0}));
  EXPECT_FALSE(fresh.has_boosts());
}

TEST(RepurchaseAdjusterTest, DisabledOrLapsedChangesNothing) {
  auto snapshot = Shop();
  const ItemFilter no_filter;
  const BoundItemFilter filter(no_filter, *snapshot);
  const std::vector<ScoredItem> candidates = {{0, 1.0f}};
  RepurchaseRankingOptions off;
  off.enabled = false;
  const RepurchaseAdjuster disabled(*snapshot, 0, Day(97), off);
  EXPECT_TRUE(disabled.suppressed().empty());
  EXPECT_EQ(disabled.Rerank({1, 0}, filter, 3, candidates).size(), 1u);
  // A year later both have lapsed: no boost.
  const RepurchaseAdjuster lapsed(*snapshot, 0, Day(400), {});
  EXPECT_EQ(lapsed.Rerank({1, 0}, filter, 3, candidates).size(), 1u);
}

}  // namespace
}  // namespace recommender
