// The sample generator's campaign mode: campaigns with a known true effect
// (recommender/campaigns/known_effect_simulation.h), run through the real
// assignment, attribution and report, with the report's figures printed
// next to the truth, over a series of seeds:
//
//   bazel run //training/sample_data:generate_sample_data --
//       --campaign_runs=100 --campaign_uplift=0.02
//
// With an output folder the first run's sends and events are written as
// CSV, for a look at what the report was computed from.
//
// Thread-safe: pure function (apart from the files written).
#ifndef TRAINING_SAMPLE_DATA_CAMPAIGN_MODE_H_
#define TRAINING_SAMPLE_DATA_CAMPAIGN_MODE_H_

#include <string>

#include "absl/status/statusor.h"
#include "recommender/campaigns/known_effect_simulation.h"

namespace recommender {

struct CampaignModeOptions {
  // The first run's settings; run k uses seed effect.seed + k.
  campaigns::KnownEffect effect;
  // 1 to 10,000 runs.
  int runs = 100;
  // If set: campaign_sends.csv and campaign_events.csv of the first run.
  std::string out_dir;
};

struct CampaignModeResult {
  // The first run's report, then one line per run and the tallies.
  std::string text;
  int runs = 0;
  // Runs whose 95% interval holds the true uplift (response; revenue).
  int response_covered = 0;
  int revenue_covered = 0;
  // Runs whose report declares an effect on the response rate.
  int declared = 0;
};

// InvalidArgument naming the field for bad settings (as
// SimulateKnownEffect, and "runs"); the files' write errors.
absl::StatusOr<CampaignModeResult> RunCampaignMode(
    const CampaignModeOptions& options);

}  // namespace recommender

#endif  // TRAINING_SAMPLE_DATA_CAMPAIGN_MODE_H_
