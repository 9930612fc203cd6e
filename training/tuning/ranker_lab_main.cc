// Experiment: ranker configurations on one dataset's inner validation.
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

#include "absl/strings/str_split.h"
#include "training/evaluation/data_split.h"
#include "training/evaluation/dataset_input.h"
#include "training/evaluation/evaluation_run.h"
#include "training/tuning/self_tuning.h"

using namespace recommender;

int main(int argc, char** argv) {
  auto dataset = LoadEvalDataset(argv[1]);
  auto spec = ParseSplitSpec(argv[2]);
  const DataSplit outer = ApplySplit(dataset->data, *spec, 1, 9 * 3600, 0);
  TrainerOptions trainer;
  trainer.ials.factors = atoi(argv[3]);
  trainer.ials.regularization = atof(argv[4]);
  trainer.ials.alpha = atof(argv[5]);
  trainer.interactions.recency_half_life_days = atof(argv[6]);
  SelfTuningOptions options;
  options.enabled = true;
  options.max_ials_trials = 1;
  options.tasks = TasksFor(dataset->kind);
  if (spec->kind == SplitKind::kRandom) options.validation.kind = ValidationKind::kRandom;
  options.budget = absl::Hours(1);
  for (int i = 7; i < argc; ++i) {
    std::vector<std::string> p = absl::StrSplit(argv[i], ',');
    RankerTrainingOptions c;
    c.objective = p[0];
    c.max_depth = atoi(p[1].c_str());
    c.eta = atof(p[2].c_str());
    c.min_child_weight = atof(p[3].c_str());
    options.ranker_configs.push_back(c);
  }
  std::ostringstream quiet;
  auto outcome = TuneOnRecentHistory(outer.train, trainer, options, quiet);
  if (!outcome.ok()) { std::cerr << outcome.status() << "\n"; return 1; }
  for (const auto& t : outcome->report.trials()) {
    std::cout << t.stage() << " " << t.seconds() << "s objective " << t.metrics().at("objective");
    if (t.stage() == "ranker") std::cout << " rounds " << t.settings().at("rounds") << " " << t.settings().at("objective") << " d" << t.settings().at("max_depth");
    std::cout << "\n";
  }
  std::cerr << quiet.str().substr(0, 0);
  return 0;
}
