#include "serving/campaign_conversions.h"

#include <cmath>

#include "recommender/segments/rfm_scores.h"
#include "recommender/util/time_util.h"
#include "serving/proto_conversions.h"

namespace recommender::serving {
namespace {

constexpr int kDefaultPicks = 5;
constexpr double kDefaultControlShare = 0.1;
constexpr int kDefaultWindowDays = 14;
constexpr double kDefaultConfidence = 0.95;
constexpr int kBootstrapResamples = 2000;

campaigns::PickStrategy FromProto(v1::PickStrategy strategy) {
  switch (strategy) {
    case v1::POPULAR:
      return campaigns::PickStrategy::kPopular;
    case v1::DUE_REMINDER:
      return campaigns::PickStrategy::kDueReminder;
    default:
      return campaigns::PickStrategy::kPersonalized;
  }
}

v1::PickStrategy ToProto(campaigns::PickStrategy strategy) {
  switch (strategy) {
    case campaigns::PickStrategy::kPersonalized:
      return v1::PERSONALIZED;
    case campaigns::PickStrategy::kPopular:
      return v1::POPULAR;
    case campaigns::PickStrategy::kDueReminder:
      return v1::DUE_REMINDER;
  }
  return v1::PICK_STRATEGY_UNSPECIFIED;
}

void ToProto(const ItemFilter& filter, v1::ItemFilter* out) {
  for (const std::string& c : filter.include_categories) {
    out->add_include_categories(c);
  }
  for (const std::string& c : filter.exclude_categories) {
    out->add_exclude_categories(c);
  }
  if (filter.max_price.has_value()) out->set_max_price(*filter.max_price);
  out->set_in_stock_only(filter.in_stock_only);
  for (const std::string& id : filter.exclude_item_ids) {
    out->add_exclude_item_ids(id);
  }
}

void ToProto(const segments::RfmCellFigures& f, v1::RfmFigures* out) {
  out->set_customers(f.customers);
  out->set_revenue(f.revenue);
  out->set_revenue_share(f.revenue_share);
  out->set_mean_monetary_score(f.mean_monetary_score);
  if (!std::isnan(f.mean_lifetime_value)) {
    out->set_mean_lifetime_value(f.mean_lifetime_value);
  }
}

void ToProto(const campaigns::Interval& interval, v1::Interval* out) {
  out->set_estimate(interval.estimate);
  out->set_lower(interval.lower);
  out->set_upper(interval.upper);
}

void ToProto(const campaigns::GroupFigures& g, v1::CampaignGroup* out) {
  out->set_name(g.name);
  out->set_customers(g.customers);
  out->set_buyers(g.buyers);
  ToProto(g.response_rate, out->mutable_response_rate());
  out->set_orders(g.orders);
  out->set_orders_per_customer(g.orders_per_customer);
  out->set_revenue(g.revenue);
  out->set_revenue_per_customer(g.revenue_per_customer);
  out->set_repeat_rate(g.repeat_rate);
  out->set_picks_sent(g.picks_sent);
  out->set_picks_bought(g.picks_bought);
  out->set_share_of_picks_bought(g.share_of_picks_bought);
  out->set_bought_recommended(g.bought_recommended);
  out->set_bought_after_click(g.bought_after_click);
  out->set_clicked(g.clicked);
  out->set_click_through(g.click_through);
}

}  // namespace

campaigns::CampaignDefinition FromProto(const v1::Campaign& campaign) {
  campaigns::CampaignDefinition out;
  out.id = campaign.campaign_id();
  out.name = campaign.name();
  out.segment = campaign.segment();
  out.picks_per_customer = campaign.picks_per_customer() == 0
                               ? kDefaultPicks
                               : campaign.picks_per_customer();
  out.filter = serving::FromProto(campaign.filter());
  out.max_per_category = campaign.max_per_category();
  for (const v1::CampaignArm& arm : campaign.arms()) {
    campaigns::CampaignArm a;
    a.name = arm.name();
    a.strategy = FromProto(arm.strategy());
    if (arm.has_picks()) a.picks = arm.picks();
    a.weight = arm.weight() == 0 ? 1 : arm.weight();
    out.arms.push_back(std::move(a));
  }
  out.control_share = campaign.has_control_share() ? campaign.control_share()
                                                   : kDefaultControlShare;
  out.attribution_window_days = campaign.attribution_window_days() == 0
                                    ? kDefaultWindowDays
                                    : campaign.attribution_window_days();
  return out;
}

void ToProto(const campaigns::StoredCampaign& stored, v1::Campaign* out) {
  const campaigns::CampaignDefinition& c = stored.definition;
  out->set_campaign_id(c.id);
  out->set_name(c.name);
  out->set_segment(c.segment);
  out->set_picks_per_customer(c.picks_per_customer);
  ToProto(c.filter, out->mutable_filter());
  out->set_max_per_category(c.max_per_category);
  for (const campaigns::CampaignArm& arm : c.arms) {
    v1::CampaignArm* a = out->add_arms();
    a->set_name(arm.name);
    a->set_strategy(ToProto(arm.strategy));
    if (arm.picks.has_value()) a->set_picks(*arm.picks);
    a->set_weight(arm.weight);
  }
  out->set_control_share(c.control_share);
  out->set_attribution_window_days(c.attribution_window_days);
  out->set_resolved_segment(stored.resolved_segment);
  out->set_created_at(FormatRfc3339Utc(stored.created));
  for (const campaigns::ExportSummary& e : stored.exports) {
    ToProto(e, out->add_exports());
  }
}

void ToProto(const campaigns::ExportSummary& s, v1::CampaignExportSummary* out) {
  out->set_export_id(s.export_id());
  out->set_exported_at(FormatRfc3339Utc(absl::FromUnixSeconds(s.unix_seconds())));
  out->set_selected(s.selected());
  out->set_opted_out(s.opted_out());
  out->set_already_sent(s.already_sent());
  out->set_capped(s.capped());
  out->set_control(s.control());
  out->set_mailed(s.mailed());
  out->set_max_contacts(s.max_contacts());
  out->set_per_days(s.per_days());
}

void ToProto(const segments::SegmentLibrary& library,
             v1::ListSegmentsResponse* out) {
  for (int k = 1; k < segments::kNumRfmSegments; ++k) {
    const auto segment = static_cast<segments::RfmSegment>(k);
    v1::SegmentDefinition* d = out->add_segments();
    d->set_name(std::string(segments::RfmSegmentName(segment)));
    d->set_kind("rfm");
    d->set_definition(std::string(segments::RfmSegmentRule(segment)));
  }
  for (const segments::SegmentLibrary::Saved& saved : library.saved()) {
    v1::SegmentDefinition* d = out->add_segments();
    d->set_name(saved.name);
    d->set_kind("saved");
    d->set_definition(segments::FormatSegmentExpression(saved.expression));
  }
}

void ToProto(const segments::RfmGrid& grid, v1::SegmentSummary* out) {
  out->set_customers(grid.customers);
  out->set_scored(grid.scored);
  out->set_revenue(grid.revenue);
  for (int r = 5; r >= 1; --r) {
    for (int f = 1; f <= 5; ++f) {
      v1::RfmCell* cell = out->add_cells();
      cell->set_recency_score(r);
      cell->set_frequency_score(f);
      cell->set_segment(
          std::string(segments::RfmSegmentName(segments::RfmSegmentOf(r, f))));
      ToProto(grid.cells[r - 1][f - 1], cell->mutable_figures());
    }
  }
  for (int k = 1; k <= segments::kNumRfmSegments; ++k) {
    const int s = k % segments::kNumRfmSegments;  // "none" last.
    const auto segment = static_cast<segments::RfmSegment>(s);
    v1::RfmSegmentFigures* figures = out->add_segments();
    figures->set_segment(std::string(segments::RfmSegmentName(segment)));
    figures->set_rule(std::string(segments::RfmSegmentRule(segment)));
    ToProto(grid.segments[s], figures->mutable_figures());
  }
  out->set_text(segments::FormatRfmGrid(grid));
}

void ToProto(const campaigns::CampaignReport& report, v1::CampaignReport* out) {
  out->set_campaign_id(report.campaign_id);
  out->set_campaign_name(report.campaign_name);
  out->set_attribution_window_days(report.attribution_window_days);
  out->set_confidence(report.confidence);
  out->set_revenue_method(report.revenue_method);
  out->set_sends_with_open_window(report.sends_with_open_window);
  out->set_purchases_attributed(report.purchases_attributed);
  for (const campaigns::GroupFigures& g : report.arms) ToProto(g, out->add_arms());
  ToProto(report.control, out->mutable_control());
  for (const campaigns::ArmComparison& c : report.comparisons) {
    v1::ArmComparison* a = out->add_comparisons();
    a->set_arm(c.arm);
    a->set_measurable(c.measurable);
    ToProto(c.response_uplift, a->mutable_response_uplift());
    a->set_response_significant(c.response_significant);
    ToProto(c.revenue_uplift, a->mutable_revenue_uplift());
    a->set_revenue_significant(c.revenue_significant);
    if (c.recommended_uplift.has_value()) {
      ToProto(*c.recommended_uplift, a->mutable_recommended_uplift());
    }
    a->set_minimum_detectable_uplift(c.minimum_detectable_uplift);
    a->set_customers_needed(c.customers_needed.value_or(0));
    a->set_verdict(c.verdict);
  }
  out->set_text(campaigns::FormatCampaignReport(report));
}

campaigns::ReportOptions ReportOptionsFromProto(double confidence,
                                                bool bootstrap_revenue,
                                                uint64_t bootstrap_seed) {
  campaigns::ReportOptions options;
  options.confidence = confidence == 0 ? kDefaultConfidence : confidence;
  if (bootstrap_revenue) {
    options.revenue_interval =
        campaigns::ReportOptions::RevenueInterval::kBootstrap;
    options.bootstrap_resamples = kBootstrapResamples;
    options.bootstrap_seed = bootstrap_seed;
  }
  return options;
}

}  // namespace recommender::serving
