// The campaign exporter's two output formats for BatchRecommend's messages,
// carrying what a mail needs without a join: JSON Lines, one object per
// customer,
//   {"customer_id":"C1","recommendation_id":"spring.3655d6481a914575",
//    "campaign_id":"spring","arm":"personal",
//    "items":[{"item_id":"P9","title":"Drip coffee 500g",
//              "category":"food/coffee","price":1280,"score":0.81,
//              "reason":"similar to Drip coffee you bought"}],
//    "model_version":20261123}
// (campaign_id and arm only in a campaign export), and CSV (RFC 4180), one
// row per pick under kCampaignCsvHeader. Scores are written with 6
// significant digits in both.
//
// Thread-safe: pure functions.
#ifndef SERVING_CAMPAIGN_FORMAT_H_
#define SERVING_CAMPAIGN_FORMAT_H_

#include <string>

#include "proto/recommender.pb.h"

namespace recommender::serving {

inline constexpr char kCampaignCsvHeader[] =
    "customer_id,recommendation_id,campaign_id,arm,rank,item_id,title,"
    "category,price,score,reason,model_version\n";

// One JSON object and its '\n'. Bytes that are not valid UTF-8 become
// U+FFFD (the server only sends valid UTF-8).
std::string CampaignJsonLine(const v1::BatchRecommendResponse& message);

// One CSV row per pick (rank from 1), each with its '\n'; "" for a customer
// without picks.
std::string CampaignCsvRows(const v1::BatchRecommendResponse& message);

// A campaign export's closing summary for people, one line:
// "segment 812 customers: 3 opted out, 0 already sent, 41 over the contact
// cap (1 per 7 days); 77 held back as control, 691 mailed".
std::string ExportSummaryLine(const v1::CampaignExportSummary& summary);

}  // namespace recommender::serving

#endif  // SERVING_CAMPAIGN_FORMAT_H_
