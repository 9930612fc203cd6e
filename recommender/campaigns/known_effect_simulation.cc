#include "recommender/campaigns/known_effect_simulation.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "recommender/campaigns/arm_assignment.h"
#include "recommender/campaigns/simulated_orders.h"
#include "recommender/campaigns/splitmix.h"
#include "recommender/segments/segment_library.h"

namespace recommender::campaigns {
namespace {

constexpr int64_t kDay = 86400;

absl::Status Check(const KnownEffect& e) {
  if (absl::Status s =
          CheckRates({{"base_rate", e.base_rate},
                      {"base_rate + uplift", e.base_rate + e.uplift},
                      {"second_order_rate", e.second_order_rate},
                      {"bought_pick_share", e.bought_pick_share},
                      {"click_share", e.click_share}});
      !s.ok()) {
    return s;
  }
  if (!(e.control_share > 0 && e.control_share <= kMaxControlShare)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "control_share: must be in (0, 0.9], got ", e.control_share));
  }
  if (e.customers < 10) {
    return absl::InvalidArgumentError(
        absl::StrCat("customers: must be at least 10, got ", e.customers));
  }
  if (!(e.mean_order_value > 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "mean_order_value: must be > 0, got ", e.mean_order_value));
  }
  return absl::OkStatus();
}

CustomerEvent Event(const std::string& customer, std::string item,
                    EventType type, int64_t t, double value) {
  CustomerEvent e;
  e.customer_id = customer;
  e.item_id = std::move(item);
  e.type = type;
  e.unix_seconds = t;
  e.value = value;
  return e;
}

}  // namespace

absl::StatusOr<KnownEffectRun> SimulateKnownEffect(const KnownEffect& effect,
                                                   const ReportOptions& options) {
  if (absl::Status s = Check(effect); !s.ok()) return s;
  KnownEffectRun run;
  CampaignDefinition& campaign = run.campaign;
  campaign.id = absl::StrCat("known-effect-", effect.seed);
  campaign.name = "Known-effect simulation";
  campaign.segment = "all";
  campaign.picks_per_customer = effect.picks;
  campaign.control_share = effect.control_share;
  campaign.attribution_window_days = effect.window_days;
  CampaignArm arm;
  arm.name = "mailed";
  campaign.arms = {arm};
  absl::StatusOr<segments::SegmentExpression> valid =
      ValidateCampaign(campaign, segments::SegmentLibrary());
  if (!valid.ok()) return valid.status();

  const ArmAssigner assigner(campaign);
  SplitMix64 random(Mix64(effect.seed ^ 0x6b6e6f776e656666ull));
  const int64_t t0 = kSimulatedSendTime;
  const int64_t window = int64_t{effect.window_days} * kDay;
  auto order_value = [&] {
    return -effect.mean_order_value * std::log1p(-random.Uniform());
  };
  run.sends.reserve(static_cast<size_t>(effect.customers));
  for (int64_t c = 0; c < effect.customers; ++c) {
    Send send;
    send.customer_id = absl::StrFormat("S%07d", c);
    send.arm = assigner.Assign(send.customer_id);
    send.unix_seconds = t0;
    for (int k = 0; k < effect.picks; ++k) {
      send.item_ids.push_back(absl::StrFormat("P%03d", random.Below(500)));
    }
    const std::string& id = send.customer_id;
    const bool mailed = send.arm != ArmAssigner::kControl;
    // Outside the window: before the send, and after it closed.
    if (random.Uniform() < 0.3) {
      run.events.push_back(Event(id, "P999", EventType::kPurchase,
                                 t0 - 1 - static_cast<int64_t>(random.Below(30 * kDay)),
                                 order_value()));
    }
    if (random.Uniform() < 0.3) {
      run.events.push_back(Event(id, "P998", EventType::kPurchase,
                                 t0 + window + static_cast<int64_t>(random.Below(30 * kDay)),
                                 order_value()));
    }
    const double p = effect.base_rate + (mailed ? effect.uplift : 0);
    if (random.Uniform() < p) {
      const std::vector<int64_t> times =
          SimulatedOrderTimes(random, t0, window, effect.second_order_rate);
      if (mailed && random.Uniform() < effect.click_share) {
        CustomerEvent click = Event(id, send.item_ids[0], EventType::kView,
                                    times[0], 0);
        click.recommendation_id = RecommendationId(campaign.id, id);
        run.events.push_back(std::move(click));
      }
      for (int64_t t : times) {
        std::string item =
            random.Uniform() < effect.bought_pick_share
                ? send.item_ids[random.Below(send.item_ids.size())]
                : absl::StrFormat("Q%03d", random.Below(500));
        run.events.push_back(
            Event(id, std::move(item), EventType::kPurchase, t, order_value()));
        // The same purchase from a second source now and then.
        if (random.Uniform() < 0.05) run.events.push_back(run.events.back());
      }
    }
    run.sends.push_back(std::move(send));
  }
  std::stable_sort(run.events.begin(), run.events.end(),
                   [](const CustomerEvent& a, const CustomerEvent& b) {
                     return a.unix_seconds < b.unix_seconds;
                   });
  run.attribution =
      AttributePurchases(campaign.id, run.sends, run.events, effect.window_days,
                         absl::FromUnixSeconds(t0 + window + 30 * kDay));
  absl::StatusOr<CampaignReport> report =
      BuildCampaignReport(campaign, run.attribution, options);
  if (!report.ok()) return report.status();
  run.report = *std::move(report);
  run.true_response_uplift = effect.uplift;
  run.true_revenue_uplift =
      effect.uplift * effect.mean_order_value * (1 + effect.second_order_rate);
  return run;
}

}  // namespace recommender::campaigns
