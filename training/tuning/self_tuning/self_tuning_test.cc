#include "training/tuning/self_tuning/self_tuning.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/recommend.h"
#include "training/sample_data/sample_shop.h"
#include "training/tuning/self_tuning/testing_tuning_options.h"

namespace recommender {
namespace {

ShopData SmallShop(int32_t customers) {
  SampleShopOptions shop;
  shop.num_customers = customers;
  shop.num_items = 60;
  shop.num_days = 120;
  return GenerateSampleShop(shop).data;
}

using testing::FewTrials;
using testing::SettledIalsSearch;
using testing::SmallTrainer;

template <typename Map>
std::map<typename Map::key_type, typename Map::mapped_type> Sorted(const Map& map) {
  return {map.begin(), map.end()};
}

TEST(SelfTuningTest, ScoresEveryStageReportsItAndRepeatsWithTheSeed) {
  const ShopData data = SmallShop(200);
  std::ostringstream log;
  auto outcome = TuneOnRecentHistory(data, SmallTrainer(), FewTrials(), log);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  auto again = TuneOnRecentHistory(data, SmallTrainer(), FewTrials(), log);
  ASSERT_TRUE(again.ok()) << again.status();
  const snapshot::TuningReport& report = outcome->report;
  EXPECT_GE(report.validation_days(), 7);
  EXPECT_NE(report.validation().find("time: the last"), std::string::npos);
  EXPECT_GE(report.validation_customers(), 20);
  std::set<std::string> stages;
  int ials_trials = 0;
  for (const snapshot::TuningTrial& trial : report.trials()) {
    stages.insert(trial.stage());
    ials_trials += trial.stage() == "ials";
    EXPECT_TRUE(trial.metrics().contains("all/ndcg@10")) << trial.stage();
    EXPECT_TRUE(trial.metrics().contains("new/recall@10")) << trial.stage();
  }
  EXPECT_EQ(ials_trials, 3);  // Fixed by max_ials_trials.
  EXPECT_TRUE(stages.count("repurchase"));
  EXPECT_TRUE(stages.count("ranker"));
  for (const char* name : {"factors", "regularization", "alpha",
                           "recency_half_life_days", "ranker"}) {
    EXPECT_TRUE(report.chosen().contains(name)) << name;
  }
  EXPECT_TRUE(report.validation_metrics().contains("objective"));
  EXPECT_EQ(outcome->ranker_model.empty(), report.chosen().at("ranker") == "none");
  EXPECT_NE(log.str().find("self-tuning"), std::string::npos);

  // The same seed, the same trials and choices.
  const auto& first = outcome;
  const auto& second = again;
  ASSERT_EQ(first->report.trials_size(), second->report.trials_size());
  for (int t = 0; t < first->report.trials_size(); ++t) {
    EXPECT_EQ(Sorted(first->report.trials(t).settings()),
              Sorted(second->report.trials(t).settings()));
    EXPECT_EQ(Sorted(first->report.trials(t).metrics()),
              Sorted(second->report.trials(t).metrics()));
  }
  EXPECT_EQ(Sorted(first->report.chosen()), Sorted(second->report.chosen()));
  // Byte for byte (not printed: binary).
  EXPECT_TRUE(first->ranker_model == second->ranker_model);
}

TEST(SelfTuningTest, TrainsTheFinalModelWithTheChoiceAndItServes) {
  const ShopData data = SmallShop(200);
  std::ostringstream log;
  auto contents = TrainTunedSnapshotContents(data, SmallTrainer(), FewTrials(),
                                             /*version=*/5, log);
  ASSERT_TRUE(contents.ok()) << contents.status();
  const snapshot::Manifest& manifest = contents->manifest;
  ASSERT_TRUE(manifest.has_tuning());
  EXPECT_EQ(manifest.parameters().at("factors"),
            manifest.tuning().chosen().at("factors"));
  EXPECT_EQ(manifest.parameters().at("alpha"), manifest.tuning().chosen().at("alpha"));
  const bool ranked = !contents->ranker_model.empty();
  EXPECT_EQ(ranked, manifest.ranker().features_size() > 0);
  EXPECT_EQ(ranked, contents->similarities.lists_size() > 0);
  auto snapshot = ModelSnapshot::FromContents(*std::move(contents));
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  const ModelSnapshot& model = **snapshot;
  EXPECT_EQ(model.ranker() != nullptr, ranked);
  int served = 0;
  for (int32_t row = 0; row < model.num_customers() && served < 50; ++row) {
    if (model.customer_vector(row).empty()) continue;
    RecommendQuery query;
    query.customer_id = model.customer(row).id();
    query.count = 10;
    auto picks = Recommend(model, query);
    ASSERT_TRUE(picks.ok()) << picks.status();
    const auto& bought = model.customer(row).purchased_items();
    for (const Recommendation& pick : *picks) {
      const bool owned = std::find(bought.begin(), bought.end(), pick.item) != bought.end();
      EXPECT_FALSE(owned && model.item(pick.item).durability() == snapshot::DURABLE);
    }
    ++served;
  }
  EXPECT_EQ(served, 50);
}

TEST(SelfTuningTest,
     FollowsTheRidgeAndServesSettingsItCannotTellApartTogether) {
  const ShopData data = SmallShop(200);
  const SelfTuningOptions options = SettledIalsSearch();
  std::ostringstream log;
  auto outcome = TuneOnRecentHistory(data, SmallTrainer(), options, log);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  const snapshot::TuningReport& report = outcome->report;
  // The ridge: trials at the regularization values on either side of the
  // best single setting, every alpha.
  EXPECT_NE(log.str().find("self-tuning: ridge: "), std::string::npos)
      << log.str();
  const std::vector<IalsOptions>& extra = outcome->trainer.extra_ials_blocks;
  ASSERT_FALSE(extra.empty()) << log.str();
  EXPECT_TRUE(report.chosen().contains("extra_ials_blocks"));
  // The joined model is the stage's last trial, a block per setting.
  const snapshot::TuningTrial* joined = nullptr;
  for (const snapshot::TuningTrial& trial : report.trials()) {
    if (trial.settings().contains("block_1")) joined = &trial;
  }
  ASSERT_NE(joined, nullptr);
  EXPECT_EQ(joined->settings().size(), extra.size() + 1);
  for (const IalsOptions& block : extra) {
    EXPECT_EQ(
        block.factors == outcome->trainer.ials.factors &&
            block.regularization == outcome->trainer.ials.regularization &&
            block.alpha == outcome->trainer.ials.alpha,
        false);
  }

  auto contents = TrainTunedSnapshotContents(data, SmallTrainer(), options,
                                             /*version=*/3, log);
  ASSERT_TRUE(contents.ok()) << contents.status();
  const snapshot::Manifest& manifest = contents->manifest;
  ASSERT_EQ(manifest.factor_blocks_size(), static_cast<int>(extra.size()) + 1);
  int32_t dimension = 0;
  for (const snapshot::FactorBlock& block : manifest.factor_blocks()) {
    dimension += block.factors();
  }
  EXPECT_EQ(manifest.embedding_dimension(), dimension);
  EXPECT_EQ(manifest.factor_blocks(1).alpha(), extra[0].alpha);
  // The same seed, the same choice (the final training tuned again).
  EXPECT_EQ(Sorted(manifest.tuning().chosen()), Sorted(report.chosen()));
}

// The stage-1 log lines that begin with `prefix` and end with a paired
// comparison, "(D below ..., standard error S)[, left out]": the number
// after the prefix, D, S and whether it was left out.
struct LoggedComparison {
  double value = 0;
  double below = 0;
  double standard_error = 0;
  bool left_out = false;
};

std::vector<LoggedComparison> LoggedComparisons(const std::string& log,
                                                const std::string& prefix) {
  std::vector<LoggedComparison> found;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) != 0) continue;
    LoggedComparison c;
    c.value = std::stod(line.substr(prefix.size()));
    const size_t open = line.rfind('(');
    std::istringstream rest(line.substr(open + 1));
    std::string word;
    rest >> c.below;
    while (rest >> word && word != "error") {
    }
    rest >> c.standard_error;
    c.left_out = line.find(", left out") != std::string::npos;
    found.push_back(c);
  }
  return found;
}

