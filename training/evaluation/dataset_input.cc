#include "training/evaluation/dataset_input.h"

#include <utility>

#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "recommender/data/shop_data_loader.h"
#include "recommender/util/status_macros.h"
#include "training/evaluation/movielens_loader.h"
#include "training/sample_data/sample_shop.h"

namespace recommender {

absl::StatusOr<EvalDataset> LoadEvalDataset(absl::string_view spec) {
  EvalDataset dataset;
  dataset.spec = std::string(spec);
  absl::string_view dir = spec;
  if (absl::ConsumePrefix(&dir, "movielens:") && !dir.empty()) {
    dataset.kind = DatasetKind::kMovieLens;
    ASSIGN_OR_RETURN(dataset.data, LoadMovieLens(std::string(dir)));
    return dataset;
  }
  if (!absl::ConsumePrefix(&dir, "shop:") || dir.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--dataset: expected shop:DIR or movielens:DIR, got \"", spec, "\""));
  }
  LoadOptions load;
  load.now = absl::InfiniteFuture();  // Past data: nothing is "from the future".
  ASSIGN_OR_RETURN(dataset.data, LoadShopData(std::string(dir), load));
  absl::StatusOr<SampleShop> truth =
      ReadSampleShopTruth(std::string(dir), dataset.data);
  if (truth.ok()) {
    std::vector<Durability> durability;
    for (const ItemTruth& item : truth->item_truth) {
      durability.push_back(item.durability);
    }
    dataset.true_durability = std::move(durability);
  } else if (!absl::IsNotFound(truth.status())) {
    return truth.status();
  }
  return dataset;
}

}  // namespace recommender
