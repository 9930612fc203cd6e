// Writes a generated sample shop (and its ground truth) to a folder: the
// bundled shop, one of the harder profiles, or a shop at scale (the default
// profile streams events to disk, never holding them in memory); or, in
// campaign mode, simulates campaigns with a known true effect and prints
// their reports next to the truth (campaign_mode.h):
//
//   bazel run //training/sample_data:generate_sample_data -- --out=/tmp/shop
//   bazel run //training/sample_data:generate_sample_data -- --profile=wholesale
//       --out=/tmp/shop-wholesale
//   bazel run //training/sample_data:generate_sample_data -- --customers=1000000
//       --items=100000 --out=/tmp/shop-1m-100k
//   bazel run //training/sample_data:generate_sample_data -- --campaign_runs=100
//       --campaign_uplift=0.02
#include <iostream>
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/clock.h"
#include "training/sample_data/campaign_mode.h"
#include "training/sample_data/sample_shop.h"

ABSL_FLAG(std::string, out, "", "Folder to write the shop files into.");
ABSL_FLAG(std::string, profile, "default",
          "default (a general store: 20 categories, durables and consumables), "
          "wholesale (trade customers re-stocking many items: a flat catalog "
          "without durability labels, purchases only) or fashion (few "
          "repeats, new items every week, views dominate). See "
          "docs/data-format.md.");
ABSL_FLAG(int32_t, customers, 0,
          "Number of customers; 0: the profile's (default 2000, wholesale "
          "1000, fashion 3000).");
ABSL_FLAG(int32_t, items, 0,
          "Number of catalog items, dealt to the profile's categories in "
          "turn; 0: the profile's (default 500, wholesale 2000, fashion 2000).");
ABSL_FLAG(int32_t, days, 0,
          "Length of the event history in days; 0: the profile's (default "
          "365, wholesale 730, fashion 365).");
ABSL_FLAG(uint64_t, seed, 20261123, "Random seed; same seed, same files.");
ABSL_FLAG(int32_t, campaign_runs, 0,
          "Campaign mode: simulate this many campaigns with a known effect "
          "(seeds --seed, --seed + 1, ...) and print the first report and "
          "each run's interval next to the truth; --out, if given, receives "
          "the first run's sends and events. 0: generate a shop.");
ABSL_FLAG(int64_t, campaign_customers, 20000,
          "Campaign mode: customers per campaign.");
ABSL_FLAG(double, campaign_control_share, 0.1,
          "Campaign mode: share held back as control.");
ABSL_FLAG(double, campaign_base_rate, 0.05,
          "Campaign mode: chance that a held-back customer buys within the "
          "window.");
ABSL_FLAG(double, campaign_uplift, 0.02,
          "Campaign mode: the true effect, added to the chance of a mailed "
          "customer.");
ABSL_FLAG(int32_t, campaign_window_days, 14,
          "Campaign mode: the attribution window.");
ABSL_FLAG(double, unlabeled_share, 0.2,
          "Share of catalog items whose durability is left empty, for the "
          "trainer to infer (1: no labels at all). Events do not depend on "
          "it. The wholesale catalog has no durability column at all.");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Generates a deterministic sample shop: catalog.csv, customers.csv, "
      "events.csv and ground_truth_*.csv.");
  absl::ParseCommandLine(argc, argv);
  const std::string out = absl::GetFlag(FLAGS_out);
  if (absl::GetFlag(FLAGS_campaign_runs) > 0) {
    recommender::CampaignModeOptions campaign;
    campaign.runs = absl::GetFlag(FLAGS_campaign_runs);
    campaign.out_dir = out;
    campaign.effect.customers = absl::GetFlag(FLAGS_campaign_customers);
    campaign.effect.control_share = absl::GetFlag(FLAGS_campaign_control_share);
    campaign.effect.base_rate = absl::GetFlag(FLAGS_campaign_base_rate);
    campaign.effect.uplift = absl::GetFlag(FLAGS_campaign_uplift);
    campaign.effect.window_days = absl::GetFlag(FLAGS_campaign_window_days);
    campaign.effect.seed = absl::GetFlag(FLAGS_seed);
    const absl::StatusOr<recommender::CampaignModeResult> result =
        recommender::RunCampaignMode(campaign);
    if (!result.ok()) {
      std::cerr << "generate_sample_data: --campaign_"
                << result.status().message() << "\n";
      return 2;
    }
    std::cout << result->text;
    return 0;
  }
  if (out.empty()) {
    std::cerr << "generate_sample_data: --out is required\n";
    return 2;
  }
  const std::optional<recommender::ShopProfile> profile =
      recommender::ParseShopProfile(absl::GetFlag(FLAGS_profile));
  if (!profile.has_value()) {
    std::cerr << "generate_sample_data: --profile: must be default, wholesale "
                 "or fashion, got \""
              << absl::GetFlag(FLAGS_profile) << "\"\n";
    return 2;
  }
  recommender::SampleShopOptions options = recommender::ProfileDefaults(*profile);
  if (absl::GetFlag(FLAGS_customers) != 0) {
    options.num_customers = absl::GetFlag(FLAGS_customers);
  }
  if (absl::GetFlag(FLAGS_items) != 0) options.num_items = absl::GetFlag(FLAGS_items);
  if (absl::GetFlag(FLAGS_days) != 0) options.num_days = absl::GetFlag(FLAGS_days);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.unlabeled_share = absl::GetFlag(FLAGS_unlabeled_share);
  if (absl::Status valid = recommender::ValidateSampleShopOptions(options);
      !valid.ok()) {
    std::cerr << "generate_sample_data: " << valid.message() << "\n";
    return 2;
  }
  const absl::Time start = absl::Now();
  const absl::StatusOr<recommender::SampleShopStats> stats =
      recommender::StreamSampleShop(options, out);
  if (!stats.ok()) {
    std::cerr << "generate_sample_data: " << stats.status().message() << "\n";
    return 1;
  }
  std::cout << "wrote " << stats->items << " items, " << stats->customers
            << " customers, " << stats->events << " events ("
            << stats->events_bytes / 1e6 << " MB of events.csv) to " << out
            << " in " << absl::ToDoubleSeconds(absl::Now() - start) << " s\n";
  return 0;
}
