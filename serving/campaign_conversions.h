// Conversions between the API's segment and campaign messages
// (proto/recommender.proto) and the core's (recommender/segments,
// recommender/campaigns), with the API's defaults for unset fields.
//
// Thread-safe: pure functions.
#ifndef SERVING_CAMPAIGN_CONVERSIONS_H_
#define SERVING_CAMPAIGN_CONVERSIONS_H_

#include "absl/time/time.h"
#include "proto/campaigns/campaign_log.pb.h"
#include "proto/recommender.pb.h"
#include "recommender/campaigns/campaign.h"
#include "recommender/campaigns/campaign_report.h"
#include "recommender/campaigns/campaign_store.h"
#include "recommender/segments/rfm_grid.h"
#include "recommender/segments/segment_library.h"

namespace recommender::serving {

// API defaults: picks_per_customer 0 means 5, an unset control_share
// 0.1, attribution_window_days 0 means 14, an arm's weight 0 means 1, an
// unspecified strategy personalized. Values out of range pass through for
// ValidateCampaign to name.
campaigns::CampaignDefinition FromProto(const v1::Campaign& campaign);

void ToProto(const campaigns::StoredCampaign& campaign, v1::Campaign* out);
void ToProto(const campaigns::ExportSummary& summary,
             v1::CampaignExportSummary* out);

// The built-in RFM segments (with their rules), then the saved ones.
void ToProto(const segments::SegmentLibrary& library,
             v1::ListSegmentsResponse* out);

void ToProto(const segments::RfmGrid& grid, v1::SegmentSummary* out);

void ToProto(const campaigns::CampaignReport& report, v1::CampaignReport* out);

// The report options a GetCampaignReportRequest or GetExperimentReportRequest
// asks for through its fields of the same names: `confidence` (0 means
// 0.95), and with `bootstrap_revenue` a revenue interval from 2,000
// bootstrap resamples drawn with `bootstrap_seed`.
campaigns::ReportOptions ReportOptionsFromProto(double confidence,
                                                bool bootstrap_revenue,
                                                uint64_t bootstrap_seed);

}  // namespace recommender::serving

#endif  // SERVING_CAMPAIGN_CONVERSIONS_H_
