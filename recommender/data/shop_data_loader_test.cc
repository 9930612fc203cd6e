#include "recommender/data/shop_data_loader.h"

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "recommender/util/file_util.h"
#include "recommender/util/time_util.h"

namespace recommender {
namespace {

constexpr char kCatalog[] =
    "item_id,title,category,price,in_stock,durability\n"
    "I1,Microwave,kitchen/appliances,19800,true,durable\n"
    "I2,\"Coffee beans, 500g\",food/coffee,1200,true,consumable\n"
    "I3,Kettle,kitchen/appliances,4980,false,\n";

constexpr char kCustomers[] =
    "customer_id,signup_date,age_band,gender,region\n"
    "C1,2025-01-10,30-39,f,Tokyo\n"
    "C2,2025-03-02,,,\n";

constexpr char kEvents[] =
    "customer_id,item_id,type,timestamp,quantity,unit_price\n"
    "C1,I2,purchase,2025-06-01T10:00:00+09:00,2,1100\n"
    "C1,I1,view,2025-05-01T10:00:00Z,,\n"
    "C2,I3,cart,2025-05-02T10:00:00Z,1,\n";

class ShopDataLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = JoinPath(std::getenv("TEST_TMPDIR"),
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(RemoveAll(dir_).ok());
    ASSERT_TRUE(CreateDirectories(dir_).ok());
    Write(kCatalogFile, kCatalog);
    Write(kCustomersFile, kCustomers);
    Write(kEventsFile, kEvents);
    options_.now = *ParseIsoTimestamp("2026-01-01T00:00:00Z");
  }

  void Write(const std::string& name, const std::string& contents) {
    ASSERT_TRUE(WriteFileDurably(JoinPath(dir_, name), contents).ok());
  }

  // Loads with kFail and expects an error containing every one of `parts`.
  void ExpectLoadError(std::initializer_list<std::string> parts) {
    absl::StatusOr<ShopData> data = LoadShopData(dir_, options_);
    ASSERT_FALSE(data.ok());
    EXPECT_EQ(data.status().code(), absl::StatusCode::kInvalidArgument);
    for (const std::string& part : parts) {
      EXPECT_NE(data.status().message().find(part), std::string::npos)
          << "missing \"" << part << "\" in: " << data.status();
    }
  }

  std::string dir_;
  LoadOptions options_;
};

TEST_F(ShopDataLoaderTest, LoadsValidFiles) {
  absl::StatusOr<ShopData> data = LoadShopData(dir_, options_);
  ASSERT_TRUE(data.ok()) << data.status();
  ASSERT_EQ(data->items.size(), 3u);
  EXPECT_EQ(data->items[1].title, "Coffee beans, 500g");
  EXPECT_EQ(data->items[0].durability, Durability::kDurable);
  EXPECT_EQ(data->items[2].durability, Durability::kUnknown);
  EXPECT_FALSE(data->items[2].in_stock);
  ASSERT_EQ(data->customers.size(), 2u);
  EXPECT_EQ(data->customers[0].region, "Tokyo");
  EXPECT_EQ(data->customers[1].age_band, "");

  ASSERT_EQ(data->events.size(), 3u);
  // Sorted by customer, then time: C1's view comes before C1's purchase.
  EXPECT_EQ(data->events[0].type, EventType::kView);
  EXPECT_EQ(data->events[0].quantity, 1);
  EXPECT_FLOAT_EQ(data->events[0].unit_price, 19800);  // Catalog price.
  const Event& purchase = data->events[1];
  EXPECT_EQ(purchase.type, EventType::kPurchase);
  EXPECT_EQ(purchase.quantity, 2);
  EXPECT_FLOAT_EQ(purchase.unit_price, 1100);
  EXPECT_EQ(purchase.unix_seconds,
            absl::ToUnixSeconds(*ParseIsoTimestamp("2025-06-01T01:00:00Z")));
  EXPECT_EQ(data->events[2].customer, data->customer_rows.at("C2"));
  for (const FileLoadReport& report : data->reports) {
    EXPECT_EQ(report.rows_skipped, 0) << report.path;
  }
  EXPECT_EQ(data->reports[2].rows_loaded, 3);
}

TEST_F(ShopDataLoaderTest, CatalogWithoutDurabilityColumnLoads) {
  Write(kCatalogFile,
        "item_id,title,category,price,in_stock\n"
        "I1,Microwave,kitchen/appliances,19800,true\n"
        "I2,Coffee,food/coffee,1200,true\n"
        "I3,Kettle,kitchen/appliances,4980,1\n");
  absl::StatusOr<ShopData> data = LoadShopData(dir_, options_);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->items[0].durability, Durability::kUnknown);
}

TEST_F(ShopDataLoaderTest, UnknownCustomerId) {
  Write(kEventsFile,
        "customer_id,item_id,type,timestamp\n"
        "C9,I1,view,2025-05-01T10:00:00Z\n");
  ExpectLoadError({"events.csv:2:", "column 1 (customer_id)",
                   "unknown customer id \"C9\""});
}

TEST_F(ShopDataLoaderTest, UnknownItemId) {
  Write(kEventsFile,
        "customer_id,item_id,type,timestamp\n"
        "C1,I1,view,2025-05-01T10:00:00Z\n"
        "C1,NOPE,view,2025-05-01T10:00:00Z\n");
  ExpectLoadError({"events.csv:3:", "column 2 (item_id)",
                   "unknown item id \"NOPE\""});
}

