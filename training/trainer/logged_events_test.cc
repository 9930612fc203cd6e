#include "training/trainer/logged_events.h"

#include <cstdlib>

#include "gtest/gtest.h"
#include "recommender/events/event_log_writer.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

ShopData SmallShop() {
  ShopData data;
  data.items = {{"P1", "Kettle", "kitchen", 5000, true, Durability::kDurable},
                {"P2", "Beans", "coffee", 1200, true, Durability::kConsumable}};
  data.customers.resize(1);
  data.customers[0].id = "C1";
  data.item_rows = IndexIds(data.items);
  data.customer_rows = IndexIds(data.customers);
  Event exported;
  exported.customer = 0;
  exported.item = 1;
  exported.type = EventType::kPurchase;
  exported.unix_seconds = 1700000000;
  data.events = {exported};
  return data;
}

void Log(events::LogRecord* record, const std::string& customer,
         const std::string& item, events::EventType type, int64_t time) {
  events::LoggedEvent* event = record->add_events();
  event->set_customer_id(customer);
  event->set_item_id(item);
  event->set_type(type);
  event->set_quantity(1);
  event->set_unix_seconds(time);
}

TEST(LoggedEventsTest, AddsNewCustomersSkipsUnknownItemsAndDuplicates) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), "log");
  ASSERT_TRUE(RemoveAll(dir).ok());
  {
    events::EventLogReadSummary summary;
    auto writer = events::EventLogWriter::Open(
        dir, {}, [](const events::LogRecord&) { return absl::OkStatus(); },
        &summary);
    ASSERT_TRUE(writer.ok());
    events::LogRecord first;
    Log(&first, "C1", "P2", events::PURCHASE, 1700000000);  // Exported too.
    Log(&first, "C1", "P1", events::VIEW, 1700000500);
    ASSERT_TRUE((*writer)->Append(first).ok());
    events::LogRecord second;
    Log(&second, "C9", "P1", events::PURCHASE, 1700000100);
    Log(&second, "C9", "P404", events::VIEW, 1700000200);
    ASSERT_TRUE((*writer)->Append(second).ok());
    events::LogRecord catalog;
    events::LoggedItem* item = catalog.add_items();
    item->set_item_id("P3");
    item->set_title("Grinder");
    item->set_category("coffee/tools");
    item->set_price(4000);
    item->set_in_stock(true);
    item->set_durability("durable");
    Log(&catalog, "C1", "P3", events::VIEW, 1700000600);
    ASSERT_TRUE((*writer)->Append(catalog).ok());
  }
  ShopData data = SmallShop();
  absl::StatusOr<LoggedEventsResult> result = AddLoggedEvents(dir, 10, &data);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->last_sequence, 3u);
  EXPECT_EQ(result->new_customers, 1);
  EXPECT_EQ(result->new_items, 1);
  EXPECT_EQ(result->duplicates, 1);
  ASSERT_EQ(data.customers.size(), 2u);
  EXPECT_EQ(data.customers[1].id, "C9");
  EXPECT_EQ(data.customer_rows.at("C9"), 1);
  ASSERT_EQ(data.items.size(), 3u);
  EXPECT_EQ(data.items[2].category, "coffee/tools");
  EXPECT_EQ(data.items[2].durability, Durability::kDurable);
  ASSERT_EQ(data.events.size(), 4u);
  // Sorted by customer, then time.
  EXPECT_EQ(data.events[0].item, 1);
  EXPECT_EQ(data.events[1].item, 0);
  EXPECT_EQ(data.events[1].type, EventType::kView);
  EXPECT_EQ(data.events[2].item, 2);
  EXPECT_EQ(data.events[3].customer, 1);
  EXPECT_EQ(data.events[3].unit_price, 5000);
  ASSERT_EQ(data.reports.size(), 1u);
  EXPECT_EQ(data.reports[0].rows_read, 5);
  EXPECT_EQ(data.reports[0].rows_loaded, 3);
  EXPECT_EQ(data.reports[0].rows_skipped, 1);
  ASSERT_EQ(data.reports[0].sample_errors.size(), 1u);
  EXPECT_NE(data.reports[0].sample_errors[0].find("P404"), std::string::npos);
}

TEST(LoggedEventsTest, MissingLogIsAnError) {
  ShopData data = SmallShop();
  EXPECT_EQ(AddLoggedEvents(JoinPath(std::getenv("TEST_TMPDIR"), "absent"), 10,
                            &data)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace recommender
