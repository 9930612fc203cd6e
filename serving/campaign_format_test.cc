#include "serving/campaign_format.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "recommender/data/csv_reader.h"
#include "recommender/util/file_util.h"

namespace recommender::serving {
namespace {

using ::nlohmann::json;

// A customer whose id and reasons hold every character that needs quoting.
v1::BatchRecommendResponse Message() {
  v1::BatchRecommendResponse message;
  message.set_customer_id("C\"1,\n\\x");
  message.set_model_version(20261123);
  message.set_recommendation_id("spring.3655d6481a914575");
  message.set_campaign_id("spring");
  message.set_arm("personal");
  v1::RecommendedItem* first = message.add_items();
  first->set_item_id("P9");
  first->set_title("Drip coffee, 500g");
  first->set_category("food/coffee");
  first->set_price(1280);
  first->set_score(0.81f);
  first->set_reason_text("similar to \"Drip coffee\", which you bought");
  v1::RecommendedItem* second = message.add_items();
  second->set_item_id("P10");
  second->set_score(-1.5e-7f);
  second->set_reason_text("line\nbreak\ttab");
  return message;
}

TEST(CampaignFormatTest, JsonLineParsesBackToTheMessage) {
  const std::string line = CampaignJsonLine(Message());
  ASSERT_EQ(line.find('\n'), line.size() - 1) << line;
  const json parsed = json::parse(line);
  EXPECT_EQ(parsed["customer_id"], "C\"1,\n\\x");
  EXPECT_EQ(parsed["model_version"], 20261123);
  ASSERT_EQ(parsed["items"].size(), 2u);
  EXPECT_EQ(parsed["recommendation_id"], "spring.3655d6481a914575");
  EXPECT_EQ(parsed["campaign_id"], "spring");
  EXPECT_EQ(parsed["arm"], "personal");
  EXPECT_EQ(parsed["items"][0]["item_id"], "P9");
  EXPECT_EQ(parsed["items"][0]["title"], "Drip coffee, 500g");
  EXPECT_EQ(parsed["items"][0]["category"], "food/coffee");
  EXPECT_EQ(parsed["items"][0]["price"], 1280);
  EXPECT_EQ(parsed["items"][0]["score"], 0.81);
  EXPECT_EQ(parsed["items"][0]["reason"],
            "similar to \"Drip coffee\", which you bought");
  EXPECT_EQ(parsed["items"][1]["score"], -1.5e-7);
  EXPECT_EQ(parsed["items"][1]["reason"], "line\nbreak\ttab");
  // Keys in the documented order.
  const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(line);
  std::vector<std::string> keys;
  for (const auto& [key, value] : ordered.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"customer_id", "recommendation_id",
                                            "campaign_id", "arm", "items",
                                            "model_version"}));
  std::vector<std::string> item_keys;
  for (const auto& [key, value] : ordered["items"][0].items()) {
    item_keys.push_back(key);
  }
  EXPECT_EQ(item_keys, (std::vector<std::string>{"item_id", "title", "category",
                                                 "price", "score", "reason"}));
  // Outside a campaign export there is no campaign or arm.
  v1::BatchRecommendResponse plain = Message();
  plain.clear_campaign_id();
  plain.clear_arm();
  const json no_campaign = json::parse(CampaignJsonLine(plain));
  EXPECT_FALSE(no_campaign.contains("campaign_id"));
  EXPECT_FALSE(no_campaign.contains("arm"));
}

TEST(CampaignFormatTest, CustomerWithoutPicksHasAnEmptyList) {
  v1::BatchRecommendResponse message;
  message.set_customer_id("C2");
  message.set_model_version(7);
  const json parsed = json::parse(CampaignJsonLine(message));
  EXPECT_TRUE(parsed["items"].is_array());
  EXPECT_TRUE(parsed["items"].empty());
  EXPECT_EQ(CampaignCsvRows(message), "");
}

TEST(CampaignFormatTest, InvalidUtf8StillGivesValidJson) {
  v1::BatchRecommendResponse message;
  message.set_customer_id("C\xff");
  const json parsed = json::parse(CampaignJsonLine(message));
  EXPECT_EQ(parsed["customer_id"], "C\xEF\xBF\xBD");
}

TEST(CampaignFormatTest, CsvRowsReadBackWithTheShopDataReader) {
  const std::string path =
      JoinPath(std::getenv("TEST_TMPDIR"), "campaign.csv");
  ASSERT_TRUE(WriteFileDurably(path, std::string(kCampaignCsvHeader) +
                                         CampaignCsvRows(Message()))
                  .ok());
  absl::StatusOr<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->header(),
            (std::vector<std::string>{"customer_id", "recommendation_id",
                                      "campaign_id", "arm", "rank", "item_id",
                                      "title", "category", "price", "score",
                                      "reason", "model_version"}));
  std::vector<std::vector<std::string>> rows;
  CsvRecord record;
  absl::Status error;
  while ((*reader)->Next(&record, &error)) {
    ASSERT_TRUE(error.ok()) << error;
    rows.push_back(record.fields);
  }
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{
                         "C\"1,\n\\x", "spring.3655d6481a914575", "spring",
                         "personal", "1", "P9", "Drip coffee, 500g",
                         "food/coffee", "1280", "0.81",
                         "similar to \"Drip coffee\", which you bought",
                         "20261123"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{
                         "C\"1,\n\\x", "spring.3655d6481a914575", "spring",
                         "personal", "2", "P10", "", "", "0", "-1.5e-07",
                         "line\nbreak\ttab", "20261123"}));
}

TEST(CampaignFormatTest, ExportSummaryInWords) {
  v1::CampaignExportSummary s;
  s.set_selected(812);
  s.set_opted_out(3);
  s.set_capped(41);
  s.set_control(77);
  s.set_mailed(691);
  s.set_max_contacts(1);
  s.set_per_days(7);
  EXPECT_EQ(ExportSummaryLine(s),
            "segment 812 customers: 3 opted out, 0 already sent, 41 over the "
            "contact cap (1 per 7 days); 77 held back as control, 691 mailed");
  s.set_max_contacts(0);
  EXPECT_NE(ExportSummaryLine(s).find("(no cap)"), std::string::npos);
}

}  // namespace
}  // namespace recommender::serving
