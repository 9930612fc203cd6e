#include "recommender/ltr/testing_ranker.h"

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <vector>

#include "xgboost/c_api.h"

namespace recommender {
namespace {

void Check(int rc) {
  if (rc != 0) {
    std::cerr << "XGBoost: " << XGBGetLastError() << "\n";
    std::abort();
  }
}

}  // namespace

std::string TrainTestRanker(RankingFeature feature) {
  std::vector<float> features;
  std::vector<float> labels;
  std::vector<unsigned> groups;
  for (int group = 0; group < 30; ++group) {
    for (int row = 0; row < 12; ++row) {
      const bool missing = row == 11;
      const float value = static_cast<float>((row * 5 + group) % 10);
      for (int f = 0; f < kNumRankingFeatures; ++f) {
        features.push_back(f == feature ? (missing ? NAN : value)
                                        : static_cast<float>((row + f) % 3));
      }
      labels.push_back(missing ? 0.0f : value / 3);
    }
    groups.push_back(12);
  }
  return TrainTestBooster(features, labels, groups,
                          {{"objective", "rank:pairwise"}}, 20);
}

std::string TrainTestBooster(
    const std::vector<float>& features, const std::vector<float>& labels,
    const std::vector<unsigned>& groups,
    const std::vector<std::pair<std::string, std::string>>& params,
    int rounds) {
  DMatrixHandle matrix = nullptr;
  Check(XGDMatrixCreateFromMat(features.data(), labels.size(),
                               kNumRankingFeatures, NAN, &matrix));
  Check(XGDMatrixSetFloatInfo(matrix, "label", labels.data(), labels.size()));
  Check(XGDMatrixSetUIntInfo(matrix, "group", groups.data(), groups.size()));
  BoosterHandle booster = nullptr;
  Check(XGBoosterCreate(&matrix, 1, &booster));
  for (const auto& [key, value] : params) {
    Check(XGBoosterSetParam(booster, key.c_str(), value.c_str()));
  }
  Check(XGBoosterSetParam(booster, "nthread", "1"));
  Check(XGBoosterSetParam(booster, "verbosity", "0"));
  for (int i = 0; i < rounds; ++i) {
    Check(XGBoosterUpdateOneIter(booster, i, matrix));
  }
  bst_ulong size = 0;
  const char* bytes = nullptr;
  Check(XGBoosterSaveModelToBuffer(booster, "{\"format\": \"ubj\"}", &size,
                                   &bytes));
  std::string model(bytes, size);
  XGBoosterFree(booster);
  XGDMatrixFree(matrix);
  return model;
}

}  // namespace recommender
