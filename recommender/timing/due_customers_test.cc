#include "recommender/timing/due_customers.h"

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender {
namespace {

constexpr int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z.
constexpr int64_t kDay = 86400;

// Coffee every 30 days: alice last on Jan 31 (due ~Mar 2), carol on Jan 11
// (due ~Feb 10); bob buys tea (20 days) last on Jan 21 (due ~Feb 10).
std::unique_ptr<const ModelSnapshot> Shop() {
  auto snapshot = ModelSnapshot::FromContents(
      TestSnapshotBuilder(2)
          .AddItem("coffee", "food/coffee", {1, 0})
          .AddItem("tea", "food/tea", {0, 1})
          .AddCustomer("alice", {1, 0},
                       {{"coffee", kStart}, {"coffee", kStart + 30 * kDay}})
          .AddCustomer("bob", {0, 1}, {{"tea", kStart + 20 * kDay}})
          .AddCustomer("carol", {1, 0}, {{"coffee", kStart + 10 * kDay}})
          .AddCustomer("dave", {1, 0})
          .SetRepurchaseCycle("coffee", 30)
          .SetRepurchaseCycle("tea", 20)
          .Build());
  EXPECT_TRUE(snapshot.ok()) << snapshot.status();
  return *std::move(snapshot);
}

DueSelection February() {
  DueSelection s;
  s.as_of = absl::FromUnixSeconds(kStart + 35 * kDay);
  s.due_from = absl::CivilDay(2026, 2, 1);
  s.due_to = absl::CivilDay(2026, 2, 28);
  return s;
}

std::vector<std::string> Ids(const ModelSnapshot& snapshot,
                             const DueCustomers& due) {
  std::vector<std::string> ids;
  for (const DueCustomer& c : due.customers) {
    ids.push_back(snapshot.customer(c.customer).id());
  }
  return ids;
}

TEST(DueCustomersTest, SelectsCustomersWithAConsumableDueInTheRange) {
  auto snapshot = Shop();
  absl::StatusOr<DueCustomers> due = SelectDueCustomers(*snapshot, February());
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(Ids(*snapshot, *due), (std::vector<std::string>{"bob", "carol"}));
  EXPECT_EQ(due->total_matching, 2);
  ASSERT_EQ(due->customers[1].due.size(), 1u);
  EXPECT_EQ(snapshot->item(due->customers[1].due[0].item).id(), "coffee");

  DueSelection march = February();
  march.due_from = absl::CivilDay(2026, 3, 1);
  march.due_to = absl::CivilDay(2026, 3, 5);
  EXPECT_EQ(Ids(*snapshot, *SelectDueCustomers(*snapshot, march)),
            std::vector<std::string>{"alice"});
}

TEST(DueCustomersTest, CategoriesLimitsAndLapsedItems) {
  auto snapshot = Shop();
  DueSelection coffee = February();
  coffee.categories = {"food/coffee"};
  EXPECT_EQ(Ids(*snapshot, *SelectDueCustomers(*snapshot, coffee)),
            std::vector<std::string>{"carol"});
  DueSelection one = February();
  one.max_customers = 1;
  absl::StatusOr<DueCustomers> first = SelectDueCustomers(*snapshot, one);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->customers.size(), 1u);
  EXPECT_EQ(first->total_matching, 2);
  // Half a year later February's dues have lapsed.
  DueSelection late = February();
  late.as_of = absl::FromUnixSeconds(kStart + 200 * kDay);
  EXPECT_TRUE(SelectDueCustomers(*snapshot, late)->customers.empty());
  late.include_lapsed = true;
  EXPECT_EQ(SelectDueCustomers(*snapshot, late)->customers.size(), 2u);
}

TEST(DueCustomersTest, BadSelectionsNameTheField) {
  auto snapshot = Shop();
  DueSelection backwards = February();
  std::swap(backwards.due_from, backwards.due_to);
  EXPECT_NE(SelectDueCustomers(*snapshot, backwards).status().message().find(
                "due_to"),
            absl::string_view::npos);
  DueSelection many = February();
  many.max_customers = 0;
  EXPECT_NE(SelectDueCustomers(*snapshot, many).status().message().find(
                "max_customers"),
            absl::string_view::npos);
  DueSelection category = February();
  category.categories = {"food//x"};
  EXPECT_NE(SelectDueCustomers(*snapshot, category).status().message().find(
                "categories[0]"),
            absl::string_view::npos);
  DueSelection categories = February();
  categories.categories.assign(kMaxDueCategories + 1, "food");
  EXPECT_NE(SelectDueCustomers(*snapshot, categories).status().message().find(
                "categories: at most 100"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace recommender
