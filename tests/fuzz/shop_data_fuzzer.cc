// Fuzzes the CSV reader and the shop loader: catalog.csv, customers.csv and
// events.csv from one input (cut at its first two NULs), loaded once
// stopping at the first bad row and once skipping bad rows. Never crashes;
// every error names its file; every row is either loaded or counted bad.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "recommender/data/shop_data_loader.h"
#include "recommender/util/file_util.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace recommender;  // NOLINT
  static const std::string* dir = new std::string(fuzz::ScratchDir("shop"));
  const std::vector<std::string> files = fuzz::SplitAtNul(data, size, 3);
  const char* names[] = {kCatalogFile, kCustomersFile, kEventsFile};
  for (int f = 0; f < 3; ++f) {
    WriteFileDurably(JoinPath(*dir, names[f]), files[f]).IgnoreError();
  }
  for (BadRowPolicy policy : {BadRowPolicy::kFail, BadRowPolicy::kSkip}) {
    LoadOptions options;
    options.on_bad_row = policy;
    options.now = absl::FromUnixSeconds(1800000000);  // Fixed: reproducible.
    absl::StatusOr<ShopData> shop = LoadShopData(*dir, options);
    if (!shop.ok()) {
      const absl::string_view message = shop.status().message();
      fuzz::FuzzCheck(absl::StrContains(message, ".csv"),
                      "a load error names its file");
      fuzz::FuzzCheck(message.size() < 4096, "a load error is short");
      continue;
    }
    fuzz::FuzzCheck(shop->items.size() <= files[0].size(), "items fit the file");
    fuzz::FuzzCheck(shop->customers.size() <= files[1].size(),
                    "customers fit the file");
  }
  return 0;
}
