#include "recommender/ltr/tree_ensemble.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "xgboost/c_api.h"

namespace recommender {
namespace {

struct Config {
  const char* objective;
  const char* max_depth;
  const char* tree_method;
  int rounds;
};

// Random rows of `features` values: small integers (so that values equal
// split thresholds often), uniform reals, and NaN (missing) for ~20%.
std::vector<float> RandomRows(int rows, int features, uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> uniform(-3.0f, 3.0f);
  std::vector<float> out;
  for (int i = 0; i < rows * features; ++i) {
    const uint32_t kind = random() % 10;
    if (kind < 2) {
      out.push_back(NAN);
    } else if (kind < 5) {
      out.push_back(static_cast<float>(random() % 7) - 3.0f);
    } else {
      out.push_back(uniform(random));
    }
  }
  return out;
}

// A booster trained through the C API on random rows whose relevance
// depends on a few features (and on whether one is missing).
class TrainedBooster {
 public:
  TrainedBooster(const Config& config, int features) : features_(features) {
    constexpr int kGroups = 40;
    constexpr int kPerGroup = 15;
    train_ = RandomRows(kGroups * kPerGroup, features, 11);
    std::vector<float> labels;
    for (int r = 0; r < kGroups * kPerGroup; ++r) {
      const float* row = &train_[r * features];
      float label = std::isnan(row[0]) ? 0.0f : (row[0] > 0 ? 2.0f : 1.0f);
      if (!std::isnan(row[1]) && row[1] > 1) label += 1;
      if (std::isnan(row[2])) label = std::max(0.0f, label - 1);
      labels.push_back(label);
    }
    std::vector<unsigned> groups(kGroups, kPerGroup);
    EXPECT_EQ(XGDMatrixCreateFromMat(train_.data(), labels.size(), features,
                                     NAN, &matrix_),
              0);
    EXPECT_EQ(
        XGDMatrixSetFloatInfo(matrix_, "label", labels.data(), labels.size()),
        0);
    EXPECT_EQ(
        XGDMatrixSetUIntInfo(matrix_, "group", groups.data(), groups.size()),
        0);
    EXPECT_EQ(XGBoosterCreate(&matrix_, 1, &booster_), 0);
    EXPECT_EQ(XGBoosterSetParam(booster_, "objective", config.objective), 0);
    EXPECT_EQ(XGBoosterSetParam(booster_, "max_depth", config.max_depth), 0);
    EXPECT_EQ(XGBoosterSetParam(booster_, "tree_method", config.tree_method),
              0);
    EXPECT_EQ(XGBoosterSetParam(booster_, "eta", "0.3"), 0);
    EXPECT_EQ(XGBoosterSetParam(booster_, "subsample", "0.8"), 0);
    EXPECT_EQ(XGBoosterSetParam(booster_, "colsample_bytree", "0.8"), 0);
    EXPECT_EQ(XGBoosterSetParam(booster_, "nthread", "1"), 0);
    EXPECT_EQ(XGBoosterSetParam(booster_, "verbosity", "0"), 0);
    for (int i = 0; i < config.rounds; ++i) {
      EXPECT_EQ(XGBoosterUpdateOneIter(booster_, i, matrix_), 0);
    }
  }
  ~TrainedBooster() {
    XGBoosterFree(booster_);
    XGDMatrixFree(matrix_);
  }

  const std::vector<float>& train() const { return train_; }

  std::string Json() const {
    bst_ulong size = 0;
    const char* bytes = nullptr;
    EXPECT_EQ(XGBoosterSaveModelToBuffer(booster_, "{\"format\": \"json\"}",
                                         &size, &bytes),
              0);
    return std::string(bytes, size);
  }

