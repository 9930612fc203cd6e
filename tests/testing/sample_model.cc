#include "tests/testing/sample_model.h"

#include <sstream>

#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"
#include "training/sample_data/sample_shop.h"
#include "training/trainer/trainer.h"

namespace recommender::testing {

absl::StatusOr<std::string> TrainSampleModel(const std::string& data_dir,
                                             const std::string& model_dir,
                                             const SampleModelOptions& options) {
  if (!PathExists(JoinPath(data_dir, kEventsFile))) {
    SampleShopOptions shop;
    shop.num_customers = options.customers;
    shop.num_items = options.items;
    RETURN_IF_ERROR(WriteSampleShop(GenerateSampleShop(shop), data_dir));
  }
  TrainerOptions trainer;
  trainer.data_dir = data_dir;
  trainer.model_dir = model_dir;
  trainer.ials.factors = options.factors;
  trainer.ials.epochs = options.epochs;
  trainer.version = options.version;
  trainer.event_log_dir = options.event_log_dir;
  if (options.extra_block_factors > 0) {
    IalsOptions block = trainer.ials;
    block.factors = options.extra_block_factors;
    trainer.extra_ials_blocks.push_back(block);
  }
  trainer.block_requests = options.block_requests;
  std::ostringstream log;
  ASSIGN_OR_RETURN(TrainingResult result, Train(trainer, log));
  return result.snapshot_dir;
}

absl::StatusOr<SuiteModel> TrainSampleModelIn(
    const std::string& root, const SampleModelOptions& options) {
  RemoveAll(root).IgnoreError();
  SuiteModel model;
  model.model_dir = JoinPath(root, "models");
  ASSIGN_OR_RETURN(model.snapshot_dir,
                   TrainSampleModel(JoinPath(root, "data"), model.model_dir,
                                    options));
  return model;
}

}  // namespace recommender::testing
