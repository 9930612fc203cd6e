#include "recommender/live/customer_selector.h"

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/util/time_util.h"

namespace recommender {
namespace {

constexpr int64_t kNow = 1800000000;
constexpr int64_t kDay = kSecondsPerDay;

std::unique_ptr<const ModelSnapshot> Shop() {
  TestSnapshotBuilder builder(2);
  builder.AddItem("P1", "x", {1, 0})
      .AddCustomer("recent-buyer", {1, 0}, {{"P1", kNow - 5 * kDay}})
      .AddCustomer("lapsed-buyer", {1, 0},
                   {{"P1", kNow - 200 * kDay}, {"P1", kNow - 100 * kDay}})
      .AddCustomer("never-bought", {})
      .AddCustomer("came-back", {1, 0}, {{"P1", kNow - 300 * kDay}});
  SnapshotContents contents = builder.Build();
  // never-bought browsed 10 days ago.
  contents.customers.mutable_customers(2)->set_last_event_time(kNow - 10 * kDay);
  contents.manifest.set_event_log_sequence(4);
  return *ModelSnapshot::FromContents(std::move(contents));
}

events::LogRecord Record(uint64_t sequence, const std::string& customer,
                         events::EventType type, int64_t time) {
  events::LogRecord record;
  record.set_sequence(sequence);
  events::LoggedEvent* event = record.add_events();
  event->set_customer_id(customer);
  event->set_item_id("P1");
  event->set_type(type);
  event->set_unix_seconds(time);
  return record;
}

CustomerSelection Select(CustomerSelection::Kind kind, int days) {
  return *MakeCustomerSelection(kind, days, "", absl::FromUnixSeconds(kNow));
}

TEST(CustomerSelectorTest, LapsedCustomersCountLivePurchases) {
  auto model = Shop();
  LiveState live;
  // came-back bought again yesterday; a newcomer bought 90 days ago (as
  // a back-filled event); an event the model already has is ignored.
  live.Apply(Record(5, "came-back", events::PURCHASE, kNow - kDay));
  live.Apply(Record(6, "newcomer", events::PURCHASE, kNow - 90 * kDay));
  live.Apply(Record(4, "lapsed-buyer", events::PURCHASE, kNow));
  EXPECT_EQ(SelectCustomers(*model, &live,
                            Select(CustomerSelection::Kind::kLapsed, 60)),
            (std::vector<std::string>{"lapsed-buyer", "newcomer"}));
  EXPECT_EQ(SelectCustomers(*model, nullptr,
                            Select(CustomerSelection::Kind::kLapsed, 60)),
            (std::vector<std::string>{"lapsed-buyer", "came-back"}));
}

TEST(CustomerSelectorTest, ActiveAndAll) {
  auto model = Shop();
  LiveState live;
  live.Apply(Record(5, "browser", events::VIEW, kNow - 2 * kDay));
  EXPECT_EQ(SelectCustomers(*model, &live,
                            Select(CustomerSelection::Kind::kActive, 30)),
            (std::vector<std::string>{"recent-buyer", "never-bought",
                                      "browser"}));
  EXPECT_EQ(SelectCustomers(*model, &live,
                            Select(CustomerSelection::Kind::kAll, 0))
                .size(),
            5u);
}

TEST(CustomerSelectorTest, AsOfMovesTheWindow) {
  auto model = Shop();
  // 150 days ago, only came-back had not bought for 60 days.
  auto selection = MakeCustomerSelection(
      CustomerSelection::Kind::kLapsed, 60,
      FormatRfc3339Utc(absl::FromUnixSeconds(kNow - 150 * kDay)),
      absl::FromUnixSeconds(kNow));
  ASSERT_TRUE(selection.ok()) << selection.status();
  EXPECT_EQ(SelectCustomers(*model, nullptr, *selection),
            (std::vector<std::string>{"came-back"}));
}

TEST(CustomerSelectorTest, BadSelectorsNameTheField) {
  const absl::Time now = absl::FromUnixSeconds(kNow);
  auto bad_days =
      MakeCustomerSelection(CustomerSelection::Kind::kLapsed, 0, "", now);
  EXPECT_EQ(bad_days.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad_days.status().message().find("selector.days"), std::string::npos);
  auto bad_time = MakeCustomerSelection(CustomerSelection::Kind::kActive, 30,
                                        "last tuesday", now);
  EXPECT_NE(bad_time.status().message().find("selector.as_of"),
            std::string::npos);
  EXPECT_TRUE(
      MakeCustomerSelection(CustomerSelection::Kind::kAll, 0, "", now).ok());
}

TEST(CustomerSelectorTest, ExplicitListsAreCheckedAndDeduplicated) {
  auto ids = ValidateCustomerList({"C2", "C1", "C2"});
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<std::string>{"C2", "C1"}));
  EXPECT_NE(ValidateCustomerList({}).status().message().find(
                "customer_list.customer_ids"),
            std::string::npos);
  EXPECT_NE(ValidateCustomerList({"C1", ""}).status().message().find(
                "customer_list.customer_ids[1]"),
            std::string::npos);
}

TEST(CustomerSelectorTest, ErasedCustomersAreNeverChosen) {
  auto erased = std::make_shared<ErasedCustomers>();
  SnapshotContents contents =
      TestSnapshotBuilder(2)
          .AddItem("P1", "x", {1, 0})
          .AddCustomer("stays", {1, 0}, {{"P1", kNow - 5 * kDay}})
          .AddCustomer("erased", {1, 0}, {{"P1", kNow - 5 * kDay}})
          .Build();
  auto model = *ModelSnapshot::FromContents(std::move(contents), erased);
  const CustomerSelection all = Select(CustomerSelection::Kind::kAll, 0);
  EXPECT_EQ(SelectCustomers(*model, nullptr, all),
            (std::vector<std::string>{"stays", "erased"}));
  erased->AddKey(ErasureKey("erased"));
  EXPECT_EQ(SelectCustomers(*model, nullptr, all),
            (std::vector<std::string>{"stays"}));
  EXPECT_EQ(SelectCustomers(*model, nullptr,
                            Select(CustomerSelection::Kind::kActive, 30)),
            (std::vector<std::string>{"stays"}));
}

}  // namespace
}  // namespace recommender
