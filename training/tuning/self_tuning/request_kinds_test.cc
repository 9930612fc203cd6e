// The self-tuning's blocks for one kind of request, on a shop that wants
// them.
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "training/sample_data/sample_shop.h"
#include "training/tuning/self_tuning/self_tuning.h"
#include "training/tuning/self_tuning/testing_tuning_options.h"

namespace recommender {
namespace {

// A wholesaler: customers re-buy many items, so requests for items new to
// them want other settings than the rest (a lower alpha). On this shop the
// search for those requests ends at a setting the served model lacks, and
// serving it beside the others lifts their slice ndcg beyond the noise.
TEST(RequestKindsTest, RequestsThatExcludePurchasesCanGetABlockOfTheirOwn) {
  SampleShopOptions shop = ProfileDefaults(ShopProfile::kWholesale);
  shop.num_customers = 800;
  shop.num_items = 500;
  const ShopData data = GenerateSampleShop(shop).data;
  std::ostringstream log;
  auto outcome = TuneOnRecentHistory(data, testing::SmallTrainer(),
                                     testing::SettledIalsSearch(), log);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  const TrainerOptions& trainer = outcome->trainer;
  ASSERT_EQ(trainer.block_requests.size(), trainer.extra_ials_blocks.size() + 1)
      << log.str();
  EXPECT_EQ(trainer.block_requests.back(),
            snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED);
  // Its alpha is below the served model's (whose first block is `ials`).
  EXPECT_LT(trainer.extra_ials_blocks.back().alpha, trainer.ials.alpha);
  for (size_t b = 0; b + 1 < trainer.block_requests.size(); ++b) {
    EXPECT_NE(trainer.block_requests[b],
              snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED);
  }
  const snapshot::TuningReport& report = outcome->report;
  ASSERT_TRUE(report.chosen().contains("block_requests"));
  EXPECT_NE(report.chosen()
                .at("block_requests")
                .find("SERVED_REQUESTS_EXCLUDING_PURCHASED"),
            std::string::npos);
  // The stage's last trial is that model, scored on both tasks.
  const snapshot::TuningTrial* last_ials = nullptr;
  for (const snapshot::TuningTrial& trial : report.trials()) {
    if (trial.stage() == "ials") last_ials = &trial;
  }
  ASSERT_NE(last_ials, nullptr);
  const std::string last_block =
      absl::StrCat("block_", trainer.block_requests.size());
  ASSERT_TRUE(last_ials->settings().contains(last_block));
  EXPECT_NE(last_ials->settings()
                .at(last_block)
                .find("requests SERVED_REQUESTS_EXCLUDING_PURCHASED"),
            std::string::npos);
  EXPECT_TRUE(last_ials->metrics().contains("all/ndcg@10"));
  EXPECT_TRUE(last_ials->metrics().contains("new/ndcg@10"));
}

}  // namespace
}  // namespace recommender
