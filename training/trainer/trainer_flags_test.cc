#include "training/trainer/trainer_flags.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "gtest/gtest.h"

ABSL_DECLARE_FLAG(std::string, on_bad_row);
ABSL_DECLARE_FLAG(int32_t, factors);
ABSL_DECLARE_FLAG(int32_t, epochs);
ABSL_DECLARE_FLAG(double, regularization);
ABSL_DECLARE_FLAG(double, regularization_exponent);
ABSL_DECLARE_FLAG(double, alpha);
ABSL_DECLARE_FLAG(std::string, solver);
ABSL_DECLARE_FLAG(int32_t, cg_steps);
ABSL_DECLARE_FLAG(double, view_weight);
ABSL_DECLARE_FLAG(double, cart_weight);
ABSL_DECLARE_FLAG(double, purchase_weight);
ABSL_DECLARE_FLAG(double, recency_half_life_days);
ABSL_DECLARE_FLAG(int32_t, threads);
ABSL_DECLARE_FLAG(int64_t, timing_fit_max_customers);
ABSL_DECLARE_FLAG(uint64_t, seed);
ABSL_DECLARE_FLAG(std::string, index);
ABSL_DECLARE_FLAG(int32_t, hnsw_m);
ABSL_DECLARE_FLAG(int32_t, ivf_nprobe);
ABSL_DECLARE_FLAG(double, index_recall_target);
ABSL_DECLARE_FLAG(double, utc_offset_hours);

namespace recommender {
namespace {

class TrainerFlagsTest : public ::testing::Test {
 protected:
  absl::FlagSaver saver_;
};

// InvalidArgument whose message starts with "--<flag>:".
void ExpectRefused(const std::string& flag) {
  const absl::StatusOr<TrainerOptions> options = TrainerOptionsFromFlags();
  ASSERT_FALSE(options.ok()) << flag;
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string prefix = "--" + flag + ":";
  EXPECT_EQ(options.status().message().substr(0, prefix.size()), prefix)
      << options.status();
}

TEST_F(TrainerFlagsTest, Defaults) {
  const absl::StatusOr<TrainerOptions> options = TrainerOptionsFromFlags();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->load.on_bad_row, BadRowPolicy::kFail);
  EXPECT_EQ(options->ials.factors, 128);
  EXPECT_EQ(options->ials.epochs, 15);
  EXPECT_EQ(options->ials.regularization, 15.0f);
  EXPECT_EQ(options->ials.alpha, 2.0f);
  EXPECT_EQ(options->ials.solver, IalsSolver::kConjugateGradient);
  EXPECT_EQ(options->ials.cg_steps, 3);
  EXPECT_EQ(options->interactions.weights.view, 1.0f);
  EXPECT_EQ(options->interactions.weights.cart, 4.0f);
  EXPECT_EQ(options->interactions.weights.purchase, 10.0f);
  EXPECT_EQ(options->interactions.recency_half_life_days, 30.0);
  EXPECT_EQ(options->index.kind, IndexKind::kAuto);
  EXPECT_EQ(options->index.exact_max_items, 10000);
  EXPECT_EQ(options->index.recall_target, 0.97);
  EXPECT_EQ(options->timing.utc_offset_seconds, 9 * 3600);
  EXPECT_EQ(options->timing.fit_max_customers, 100000);
  EXPECT_EQ(options->ials.seed, 42u);
  EXPECT_EQ(options->timing.seed, 42u);
  EXPECT_EQ(options->ials.threads, 2);
  EXPECT_EQ(options->timing.threads, 2);
}

TEST_F(TrainerFlagsTest, FlagsReachTheirOptions) {
  absl::SetFlag(&FLAGS_on_bad_row, "skip");
  absl::SetFlag(&FLAGS_factors, 32);
  absl::SetFlag(&FLAGS_solver, "cholesky");
  absl::SetFlag(&FLAGS_purchase_weight, 20.0);
  absl::SetFlag(&FLAGS_index, "hnsw");
  absl::SetFlag(&FLAGS_hnsw_m, 24);
  absl::SetFlag(&FLAGS_ivf_nprobe, 5);
  absl::SetFlag(&FLAGS_utc_offset_hours, 5.5);
  absl::SetFlag(&FLAGS_seed, 7u);
  absl::SetFlag(&FLAGS_threads, 3);
  const absl::StatusOr<TrainerOptions> options = TrainerOptionsFromFlags();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->load.on_bad_row, BadRowPolicy::kSkip);
  EXPECT_EQ(options->ials.factors, 32);
  EXPECT_EQ(options->ials.solver, IalsSolver::kCholesky);
  EXPECT_EQ(options->interactions.weights.purchase, 20.0f);
  EXPECT_EQ(options->index.kind, IndexKind::kHnsw);
  EXPECT_EQ(options->index.hnsw.m, 24);
  EXPECT_EQ(options->index.ivf.nprobe, 5);
  EXPECT_EQ(options->timing.utc_offset_seconds, 19800);  // +05:30.
  // One seed and one thread count for the factors and the timing fits.
  EXPECT_EQ(options->ials.seed, 7u);
  EXPECT_EQ(options->timing.seed, 7u);
  EXPECT_EQ(options->ials.threads, 3);
  EXPECT_EQ(options->timing.threads, 3);
}

