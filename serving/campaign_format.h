// The campaign exporter's two output formats for BatchRecommend's messages:
// JSON Lines, one object per customer,
//   {"customer_id":"C1","items":[{"item_id":"P9","score":0.81,
//    "reason":"similar to Drip coffee you bought"}],"model_version":20261123}
// and CSV (RFC 4180), one row per pick under kCampaignCsvHeader.
// Scores are written with 6 significant digits in both.
//
// Thread-safe: pure functions.
#ifndef SERVING_CAMPAIGN_FORMAT_H_
#define SERVING_CAMPAIGN_FORMAT_H_

#include <string>

#include "proto/recommender.pb.h"

namespace recommender::serving {

inline constexpr char kCampaignCsvHeader[] =
    "customer_id,rank,item_id,score,reason,model_version\n";

// One JSON object and its '\n'. Bytes that are not valid UTF-8 become
// U+FFFD (the server only sends valid UTF-8).
std::string CampaignJsonLine(const v1::BatchRecommendResponse& message);

// One CSV row per pick (rank from 1), each with its '\n'; "" for a customer
// without picks.
std::string CampaignCsvRows(const v1::BatchRecommendResponse& message);

}  // namespace recommender::serving

#endif  // SERVING_CAMPAIGN_FORMAT_H_
