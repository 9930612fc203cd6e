#include "serving/experiment_rpcs.h"

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "recommender/util/file_util.h"

namespace recommender::serving {
namespace {

constexpr int64_t kNow = 1767225600;

v1::Experiment TwoArms() {
  v1::Experiment e;
  e.set_experiment_id("shelf");
  v1::ExperimentArm* plain = e.add_arms();
  plain->set_name("plain");
  plain->set_share(0.5);
  (*plain->mutable_settings())["repurchase"] = "off";
  v1::ExperimentArm* capped = e.add_arms();
  capped->set_name("capped");
  capped->set_share(0.5);
  (*capped->mutable_settings())["max_per_category"] = "1";
  return e;
}

std::unique_ptr<campaigns::CampaignManager> Manager(const std::string& name) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), name);
  EXPECT_TRUE(RemoveAll(dir).ok());
  campaigns::CampaignManager::Options options;
  options.campaign_log_dir = dir;
  absl::StatusOr<std::unique_ptr<campaigns::CampaignManager>> m =
      campaigns::CampaignManager::Open(options);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? *std::move(m) : nullptr;
}

TEST(ExperimentRpcsTest, DefaultsApply) {
  const campaigns::ExperimentDefinition e = FromProto(TwoArms());
  EXPECT_EQ(e.control_arm, "plain");
  EXPECT_EQ(e.attribution_window_days, 14);
  EXPECT_EQ(e.duration_days, 14);
  EXPECT_EQ(e.arms[1].settings.at("max_per_category"), "1");
}

TEST(ExperimentRpcsTest, CreateAssignExposeAndList) {
  std::unique_ptr<campaigns::CampaignManager> manager = Manager("rpcs");
  ASSERT_NE(manager, nullptr);
  const ExperimentRpcs rpcs(manager.get());
  const absl::Time now = absl::FromUnixSeconds(kNow);
  v1::CreateExperimentRequest request;
  *request.mutable_experiment() = TwoArms();
  v1::Experiment created;
  ASSERT_TRUE(rpcs.CreateExperiment(request, now, &created).ok());
  EXPECT_EQ(created.created_at(), "2026-01-01T00:00:00Z");
  EXPECT_EQ(created.ends_at(), "2026-01-15T00:00:00Z");

  // Anonymous visitors are not assigned.
  RecommendQuery query;
  EXPECT_FALSE(rpcs.Assign("", now, &query).has_value());
  // Customers get their arm's settings, the same every time.
  bool saw[2] = {false, false};
  for (int c = 0; c < 40; ++c) {
    const std::string id = "C" + std::to_string(c);
    RecommendQuery q;
    std::optional<ExperimentRpcs::Served> served = rpcs.Assign(id, now, &q);
    ASSERT_TRUE(served.has_value());
    saw[served->arm] = true;
    if (served->arm == 0) {
      ASSERT_TRUE(q.repurchase.has_value());
      EXPECT_FALSE(q.repurchase->enabled);
      EXPECT_EQ(q.max_per_category, 0);
    } else {
      EXPECT_FALSE(q.repurchase.has_value());
      EXPECT_EQ(q.max_per_category, 1);
    }
    v1::RecommendResponse response;
    rpcs.Expose(*served, id, now, &response);
    EXPECT_EQ(response.experiment_id(), "shelf");
    EXPECT_EQ(response.experiment_arm(),
              served->arm == 0 ? "plain" : "capped");
    std::optional<campaigns::ExperimentArmRef> ref =
        campaigns::ParseExperimentRecommendationId(response.recommendation_id());
    ASSERT_TRUE(ref.has_value()) << response.recommendation_id();
    EXPECT_EQ(ref->arm, response.experiment_arm());
  }
  EXPECT_TRUE(saw[0] && saw[1]);
  // After its end, nobody is assigned.
  EXPECT_FALSE(
      rpcs.Assign("C1", now + absl::Hours(24 * 14), &query).has_value());

  v1::ListExperimentsResponse list;
  ASSERT_TRUE(rpcs.ListExperiments(&list).ok());
  ASSERT_EQ(list.experiments_size(), 1);
  EXPECT_EQ(list.experiments(0).exposed_customers(), 40);
}

TEST(ExperimentRpcsTest, BadInputNamesTheField) {
  std::unique_ptr<campaigns::CampaignManager> manager = Manager("bad");
  ASSERT_NE(manager, nullptr);
  const ExperimentRpcs rpcs(manager.get());
  const absl::Time now = absl::FromUnixSeconds(kNow);
  v1::CreateExperimentRequest request;
  *request.mutable_experiment() = TwoArms();
  request.mutable_experiment()->mutable_arms(1)->set_share(0.6);
  v1::Experiment created;
  absl::Status s = rpcs.CreateExperiment(request, now, &created);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().substr(0, 16), "experiment.arms:") << s;
  // Without a campaign log, experiments are off.
  const ExperimentRpcs off(nullptr);
  EXPECT_EQ(off.CreateExperiment(request, now, &created).code(),
            absl::StatusCode::kFailedPrecondition);
  RecommendQuery query;
  EXPECT_FALSE(off.Assign("C1", now, &query).has_value());
}

}  // namespace
}  // namespace recommender::serving
