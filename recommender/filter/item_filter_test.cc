#include "recommender/filter/item_filter.h"

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender {
namespace {

std::unique_ptr<const ModelSnapshot> Catalog() {
  return *ModelSnapshot::FromContents(
      TestSnapshotBuilder(1)
          .AddItem("microwave", "kitchen/appliances", {1}, snapshot::DURABLE,
                   19800)
          .AddItem("pan", "kitchenware", {1}, snapshot::DURABLE, 3000)
          .AddItem("coffee", "food/coffee", {1}, snapshot::CONSUMABLE, 1200, 0,
                   /*in_stock=*/false)
          .Build());
}

std::vector<std::string> Accepted(const ItemFilter& filter) {
  auto model = Catalog();
  BoundItemFilter bound(filter, *model);
  std::vector<std::string> ids;
  for (int32_t row = 0; row < model->num_items(); ++row) {
    if (bound.Accepts(row)) ids.push_back(model->item(row).id());
  }
  return ids;
}

TEST(ItemFilterTest, CategoryPathsMatchWholeSegments) {
  EXPECT_TRUE(CategoryIsUnder("kitchen/appliances", "kitchen"));
  EXPECT_TRUE(CategoryIsUnder("kitchen", "kitchen"));
  EXPECT_FALSE(CategoryIsUnder("kitchenware", "kitchen"));
  EXPECT_FALSE(CategoryIsUnder("kitchen", "kitchen/appliances"));
}

TEST(ItemFilterTest, EmptyFilterAcceptsEverything) {
  EXPECT_EQ(Accepted({}),
            (std::vector<std::string>{"microwave", "pan", "coffee"}));
}

TEST(ItemFilterTest, EachConditionApplies) {
  ItemFilter include;
  include.include_categories = {"kitchen"};
  EXPECT_EQ(Accepted(include), (std::vector<std::string>{"microwave"}));

  ItemFilter exclude;
  exclude.exclude_categories = {"food"};
  EXPECT_EQ(Accepted(exclude), (std::vector<std::string>{"microwave", "pan"}));

  ItemFilter price;
  price.max_price = 3000;
  EXPECT_EQ(Accepted(price), (std::vector<std::string>{"pan", "coffee"}));

  ItemFilter stock;
  stock.in_stock_only = true;
  EXPECT_EQ(Accepted(stock), (std::vector<std::string>{"microwave", "pan"}));

  ItemFilter ids;
  ids.exclude_item_ids = {"pan", "no-such-item"};
  EXPECT_EQ(Accepted(ids), (std::vector<std::string>{"microwave", "coffee"}));
}

TEST(ItemFilterTest, ExcludedRowsAreRejected) {
  auto model = Catalog();
  ItemFilter filter;
  BoundItemFilter bound(filter, *model);
  bound.Exclude(0);
  EXPECT_FALSE(bound.Accepts(0));
  EXPECT_TRUE(bound.Accepts(1));
}

TEST(ItemFilterTest, ValidationNamesTheField) {
  ItemFilter bad_price;
  bad_price.max_price = -1;
  absl::Status status = ValidateItemFilter(bad_price);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("filter.max_price"), std::string::npos);

  ItemFilter bad_category;
  bad_category.include_categories = {"kitchen", "food//coffee"};
  status = ValidateItemFilter(bad_category);
  EXPECT_NE(status.message().find("filter.include_categories[1]"),
            std::string::npos);

  ItemFilter empty_category;
  empty_category.exclude_categories = {""};
  EXPECT_FALSE(ValidateItemFilter(empty_category).ok());
  EXPECT_TRUE(ValidateItemFilter(ItemFilter{}).ok());
}

TEST(ItemFilterTest, ListsHaveSizeLimits) {
  ItemFilter filter;
  filter.include_categories.assign(kMaxFilterCategories, "kitchen");
  filter.exclude_item_ids.assign(kMaxExcludedItemIds, "P1");
  EXPECT_TRUE(ValidateItemFilter(filter).ok());

  ItemFilter categories = filter;
  categories.exclude_categories.assign(kMaxFilterCategories + 1, "food");
  absl::Status status = ValidateItemFilter(categories);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("filter.exclude_categories: at most 100"),
            std::string::npos)
      << status;

  ItemFilter ids = filter;
  ids.exclude_item_ids.push_back("P2");
  status = ValidateItemFilter(ids);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("filter.exclude_item_ids: at most 1000"),
            std::string::npos)
      << status;
}

}  // namespace
}  // namespace recommender