TEST(SelfTuningTest, ServesMoreFactorsWhileTheSliceCannotTellThemFromTheBest) {
  const ShopData data = SmallShop(200);
  std::ostringstream log;
  auto outcome =
      TuneOnRecentHistory(data, SmallTrainer(), SettledIalsSearch(), log);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  // The slice's best single setting.
  const snapshot::TuningTrial* top = nullptr;
  auto objective = [](const snapshot::TuningTrial& trial) {
    return trial.metrics().at("all/ndcg@10") +
           trial.metrics().at("new/ndcg@10");
  };
  for (const snapshot::TuningTrial& trial : outcome->report.trials()) {
    if (trial.stage() != "ials" || !trial.settings().contains("factors")) {
      continue;
    }
    if (top == nullptr || objective(trial) > objective(*top)) top = &trial;
  }
  ASSERT_NE(top, nullptr);
  const int top_factors = std::stoi(top->settings().at("factors"));
  ASSERT_LT(top_factors, 128) << "the fixture no longer exercises the rule";
  // From the best, more factors while the slice rates them within one
  // standard error of it; the first it tells apart ends the walk.
  const std::vector<LoggedComparison> larger =
      LoggedComparisons(log.str(), "self-tuning: factors ");
  ASSERT_FALSE(larger.empty()) << log.str();
  int served = top_factors;
  for (size_t i = 0; i < larger.size(); ++i) {
    EXPECT_EQ(larger[i].left_out, larger[i].below > larger[i].standard_error)
        << log.str();
    if (larger[i].left_out) {
      EXPECT_EQ(i + 1, larger.size()) << log.str();
    } else {
      served = static_cast<int>(larger[i].value);
    }
  }
  // Every block of the ridge has them (a block of their own for requests
  // with exclude_purchased is searched apart).
  const TrainerOptions& trainer = outcome->trainer;
  EXPECT_EQ(trainer.ials.factors, served) << log.str();
  for (size_t b = 0; b < trainer.extra_ials_blocks.size(); ++b) {
    if (!trainer.block_requests.empty() &&
        trainer.block_requests[b + 1] ==
            snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED) {
      continue;
    }
    EXPECT_EQ(trainer.extra_ials_blocks[b].factors, served) << log.str();
  }
}

