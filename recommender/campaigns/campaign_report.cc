#include "recommender/campaigns/campaign_report.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "recommender/campaigns/arm_assignment.h"
#include "recommender/campaigns/mean_difference.h"
#include "recommender/campaigns/sample_size.h"

namespace recommender::campaigns {
namespace {

// Everything a group's figures and intervals are computed from.
struct GroupData {
  GroupFigures figures;
  std::vector<double> revenue;
  int64_t repeat_buyers = 0;
};

void AddOutcome(const CustomerOutcome& o, GroupData* group) {
  GroupFigures& f = group->figures;
  ++f.customers;
  f.buyers += o.bought;
  f.orders += o.orders;
  f.revenue += o.revenue;
  f.picks_sent += o.picks;
  f.picks_bought += o.picks_bought;
  f.bought_recommended += o.picks_bought > 0;
  f.bought_after_click += o.bought_after_click;
  group->repeat_buyers += o.orders >= 2;
  group->revenue.push_back(o.revenue);
}

absl::Status Finish(double confidence, GroupData* group) {
  GroupFigures& f = group->figures;
  if (f.customers == 0) return absl::OkStatus();
  absl::StatusOr<Interval> rate =
      WilsonInterval(f.buyers, f.customers, confidence);
  if (!rate.ok()) return rate.status();
  f.response_rate = *rate;
  const double n = static_cast<double>(f.customers);
  f.orders_per_customer = static_cast<double>(f.orders) / n;
  f.revenue_per_customer = f.revenue / n;
  f.repeat_rate = f.buyers > 0 ? static_cast<double>(group->repeat_buyers) /
                                     static_cast<double>(f.buyers)
                               : 0;
  f.share_of_picks_bought =
      f.picks_sent > 0 ? static_cast<double>(f.picks_bought) /
                             static_cast<double>(f.picks_sent)
                       : 0;
  return absl::OkStatus();
}

std::string Percent(double rate) { return absl::StrFormat("%.2f%%", 100 * rate); }

std::string Points(double points) {
  return absl::StrFormat("%+.2f points", 100 * points);
}

std::string PointsInterval(const Interval& i, double confidence) {
  return absl::StrFormat("%.0f%% CI %+.2f to %+.2f", 100 * confidence,
                         100 * i.lower, 100 * i.upper);
}

std::string Money(double value) { return absl::StrFormat("%.2f", value); }

std::string Verdict(const CampaignReport& report, const GroupFigures& arm,
                    const ArmComparison& c) {
  const double level = 100 * (1 - report.confidence);
  const std::string significant =
      absl::StrFormat("significant at the %g%% level", level);
  if (!c.measurable) {
    return absl::StrCat(
        "The effect of \"", arm.name, "\" cannot be measured: the control "
        "group has ", report.control.customers, " customers",
        report.control.customers == 0 ? " (a control share of 0 holds nobody "
                                        "back)"
                                      : "",
        "; the figures show what mailed customers did, not what the mail "
        "changed.");
  }
  const GroupFigures& control = report.control;
  const std::string rates = absl::StrCat(
      Percent(arm.response_rate.estimate), " of mailed customers bought within ",
      report.attribution_window_days, " days, against ",
      Percent(control.response_rate.estimate), " of the control group (",
      Points(c.response_uplift.estimate), ", ",
      PointsInterval(c.response_uplift, report.confidence), ")");
  std::string out;
  if (c.response_uplift.AboveZero() || c.response_uplift.BelowZero()) {
    out = absl::StrCat("\"", arm.name, "\" ",
                       c.response_uplift.AboveZero() ? "raised" : "lowered",
                       " the response rate: ", rates,
                       "; the interval excludes zero, so the difference is ",
                       significant, ".");
  } else {
    out = absl::StrCat(
        "No clear effect of \"", arm.name, "\" on the response rate: ", rates,
        ". The interval includes zero, so the difference may be chance. With "
        "these group sizes only uplifts of about ",
        absl::StrFormat("%.2f", 100 * c.minimum_detectable_uplift),
        " points or more would reliably show");
    if (c.customers_needed.has_value()) {
      absl::StrAppend(&out, "; telling ", Points(c.response_uplift.estimate),
                      " from chance would take about ", *c.customers_needed,
                      " customers at this control share");
    }
    absl::StrAppend(&out, ".");
  }
  absl::StrAppend(
      &out, " Revenue per customer: ", Money(arm.revenue_per_customer),
      " mailed vs ", Money(control.revenue_per_customer), " control, ",
      absl::StrFormat("%+.2f (%.0f%% CI %+.2f to %+.2f)",
                      c.revenue_uplift.estimate, 100 * report.confidence,
                      c.revenue_uplift.lower, c.revenue_uplift.upper),
      c.revenue_significant ? absl::StrCat(", ", significant, ".")
                            : ", not significant.");
  if (report.sends_with_open_window > 0) {
    absl::StrAppend(&out, " The attribution window is still open for ",
                    report.sends_with_open_window,
                    " customers: the figures may still change.");
  }
  return out;
}

}  // namespace

absl::StatusOr<CampaignReport> BuildCampaignReport(
    const CampaignDefinition& campaign, const Attribution& attribution,
    const ReportOptions& options) {
  if (!(options.confidence > 0 && options.confidence < 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "confidence: must be in (0, 1), got ", options.confidence));
  }
  if (options.revenue_interval == ReportOptions::RevenueInterval::kBootstrap &&
      (options.bootstrap_resamples < 100 ||
       options.bootstrap_resamples > 100000)) {
    return absl::InvalidArgumentError(
        absl::StrCat("bootstrap_resamples: must be 100 to 100000, got ",
                     options.bootstrap_resamples));
  }
  CampaignReport report;
  report.campaign_id = campaign.id;
  report.campaign_name = campaign.name;
  report.attribution_window_days = campaign.attribution_window_days;
  report.confidence = options.confidence;
  report.revenue_method =
      options.revenue_interval == ReportOptions::RevenueInterval::kWelch
          ? "welch"
          : "bootstrap";
  report.sends_with_open_window = attribution.sends_with_open_window;
  report.purchases_attributed = attribution.purchases_attributed;

