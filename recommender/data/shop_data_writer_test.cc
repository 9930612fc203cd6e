#include "recommender/data/shop_data_writer.h"

#include <cstdlib>

#include "gtest/gtest.h"
#include "recommender/data/shop_data_loader.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

TEST(ShopDataWriterTest, EscapesOnlyWhenNeeded) {
  EXPECT_EQ(CsvEscape("plain"), "plain");
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvLine({"x", "y,z"}), "x,\"y,z\"\n");
}

TEST(ShopDataWriterTest, WrittenDataLoadsBackUnchanged) {
  ShopData data;
  data.items.push_back({"I1", "Coffee, \"dark\" 500g", "food/coffee", 1200.5,
                        true, Durability::kConsumable});
  data.items.push_back({"I2", "\xE7\x82\x8A\xE9\xA3\xAF\xE5\x99\xA8",  // 炊飯器
                        "kitchen/appliances", 15800, false,
                        Durability::kUnknown});
  data.customers.push_back({"C1", absl::CivilDay(2025, 4, 1), "30-39", "f",
                            "Osaka"});
  data.events.push_back(
      {0, 0, EventType::kPurchase, 2, 1767225600, 1100.0f});  // 2026-01-01
  data.events.push_back({0, 1, EventType::kView, 1, 1767229200, 15800.0f});

  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), "written");
  ASSERT_TRUE(WriteShopData(data, dir, absl::FixedTimeZone(9 * 3600)).ok());
  LoadOptions options;
  absl::StatusOr<ShopData> loaded = LoadShopData(dir, options);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->items.size(), 2u);
  EXPECT_EQ(loaded->items[0].title, data.items[0].title);
  EXPECT_EQ(loaded->items[1].title, data.items[1].title);
  EXPECT_DOUBLE_EQ(loaded->items[0].price, 1200.5);
  EXPECT_FALSE(loaded->items[1].in_stock);
  EXPECT_EQ(loaded->customers[0].signup_date, absl::CivilDay(2025, 4, 1));
  ASSERT_EQ(loaded->events.size(), 2u);
  EXPECT_EQ(loaded->events[0].unix_seconds, 1767225600);
  EXPECT_EQ(loaded->events[0].quantity, 2);
  EXPECT_EQ(loaded->events[1].type, EventType::kView);
  const std::string events = *ReadFileToString(JoinPath(dir, kEventsFile));
  EXPECT_NE(events.find("2026-01-01T09:00:00+09:00"), std::string::npos);
}

TEST(ShopDataWriterTest, CatalogWithoutDurabilityColumn) {
  std::vector<CatalogItem> items = {
      {"I1", "Mug", "all", 3.5, true, Durability::kConsumable}};
  const std::string path =
      JoinPath(std::getenv("TEST_TMPDIR"), "no-durability.csv");
  CatalogCsvOptions options;
  options.durability_column = false;
  ASSERT_TRUE(WriteCatalogCsv(items, path, options).ok());
  EXPECT_EQ(*ReadFileToString(path),
            "item_id,title,category,price,in_stock\nI1,Mug,all,3.5,true\n");
}

}  // namespace
}  // namespace recommender
