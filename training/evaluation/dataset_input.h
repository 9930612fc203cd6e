// The evaluation tool's input: "shop:DIR" (the project's three files, see
// docs/data-format.md, with the generator's ground truth beside them when
// it is a generated sample shop) or "movielens:DIR" (MovieLens 100K in
// RecBole's layout).
//
// Thread-safe: no shared state.
#ifndef TRAINING_EVALUATION_DATASET_INPUT_H_
#define TRAINING_EVALUATION_DATASET_INPUT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "recommender/data/shop_data.h"

namespace recommender {

enum class DatasetKind { kShop, kMovieLens };

struct EvalDataset {
  DatasetKind kind = DatasetKind::kShop;
  std::string spec;  // As given, e.g. "shop:/tmp/shop".
  ShopData data;
  // The generator's true durability per item, if DIR has its ground truth.
  std::optional<std::vector<Durability>> true_durability;
};

// Parses `spec` and loads the data. InvalidArgument for an unknown prefix;
// load errors name the file and line.
absl::StatusOr<EvalDataset> LoadEvalDataset(absl::string_view spec);

}  // namespace recommender

#endif  // TRAINING_EVALUATION_DATASET_INPUT_H_