  std::vector<GroupData> arms(campaign.arms.size());
  for (size_t a = 0; a < arms.size(); ++a) {
    arms[a].figures.name = campaign.arms[a].name;
  }
  GroupData control;
  control.figures.name = kControlArm;
  for (const CustomerOutcome& o : attribution.outcomes) {
    if (o.arm == ArmAssigner::kControl) {
      AddOutcome(o, &control);
    } else if (o.arm >= 0 && o.arm < static_cast<int>(arms.size())) {
      AddOutcome(o, &arms[o.arm]);
    }
  }
  if (absl::Status s = Finish(options.confidence, &control); !s.ok()) return s;
  report.control = control.figures;
  const GroupFigures& cf = control.figures;
  const MeanSummary control_revenue = Summarize(control.revenue);
  for (GroupData& arm : arms) {
    if (absl::Status s = Finish(options.confidence, &arm); !s.ok()) return s;
    const GroupFigures& af = arm.figures;
    ArmComparison c;
    c.arm = af.name;
    c.measurable = af.customers >= 2 && cf.customers >= 2;
    if (c.measurable) {
      absl::StatusOr<Interval> response = NewcombeDifferenceInterval(
          af.buyers, af.customers, cf.buyers, cf.customers, options.confidence);
      if (!response.ok()) return response.status();
      c.response_uplift = *response;
      c.response_significant = response->AboveZero() || response->BelowZero();
      absl::StatusOr<Interval> revenue =
          options.revenue_interval == ReportOptions::RevenueInterval::kWelch
              ? WelchDifferenceInterval(Summarize(arm.revenue), control_revenue,
                                        options.confidence)
              : BootstrapDifferenceInterval(arm.revenue, control.revenue,
                                            options.bootstrap_resamples,
                                            options.bootstrap_seed,
                                            options.confidence);
      if (!revenue.ok()) return revenue.status();
      c.revenue_uplift = *revenue;
      c.revenue_significant = revenue->AboveZero() || revenue->BelowZero();
      if (cf.picks_sent > 0 && af.picks_sent > 0) {
        absl::StatusOr<Interval> recommended = NewcombeDifferenceInterval(
            af.bought_recommended, af.customers, cf.bought_recommended,
            cf.customers, options.confidence);
        if (!recommended.ok()) return recommended.status();
        c.recommended_uplift = *recommended;
      }
      // Power figures need a baseline strictly inside (0, 1).
      SampleSizeQuestion q;
      q.baseline_rate = std::clamp(cf.response_rate.estimate, 1e-4, 1 - 1e-3);
      q.control_share = static_cast<double>(cf.customers) /
                        static_cast<double>(cf.customers + af.customers);
      q.alpha = 1 - options.confidence;
      absl::StatusOr<double> mde =
          MinimumDetectableUplift(q, cf.customers + af.customers);
      if (mde.ok()) c.minimum_detectable_uplift = *mde;
      if (!c.response_significant && c.response_uplift.estimate > 0 &&
          q.baseline_rate + c.response_uplift.estimate < 1) {
        q.uplift = c.response_uplift.estimate;
        absl::StatusOr<SampleSize> needed = RequiredSampleSize(q);
        if (needed.ok()) c.customers_needed = needed->total;
      }
    }
    report.arms.push_back(af);
    report.comparisons.push_back(std::move(c));
  }
  for (size_t a = 0; a < report.arms.size(); ++a) {
    report.comparisons[a].verdict =
        Verdict(report, report.arms[a], report.comparisons[a]);
  }
  return report;
}

