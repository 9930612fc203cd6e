#include "training/sample_data/campaign_mode.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "recommender/campaigns/arm_assignment.h"
#include "recommender/data/shop_data_writer.h"
#include "recommender/util/file_util.h"
#include "recommender/util/time_util.h"

namespace recommender {
namespace {

absl::Status WriteRun(const campaigns::KnownEffectRun& run,
                      const std::string& dir) {
  if (absl::Status s = CreateDirectories(dir); !s.ok()) return s;
  std::string sends =
      "customer_id,group,recommendation_id,sent_at,item_ids\n";
  for (const campaigns::Send& send : run.sends) {
    const bool control = send.arm == campaigns::ArmAssigner::kControl;
    sends += CsvLine(
        {send.customer_id,
         control ? campaigns::kControlArm : run.campaign.arms[send.arm].name,
         control ? "" : campaigns::RecommendationId(run.campaign.id, send.customer_id),
         FormatRfc3339Utc(absl::FromUnixSeconds(send.unix_seconds)),
         absl::StrJoin(send.item_ids, " ")});
  }
  if (absl::Status s = WriteFileDurably(JoinPath(dir, "campaign_sends.csv"), sends);
      !s.ok()) {
    return s;
  }
  std::string events = "customer_id,item_id,type,timestamp,value,recommendation_id\n";
  for (const campaigns::CustomerEvent& e : run.events) {
    events += CsvLine({e.customer_id, e.item_id,
                       std::string(EventTypeName(e.type)),
                       FormatRfc3339Utc(absl::FromUnixSeconds(e.unix_seconds)),
                       absl::StrFormat("%.2f", e.value), e.recommendation_id});
  }
  return WriteFileDurably(JoinPath(dir, "campaign_events.csv"), events);
}

}  // namespace

absl::StatusOr<CampaignModeResult> RunCampaignMode(
    const CampaignModeOptions& options) {
  if (options.runs < 1 || options.runs > 10000) {
    return absl::InvalidArgumentError(
        absl::StrCat("runs: must be 1 to 10000, got ", options.runs));
  }
  CampaignModeResult result;
  const campaigns::KnownEffect& e = options.effect;
  std::string lines = absl::StrFormat(
      "%5s %10s %24s %7s %12s %26s %7s\n", "run", "uplift", "95% CI",
      "covers", "revenue/c", "95% CI", "covers");
  for (int k = 0; k < options.runs; ++k) {
    campaigns::KnownEffect effect = e;
    effect.seed = e.seed + static_cast<uint64_t>(k);
    absl::StatusOr<campaigns::KnownEffectRun> run =
        campaigns::SimulateKnownEffect(effect);
    if (!run.ok()) return run.status();
    if (k == 0) {
      result.text = campaigns::FormatCampaignReport(run->report);
      if (!options.out_dir.empty()) {
        if (absl::Status s = WriteRun(*run, options.out_dir); !s.ok()) return s;
      }
    }
    const campaigns::ArmComparison& c = run->report.comparisons[0];
    const bool response = c.response_uplift.Contains(run->true_response_uplift);
    const bool revenue = c.revenue_uplift.Contains(run->true_revenue_uplift);
    result.response_covered += response;
    result.revenue_covered += revenue;
    result.declared += c.response_significant;
    ++result.runs;
    absl::StrAppend(
        &lines,
        absl::StrFormat("%5d %+9.2fpt [%+8.2f, %+8.2f] pt %7s %+12.1f "
                        "[%+10.1f, %+10.1f] %7s\n",
                        k + 1, 100 * c.response_uplift.estimate,
                        100 * c.response_uplift.lower,
                        100 * c.response_uplift.upper, response ? "yes" : "NO",
                        c.revenue_uplift.estimate, c.revenue_uplift.lower,
                        c.revenue_uplift.upper, revenue ? "yes" : "NO"));
  }
  const double true_revenue =
      e.uplift * e.mean_order_value * (1 + e.second_order_rate);
  absl::StrAppend(
      &result.text, "\nKnown effect: ", e.customers, " customers, ",
      absl::StrFormat("%.0f%%", 100 * e.control_share), " held back; control buys with ",
      absl::StrFormat("%.2f%%", 100 * e.base_rate), ", mailed with ",
      absl::StrFormat("%.2f%%", 100 * (e.base_rate + e.uplift)),
      absl::StrFormat(": true uplift %+.2f points, revenue per customer %+.2f\n\n",
                      100 * e.uplift, true_revenue),
      lines,
      absl::StrFormat("\nThe 95%% interval held the true uplift in %d of %d runs "
                      "(revenue: %d of %d); an effect was declared in %d of %d.\n",
                      result.response_covered, result.runs,
                      result.revenue_covered, result.runs, result.declared,
                      result.runs));
  return result;
}

}  // namespace recommender
