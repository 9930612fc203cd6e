#include "training/timing/timing_model_builder.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "recommender/timing/customer_rfm.h"
#include "recommender/timing/repurchase_intervals.h"
#include "recommender/util/time_util.h"
#include "training/timing/btyd/btyd_fitter.h"
#include "training/timing/btyd/purchase_log.h"
#include "training/timing/repurchase_fitter.h"

namespace recommender {
namespace {

// Units and unit price of purchase k (older snapshots: 1 at catalog price).
int32_t Quantity(const snapshot::Customer& c, int k) {
  return c.purchase_quantities_size() > k ? c.purchase_quantities(k) : 1;
}

double UnitPrice(const SnapshotContents& contents, const snapshot::Customer& c,
                 int k) {
  return c.purchase_unit_prices_size() > k
             ? c.purchase_unit_prices(k)
             : contents.items.items(c.purchased_items(k)).price();
}

// 1 if `fit` is usable, 0 if its search ran out of evaluations.
template <typename Fit>
double Converged(const absl::StatusOr<Fit>& fit) {
  return fit.ok() || fit.status().code() != absl::StatusCode::kInternal ? 1
                                                                        : 0;
}

void FitLifetime(const SnapshotContents& contents,
                 const TimingModelOptions& options, std::ostream& log,
                 snapshot::TimingModel* timing,
                 google::protobuf::Map<std::string, double>& metrics) {
  PurchaseLog purchases;
  int64_t end_day = INT64_MIN;
  for (const snapshot::Customer& c : contents.customers.customers()) {
    if (c.purchased_items_size() == 0) continue;
    purchases.customer_ids.push_back(c.id());
    std::vector<DatedPurchase>& days = purchases.purchases.emplace_back();
    for (int k = 0; k < c.purchased_items_size(); ++k) {
      const int64_t day =
          DayNumber(c.purchase_times(k), options.utc_offset_seconds);
      days.push_back({day, Quantity(c, k) * UnitPrice(contents, c, k)});
      end_day = std::max(end_day, day);
    }
  }
  const std::vector<CustomerRfm> summaries =
      SummarizeLog(purchases, end_day, /*days_per_unit=*/1);
  snapshot::CustomerLifetimeModel* lifetime = timing->mutable_lifetime();
  lifetime->set_days_per_unit(1);
  lifetime->set_customers(static_cast<int32_t>(summaries.size()));
  const std::vector<CustomerRfm> sample =
      SampleCustomers(summaries, options.fit_max_customers, options.seed);
  lifetime->set_fit_customers(static_cast<int32_t>(sample.size()));
  metrics["timing_fit_customers"] = static_cast<double>(sample.size());
  const BtydFitOptions fit_options{options.threads};
  absl::Time start = absl::Now();
  absl::StatusOr<BgNbdFit> bg_nbd = FitBgNbd(sample, fit_options);
  metrics["timing_bgnbd_converged"] = Converged(bg_nbd);
  log << absl::StrFormat("timing: BG/NBD fit took %.2f s\n",
                         absl::ToDoubleSeconds(absl::Now() - start));
  if (!bg_nbd.ok()) {
    log << "timing: no customer-level model: " << bg_nbd.status().message()
        << "\n";
    timing->clear_lifetime();
    return;
  }
  if (bg_nbd->boundary != BgNbdBoundary::kNone) {
    log << "timing: BG/NBD estimate at the edge ("
        << BgNbdBoundaryName(bg_nbd->boundary)
        << (bg_nbd->boundary == BgNbdBoundary::kNoDropout
                ? ": no customer is seen to drop out"
                : ": every customer drops out alike")
        << "; docs/timing.md)\n";
  }
  metrics["timing_bgnbd_boundary"] = static_cast<double>(bg_nbd->boundary);
  lifetime->set_bgnbd_r(bg_nbd->parameters.r);
  lifetime->set_bgnbd_alpha(bg_nbd->parameters.alpha);
  lifetime->set_bgnbd_a(bg_nbd->parameters.a);
  lifetime->set_bgnbd_b(bg_nbd->parameters.b);
  lifetime->set_bgnbd_log_likelihood(bg_nbd->log_likelihood);
  log << absl::StrFormat(
      "timing: BG/NBD on %d of %d customers (days): r %.4f, alpha %.4f, "
      "a %.4f, b %.4f, log-likelihood %.1f (%d evaluations)\n",
      sample.size(), summaries.size(), bg_nbd->parameters.r, bg_nbd->parameters.alpha,
      bg_nbd->parameters.a, bg_nbd->parameters.b, bg_nbd->log_likelihood,
      bg_nbd->evaluations);
  if (options.fit_pareto_nbd) {
    start = absl::Now();
    absl::StatusOr<ParetoNbdFit> pareto = FitParetoNbd(sample, fit_options);
    metrics["timing_pareto_nbd_converged"] = Converged(pareto);
    log << absl::StrFormat("timing: Pareto/NBD fit took %.2f s\n",
                           absl::ToDoubleSeconds(absl::Now() - start));
    if (pareto.ok()) {
      lifetime->set_pareto_r(pareto->parameters.r);
      lifetime->set_pareto_alpha(pareto->parameters.alpha);
      lifetime->set_pareto_s(pareto->parameters.s);
      lifetime->set_pareto_beta(pareto->parameters.beta);
      lifetime->set_pareto_log_likelihood(pareto->log_likelihood);
    } else {
      log << "timing: no Pareto/NBD: " << pareto.status().message() << "\n";
    }
  }
  start = absl::Now();
  absl::StatusOr<GammaGammaFit> spend = FitGammaGamma(sample, fit_options);
  metrics["timing_gamma_gamma_converged"] = Converged(spend);
  log << absl::StrFormat("timing: Gamma-Gamma fit took %.2f s\n",
                         absl::ToDoubleSeconds(absl::Now() - start));
  if (spend.ok()) {
    log << absl::StrFormat(
        "timing: Gamma-Gamma on %d customers with repeat orders: p %.4f, "
        "q %.4f, gamma %.4f, log-likelihood %.1f (%d evaluations)\n",
        spend->customers_used, spend->parameters.p, spend->parameters.q,
        spend->parameters.gamma, spend->log_likelihood, spend->evaluations);
    lifetime->set_gamma_gamma_p(spend->parameters.p);
    lifetime->set_gamma_gamma_q(spend->parameters.q);
    lifetime->set_gamma_gamma_gamma(spend->parameters.gamma);
    lifetime->set_gamma_gamma_log_likelihood(spend->log_likelihood);
  } else {
    log << "timing: no spend model: " << spend.status().message() << "\n";
  }
}

void FitRepurchase(const SnapshotContents& contents, std::ostream& log,
                   snapshot::TimingModel* timing) {
  RepurchaseFitInput input;
  for (const snapshot::Item& item : contents.items.items()) {
    input.consumable.push_back(item.durability() == snapshot::CONSUMABLE);
    input.categories.push_back(item.category());
  }
  for (const snapshot::Customer& c : contents.customers.customers()) {
    std::vector<ConsumablePurchase>& purchases = input.customers.emplace_back();
    for (int k = 0; k < c.purchased_items_size(); ++k) {
      purchases.push_back(
          {c.purchased_items(k), c.purchase_times(k), Quantity(c, k)});
    }
  }
  absl::StatusOr<snapshot::RepurchaseModel> model = FitRepurchaseModel(input);
  if (!model.ok()) {
    log << "timing: no repurchase model: " << model.status().message() << "\n";
    return;
  }
  log << absl::StrFormat(
      "timing: repurchase intervals of %d consumables in %d categories from "
      "%d re-purchases; customer spread %.3f, units exponent %.2f\n",
      std::count_if(model->items().begin(), model->items().end(),
                    [](const snapshot::ItemRepurchase& i) {
                      return i.consumable();
                    }),
      model->categories_size(), model->num_intervals(), model->customer_sd(),
      model->quantity_exponent());
  *timing->mutable_repurchase() = *std::move(model);
}

}  // namespace

snapshot::TimingModel BuildTimingModel(
    const SnapshotContents& contents, const TimingModelOptions& options,
    std::ostream& log, google::protobuf::Map<std::string, double>* metrics) {
  snapshot::TimingModel timing;
  timing.set_utc_offset_seconds(options.utc_offset_seconds);
  google::protobuf::Map<std::string, double> figures;
  FitLifetime(contents, options, log, &timing, figures);
  FitRepurchase(contents, log, &timing);
  if (metrics != nullptr) {
    for (const auto& [name, value] : figures) (*metrics)[name] = value;
    if (timing.has_lifetime()) {
      (*metrics)["timing_bgnbd_log_likelihood"] =
          timing.lifetime().bgnbd_log_likelihood();
      (*metrics)["timing_pareto_nbd_log_likelihood"] =
          timing.lifetime().pareto_log_likelihood();
    }
    (*metrics)["timing_repurchase_intervals"] =
        static_cast<double>(timing.repurchase().num_intervals());
  }
  return timing;
}

}  // namespace recommender
