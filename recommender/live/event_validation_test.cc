#include "recommender/live/event_validation.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender {
namespace {

std::unique_ptr<const ModelSnapshot> Shop() {
  TestSnapshotBuilder builder(2);
  builder.AddItem("P1", "kitchen", {1, 0});
  return *ModelSnapshot::FromContents(builder.Build());
}

IncomingEvent Good() {
  IncomingEvent event;
  event.customer_id = "C1";
  event.item_id = "P1";
  event.type = EventType::kPurchase;
  event.timestamp = "2026-03-01T09:30:00+09:00";
  return event;
}

TEST(EventValidationTest, GoodEventsBecomeLogRecords) {
  auto model = Shop();
  const absl::Time now = absl::FromUnixSeconds(1800000000);
  IncomingEvent untimed = Good();
  untimed.timestamp.clear();
  untimed.quantity = 3;
  untimed.unit_price = 980;
  untimed.recommendation_id = "spring.0123456789abcdef";
  const ValidatedEvents result = ValidateEvents({Good(), untimed}, *model, nullptr, now);
  EXPECT_TRUE(result.rejected.empty());
  ASSERT_EQ(result.record.events_size(), 2);
  const events::LoggedEvent& first = result.record.events(0);
  EXPECT_EQ(first.customer_id(), "C1");
  EXPECT_EQ(first.type(), events::PURCHASE);
  EXPECT_EQ(first.quantity(), 1);
  EXPECT_EQ(first.unix_seconds(), 1772325000);  // 2026-03-01T00:30:00Z
  EXPECT_FALSE(first.has_unit_price());
  EXPECT_EQ(result.record.events(1).unix_seconds(), 1800000000);
  EXPECT_EQ(result.record.events(1).quantity(), 3);
  EXPECT_EQ(result.record.events(1).unit_price(), 980);
  EXPECT_EQ(first.recommendation_id(), "");
  EXPECT_EQ(result.record.events(1).recommendation_id(),
            "spring.0123456789abcdef");
}

TEST(EventValidationTest, EachBadEventIsRejectedNamingItsFieldAndOthersKept) {
  auto model = Shop();
  const absl::Time now = absl::FromUnixSeconds(1800000000);
  std::vector<IncomingEvent> events;
  std::vector<std::string> fields;
  auto add = [&](IncomingEvent event, const std::string& field) {
    events.push_back(std::move(event));
    fields.push_back(field);
  };
  IncomingEvent e = Good();
  e.customer_id = "";
  add(e, "customer_id");
  e = Good();
  e.customer_id = " C1";
  add(e, "customer_id");
  e = Good();
  e.item_id = "P404";
  add(e, "item_id");
  e = Good();
  e.type.reset();
  add(e, "type");
  e = Good();
  e.quantity = -2;
  add(e, "quantity");
  e = Good();
  e.timestamp = "yesterday";
  add(e, "timestamp");
  e = Good();
  e.timestamp = "2030-01-01T00:00:00Z";
  add(e, "timestamp");
  e = Good();
  e.timestamp = "1970-01-01T00:00:00Z";
  add(e, "timestamp");
  e = Good();
  e.unit_price = -1;
  add(e, "unit_price");
  e = Good();
  e.recommendation_id = "r-1\n";
  add(e, "recommendation_id");
  add(Good(), "");

  const ValidatedEvents result = ValidateEvents(events, *model, nullptr, now);
  EXPECT_EQ(result.record.events_size(), 1);
  ASSERT_EQ(result.rejected.size(), events.size() - 1);
  for (size_t i = 0; i < result.rejected.size(); ++i) {
    const EventRejection& rejection = result.rejected[i];
    EXPECT_EQ(rejection.index, static_cast<int>(i));
    const std::string field = absl::StrCat("events[", i, "].", fields[i]);
    EXPECT_EQ(rejection.field, field);
    EXPECT_EQ(rejection.message.rfind(field + ": ", 0), 0u) << rejection.message;
  }
  EXPECT_NE(result.rejected[2].message.find("P404"), std::string::npos);
  EXPECT_NE(result.rejected[6].message.find("future"), std::string::npos);
}

TEST(EventValidationTest, BatchSizeIsLimited) {
  EXPECT_EQ(ValidateEventBatchSize(0).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateEventBatchSize(kMaxEventsPerBatch).ok());
  const absl::Status too_many = ValidateEventBatchSize(kMaxEventsPerBatch + 1);
  EXPECT_EQ(too_many.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(too_many.message().find("events"), std::string::npos);
}

TEST(EventValidationTest, ItemsAddedLiveAreAcceptedInEvents) {
  auto model = Shop();
  IncomingEvent event = Good();
  event.item_id = "P-NEW";
  const absl::Time now = absl::FromUnixSeconds(1800000000);
  EXPECT_EQ(ValidateEvents({event}, *model, nullptr, now).rejected.size(), 1u);
  LiveCatalog catalog;
  IncomingItem item;
  item.item_id = "P-NEW";
  item.title = "New kettle";
  item.category = "kitchen/kettles";
  item.price = 3980;
  const ValidatedEvents items = ValidateItems({item}, *model);
  ASSERT_TRUE(items.rejected.empty());
  catalog.Apply(items.record);
  EXPECT_TRUE(ValidateEvents({event}, *model, &catalog, now).rejected.empty());
}

TEST(EventValidationTest, BadItemsNameTheirField) {
  auto model = Shop();
  std::vector<IncomingItem> items(4);
  for (IncomingItem& item : items) {
    item.item_id = "P-NEW";
    item.category = "kitchen";
  }
  items[0].item_id = "P1";  // Known to the model.
  items[1].category = "/kitchen";
  items[2].price = -5;
  items[3].title = std::string(kMaxTitleBytes + 1, 'x');
  const ValidatedEvents result = ValidateItems(items, *model);
  EXPECT_EQ(result.record.items_size(), 0);
  ASSERT_EQ(result.rejected.size(), 4u);
  EXPECT_EQ(result.rejected[0].field, "items[0].item_id");
  EXPECT_EQ(result.rejected[1].field, "items[1].category");
  EXPECT_EQ(result.rejected[2].field, "items[2].price");
  EXPECT_EQ(result.rejected[3].field, "items[3].title");
}

TEST(EventValidationTest, EventsOfAnErasedCustomerAreRejected) {
  auto erased = std::make_shared<ErasedCustomers>();
  TestSnapshotBuilder builder(2);
  builder.AddItem("P1", "kitchen", {1, 0});
  auto model = *ModelSnapshot::FromContents(builder.Build(), erased);
  erased->AddKey(ErasureKey("GONE"));
  IncomingEvent gone = Good();
  gone.customer_id = "GONE";
  const ValidatedEvents result = ValidateEvents(
      {Good(), gone}, *model, nullptr, absl::FromUnixSeconds(1800000000));
  ASSERT_EQ(result.record.events_size(), 1);
  EXPECT_EQ(result.record.events(0).customer_id(), "C1");
  ASSERT_EQ(result.rejected.size(), 1u);
  EXPECT_EQ(result.rejected[0].field, "events[1].customer_id");
  EXPECT_NE(result.rejected[0].message.find("erased"), std::string::npos);
}

}  // namespace
}  // namespace recommender