  // XGBoost's own scores of `rows` (normal prediction, all trees).
  std::vector<float> Predict(const std::vector<float>& rows) const {
    DMatrixHandle matrix = nullptr;
    EXPECT_EQ(XGDMatrixCreateFromMat(rows.data(), rows.size() / features_,
                                     features_, NAN, &matrix),
              0);
    bst_ulong length = 0;
    const float* result = nullptr;
    EXPECT_EQ(XGBoosterPredict(booster_, matrix, 0, 0, 0, &length, &result), 0);
    std::vector<float> out(result, result + length);
    XGDMatrixFree(matrix);
    return out;
  }

 private:
  const int features_;
  std::vector<float> train_;
  DMatrixHandle matrix_ = nullptr;
  BoosterHandle booster_ = nullptr;
};

std::vector<float> FlatScores(const TreeEnsemble& ensemble,
                              const std::vector<float>& rows) {
  std::vector<float> scores(rows.size() / ensemble.num_features());
  ensemble.Predict(rows, absl::MakeSpan(scores));
  return scores;
}

class TreeEnsembleAgreesWithXgboost : public testing::TestWithParam<Config> {};

TEST_P(TreeEnsembleAgreesWithXgboost, OnRandomAndTrainingRows) {
  constexpr int kFeatures = 12;
  const TrainedBooster booster(GetParam(), kFeatures);
  auto ensemble = TreeEnsemble::FromXgboostJson(booster.Json());
  ASSERT_TRUE(ensemble.ok()) << ensemble.status();
  EXPECT_EQ(ensemble->num_features(), kFeatures);
  EXPECT_EQ(ensemble->num_trees(), GetParam().rounds);
  for (const std::vector<float>& rows :
       {RandomRows(2000, kFeatures, 5), booster.train()}) {
    const std::vector<float> expected = booster.Predict(rows);
    const std::vector<float> actual = FlatScores(*ensemble, rows);
    ASSERT_EQ(actual.size(), expected.size());
    int distinct = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
      // The same float additions in the same order: equal, not just close.
      ASSERT_EQ(actual[i], expected[i]) << "row " << i;
      distinct += i > 0 && expected[i] != expected[i - 1];
    }
    // The model is not a constant: the comparison means something.
    EXPECT_GT(distinct, 100);
    // Fewer rows than a block of sixteen, and a block plus a remainder:
    // the row-by-row path and the block path agree too.
    for (size_t count : {1u, 5u, 21u}) {
      const std::vector<float> prefix(rows.begin(),
                                      rows.begin() + count * kFeatures);
      EXPECT_EQ(FlatScores(*ensemble, prefix),
                std::vector<float>(expected.begin(), expected.begin() + count));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Models, TreeEnsembleAgreesWithXgboost,
    testing::Values(Config{"rank:pairwise", "4", "hist", 46},
                    Config{"rank:ndcg", "6", "hist", 30},
                    Config{"rank:pairwise", "3", "exact", 20},
                    Config{"reg:squarederror", "8", "approx", 25}));

TEST(TreeEnsembleTest, LeavesTransformedObjectivesToXgboost) {
  // Poisson regression predicts exp(margin).
  const TrainedBooster poisson({"count:poisson", "3", "hist", 3}, 4);
  EXPECT_EQ(TreeEnsemble::FromXgboostJson(poisson.Json()).status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST(TreeEnsembleTest, RefusesMalformedModels) {
  EXPECT_EQ(TreeEnsemble::FromXgboostJson("not json").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TreeEnsemble::FromXgboostJson("{\"learner\": 1}").status().code(),
            absl::StatusCode::kInvalidArgument);
  const TrainedBooster booster({"rank:pairwise", "2", "hist", 2}, 4);
  const std::string json = booster.Json();
  // The root's split on a feature the model does not have.
  std::string wrong_feature = json;
  const size_t at = wrong_feature.find("\"split_indices\":[");
  ASSERT_NE(at, std::string::npos);
  const size_t begin = at + 17;
  wrong_feature.replace(begin, wrong_feature.find_first_of(",]", begin) - begin,
                        "99");
  EXPECT_EQ(TreeEnsemble::FromXgboostJson(wrong_feature).status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(TreeEnsemble::FromXgboostJson(json).ok());
}

}  // namespace
}  // namespace recommender
