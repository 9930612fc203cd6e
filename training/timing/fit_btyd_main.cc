// Fits the customer-level timing models (BG/NBD, Pareto/NBD, Gamma-Gamma)
// to a purchase log by maximum likelihood and prints their parameters as
// JSON on stdout.
//
//   bazel run //training/timing:fit_btyd -- --calibration_end=1997-09-30
//       --cdnow=$PWD/../shared/data/cdnow/CDNOW_sample.txt
//   bazel run //training/timing:fit_btyd -- --data_dir=SHOP --time_unit=day
//       --bgnbd_profile=dropout_mean
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "recommender/data/shop_data_loader.h"
#include "recommender/data/shop_data_writer.h"
#include "recommender/timing/customer_lifetime.h"
#include "recommender/util/status_macros.h"
#include "recommender/util/time_util.h"
#include "training/internal/json_output.h"
#include "training/timing/btyd/btyd_fitter.h"
#include "training/timing/btyd/purchase_log.h"

ABSL_FLAG(std::string, cdnow, "",
          "A CDNOW purchase file (CDNOW_sample.txt or CDNOW_master.txt).");
ABSL_FLAG(std::string, data_dir, "",
          "Or: a shop export folder (catalog.csv, customers.csv, events.csv).");
ABSL_FLAG(std::string, calibration_end, "",
          "Last day (YYYY-MM-DD) of the calibration period; purchases after "
          "it are ignored. Default: the day of the last purchase.");
ABSL_FLAG(std::string, time_unit, "week",
          "Unit of the fitted parameters' time scale: week or day.");
ABSL_FLAG(double, utc_offset_hours, 9,
          "For --data_dir: the shop's time zone, which decides calendar days "
          "(same-day purchases are one order).");
ABSL_FLAG(std::string, customers_out, "",
          "If set, writes per-customer figures to this CSV: id, x, t_x, T, "
          "P(active), expected orders and P(order) in --horizon_days, "
          "expected order value, CLV.");
ABSL_FLAG(double, horizon_days, 90, "Horizon of the per-customer figures.");
ABSL_FLAG(std::string, bgnbd_profile, "",
          "If set (dropout_mean or dropout_concentration), also prints the "
          "BG/NBD profile log-likelihood along that figure of the dropout "
          "Beta(a, b): whether an estimate at the edge (a -> 0, or a and b "
          "-> infinity) is what the data ask for (docs/timing.md).");

namespace recommender {
namespace {

absl::StatusOr<PurchaseLog> ReadLog(std::string* dataset) {
  const std::string cdnow = absl::GetFlag(FLAGS_cdnow);
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (cdnow.empty() == data_dir.empty()) {
    return absl::InvalidArgumentError(
        "give exactly one of --cdnow=FILE and --data_dir=DIR");
  }
  if (!cdnow.empty()) {
    *dataset = "cdnow:" + cdnow;
    return ReadCdnowFile(cdnow);
  }
  *dataset = "shop:" + data_dir;
  absl::StatusOr<ShopData> data = LoadShopData(data_dir, LoadOptions());
  if (!data.ok()) return data.status();
  return PurchaseLogFromShop(
      *data,
      static_cast<int32_t>(absl::GetFlag(FLAGS_utc_offset_hours) * 3600));
}

absl::StatusOr<int64_t> CalibrationEnd(const PurchaseLog& log) {
  const std::string text = absl::GetFlag(FLAGS_calibration_end);
  if (!text.empty()) {
    absl::StatusOr<absl::CivilDay> day = ParseIsoDate(text);
    if (!day.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--calibration_end: ", day.status().message()));
    }
    return DayNumber(*day);
  }
  int64_t last = INT64_MIN;
  for (const auto& purchases : log.purchases) {
    for (const DatedPurchase& p : purchases) last = std::max(last, p.day);
  }
  return last;
}

std::string Date(int64_t day) {
  return absl::FormatCivilTime(absl::CivilDay(1970, 1, 1) + day);
}

absl::Status WriteCustomers(const std::string& path,
                            const std::vector<std::string>& ids,
                            const std::vector<CustomerRfm>& summaries,
                            const CustomerLifetimeModel& model) {
  std::ofstream out(path);
  if (!out) return absl::UnavailableError(absl::StrCat(path, ": cannot write"));
  out << "customer_id,x,t_x,T,p_active,expected_orders,p_order,"
         "expected_order_value,clv\n";
  const double horizon = absl::GetFlag(FLAGS_horizon_days);
  for (size_t c = 0; c < summaries.size(); ++c) {
    absl::StatusOr<CustomerLifetimeFigures> f =
        PredictCustomerLifetime(model, summaries[c], horizon);
    if (!f.ok()) return f.status();
    out << absl::StrFormat("%s,%g,%.4f,%.4f,%.4f,%.4f,%.4f,%.2f,%.2f\n",
                           CsvEscape(ids[c]), summaries[c].frequency,
                           summaries[c].recency, summaries[c].age,
                           f->probability_active,
                           f->expected_orders, f->probability_order,
                           f->expected_order_value, f->lifetime_value);
  }
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat(path, ": write failed"));
  return absl::OkStatus();
}

// The profile along `axis_name` (a fixed grid reaching close to the axis'
// edge): {"axis": ..., "points": [{"value", "log_likelihood", "r", "alpha",
// "a", "b"}, ...]}.
absl::StatusOr<nlohmann::ordered_json> BgNbdProfileJson(
    const std::string& axis_name, const std::vector<CustomerRfm>& summaries) {
  BgNbdProfileAxis axis;
  std::vector<double> values;
  if (axis_name == "dropout_mean") {
    axis = BgNbdProfileAxis::kDropoutMean;
    values = {0.5, 0.3, 0.1, 0.03, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-8};
  } else if (axis_name == "dropout_concentration") {
    axis = BgNbdProfileAxis::kDropoutConcentration;
    values = {0.1, 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e8};
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--bgnbd_profile: must be dropout_mean or dropout_concentration, got \"",
        axis_name, "\""));
  }
  ASSIGN_OR_RETURN(const std::vector<BgNbdFit> profile,
                   ProfileBgNbd(summaries, axis, values));
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  for (size_t i = 0; i < profile.size(); ++i) {
    const BgNbdParameters& p = profile[i].parameters;
    points.push_back({{"value", JsonSignificant(values[i])},
                      {"log_likelihood", JsonDecimals(profile[i].log_likelihood, 4)},
                      {"r", JsonSignificant(p.r)},
                      {"alpha", JsonSignificant(p.alpha)},
                      {"a", JsonSignificant(p.a)},
                      {"b", JsonSignificant(p.b)}});
  }
  return nlohmann::ordered_json{{"axis", axis_name}, {"points", points}};
}

