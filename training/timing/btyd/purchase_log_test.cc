#include "training/timing/btyd/purchase_log.h"

#include <cstdlib>

#include "gtest/gtest.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = JoinPath(std::getenv("TEST_TMPDIR"), name);
  EXPECT_TRUE(WriteFileDurably(path, text).ok());
  return path;
}

TEST(ReadCdnowFileTest, ReadsTheSampleLayout) {
  const std::string path = WriteTemp(
      "sample.txt",
      " 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n"
      "\n 00021 0002 19970101  3   63.34\n");
  absl::StatusOr<PurchaseLog> log = ReadCdnowFile(path);
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_EQ(log->customer_ids.size(), 2u);
  EXPECT_EQ(log->customer_ids[0], "00004");
  ASSERT_EQ(log->purchases[0].size(), 2u);
  EXPECT_EQ(log->purchases[0][1].day, DayNumber(absl::CivilDay(1997, 1, 18)));
  EXPECT_DOUBLE_EQ(log->purchases[0][1].value, 29.73);
}

TEST(ReadCdnowFileTest, ReadsTheMasterLayoutWithItsHeader) {
  const std::string path = WriteTemp(
      "master.txt",
      " customer_id  date number_of_cds  dollar_value\n"
      " 00001 19970101  1   11.77\n 00002 19970112  5   77.00\n");
  absl::StatusOr<PurchaseLog> log = ReadCdnowFile(path);
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_EQ(log->customer_ids.size(), 2u);
}

TEST(ReadCdnowFileTest, BadLinesNameFileLineAndColumn) {
  const std::string bad_date =
      WriteTemp("bad_date.txt", " 00001 19970101 1 1.0\n 00002 19971345 1 2.0\n");
  absl::StatusOr<PurchaseLog> log = ReadCdnowFile(bad_date);
  EXPECT_EQ(log.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(log.status().message().find("bad_date.txt:2: column 2 (date)"),
            absl::string_view::npos)
      << log.status();
  const std::string bad_value =
      WriteTemp("bad_value.txt", " 00001 0001 19970101 1 -3\n");
  log = ReadCdnowFile(bad_value);
  EXPECT_NE(log.status().message().find("bad_value.txt:1: column 5 (dollar_value)"),
            absl::string_view::npos)
      << log.status();
  const std::string columns = WriteTemp("columns.txt", " 00001 19970101\n");
  EXPECT_NE(ReadCdnowFile(columns).status().message().find("columns.txt:1:"),
            absl::string_view::npos);
  EXPECT_FALSE(ReadCdnowFile(WriteTemp("empty.txt", "\n")).ok());
  EXPECT_FALSE(ReadCdnowFile(JoinPath(std::getenv("TEST_TMPDIR"), "none")).ok());
}

TEST(PurchaseLogFromShopTest, UsesShopDaysAndOrderValues) {
  ShopData data;
  data.customers.resize(2);
  data.customers[0].id = "a";
  data.customers[1].id = "b";
  data.items.resize(1);
  data.items[0].id = "coffee";
  // 2026-03-01T20:00:00Z: March 2nd in Japan.
  data.events = {{0, 0, EventType::kView, 1, 1772395100, 1000},
                 {0, 0, EventType::kPurchase, 2, 1772395200, 900}};
  const PurchaseLog log = PurchaseLogFromShop(data, 9 * 3600);
  ASSERT_EQ(log.customer_ids.size(), 1u);
  EXPECT_EQ(log.customer_ids[0], "a");
  ASSERT_EQ(log.purchases[0].size(), 1u);
  EXPECT_EQ(log.purchases[0][0].day, DayNumber(absl::CivilDay(2026, 3, 2)));
  EXPECT_DOUBLE_EQ(log.purchases[0][0].value, 1800);
}

TEST(SummarizeLogTest, LeavesOutCustomersWhoStartAfterTheCalibration) {
  PurchaseLog log;
  log.customer_ids = {"early", "late"};
  log.purchases = {{{10, 1}, {24, 2}}, {{40, 1}}};
  std::vector<std::string> ids;
  const std::vector<CustomerRfm> summaries = SummarizeLog(log, 31, 7, &ids);
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_EQ(ids, std::vector<std::string>{"early"});
  EXPECT_DOUBLE_EQ(summaries[0].age, 3);
}

}  // namespace
}  // namespace recommender
