#include "recommender/campaigns/experiment_simulation.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "recommender/campaigns/simulated_orders.h"
#include "recommender/campaigns/splitmix.h"

namespace recommender::campaigns {
namespace {

constexpr int64_t kDay = 86400;

absl::Status Check(const KnownExperimentEffect& e) {
  if (absl::Status s =
          CheckRates({{"base_rate", e.base_rate},
                      {"base_rate + uplift", e.base_rate + e.uplift},
                      {"click_share", e.click_share},
                      {"second_order_rate", e.second_order_rate}});
      !s.ok()) {
    return s;
  }
  if (!(e.treatment_share > 0 && e.treatment_share < 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "treatment_share: must be in (0, 1), got ", e.treatment_share));
  }
  if (e.customers < 10) {
    return absl::InvalidArgumentError(
        absl::StrCat("customers: must be at least 10, got ", e.customers));
  }
  if (e.arrival_days < 1 || e.arrival_days > 365) {
    return absl::InvalidArgumentError(absl::StrCat(
        "arrival_days: must be 1 to 365, got ", e.arrival_days));
  }
  if (!(e.mean_order_value > 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "mean_order_value: must be > 0, got ", e.mean_order_value));
  }
  return absl::OkStatus();
}

CustomerEvent Event(const std::string& customer, std::string item,
                    EventType type, int64_t t, double value,
                    std::string recommendation_id = "") {
  CustomerEvent e;
  e.customer_id = customer;
  e.item_id = std::move(item);
  e.type = type;
  e.unix_seconds = t;
  e.value = value;
  e.recommendation_id = std::move(recommendation_id);
  return e;
}

}  // namespace

absl::StatusOr<KnownExperimentRun> SimulateKnownExperiment(
    const KnownExperimentEffect& effect, const ReportOptions& options) {
  if (absl::Status s = Check(effect); !s.ok()) return s;
  KnownExperimentRun run;
  ExperimentDefinition& experiment = run.experiment;
  experiment.id = absl::StrCat("known-effect-", effect.seed);
  experiment.name = "Known-effect storefront simulation";
  experiment.arms = {{"control", 1 - effect.treatment_share, {}},
                     {"treatment", effect.treatment_share,
                      {{"repurchase", "off"}}}};
  experiment.control_arm = "control";
  experiment.attribution_window_days = effect.window_days;
  experiment.duration_days = effect.arrival_days;
  if (absl::Status valid = ValidateExperiment(experiment); !valid.ok()) {
    return valid;
  }
  const ExperimentAssigner assigner(experiment);
  SplitMix64 random(Mix64(effect.seed ^ 0x6578706572696d65ull));
  const int64_t window = int64_t{effect.window_days} * kDay;
  auto order_value = [&] {
    return -effect.mean_order_value * std::log1p(-random.Uniform());
  };
  for (int64_t c = 0; c < effect.customers; ++c) {
    Send exposure;
    exposure.customer_id = absl::StrFormat("V%07d", c);
    exposure.arm = assigner.Assign(exposure.customer_id);
    const std::string& id = exposure.customer_id;
    const std::string& arm = experiment.arms[exposure.arm].name;
    const int64_t t0 =
        kSimulatedExperimentStart +
        static_cast<int64_t>(random.Below(int64_t{effect.arrival_days} * kDay));
    exposure.unix_seconds = t0;
    // Outside the window, and a click on another experiment's widget.
    if (random.Uniform() < 0.3) {
      run.events.push_back(Event(
          id, "P999", EventType::kPurchase,
          t0 - 1 - static_cast<int64_t>(random.Below(30 * kDay)), order_value()));
    }
    if (random.Uniform() < 0.3) {
      run.events.push_back(Event(
          id, "P998", EventType::kPurchase,
          t0 + window + static_cast<int64_t>(random.Below(30 * kDay)),
          order_value()));
    }
    if (random.Uniform() < 0.1) {
      run.events.push_back(
          Event(id, "P997", EventType::kView, t0 + 1, 0,
                ExperimentRecommendationId("another-experiment", "a")));
    }
    const bool treated = exposure.arm == 1;
    const double p = effect.base_rate + (treated ? effect.uplift : 0);
    if (random.Uniform() < p) {
      const std::vector<int64_t> times =
          SimulatedOrderTimes(random, t0, window, effect.second_order_rate);
      if (random.Uniform() < effect.click_share) {
        run.events.push_back(
            Event(id, "P001", EventType::kView, times[0], 0,
                  ExperimentRecommendationId(experiment.id, arm)));
      }
      for (int64_t t : times) {
        run.events.push_back(Event(id,
                                   absl::StrFormat("P%03d", random.Below(500)),
                                   EventType::kPurchase, t, order_value()));
        if (random.Uniform() < 0.05) run.events.push_back(run.events.back());
      }
    } else if (random.Uniform() < effect.click_share * p) {
      // Clicked without buying.
      run.events.push_back(
          Event(id, "P002", EventType::kView, t0 + 60, 0,
                ExperimentRecommendationId(experiment.id, arm)));
    }
    run.exposures.push_back(std::move(exposure));
  }
  const absl::Time now = absl::FromUnixSeconds(
      kSimulatedExperimentStart + int64_t{effect.arrival_days} * kDay + window);
  absl::StatusOr<ExperimentReport> report = BuildExperimentReport(
      experiment, run.exposures, run.events, now, options);
  if (!report.ok()) return report.status();
  run.report = *std::move(report);
  run.true_response_uplift = effect.uplift;
  run.true_revenue_uplift =
      effect.uplift * effect.mean_order_value * (1 + effect.second_order_rate);
  return run;
}

}  // namespace recommender::campaigns