TEST_F(ShopDataLoaderTest, DuplicateItemId) {
  Write(kCatalogFile,
        "item_id,title,category,price,in_stock\n"
        "I1,Microwave,kitchen/appliances,19800,true\n"
        "I1,Microwave again,kitchen/appliances,19800,true\n");
  ExpectLoadError({"catalog.csv:3:", "(item_id)", "duplicate item id \"I1\""});
}

TEST_F(ShopDataLoaderTest, DuplicateCustomerId) {
  Write(kCustomersFile, "customer_id,signup_date\nC1,2025-01-01\nC1,2025-01-02\n");
  ExpectLoadError({"customers.csv:3:", "duplicate customer id \"C1\""});
}

TEST_F(ShopDataLoaderTest, DuplicateEventNamesBothLines) {
  Write(kEventsFile,
        "customer_id,item_id,type,timestamp\n"
        "C1,I1,view,2025-05-01T10:00:00Z\n"
        "C2,I1,view,2025-05-01T10:00:00Z\n"
        "C1,I1,view,2025-05-01T19:00:00+09:00\n");
  ExpectLoadError({"events.csv:4:", "duplicate event", "as line 2"});
}

TEST_F(ShopDataLoaderTest, NegativeQuantity) {
  Write(kEventsFile,
        "customer_id,item_id,type,timestamp,quantity\n"
        "C1,I2,purchase,2025-05-01T10:00:00Z,-2\n");
  ExpectLoadError({"events.csv:2:", "column 5 (quantity)", "\"-2\""});
}

TEST_F(ShopDataLoaderTest, NegativePrice) {
  Write(kCatalogFile,
        "item_id,title,category,price,in_stock\n"
        "I1,Microwave,kitchen/appliances,-5,true\n");
  ExpectLoadError({"catalog.csv:2:", "column 4 (price)", ">= 0"});
}

TEST_F(ShopDataLoaderTest, FutureTimestamp) {
  Write(kEventsFile,
        "customer_id,item_id,type,timestamp\n"
        "C1,I1,view,2027-05-01T10:00:00Z\n");
  ExpectLoadError({"events.csv:2:", "(timestamp)", "in the future"});
}

TEST_F(ShopDataLoaderTest, FutureSignupDate) {
  Write(kCustomersFile, "customer_id,signup_date\nC1,2026-06-01\n");
  ExpectLoadError({"customers.csv:2:", "(signup_date)", "in the future"});
}

TEST_F(ShopDataLoaderTest, MalformedTimestampAndType) {
  Write(kEventsFile,
        "customer_id,item_id,type,timestamp\n"
        "C1,I1,view,last tuesday\n");
  ExpectLoadError({"events.csv:2:", "(timestamp)", "ISO 8601"});
  Write(kEventsFile,
        "customer_id,item_id,type,timestamp\n"
        "C1,I1,click,2025-05-01T10:00:00Z\n");
  ExpectLoadError({"events.csv:2:", "(type)", "\"click\""});
}

TEST_F(ShopDataLoaderTest, BadEncoding) {
  // "コーヒー" in Shift_JIS, as some shop systems export it.
  Write(kCatalogFile,
        "item_id,title,category,price,in_stock\n"
        "I1,\x83\x52\x81\x5B\x83\x71\x81\x5B,food/coffee,1200,true\n");
  ExpectLoadError({"catalog.csv:2:", "not valid UTF-8", "SHIFT_JIS"});
}

TEST_F(ShopDataLoaderTest, EmptyFile) {
  Write(kEventsFile, "");
  ExpectLoadError({"events.csv", "file is empty"});
}

TEST_F(ShopDataLoaderTest, HeaderOnlyCatalogHasNoItems) {
  Write(kCatalogFile, "item_id,title,category,price,in_stock\n");
  ExpectLoadError({"catalog.csv", "no valid items"});
}

TEST_F(ShopDataLoaderTest, MissingColumn) {
  Write(kEventsFile, "customer_id,item_id,timestamp\nC1,I1,2025-05-01T10:00:00Z\n");
  ExpectLoadError({"events.csv", "missing column \"type\""});
}

TEST_F(ShopDataLoaderTest, MissingFileIsNotFound) {
  ASSERT_TRUE(RemoveAll(JoinPath(dir_, kCustomersFile)).ok());
  absl::StatusOr<ShopData> data = LoadShopData(dir_, options_);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(data.status().message().find("customers.csv"), std::string::npos);
}

TEST_F(ShopDataLoaderTest, SkipPolicyKeepsGoodRowsAndCountsBadOnes) {
  Write(kEventsFile,
        "customer_id,item_id,type,timestamp,quantity\n"
        "C1,I1,view,2025-05-01T10:00:00Z,1\n"
        "C9,I1,view,2025-05-01T10:00:00Z,1\n"
        "C1,I2,purchase,2025-05-02T10:00:00Z,0\n"
        "C1,I1,view,2025-05-01T10:00:00Z,1\n"
        "C2,I2,purchase,2025-05-03T10:00:00Z,1\n"
        "C2,I2,purchase\n");
  options_.on_bad_row = BadRowPolicy::kSkip;
  absl::StatusOr<ShopData> data = LoadShopData(dir_, options_);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->events.size(), 2u);
  const FileLoadReport& report = data->reports[2];
  EXPECT_EQ(report.rows_read, 6);
  EXPECT_EQ(report.rows_loaded, 2);
  EXPECT_EQ(report.rows_skipped, 4);
  ASSERT_EQ(report.sample_errors.size(), 4u);
  EXPECT_NE(report.sample_errors[0].find("events.csv:3:"), std::string::npos);
  EXPECT_NE(report.sample_errors[3].find("events.csv:5:"), std::string::npos);
}

}  // namespace
}  // namespace recommender
