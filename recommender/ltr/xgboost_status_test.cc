#include "recommender/ltr/xgboost_status.h"

#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "xgboost/c_api.h"

namespace recommender {
namespace {

TEST(XgboostStatusTest, ZeroIsOk) {
  EXPECT_TRUE(XgboostStatus(0, "creating the booster").ok());
}

// A real failure: a model that is not one. The message starts with what was
// being done and keeps only XGBoost's first line (no stack trace).
TEST(XgboostStatusTest, FailureIsInternalWithWhatAndTheFirstLine) {
  BoosterHandle booster = nullptr;
  ASSERT_EQ(XGBoosterCreate(nullptr, 0, &booster), 0);
  const std::string garbage = "not a model";
  const int rc =
      XGBoosterLoadModelFromBuffer(booster, garbage.data(), garbage.size());
  ASSERT_NE(rc, 0);
  const std::string last_error = XGBGetLastError();
  const absl::Status status = XgboostStatus(rc, "loading the ranker");
  XGBoosterFree(booster);

  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  const std::string message(status.message());
  EXPECT_EQ(message.rfind("loading the ranker: ", 0), 0u) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_GT(message.size(), std::string("loading the ranker: ").size());
  EXPECT_EQ(message.substr(20), last_error.substr(0, last_error.find('\n')));
}

}  // namespace
}  // namespace recommender
