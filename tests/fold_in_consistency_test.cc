// The server's fold-in (recommender/live/fold_in.h) solves the trainer's
// per-customer problem: folding a trained customer's own interactions back
// in against the final item factors gives (nearly) the vector the trainer
// learned, under every strength and regularization option.
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "gtest/gtest.h"
#include "recommender/live/fold_in.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/util/file_util.h"
#include "training/sample_data/sample_shop.h"
#include "training/trainer/trainer.h"

namespace recommender {
namespace {

struct Case {
  const char* name;
  float regularization;
  float regularization_exponent;
  float log_strength_epsilon;
};

class FoldInConsistencyTest : public ::testing::TestWithParam<Case> {};

TEST_P(FoldInConsistencyTest, ReproducesTheTrainedVectors) {
  const std::string root =
      JoinPath(std::getenv("TEST_TMPDIR"), GetParam().name);
  ASSERT_TRUE(RemoveAll(root).ok());
  SampleShopOptions shop;
  shop.num_customers = 300;
  shop.num_items = 100;
  ASSERT_TRUE(WriteSampleShop(GenerateSampleShop(shop), JoinPath(root, "data")).ok());
  TrainerOptions options;
  options.data_dir = JoinPath(root, "data");
  options.model_dir = JoinPath(root, "models");
  options.ials.factors = 16;
  options.ials.epochs = 12;
  options.ials.solver = IalsSolver::kCholesky;
  options.ials.regularization = GetParam().regularization;
  options.ials.regularization_exponent = GetParam().regularization_exponent;
  options.interactions.log_strength_epsilon = GetParam().log_strength_epsilon;
  std::ostringstream log;
  absl::StatusOr<TrainingResult> result = Train(options, log);
  ASSERT_TRUE(result.ok()) << result.status();
  auto model = ModelSnapshot::Load(result->snapshot_dir);
  ASSERT_TRUE(model.ok()) << model.status();

  double relative_error = 0;
  int customers = 0;
  for (int32_t row = 0; row < (*model)->num_customers(); ++row) {
    const absl::Span<const float> trained = (*model)->customer_vector(row);
    if (trained.empty()) continue;
    const std::vector<float> folded = FoldIn(**model, row, {});
    ASSERT_EQ(folded.size(), trained.size());
    double difference = 0, norm = 0;
    for (size_t k = 0; k < trained.size(); ++k) {
      difference += (folded[k] - trained[k]) * (folded[k] - trained[k]);
      norm += trained[k] * trained[k];
    }
    relative_error += std::sqrt(difference / norm);
    ++customers;
  }
  ASSERT_GT(customers, 200);
  relative_error /= customers;
  // The trainer solved the customers against the item factors of the
  // epoch before the last; after a dozen epochs they barely move.
  EXPECT_LT(relative_error, 0.05) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Options, FoldInConsistencyTest,
    // "scaled": lambda = 1.5 * C^0.5 is about the default constant 30 for
    // a customer with a few hundred units of confidence.
    ::testing::Values(Case{"plain", 30, 0, 0}, Case{"scaled", 1.5f, 0.5f, 0},
                      Case{"log", 30, 0, 1}),
    [](const ::testing::TestParamInfo<Case>& info) {
      return std::string(info.param.name);
    });

}  // namespace
}  // namespace recommender
