#include "recommender/campaigns/campaign_events.h"

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "recommender/events/event_log_writer.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/util/file_util.h"

namespace recommender::campaigns {
namespace {

constexpr int64_t kSent = 1767225600;

events::LoggedEvent Logged(const std::string& customer, const std::string& item,
                           events::EventType type, int64_t t) {
  events::LoggedEvent e;
  e.set_customer_id(customer);
  e.set_item_id(item);
  e.set_type(type);
  e.set_quantity(2);
  e.set_unix_seconds(t);
  return e;
}

TEST(CampaignEventsTest, FromTheSnapshotAndTheEventLog) {
  // A model trained after the send knows alice's purchase on day 1.
  auto snapshot = ModelSnapshot::FromContents(
      TestSnapshotBuilder(2)
          .AddItem("coffee", "food", {1, 0}, snapshot::CONSUMABLE, 800)
          .AddCustomer("alice", {1, 0},
                       {{"coffee", kSent - 86400}, {"coffee", kSent + 86400}})
          .AddCustomer("zed", {1, 0}, {{"coffee", kSent + 86400}})
          .Build());
  ASSERT_TRUE(snapshot.ok());
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), "events");
  ASSERT_TRUE(RemoveAll(dir).ok());
  {
    events::EventLogReadSummary summary;
    auto writer = events::EventLogWriter::Open(dir, {}, {}, &summary);
    ASSERT_TRUE(writer.ok()) << writer.status();
    events::LogRecord items;
    events::LoggedItem* tea = items.add_items();
    tea->set_item_id("tea");
    tea->set_price(300);
    ASSERT_TRUE((*writer)->Append(items).ok());
    events::LogRecord record;
    events::LoggedEvent click = Logged("bob", "coffee", events::VIEW, kSent + 60);
    click.set_recommendation_id("spring.0123456789abcdef");
    *record.add_events() = click;
    *record.add_events() = Logged("bob", "tea", events::PURCHASE, kSent + 120);
    events::LoggedEvent paid = Logged("bob", "coffee", events::PURCHASE, kSent + 180);
    paid.set_unit_price(700);
    *record.add_events() = paid;
    *record.add_events() = Logged("bob", "coffee", events::PURCHASE, kSent - 5);
    *record.add_events() = Logged("zed", "coffee", events::PURCHASE, kSent + 9);
    ASSERT_TRUE((*writer)->Append(record).ok());
  }
  absl::StatusOr<std::vector<CustomerEvent>> events = CollectCampaignEvents(
      **snapshot, dir, {"alice", "bob"}, kSent, kSent + 30 * 86400);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 4u);
  EXPECT_EQ((*events)[0].customer_id, "alice");
  EXPECT_EQ((*events)[0].unix_seconds, kSent + 86400);
  EXPECT_DOUBLE_EQ((*events)[0].value, 800);
  EXPECT_EQ((*events)[1].type, EventType::kView);
  EXPECT_EQ((*events)[1].recommendation_id, "spring.0123456789abcdef");
  EXPECT_DOUBLE_EQ((*events)[2].value, 600);   // 2 teas at the added price.
  EXPECT_DOUBLE_EQ((*events)[3].value, 1400);  // 2 coffees at the price paid.
  // Without a log, the snapshot alone; a missing log folder is an error.
  EXPECT_EQ(CollectCampaignEvents(**snapshot, "", {"alice"}, kSent, kSent + 86400)
                ->size(),
            1u);
  EXPECT_EQ(CollectCampaignEvents(**snapshot, dir + "-missing", {"alice"}, kSent,
                                  kSent + 86400)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace recommender::campaigns