absl::Status Run() {
  const std::string unit = absl::GetFlag(FLAGS_time_unit);
  if (unit != "week" && unit != "day") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--time_unit: must be week or day, got \"", unit, "\""));
  }
  const double days_per_unit = unit == "week" ? 7 : 1;
  std::string dataset;
  absl::StatusOr<PurchaseLog> log = ReadLog(&dataset);
  if (!log.ok()) return log.status();
  absl::StatusOr<int64_t> end_day = CalibrationEnd(*log);
  if (!end_day.ok()) return end_day.status();
  std::vector<std::string> ids;
  const std::vector<CustomerRfm> summaries =
      SummarizeLog(*log, *end_day, days_per_unit, &ids);
  absl::StatusOr<BgNbdFit> bg_nbd = FitBgNbd(summaries);
  if (!bg_nbd.ok()) return bg_nbd.status();
  absl::StatusOr<ParetoNbdFit> pareto_nbd = FitParetoNbd(summaries);
  if (!pareto_nbd.ok()) return pareto_nbd.status();
  absl::StatusOr<GammaGammaFit> gamma_gamma = FitGammaGamma(summaries);
  if (!gamma_gamma.ok()) return gamma_gamma.status();

  const BgNbdParameters& b = bg_nbd->parameters;
  const ParetoNbdParameters& p = pareto_nbd->parameters;
  const GammaGammaParameters& g = gamma_gamma->parameters;
  const auto parameter = [](double value) { return JsonDecimals(value, 6); };
  const auto log_likelihood = [](double value) { return JsonDecimals(value, 4); };
  nlohmann::ordered_json json = {
      {"dataset", dataset},
      {"calibration_end", Date(*end_day)},
      {"time_unit", unit},
      {"customers", summaries.size()},
      {"bgnbd",
       {{"r", parameter(b.r)},
        {"alpha", parameter(b.alpha)},
        {"a", parameter(b.a)},
        {"b", parameter(b.b)},
        {"log_likelihood", log_likelihood(bg_nbd->log_likelihood)},
        {"boundary", BgNbdBoundaryName(bg_nbd->boundary)}}},
      {"pareto_nbd",
       {{"r", parameter(p.r)},
        {"alpha", parameter(p.alpha)},
        {"s", parameter(p.s)},
        {"beta", parameter(p.beta)},
        {"log_likelihood", log_likelihood(pareto_nbd->log_likelihood)}}},
      {"gamma_gamma",
       {{"p", parameter(g.p)},
        {"q", parameter(g.q)},
        {"gamma", parameter(g.gamma)},
        {"log_likelihood", log_likelihood(gamma_gamma->log_likelihood)},
        {"customers", gamma_gamma->customers_used}}}};
  const std::string profile = absl::GetFlag(FLAGS_bgnbd_profile);
  if (!profile.empty()) {
    ASSIGN_OR_RETURN(json["bgnbd_profile"], BgNbdProfileJson(profile, summaries));
  }
  std::cout << PrintJson(json) << std::flush;

  const std::string customers_out = absl::GetFlag(FLAGS_customers_out);
  if (customers_out.empty()) return absl::OkStatus();
  return WriteCustomers(customers_out, ids, summaries,
                        CustomerLifetimeModel{b, g, days_per_unit});
}

}  // namespace
}  // namespace recommender

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Fits BG/NBD, Pareto/NBD and Gamma-Gamma to a purchase log (CDNOW "
      "file or shop export) and prints the parameters as JSON.");
  absl::ParseCommandLine(argc, argv);
  if (absl::Status status = recommender::Run(); !status.ok()) {
    std::cerr << "fit_btyd: " << status.message() << "\n";
    return 1;
  }
  return 0;
}
