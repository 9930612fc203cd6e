#include "training/trainer/erased_rows.h"

#include "gtest/gtest.h"
#include "recommender/erasure/erased_customers.h"

namespace recommender {
namespace {

Event MakeEvent(int32_t customer, int32_t item, int64_t time) {
  Event event;
  event.customer = customer;
  event.item = item;
  event.type = EventType::kPurchase;
  event.unix_seconds = time;
  return event;
}

TEST(ErasedRowsTest, DropsTheCustomerTheirEventsAndErrorsQuotingThem) {
  ShopData data;
  data.items = {{"P1", "Kettle", "kitchen", 5000, true, Durability::kDurable}};
  data.customers.resize(3);
  data.customers[0].id = "C1";
  data.customers[1].id = "GONE-2";
  data.customers[2].id = "C3";
  data.item_rows = IndexIds(data.items);
  data.customer_rows = IndexIds(data.customers);
  data.events = {MakeEvent(0, 0, 10), MakeEvent(1, 0, 20), MakeEvent(1, 0, 30),
                 MakeEvent(2, 0, 40)};
  FileLoadReport report;
  report.sample_errors = {"events.csv:3: bad quantity for \"GONE-2\"",
                          "events.csv:9: bad date"};
  data.reports.push_back(report);

  const ErasedRows dropped =
      DropErasedCustomers({ErasureKey("GONE-2"), ErasureKey("NEVER-SEEN")}, &data);
  EXPECT_EQ(dropped.customers, 1);
  EXPECT_EQ(dropped.events, 2);
  EXPECT_EQ(dropped.sample_errors, 1);
  ASSERT_EQ(data.customers.size(), 2u);
  EXPECT_EQ(data.customers[1].id, "C3");
  EXPECT_EQ(data.customer_rows.at("C3"), 1);
  EXPECT_FALSE(data.customer_rows.contains("GONE-2"));
  ASSERT_EQ(data.events.size(), 2u);
  EXPECT_EQ(data.events[0].customer, 0);
  EXPECT_EQ(data.events[1].customer, 1);
  EXPECT_EQ(data.events[1].unix_seconds, 40);
  EXPECT_EQ(data.reports[0].sample_errors,
            (std::vector<std::string>{"events.csv:9: bad date"}));
}

TEST(ErasedRowsTest, NothingErasedChangesNothing) {
  ShopData data;
  data.customers.resize(1);
  data.customers[0].id = "C1";
  data.events = {MakeEvent(0, 0, 10)};
  EXPECT_EQ(DropErasedCustomers({}, &data).customers, 0);
  EXPECT_EQ(DropErasedCustomers({ErasureKey("C2")}, &data).customers, 0);
  EXPECT_EQ(data.events.size(), 1u);
}

}  // namespace
}  // namespace recommender
