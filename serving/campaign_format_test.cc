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
  v1::RecommendedItem* first = message.add_items();
  first->set_item_id("P9");
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
  EXPECT_EQ(parsed["items"][0]["item_id"], "P9");
  EXPECT_EQ(parsed["items"][0]["score"], 0.81);
  EXPECT_EQ(parsed["items"][0]["reason"],
            "similar to \"Drip coffee\", which you bought");
  EXPECT_EQ(parsed["items"][1]["score"], -1.5e-7);
  EXPECT_EQ(parsed["items"][1]["reason"], "line\nbreak\ttab");
  // Keys in the documented order.
  const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(line);
  std::vector<std::string> keys;
  for (const auto& [key, value] : ordered.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"customer_id", "items",
                                            "model_version"}));
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
            (std::vector<std::string>{"customer_id", "rank", "item_id",
                                      "score", "reason", "model_version"}));
  std::vector<std::vector<std::string>> rows;
  CsvRecord record;
  absl::Status error;
  while ((*reader)->Next(&record, &error)) {
    ASSERT_TRUE(error.ok()) << error;
    rows.push_back(record.fields);
  }
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{
                         "C\"1,\n\\x", "1", "P9", "0.81",
                         "similar to \"Drip coffee\", which you bought",
                         "20261123"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"C\"1,\n\\x", "2", "P10",
                                               "-1.5e-07", "line\nbreak\ttab",
                                               "20261123"}));
}

}  // namespace
}  // namespace recommender::serving