TEST_F(TrainerFlagsTest, BadChoicesNameTheFlagAndQuoteTheValue) {
  absl::SetFlag(&FLAGS_on_bad_row, "ignore");
  ExpectRefused("on_bad_row");
  absl::SetFlag(&FLAGS_on_bad_row, "fail");

  absl::SetFlag(&FLAGS_solver, "sgd");
  ExpectRefused("solver");
  EXPECT_NE(TrainerOptionsFromFlags().status().message().find("\"sgd\""),
            absl::string_view::npos);
  absl::SetFlag(&FLAGS_solver, "cg");

  absl::SetFlag(&FLAGS_index, "flat");
  ExpectRefused("index");
  EXPECT_NE(TrainerOptionsFromFlags().status().message().find("\"flat\""),
            absl::string_view::npos);
}

TEST_F(TrainerFlagsTest, OutOfRangeNumbersNameTheFlag) {
  absl::SetFlag(&FLAGS_index_recall_target, 1.5);
  ExpectRefused("index_recall_target");
  absl::SetFlag(&FLAGS_index_recall_target, std::nan(""));
  ExpectRefused("index_recall_target");
  absl::SetFlag(&FLAGS_index_recall_target, 0.0);
  ASSERT_TRUE(TrainerOptionsFromFlags().ok());

  absl::SetFlag(&FLAGS_timing_fit_max_customers, -1);
  ExpectRefused("timing_fit_max_customers");
  absl::SetFlag(&FLAGS_timing_fit_max_customers, 0);
  ASSERT_TRUE(TrainerOptionsFromFlags().ok());
}

// The iALS settings are checked by the factorization's own validation; its
// messages name the field, which is the flag's name.
TEST_F(TrainerFlagsTest, IalsSettingsAreValidatedUnderTheirFlagNames) {
  struct Case {
    const char* flag;
    void (*set)();
  };
  const Case cases[] = {
      {"factors", [] { absl::SetFlag(&FLAGS_factors, 0); }},
      {"factors", [] { absl::SetFlag(&FLAGS_factors, 2000); }},
      {"epochs", [] { absl::SetFlag(&FLAGS_epochs, 0); }},
      {"regularization", [] { absl::SetFlag(&FLAGS_regularization, 0.0); }},
      {"regularization_exponent",
       [] { absl::SetFlag(&FLAGS_regularization_exponent, 3.0); }},
      {"alpha", [] { absl::SetFlag(&FLAGS_alpha, -1.0); }},
      {"cg_steps", [] { absl::SetFlag(&FLAGS_cg_steps, 0); }},
      {"threads", [] { absl::SetFlag(&FLAGS_threads, 0); }},
  };
  for (const Case& c : cases) {
    absl::FlagSaver saver;
    c.set();
    ExpectRefused(c.flag);
  }
}

}  // namespace
}  // namespace recommender
