// Evaluates next-purchase timing on a time split and prints JSON: per
// model and naive baseline, the MAE in days of the predicted next purchase
// (over pairs that do buy again) and the Brier score of P(within N days).
// On shop data, items the catalog leaves unlabeled (or a catalog without a
// durability column) are classed as the trainer would, from the purchases
// of the training period only; the JSON's "durability" says so.
//
//   bazel run //training/timing:evaluate_timing -- --dataset=shop:$PWD/.demo/data
//   bazel run //training/timing:evaluate_timing --
//       --dataset=cdnow:$PWD/../shared/data/cdnow/CDNOW_sample.txt
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "recommender/data/shop_data_loader.h"
#include "recommender/timing/customer_rfm.h"
#include "recommender/util/time_util.h"
#include "training/timing/timing_evaluation.h"

ABSL_FLAG(std::string, dataset, "",
          "shop:DIR (a shop export; ground_truth_*.csv beside it are used if "
          "present) or cdnow:FILE (CDNOW purchase file).");
ABSL_FLAG(std::string, calibration_end, "",
          "Last day (YYYY-MM-DD) of the training period. Default: shop: "
          "--test_days before the last event's day; cdnow: 1997-09-30.");
ABSL_FLAG(int32_t, test_days, 0,
          "Length of the test window in days. Default: shop 90, cdnow 273 "
          "(39 weeks, to 1998-06-30).");
ABSL_FLAG(double, horizon_days, 30, "Scores P(purchase within this many days).");
ABSL_FLAG(double, utc_offset_hours, 9,
          "For shop data: the zone whose calendar days split the data.");

namespace recommender {
namespace {

absl::StatusOr<absl::CivilDay> FlagDay(absl::CivilDay fallback) {
  const std::string text = absl::GetFlag(FLAGS_calibration_end);
  if (text.empty()) return fallback;
  absl::StatusOr<absl::CivilDay> day = ParseIsoDate(text);
  if (!day.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--calibration_end: ", day.status().message()));
  }
  return *day;
}

// The split: training through `last_day`, then `test_days` days, in `zone`.
TimingSplit MakeSplit(absl::CivilDay last_day, int test_days,
                      absl::TimeZone zone) {
  TimingSplit split;
  split.cutoff = absl::FromCivil(last_day + 1, zone);
  split.test_end = absl::FromCivil(last_day + 1 + test_days, zone);
  split.horizon_days = absl::GetFlag(FLAGS_horizon_days);
  return split;
}

absl::StatusOr<TimingEvaluation> EvaluateShop(const std::string& dir) {
  absl::StatusOr<ShopData> data = LoadShopData(dir, LoadOptions());
  if (!data.ok()) return data.status();
  const int32_t offset =
      static_cast<int32_t>(absl::GetFlag(FLAGS_utc_offset_hours) * 3600);
  const absl::TimeZone zone = absl::FixedTimeZone(offset);
  int64_t last = 0;
  for (const Event& e : data->events) last = std::max(last, e.unix_seconds);
  const int test_days =
      absl::GetFlag(FLAGS_test_days) > 0 ? absl::GetFlag(FLAGS_test_days) : 90;
  absl::StatusOr<absl::CivilDay> last_day = FlagDay(
      absl::ToCivilDay(absl::FromUnixSeconds(last), zone) - test_days);
  if (!last_day.ok()) return last_day.status();
  TimingSplit split = MakeSplit(*last_day, test_days, zone);
  split.utc_offset_seconds = offset;
  absl::StatusOr<SampleShop> truth = ReadSampleShopTruth(dir, *data);
  if (!truth.ok() && !absl::IsNotFound(truth.status())) return truth.status();
  // Unlabeled items are classed as the trainer would, from the training
  // period's purchases only.
  absl::StatusOr<TimingEvaluation> evaluation =
      EvaluateShopTiming(*data, split, truth.ok() ? &*truth : nullptr);
  if (evaluation.ok()) evaluation->dataset = "shop:" + dir;
  return evaluation;
}

absl::StatusOr<TimingEvaluation> EvaluateCdnow(const std::string& path) {
  absl::StatusOr<PurchaseLog> log = ReadCdnowFile(path);
  if (!log.ok()) return log.status();
  absl::StatusOr<absl::CivilDay> last_day = FlagDay(absl::CivilDay(1997, 9, 30));
  if (!last_day.ok()) return last_day.status();
  const int test_days =
      absl::GetFlag(FLAGS_test_days) > 0 ? absl::GetFlag(FLAGS_test_days) : 273;
  absl::StatusOr<TimingEvaluation> evaluation = EvaluateCustomerTiming(
      *log, MakeSplit(*last_day, test_days, absl::UTCTimeZone()));
  if (evaluation.ok()) evaluation->dataset = "cdnow:" + path;
  return evaluation;
}

absl::Status Run() {
  const std::string dataset = absl::GetFlag(FLAGS_dataset);
  absl::StatusOr<TimingEvaluation> evaluation;
  if (absl::StartsWith(dataset, "shop:")) {
    evaluation = EvaluateShop(dataset.substr(5));
  } else if (absl::StartsWith(dataset, "cdnow:")) {
    evaluation = EvaluateCdnow(dataset.substr(6));
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--dataset: expected shop:DIR or cdnow:FILE, got \"", dataset, "\""));
  }
  if (!evaluation.ok()) return evaluation.status();
  std::cout << TimingEvaluationJson(*evaluation);
  return absl::OkStatus();
}

}  // namespace
}  // namespace recommender

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Evaluates next-purchase timing models against naive baselines on a "
      "time split and prints JSON.");
  absl::ParseCommandLine(argc, argv);
  if (absl::Status status = recommender::Run(); !status.ok()) {
    std::cerr << "evaluate_timing: " << status.message() << "\n";
    return 1;
  }
  return 0;
}