// Every reading of this clock is one second later than the last: the
// budget is spent by the count of the tuning's steps, not by the machine.
std::function<absl::Time()> TickingClock(absl::Duration tick) {
  auto now = std::make_shared<absl::Time>(absl::FromUnixSeconds(1'800'000'000));
  return [now, tick] { return *now += tick; };
}

TEST(SelfTuningTest, ABudgetSpentEarlyCutsEveryStageAndSaysSo) {
  const ShopData data = SmallShop(200);
  std::ostringstream log;
  SelfTuningOptions options = FewTrials();
  options.max_ials_trials = 0;  // The budget decides.
  options.budget = absl::Seconds(4);
  options.clock = TickingClock(absl::Seconds(1));
  auto outcome = TuneOnRecentHistory(data, SmallTrainer(), options, log);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  const snapshot::TuningReport& report = outcome->report;
  std::map<std::string, int> per_stage;
  for (const snapshot::TuningTrial& trial : report.trials()) {
    ++per_stage[trial.stage()];
  }
  // The first trial of a stage always runs; no second one fits.
  EXPECT_EQ(per_stage["ials"], 1);
  EXPECT_LE(per_stage["repurchase"], 1);
  EXPECT_EQ(per_stage["ranker"], 0);
  EXPECT_TRUE(outcome->ranker_model.empty());
  EXPECT_EQ(report.chosen().at("ranker"), "none");
  std::string cuts;
  for (const std::string& cut : report.budget_cuts()) cuts += cut + "\n";
  EXPECT_NE(cuts.find("ials: stopped after 1 trials"), std::string::npos) << cuts;
  EXPECT_NE(cuts.find("ranker: not tried"), std::string::npos) << cuts;
  EXPECT_NE(log.str().find("budget: ranker: not tried"), std::string::npos);
}

TEST(SelfTuningTest, ABudgetThatIsNeverSpentCutsNothing) {
  const ShopData data = SmallShop(200);
  std::ostringstream log;
  SelfTuningOptions options = FewTrials();
  options.max_ials_trials = 0;
  options.budget = absl::Seconds(1);
  options.clock = TickingClock(absl::ZeroDuration());
  auto outcome = TuneOnRecentHistory(data, SmallTrainer(), options, log);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->report.budget_cuts_size(), 0);
  int ials = 0;
  int ranker = 0;
  for (const snapshot::TuningTrial& trial : outcome->report.trials()) {
    ials += trial.stage() == "ials";
    ranker += trial.stage() == "ranker";
  }
  EXPECT_GT(ials, 3);  // Until the search settles.
  EXPECT_EQ(ranker, 2);  // Both configurations.
  // Time was left: the search started again from other points.
  EXPECT_NE(log.str().find("from 6 starting points"), std::string::npos) << log.str();
}

TEST(SelfTuningTest, ARandomSliceNeitherSearchesNorServesARecencyDecay) {
  const ShopData data = SmallShop(200);
  std::ostringstream log;
  SelfTuningOptions options = SettledIalsSearch();
  options.validation.kind = ValidationKind::kRandom;
  TrainerOptions trainer = SmallTrainer();
  trainer.interactions.recency_half_life_days = 30;
  auto outcome = TuneOnRecentHistory(data, trainer, options, log);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_NE(outcome->report.validation().find("random"), std::string::npos)
      << log.str();
  ASSERT_GT(outcome->report.trials_size(), 0) << outcome->report.validation();
  int ials = 0;
  for (const snapshot::TuningTrial& trial : outcome->report.trials()) {
    if (trial.stage() != "ials") continue;
    ++ials;
    for (const auto& [name, value] : trial.settings()) {
      EXPECT_EQ(name.find("recency"), std::string::npos)
          << name << " " << value;
    }
  }
  EXPECT_GT(ials, 3);
  EXPECT_EQ(outcome->trainer.interactions.recency_half_life_days, 0);
  EXPECT_EQ(outcome->report.chosen().at("recency_half_life_days"), "0");

  // A time slice searches it (the search moves every dimension once).
  options.validation.kind = ValidationKind::kTime;
  auto in_time = TuneOnRecentHistory(data, trainer, options, log);
  ASSERT_TRUE(in_time.ok()) << in_time.status();
  bool searched = false;
  for (const snapshot::TuningTrial& trial : in_time->report.trials()) {
    searched |= trial.settings().contains("recency_half_life_days");
  }
  EXPECT_TRUE(searched);
}

TEST(SelfTuningTest, TooLittleHistoryKeepsTheGivenSettings) {
  const ShopData data = SmallShop(12);
  std::ostringstream log;
  SelfTuningOptions options = FewTrials();
  options.validation.min_customers = 50;
  auto outcome = TuneOnRecentHistory(data, SmallTrainer(), options, log);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->report.trials_size(), 0);
  EXPECT_NE(outcome->report.validation().find("need at least 50"), std::string::npos);
  EXPECT_EQ(outcome->trainer.ials.factors, 8);
  EXPECT_TRUE(outcome->ranker_model.empty());
}

TEST(SelfTuningTest, OffIsExactlyTheTrainersPipeline) {
  const ShopData data = SmallShop(150);
  std::ostringstream log;
  SelfTuningOptions off;
  auto contents = TrainTunedSnapshotContents(data, SmallTrainer(), off, 3, log);
  ASSERT_TRUE(contents.ok()) << contents.status();
  EXPECT_FALSE(contents->manifest.has_tuning());
  EXPECT_TRUE(contents->ranker_model.empty());
  EXPECT_EQ(contents->similarities.lists_size(), 0);
  EXPECT_EQ(contents->manifest.parameters().at("factors"), "8");
}

}  // namespace
}  // namespace recommender
