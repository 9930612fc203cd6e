#include "serving/campaign_format.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "recommender/data/shop_data_writer.h"

namespace recommender::serving {
namespace {

std::string FormatScore(float score) { return absl::StrFormat("%.6g", score); }

std::string FormatPrice(double price) { return absl::StrFormat("%.15g", price); }

}  // namespace

std::string CampaignJsonLine(const v1::BatchRecommendResponse& message) {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const v1::RecommendedItem& item : message.items()) {
    // The score as the CSV shows it, written in its shortest form.
    items.push_back(
        {{"item_id", item.item_id()},
         {"title", item.title()},
         {"category", item.category()},
         {"price", item.price()},
         {"score", std::strtod(FormatScore(item.score()).c_str(), nullptr)},
         {"reason", item.reason_text()}});
  }
  nlohmann::ordered_json line = {{"customer_id", message.customer_id()},
                                 {"recommendation_id",
                                  message.recommendation_id()}};
  if (!message.campaign_id().empty()) {
    line["campaign_id"] = message.campaign_id();
    line["arm"] = message.arm();
  }
  line["items"] = std::move(items);
  line["model_version"] = message.model_version();
  return line.dump(-1, ' ', false,
                   nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

std::string CampaignCsvRows(const v1::BatchRecommendResponse& message) {
  std::string rows;
  for (int i = 0; i < message.items_size(); ++i) {
    const v1::RecommendedItem& item = message.items(i);
    rows += CsvLine({message.customer_id(), message.recommendation_id(),
                     message.campaign_id(), message.arm(), absl::StrCat(i + 1),
                     item.item_id(), item.title(), item.category(),
                     FormatPrice(item.price()), FormatScore(item.score()),
                     item.reason_text(),
                     absl::StrCat(message.model_version())});
  }
  return rows;
}

std::string ExportSummaryLine(const v1::CampaignExportSummary& s) {
  return absl::StrFormat(
      "segment %d customers: %d opted out, %d already sent, %d over the "
      "contact cap (%s); %d held back as control, %d mailed",
      s.selected(), s.opted_out(), s.already_sent(), s.capped(),
      s.max_contacts() == 0
          ? std::string("no cap")
          : absl::StrFormat("%d per %d days", s.max_contacts(), s.per_days()),
      s.control(), s.mailed());
}

}  // namespace recommender::serving
