#include "training/evaluation/model_suite.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "recommender/index/item_index_factory.h"
#include "recommender/util/status_macros.h"
#include "training/evaluation/baselines/ease.h"
#include "training/evaluation/baselines/item_knn.h"
#include "training/evaluation/baseline_rankers.h"
#include "training/evaluation/protocol/served_model_ranker.h"
#include "training/ials/interaction_matrix.h"
#include "training/trainer/snapshot_builder.h"

namespace recommender {
namespace {

int64_t NewestEvent(const ShopData& data) {
  int64_t newest = 0;
  for (const Event& e : data.events) newest = std::max(newest, e.unix_seconds);
  return newest;
}

InteractionMatrix BaselineMatrix(const ShopData& data, const SuiteOptions& options) {
  return InteractionMatrix::FromEvents(
      static_cast<int32_t>(data.customers.size()),
      static_cast<int32_t>(data.items.size()), data.events,
      options.baseline_interactions, NewestEvent(data));
}

absl::StatusOr<SuiteModel> TrainPlainIals(const DataSplit& split,
                                          const SuiteOptions& options) {
  SuiteModel model;
  const InteractionMatrix matrix = BaselineMatrix(split.train, options);
  const int32_t num_items = matrix.num_columns();
  ASSIGN_OR_RETURN(
      IalsModel ials,
      TrainIals(matrix, options.trainer.ials,
                [&](int, double, const IalsModel& so_far) {
                  if (!options.record_epochs) return;
                  model.epochs.push_back(
                      std::make_unique<ScoreRanker>(num_items, IalsScorer(so_far)));
                }));
  model.ranker = std::make_unique<ScoreRanker>(num_items, IalsScorer(ials));
  return model;
}

// A model with Score(history items, history values, scores), fed each
// customer's row of the training matrix.
template <typename Model>
CustomerScorer HistoryScorer(std::shared_ptr<const InteractionMatrix> matrix,
                             std::shared_ptr<const Model> model) {
  return [matrix, model](int32_t customer, absl::Span<float> scores) {
    model->Score(matrix->RowIndices(customer), matrix->RowValues(customer), scores);
  };
}

template <typename Model, typename Options>
absl::StatusOr<SuiteModel> TrainHistoryModel(const DataSplit& split,
                                             const SuiteOptions& options,
                                             const Options& model_options) {
  auto matrix = std::make_shared<const InteractionMatrix>(
      BaselineMatrix(split.train, options));
  ASSIGN_OR_RETURN(Model trained, Model::Train(*matrix, model_options));
  SuiteModel model;
  model.ranker = std::make_unique<ScoreRanker>(
      matrix->num_columns(),
      HistoryScorer(matrix, std::make_shared<const Model>(std::move(trained))));
  return model;
}

absl::StatusOr<std::shared_ptr<const ModelSnapshot>> SnapshotWithFactors(
    const SnapshotContents& base, const IalsModel& factors,
    const IndexOptions& index) {
  // The epochs seen are the first block's (the only one without an
  // ensemble), learned with the settings the manifest records for it.
  IalsOptions block;
  if (base.manifest.factor_blocks_size() > 0) {
    const snapshot::FactorBlock& first = base.manifest.factor_blocks(0);
    block.regularization = first.regularization();
    block.regularization_exponent = first.regularization_exponent();
    block.alpha = first.alpha();
  }
  block.factors = static_cast<int32_t>(factors.item_factors.cols());
  const IalsOptions blocks[] = {block};
  ASSIGN_OR_RETURN(SnapshotContents contents,
                   WithFactors(base, factors, blocks, index));
  ASSIGN_OR_RETURN(std::unique_ptr<const ModelSnapshot> snapshot,
                   ModelSnapshot::FromContents(std::move(contents)));
  return std::shared_ptr<const ModelSnapshot>(std::move(snapshot));
}

absl::StatusOr<SuiteModel> TrainDefault(const DataSplit& split,
                                        const SuiteOptions& options,
                                        std::ostream& log) {
  SuiteModel model;
  std::vector<IalsModel> epochs;
  ASSIGN_OR_RETURN(
      SnapshotContents contents,
      TrainTunedSnapshotContents(
          split.train, options.trainer, options.tuning, /*version=*/1, log,
          [&](int, double, const IalsModel& so_far) {
            if (options.record_epochs) epochs.push_back(so_far);
          }));
  for (const IalsModel& factors : epochs) {
    ASSIGN_OR_RETURN(std::shared_ptr<const ModelSnapshot> snapshot,
                     SnapshotWithFactors(contents, factors, options.trainer.index));
    model.epochs.push_back(std::make_unique<ServedModelRanker>(snapshot, options.repurchase));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<const ModelSnapshot> snapshot,
                   ModelSnapshot::FromContents(std::move(contents)));
  model.snapshot = std::move(snapshot);
  model.ranker = std::make_unique<ServedModelRanker>(model.snapshot, options.repurchase);
  return model;
}

}  // namespace

InteractionOptions EventCounts() {
  InteractionOptions options;
  options.weights = {1, 1, 1};
  return options;
}

InteractionOptions PurchaseCounts() {
  InteractionOptions options;
  options.weights.view = 0;
  options.weights.cart = 0;
  options.weights.purchase = 1;
  return options;
}

const std::vector<std::string>& SuiteModelNames() {
  static const auto* const kNames = new std::vector<std::string>{
      "popularity", "rebuy", "rebuy_popular", "ials", "itemknn", "ease", "default"};
  return *kNames;
}

absl::StatusOr<SuiteModel> TrainSuiteModel(const std::string& name,
                                           const DataSplit& split,
                                           const SuiteOptions& options,
                                           std::ostream& log) {
  const absl::Time start = absl::Now();
  SuiteModel model;
  if (name == "popularity") {
    model.ranker = std::make_unique<PopularityRanker>(split.train);
  } else if (name == "rebuy") {
    model.ranker = std::make_unique<RebuyRanker>(split.train);
  } else if (name == "rebuy_popular") {
    model.ranker =
        std::make_unique<RebuyRanker>(split.train, RebuyTieBreak::kPopularity);
  } else if (name == "ials") {
    ASSIGN_OR_RETURN(model, TrainPlainIals(split, options));
  } else if (name == "itemknn") {
    ItemKnnOptions knn;
    knn.threads = options.trainer.ials.threads;
    ASSIGN_OR_RETURN(model, TrainHistoryModel<ItemKnnModel>(split, options, knn));
  } else if (name == "ease") {
    ASSIGN_OR_RETURN(model, TrainHistoryModel<EaseModel>(split, options, EaseOptions()));
  } else if (name == "default") {
    ASSIGN_OR_RETURN(model, TrainDefault(split, options, log));
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--models: unknown model \"", name, "\" (known: ",
                     absl::StrJoin(SuiteModelNames(), ", "), ")"));
  }
  model.name = name;
  model.train_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return model;
}

}  // namespace recommender
