#include "benchmarks/traffic_model.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace recommender::benchmarks {
namespace {

TEST(ZipfSamplerTest, FrequenciesFollowRankPowerLaw) {
  const ZipfSampler sampler(1000, 1.0, /*permutation_seed=*/7);
  std::mt19937_64 rng(1);
  std::vector<int> hits(1000);
  const int draws = 400000;
  for (int i = 0; i < draws; ++i) ++hits[sampler.Draw(rng)];
  // Harmonic number H_1000 ~ 7.485: P(rank 0) ~ 0.1336, P(rank 9) ~ 0.01336.
  const double top = hits[sampler.MemberAtRank(0)] / double(draws);
  const double tenth = hits[sampler.MemberAtRank(9)] / double(draws);
  EXPECT_NEAR(top, 0.1336, 0.004);
  EXPECT_NEAR(tenth, 0.01336, 0.0015);
  EXPECT_NEAR(top / tenth, 10.0, 1.5);
}

TEST(ZipfSamplerTest, ExponentZeroIsUniform) {
  const ZipfSampler sampler(10, 0.0, 3);
  std::mt19937_64 rng(2);
  std::vector<int> hits(10);
  for (int i = 0; i < 100000; ++i) ++hits[sampler.Draw(rng)];
  for (int h : hits) EXPECT_NEAR(h, 10000, 500);
}

TEST(ZipfSamplerTest, RanksArePermutedMembers) {
  const ZipfSampler sampler(100, 1.2, 11);
  std::vector<bool> seen(100);
  for (int r = 0; r < 100; ++r) seen[sampler.MemberAtRank(r)] = true;
  for (bool s : seen) EXPECT_TRUE(s);
  EXPECT_FALSE(sampler.MemberAtRank(0) == 0 && sampler.MemberAtRank(1) == 1 &&
               sampler.MemberAtRank(2) == 2);
}

TEST(TrafficModelTest, SessionsMatchTheOptions) {
  TrafficOptions options;
  options.mean_pages_per_session = 4;
  options.mean_think_time_ms = 500;
  options.anonymous_share = 0.25;
  options.mix = {0.5, 0.25, 0.25};
  absl::StatusOr<TrafficModel> model = TrafficModel::Create(options, 5000, 800, 9);
  ASSERT_TRUE(model.ok()) << model.status();
  std::mt19937_64 rng(4);
  int sessions = 20000, anonymous = 0, pages = 0, recommend = 0;
  double think = 0;
  int think_count = 0;
  for (int s = 0; s < sessions; ++s) {
    std::vector<PageView> session = model->NextSession(rng);
    ASSERT_FALSE(session.empty());
    EXPECT_EQ(session[0].think_time_ms, 0);
    if (session[0].customer < 0) ++anonymous;
    for (size_t i = 0; i < session.size(); ++i) {
      EXPECT_EQ(session[i].customer, session[0].customer);
      EXPECT_GE(session[i].item, 0);
      EXPECT_LT(session[i].item, 800);
      if (session[i].call == PageCall::kRecommend) ++recommend;
      if (i > 0) {
        think += session[i].think_time_ms;
        ++think_count;
      }
    }
    pages += session.size();
  }
  EXPECT_NEAR(anonymous / double(sessions), 0.25, 0.015);
  EXPECT_NEAR(pages / double(sessions), 4.0, 0.15);
  EXPECT_NEAR(recommend / double(pages), 0.5, 0.02);
  EXPECT_NEAR(think / think_count, 500, 25);
}

TEST(TrafficModelTest, SameSeedSameSessions) {
  absl::StatusOr<TrafficModel> model =
      TrafficModel::Create(TrafficOptions(), 100, 100, 5);
  ASSERT_TRUE(model.ok());
  std::mt19937_64 a(3), b(3);
  for (int i = 0; i < 50; ++i) {
    std::vector<PageView> x = model->NextSession(a), y = model->NextSession(b);
    ASSERT_EQ(x.size(), y.size());
    for (size_t j = 0; j < x.size(); ++j) {
      EXPECT_EQ(x[j].customer, y[j].customer);
      EXPECT_EQ(x[j].item, y[j].item);
      EXPECT_EQ(x[j].call, y[j].call);
    }
  }
}

TEST(TrafficModelTest, BadOptionsNameTheField) {
  TrafficOptions options;
  options.zipf_exponent = -1;
  EXPECT_NE(TrafficModel::Create(options, 10, 10, 1).status().message().find(
                "zipf_exponent"),
            std::string::npos);
  options = TrafficOptions();
  options.anonymous_share = 1.5;
  EXPECT_NE(TrafficModel::Create(options, 10, 10, 1).status().message().find(
                "anonymous_share"),
            std::string::npos);
  EXPECT_FALSE(TrafficModel::Create(TrafficOptions(), 0, 10, 1).ok());
}

TEST(CallMixTest, ParsesAndRejects) {
  absl::StatusOr<CallMix> mix = ParseCallMix("recommend:2,record_events:1");
  ASSERT_TRUE(mix.ok());
  EXPECT_EQ(mix->recommend, 2);
  EXPECT_EQ(mix->similar_items, 0);
  EXPECT_EQ(mix->record_view, 1);
  EXPECT_FALSE(ParseCallMix("recommend:x").ok());
  EXPECT_FALSE(ParseCallMix("buy:1").ok());
  EXPECT_FALSE(ParseCallMix("recommend:0").ok());
}

}  // namespace
}  // namespace recommender::benchmarks