std::string FormatCampaignReport(const CampaignReport& report) {
  std::string out = absl::StrFormat(
      "Campaign %s%s: purchases within %d days of the send; %.0f%% "
      "intervals; revenue by %s\n\n",
      report.campaign_id,
      report.campaign_name.empty() ? "" : absl::StrCat(" (", report.campaign_name, ")"),
      report.attribution_window_days, 100 * report.confidence,
      report.revenue_method == "welch" ? "Welch's t" : "bootstrap");
  absl::StrAppend(
      &out, absl::StrFormat("%-16s %10s %8s %-19s %9s %11s %7s %8s %7s\n",
                            "group", "customers", "bought", "rate (CI)",
                            "orders/c", "revenue/c", "repeat", "picks", "click"));
  std::vector<const GroupFigures*> groups;
  for (const GroupFigures& g : report.arms) groups.push_back(&g);
  groups.push_back(&report.control);
  for (const GroupFigures* g : groups) {
    absl::StrAppend(
        &out,
        absl::StrFormat(
            "%-16s %10d %8d %6.2f%% (%.2f-%.2f) %9.3f %11.2f %6.1f%% %7.2f%% "
            "%7d\n",
            g->name, g->customers, g->buyers, 100 * g->response_rate.estimate,
            100 * g->response_rate.lower, 100 * g->response_rate.upper,
            g->orders_per_customer, g->revenue_per_customer,
            100 * g->repeat_rate, 100 * g->share_of_picks_bought,
            g->bought_after_click));
  }
  absl::StrAppend(&out,
                  "\n(rate: share who bought; picks: share of the items sent "
                  "that were bought; click: buyers after clicking the mail)\n");
  for (const ArmComparison& c : report.comparisons) {
    absl::StrAppend(&out, "\n", c.arm, " vs control\n");
    if (c.measurable) {
      absl::StrAppend(
          &out, "  response uplift  ", Points(c.response_uplift.estimate), " (",
          PointsInterval(c.response_uplift, report.confidence), ")\n",
          absl::StrFormat("  revenue/customer %+.2f (%.0f%% CI %+.2f to %+.2f)\n",
                          c.revenue_uplift.estimate, 100 * report.confidence,
                          c.revenue_uplift.lower, c.revenue_uplift.upper));
      if (c.recommended_uplift.has_value()) {
        absl::StrAppend(&out, "  bought a pick    ",
                        Points(c.recommended_uplift->estimate), " (",
                        PointsInterval(*c.recommended_uplift, report.confidence),
                        ")\n");
      }
    }
    absl::StrAppend(&out, "  ", c.verdict, "\n");
  }
  return out;
}

}  // namespace recommender::campaigns
