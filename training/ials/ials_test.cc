#include "training/ials/ials.h"

#include <cmath>

#include "gtest/gtest.h"
#include "training/internal/seeded_random.h"

namespace recommender {
namespace {

// Two taste clusters: users 0..19 like items 0..9, users 20..39 like 10..19,
// each user having interacted with a random half of their cluster's items.
InteractionMatrix TwoClusters() {
  SeededRandom random(7);
  std::vector<Interaction> entries;
  for (int32_t u = 0; u < 40; ++u) {
    const int32_t first = u < 20 ? 0 : 10;
    for (int32_t i = first; i < first + 10; ++i) {
      if (random.Bernoulli(0.5)) entries.push_back({u, i, 1.0f});
    }
  }
  return InteractionMatrix::FromInteractions(40, 20, std::move(entries));
}

IalsOptions SmallOptions() {
  IalsOptions options;
  options.factors = 4;
  options.epochs = 8;
  options.regularization = 0.05f;
  options.alpha = 5;
  options.threads = 2;
  options.seed = 11;
  return options;
}

TEST(IalsTest, LossNeverIncreases) {
  auto model = TrainIals(TwoClusters(), SmallOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_EQ(model->epoch_losses.size(), 8u);
  for (size_t e = 1; e < model->epoch_losses.size(); ++e) {
    EXPECT_LE(model->epoch_losses[e], model->epoch_losses[e - 1] * (1 + 1e-6));
  }
}

TEST(IalsTest, SameSeedSameFactorsWhateverTheThreadCount) {
  IalsOptions one = SmallOptions();
  one.threads = 1;
  IalsOptions two = SmallOptions();
  two.threads = 2;
  auto a = TrainIals(TwoClusters(), one);
  auto b = TrainIals(TwoClusters(), two);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->item_factors, b->item_factors);
  EXPECT_EQ(a->user_factors, b->user_factors);
}

// The objective's gradient with respect to item i's vector, computed densely
// from the definition in ials.h.
Eigen::VectorXd ItemGradient(const InteractionMatrix& matrix,
                             const IalsModel& model, const IalsOptions& options,
                             int32_t i) {
  double total_confidence = matrix.num_rows();
  for (float v : matrix.ColumnValues(i)) total_confidence += options.alpha * v;
  const double lambda =
      options.regularization *
      std::pow(total_confidence, options.regularization_exponent);
  Eigen::VectorXd gradient =
      lambda * model.item_factors.row(i).transpose().cast<double>();
  for (int32_t u = 0; u < matrix.num_rows(); ++u) {
    double strength = 0;
    const auto items = matrix.RowIndices(u);
    for (size_t k = 0; k < items.size(); ++k) {
      if (items[k] == i) strength = matrix.RowValues(u)[k];
    }
    const double preference = strength > 0 ? 1 : 0;
    const double confidence = 1 + options.alpha * strength;
    const Eigen::VectorXd x =
        model.user_factors.row(u).transpose().cast<double>();
    const double score =
        x.dot(model.item_factors.row(i).transpose().cast<double>());
    gradient += confidence * (score - preference) * x;
  }
  return gradient;
}

// The last half-step solved the items exactly: the objective's gradient with
// respect to every item vector must vanish, with and without the
// frequency-scaled regularization.
TEST(IalsTest, CholeskyItemStepSolvesTheNormalEquationsExactly) {
  const InteractionMatrix matrix = TwoClusters();
  for (float exponent : {0.0f, 1.0f}) {
    IalsOptions options = SmallOptions();
    options.solver = IalsSolver::kCholesky;
    options.regularization_exponent = exponent;
    if (exponent > 0) options.regularization = 0.002f;
    auto model = TrainIals(matrix, options);
    ASSERT_TRUE(model.ok());
    for (int32_t i = 0; i < matrix.num_columns(); ++i) {
      EXPECT_LT(ItemGradient(matrix, *model, options, i).norm(), 1e-3)
          << "item " << i << ", exponent " << exponent;
    }
  }
}

// With as many steps as dimensions, conjugate gradient reaches the exact
// solution: same factors as Cholesky up to rounding.
TEST(IalsTest, ConjugateGradientWithFullStepsMatchesCholesky) {
  IalsOptions exact = SmallOptions();
  exact.solver = IalsSolver::kCholesky;
  IalsOptions cg = SmallOptions();
  cg.solver = IalsSolver::kConjugateGradient;
  cg.cg_steps = cg.factors;
  auto a = TrainIals(TwoClusters(), exact);
  auto b = TrainIals(TwoClusters(), cg);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_LT((a->item_factors - b->item_factors).cwiseAbs().maxCoeff(), 1e-3);
  EXPECT_LT((a->user_factors - b->user_factors).cwiseAbs().maxCoeff(), 1e-3);
}

// A few warm-started steps per epoch (Takacs et al. 2011) end close to the
// exact solver's objective.
TEST(IalsTest, FewConjugateGradientStepsApproachTheExactObjective) {
  IalsOptions exact = SmallOptions();
  exact.factors = 8;
  exact.epochs = 12;
  exact.solver = IalsSolver::kCholesky;
  IalsOptions cg = exact;
  cg.solver = IalsSolver::kConjugateGradient;
  cg.cg_steps = 2;
  auto a = TrainIals(TwoClusters(), exact);
  auto b = TrainIals(TwoClusters(), cg);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_LT(b->epoch_losses.back(), a->epoch_losses.back() * 1.02);
  EXPECT_LT(b->epoch_losses.back(), b->epoch_losses.front());
}

TEST(IalsTest, EpochCallbackSeesTheModelSoFar) {
  std::vector<int> epochs;
  auto model = TrainIals(TwoClusters(), SmallOptions(),
                         [&](int epoch, double loss, const IalsModel& m) {
                           epochs.push_back(epoch);
                           EXPECT_EQ(m.epoch_losses.size(),
                                     static_cast<size_t>(epoch));
                           EXPECT_EQ(m.epoch_losses.back(), loss);
                           EXPECT_EQ(m.item_factors.rows(), 20);
                         });
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(epochs, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(IalsTest, SolverNamesRoundTrip) {
  for (IalsSolver solver :
       {IalsSolver::kCholesky, IalsSolver::kConjugateGradient}) {
    EXPECT_EQ(*ParseIalsSolver(IalsSolverName(solver)), solver);
  }
  EXPECT_NE(ParseIalsSolver("lu").status().message().find("solver"),
            std::string::npos);
}

TEST(IalsTest, LearnsTheClusters) {
  auto model = TrainIals(TwoClusters(), SmallOptions());
  ASSERT_TRUE(model.ok());
  for (int32_t u : {0, 5, 25, 39}) {
    const int32_t first = u < 20 ? 0 : 10;
    const int32_t other = u < 20 ? 10 : 0;
    double own = 0, foreign = 0;
    for (int32_t k = 0; k < 10; ++k) {
      own += model->user_factors.row(u).dot(model->item_factors.row(first + k));
      foreign +=
          model->user_factors.row(u).dot(model->item_factors.row(other + k));
    }
    EXPECT_GT(own, foreign + 1.0) << "user " << u;
  }
}

TEST(IalsTest, RowsWithoutInteractionsGetZeroFactors) {
  auto model = TrainIals(
      InteractionMatrix::FromInteractions(3, 2, {{0, 0, 1.0f}, {2, 1, 1.0f}}),
      SmallOptions());
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->user_factors.row(1).squaredNorm(), 0.0f);
}

TEST(IalsTest, InvalidOptionsAreNamed) {
  IalsOptions bad = SmallOptions();
  bad.factors = 0;
  auto model = TrainIals(TwoClusters(), bad);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("factors"), std::string::npos);
  bad = SmallOptions();
  bad.regularization = 0;
  EXPECT_NE(TrainIals(TwoClusters(), bad).status().message().find(
                "regularization"),
            std::string::npos);
}

TEST(IalsTest, ConcatenatedModelsScoreTheSumOfTheirMembers) {
  IalsModel first;
  first.user_factors.resize(2, 1);
  first.user_factors << 1, 2;
  first.item_factors.resize(3, 1);
  first.item_factors << 1, 0, -1;
  IalsModel second;
  second.user_factors.resize(2, 2);
  second.user_factors << 0.5, 0, 0, 1;
  second.item_factors.resize(3, 2);
  second.item_factors << 2, 0, 0, 3, 1, 1;
  const IalsModel members[] = {first, second};
  const IalsModel joined = ConcatenateIalsModels(members);
  ASSERT_EQ(joined.user_factors.cols(), 3);
  ASSERT_EQ(joined.item_factors.rows(), 3);
  EXPECT_EQ(joined.item_factors.row(1), (Eigen::RowVector3f(0, 0, 3)));
  for (int u = 0; u < 2; ++u) {
    for (int i = 0; i < 3; ++i) {
      EXPECT_FLOAT_EQ(
          joined.user_factors.row(u).dot(joined.item_factors.row(i)),
          first.user_factors.row(u).dot(first.item_factors.row(i)) +
              second.user_factors.row(u).dot(second.item_factors.row(i)));
    }
  }
  EXPECT_EQ(ConcatenateIalsModels({}).user_factors.size(), 0);
}

}  // namespace
}  // namespace recommender
