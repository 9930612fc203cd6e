#include "recommender/live/live_catalog.h"

#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace recommender {
namespace {

events::LoggedItem Item(const std::string& id, const std::string& title,
                        double price) {
  events::LoggedItem item;
  item.set_item_id(id);
  item.set_title(title);
  item.set_category("kitchen/cups");
  item.set_price(price);
  item.set_in_stock(true);
  item.set_durability("durable");
  return item;
}

events::LogRecord Upsert(std::vector<events::LoggedItem> items) {
  events::LogRecord record;
  for (events::LoggedItem& item : items) *record.add_items() = std::move(item);
  return record;
}

TEST(LiveCatalogTest, EmptyKnowsNothing) {
  const LiveCatalog catalog;
  EXPECT_EQ(catalog.size(), 0);
  EXPECT_FALSE(catalog.Find("mug").has_value());
}

TEST(LiveCatalogTest, AddsItemsAndALaterRecordReplacesThem) {
  LiveCatalog catalog;
  catalog.Apply(Upsert({Item("mug", "Mug", 900), Item("cup", "Cup", 500)}));
  EXPECT_EQ(catalog.size(), 2);
  std::optional<events::LoggedItem> mug = catalog.Find("mug");
  ASSERT_TRUE(mug.has_value());
  EXPECT_EQ(mug->title(), "Mug");
  EXPECT_EQ(mug->category(), "kitchen/cups");
  EXPECT_EQ(mug->price(), 900);
  EXPECT_EQ(mug->durability(), "durable");

  catalog.Apply(Upsert({Item("mug", "Big mug", 1200)}));
  EXPECT_EQ(catalog.size(), 2);
  mug = catalog.Find("mug");
  ASSERT_TRUE(mug.has_value());
  EXPECT_EQ(mug->title(), "Big mug");
  EXPECT_EQ(mug->price(), 1200);
  EXPECT_EQ(catalog.Find("cup")->price(), 500);
  EXPECT_FALSE(catalog.Find("Mug").has_value());  // Ids are exact.
}

TEST(LiveCatalogTest, RecordsWithoutItemsChangeNothing) {
  LiveCatalog catalog;
  catalog.Apply(Upsert({Item("mug", "Mug", 900)}));
  events::LogRecord events_only;
  events_only.set_sequence(7);
  events_only.add_events();
  catalog.Apply(events_only);
  EXPECT_EQ(catalog.size(), 1);
}

TEST(LiveCatalogTest, ConcurrentAppliesAndReads) {
  LiveCatalog catalog;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&catalog, t] {
      for (int i = 0; i < 100; ++i) {
        catalog.Apply(Upsert({Item("item-" + std::to_string(t * 100 + i), "x", i)}));
        catalog.Find("item-0");
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(catalog.size(), 400);
  EXPECT_EQ(catalog.Find("item-399")->price(), 99);
}

}  // namespace
}  // namespace recommender
