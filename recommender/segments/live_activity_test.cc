#include "recommender/segments/live_activity.h"

#include <memory>

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender::segments {
namespace {

events::LoggedEvent Logged(const std::string& customer, const std::string& item,
                           events::EventType type, int quantity, int64_t t) {
  events::LoggedEvent e;
  e.set_customer_id(customer);
  e.set_item_id(item);
  e.set_type(type);
  e.set_quantity(quantity);
  e.set_unix_seconds(t);
  return e;
}

TEST(LiveActivityTest, PurchasesArePricedFromTheCatalogs) {
  SnapshotContents contents =
      TestSnapshotBuilder(2)
          .AddItem("coffee", "food", {1, 0}, snapshot::CONSUMABLE, 800)
          .AddCustomer("alice", {1, 0}, {{"coffee", 1767225600}})
          .Build();
  contents.manifest.set_event_log_sequence(1);
  auto snapshot = ModelSnapshot::FromContents(std::move(contents));
  ASSERT_TRUE(snapshot.ok());
  LiveState live;
  LiveCatalog catalog;
  events::LogRecord old_record;  // Already in the snapshot: not seen.
  old_record.set_sequence(1);
  *old_record.add_events() =
      Logged("alice", "coffee", events::PURCHASE, 5, 1767225600);
  live.Apply(old_record);
  events::LogRecord items;
  items.set_sequence(2);
  events::LoggedItem* tea = items.add_items();
  tea->set_item_id("tea");
  tea->set_price(300);
  catalog.Apply(items);
  events::LogRecord record;
  record.set_sequence(3);
  *record.add_events() = Logged("alice", "coffee", events::PURCHASE, 2, 1767300000);
  *record.add_events() = Logged("bob", "tea", events::PURCHASE, 3, 1767300100);
  *record.add_events() = Logged("bob", "coffee", events::VIEW, 1, 1767300200);
  live.Apply(record);

  const std::vector<LaterActivity> activity =
      LiveActivity(**snapshot, live, &catalog);
  ASSERT_EQ(activity.size(), 3u);
  EXPECT_EQ(activity[0].customer_id, "alice");
  EXPECT_TRUE(activity[0].purchase);
  EXPECT_DOUBLE_EQ(activity[0].value, 1600);
  EXPECT_EQ(activity[1].customer_id, "bob");
  EXPECT_DOUBLE_EQ(activity[1].value, 900);
  EXPECT_FALSE(activity[2].purchase);
  EXPECT_EQ(activity[2].unix_seconds, 1767300200);
  // Without the live catalog the new item's price is unknown.
  EXPECT_DOUBLE_EQ(LiveActivity(**snapshot, live, nullptr)[1].value, 0);
}

}  // namespace
}  // namespace recommender::segments
