#include "serving/campaign_format.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "recommender/data/shop_data_writer.h"

namespace recommender::serving {
namespace {

std::string FormatScore(float score) { return absl::StrFormat("%.6g", score); }

}  // namespace

std::string CampaignJsonLine(const v1::BatchRecommendResponse& message) {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const v1::RecommendedItem& item : message.items()) {
    // The score as the CSV shows it, written in its shortest form.
    items.push_back(
        {{"item_id", item.item_id()},
         {"score", std::strtod(FormatScore(item.score()).c_str(), nullptr)},
         {"reason", item.reason_text()}});
  }
  const nlohmann::ordered_json line = {{"customer_id", message.customer_id()},
                                       {"items", std::move(items)},
                                       {"model_version", message.model_version()}};
  return line.dump(-1, ' ', false,
                   nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

std::string CampaignCsvRows(const v1::BatchRecommendResponse& message) {
  std::string rows;
  for (int i = 0; i < message.items_size(); ++i) {
    const v1::RecommendedItem& item = message.items(i);
    rows += CsvLine({message.customer_id(), absl::StrCat(i + 1), item.item_id(),
                     FormatScore(item.score()), item.reason_text(),
                     absl::StrCat(message.model_version())});
  }
  return rows;
}

}  // namespace recommender::serving
