// Shows what the trainer infers for the items a shop's catalog leaves
// without durability, and, for a generated sample shop (ground_truth_*.csv
// beside the data), how often it is right:
//
//   bazel run //training/durability:infer_durability -- --data=/tmp/shop
//       [--out=inferred.csv]
//
// Prints one JSON object on stdout; --out writes one CSV row per unlabeled
// item (item_id, category, inferred, confidence, buyers, repeat_buyers,
// median_repeat_gap_days).
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "recommender/data/shop_data_loader.h"
#include "recommender/data/shop_data_writer.h"
#include "recommender/util/file_util.h"
#include "training/durability/durability_inference.h"
#include "training/durability/durability_quality.h"
#include "training/internal/json_output.h"
#include "training/sample_data/sample_shop.h"

ABSL_FLAG(std::string, data, "", "Folder with catalog.csv, customers.csv, events.csv.");
ABSL_FLAG(std::string, out, "", "Optional CSV of the inferred classes.");
ABSL_FLAG(double, min_observation_days, 30,
          "Days a buyer needs between first purchase and the newest event.");
ABSL_FLAG(double, default_repeat_share_threshold, 0.1,
          "Repeat-buyer share separating the classes without enough labels.");

namespace recommender {
namespace {

nlohmann::ordered_json ClassJson(const DurabilityClassQuality& q) {
  return {{"predicted", q.predicted},
          {"actual", q.actual},
          {"correct", q.correct},
          {"precision", JsonDecimals(q.precision, 4)},
          {"recall", JsonDecimals(q.recall, 4)}};
}

std::string InferredCsv(const ShopData& data,
                        const std::vector<InferredDurability>& inferred,
                        const std::vector<RepeatPurchaseStats>& stats) {
  std::string csv =
      "item_id,category,inferred,confidence,buyers,repeat_buyers,"
      "median_repeat_gap_days\n";
  for (size_t i = 0; i < data.items.size(); ++i) {
    if (data.items[i].durability != Durability::kUnknown) continue;
    absl::StrAppendFormat(&csv, "%s,%s,%s,%.4f,%d,%d,%.1f\n",
                          CsvEscape(data.items[i].id),
                          CsvEscape(data.items[i].category),
                          DurabilityName(inferred[i].durability),
                          inferred[i].confidence, stats[i].buyers,
                          stats[i].repeat_buyers,
                          stats[i].median_repeat_gap_days);
  }
  return csv;
}

absl::Status Run() {
  const std::string dir = absl::GetFlag(FLAGS_data);
  if (dir.empty()) return absl::InvalidArgumentError("--data is required");
  DurabilityInferenceOptions options;
  options.min_observation_days = absl::GetFlag(FLAGS_min_observation_days);
  options.default_repeat_share_threshold =
      absl::GetFlag(FLAGS_default_repeat_share_threshold);
  absl::StatusOr<ShopData> data = LoadShopData(dir, LoadOptions());
  if (!data.ok()) return data.status();
  const std::vector<InferredDurability> inferred =
      InferDurability(data->items, data->events, options);
  const std::vector<RepeatPurchaseStats> stats = ComputeRepeatPurchaseStats(
      static_cast<int32_t>(data->items.size()), data->events, options);
  nlohmann::ordered_json json = {
      {"dataset", "shop:" + dir},
      {"items", data->items.size()},
      {"repeat_share_threshold",
       JsonDecimals(RepeatShareThreshold(data->items, stats, options), 4)}};
  absl::StatusOr<SampleShop> truth = ReadSampleShopTruth(dir, *data);
  if (truth.ok()) {
    std::vector<Durability> classes;
    for (const ItemTruth& t : truth->item_truth) classes.push_back(t.durability);
    absl::StatusOr<DurabilityQuality> q =
        ScoreInferredDurability(data->items, inferred, classes);
    if (!q.ok()) return q.status();
    json["unlabeled_items"] = q->unlabeled_items;
    json["inferred_items"] = q->inferred_items;
    json["accuracy"] = JsonDecimals(q->accuracy, 4);
    json["durable"] = ClassJson(q->durable);
    json["consumable"] = ClassJson(q->consumable);
  } else if (!absl::IsNotFound(truth.status())) {
    return truth.status();
  }
  std::cout << PrintJson(json) << std::flush;
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) return absl::OkStatus();
  return WriteFileDurably(out, InferredCsv(*data, inferred, stats));
}

}  // namespace
}  // namespace recommender

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Infers durability for unlabeled catalog items; scores it against a "
      "sample shop's ground truth when present.");
  absl::ParseCommandLine(argc, argv);
  const absl::Status status = recommender::Run();
  if (!status.ok()) {
    std::cerr << "infer_durability: " << status.message() << "\n";
    return 1;
  }
  return 0;
}
