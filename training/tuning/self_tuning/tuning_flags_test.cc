#include "training/tuning/self_tuning/tuning_flags.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

ABSL_DECLARE_FLAG(std::string, tune);
ABSL_DECLARE_FLAG(absl::Duration, tune_budget);
ABSL_DECLARE_FLAG(int32_t, tune_trials);
ABSL_DECLARE_FLAG(int32_t, tune_validation_days);
ABSL_DECLARE_FLAG(int32_t, tune_max_validation_customers);
ABSL_DECLARE_FLAG(bool, tune_ranker);
ABSL_DECLARE_FLAG(std::string, tune_tasks);

namespace recommender {
namespace {

class TuningFlagsTest : public ::testing::Test {
 protected:
  // Restores every flag after each test.
  absl::FlagSaver saver_;
};

// The error for the current flags: InvalidArgument whose message starts
// with the flag's name.
void ExpectRefused(const std::string& flag) {
  const absl::StatusOr<SelfTuningOptions> options = SelfTuningOptionsFromFlags();
  ASSERT_FALSE(options.ok()) << flag;
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(options.status().message().substr(0, flag.size() + 1), flag + ":")
      << options.status();
}

TEST_F(TuningFlagsTest, DefaultsTuneForThreeMinutesWithTheRanker) {
  const absl::StatusOr<SelfTuningOptions> options = SelfTuningOptionsFromFlags();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_TRUE(options->enabled);
  EXPECT_EQ(options->budget, absl::Minutes(6));
  EXPECT_EQ(options->max_ials_trials, 0);
  EXPECT_EQ(options->validation.days, 0);
  EXPECT_EQ(options->validation.kind, ValidationKind::kTime);
  EXPECT_EQ(options->validation.max_customers, 5000);
  EXPECT_TRUE(options->ranker);
  EXPECT_EQ(options->tasks, (std::vector<EvalTask>{EvalTask::kAll, EvalTask::kNew}));
  // Not a flag: the list length.
  EXPECT_EQ(options->k, 10);
}

TEST_F(TuningFlagsTest, EveryFlagReachesItsOption) {
  absl::SetFlag(&FLAGS_tune, "off");
  absl::SetFlag(&FLAGS_tune_budget, absl::Seconds(90));
  absl::SetFlag(&FLAGS_tune_trials, 12);
  absl::SetFlag(&FLAGS_tune_validation_days, 14);
  absl::SetFlag(&FLAGS_tune_ranker, false);
  absl::SetFlag(&FLAGS_tune_max_validation_customers, 300);
  absl::SetFlag(&FLAGS_tune_tasks, "new");
  const absl::StatusOr<SelfTuningOptions> options = SelfTuningOptionsFromFlags();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_FALSE(options->enabled);
  EXPECT_EQ(options->budget, absl::Seconds(90));
  EXPECT_EQ(options->max_ials_trials, 12);
  EXPECT_EQ(options->validation.days, 14);
  EXPECT_EQ(options->validation.max_customers, 300);
  EXPECT_FALSE(options->ranker);
  EXPECT_EQ(options->tasks, std::vector<EvalTask>{EvalTask::kNew});
}

TEST_F(TuningFlagsTest, TasksAreAllNewOrBoth) {
  absl::SetFlag(&FLAGS_tune_tasks, "all");
  absl::StatusOr<SelfTuningOptions> options = SelfTuningOptionsFromFlags();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->tasks, std::vector<EvalTask>{EvalTask::kAll});
  absl::SetFlag(&FLAGS_tune_tasks, "new,all");
  options = SelfTuningOptionsFromFlags();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->tasks.size(), 2u);
  absl::SetFlag(&FLAGS_tune_tasks, "rebuys");
  ExpectRefused("--tune_tasks");
}

TEST_F(TuningFlagsTest, TuneIsOnOrOffAndTheErrorQuotesTheValue) {
  absl::SetFlag(&FLAGS_tune, "on");
  ASSERT_TRUE(SelfTuningOptionsFromFlags().ok());
  EXPECT_TRUE(SelfTuningOptionsFromFlags()->enabled);
  for (const char* bad : {"yes", "", "ON", "off "}) {
    absl::SetFlag(&FLAGS_tune, bad);
    ExpectRefused("--tune");
    EXPECT_NE(SelfTuningOptionsFromFlags().status().message().find(
                  std::string("\"") + bad + "\""),
              absl::string_view::npos)
        << SelfTuningOptionsFromFlags().status();
  }
}

TEST_F(TuningFlagsTest, BudgetMustBePositive) {
  absl::SetFlag(&FLAGS_tune_budget, absl::ZeroDuration());
  ExpectRefused("--tune_budget");
  absl::SetFlag(&FLAGS_tune_budget, absl::Seconds(-5));
  ExpectRefused("--tune_budget");
  absl::SetFlag(&FLAGS_tune_budget, absl::Seconds(1));
  EXPECT_TRUE(SelfTuningOptionsFromFlags().ok());
}

TEST_F(TuningFlagsTest, TrialsAndValidationDaysMustNotBeNegative) {
  absl::SetFlag(&FLAGS_tune_trials, -1);
  ExpectRefused("--tune_trials");
  absl::SetFlag(&FLAGS_tune_trials, 0);
  absl::SetFlag(&FLAGS_tune_validation_days, -7);
  ExpectRefused("--tune_validation_days");
  absl::SetFlag(&FLAGS_tune_validation_days, 0);
  absl::SetFlag(&FLAGS_tune_max_validation_customers, -1);
  ExpectRefused("--tune_max_validation_customers");
  absl::SetFlag(&FLAGS_tune_max_validation_customers, 0);
  EXPECT_TRUE(SelfTuningOptionsFromFlags().ok());
}

// With several bad values the first in the flags' order is reported, so a
// user fixing them one by one always gets a message naming one flag.
TEST_F(TuningFlagsTest, OneBadFlagAtATimeInOrder) {
  absl::SetFlag(&FLAGS_tune, "maybe");
  absl::SetFlag(&FLAGS_tune_trials, -1);
  ExpectRefused("--tune");
  absl::SetFlag(&FLAGS_tune, "off");
  ExpectRefused("--tune_trials");
}

}  // namespace
}  // namespace recommender
