// A purchase log for the customer-level timing models: per customer, the
// dated purchases and their value. Read from the CDNOW files of Fader &
// Hardie (../shared/data/cdnow/, see its README) or built from a shop's
// events (docs/data-format.md).
//
// Thread-safe: plain data and pure functions.
#ifndef TRAINING_TIMING_BTYD_PURCHASE_LOG_H_
#define TRAINING_TIMING_BTYD_PURCHASE_LOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "recommender/data/shop_data.h"
#include "recommender/timing/customer_rfm.h"

namespace recommender {

struct PurchaseLog {
  std::vector<std::string> customer_ids;
  // purchases[c] belong to customer_ids[c]; in file order.
  std::vector<std::vector<DatedPurchase>> purchases;
};

// Reads a CDNOW file: whitespace-separated, either the sample layout
// `master_id sample_id yyyymmdd number_of_cds dollar_value` (no header) or
// the master layout `customer_id date number_of_cds dollar_value` (with or
// without its header line). Customers are keyed by the first column. A bad
// line fails with "PATH:LINE: ..." naming the column.
absl::StatusOr<PurchaseLog> ReadCdnowFile(const std::string& path);

// The purchases of a shop (value: quantity times unit price), with days
// counted in a zone `utc_offset_seconds` east of UTC. Customers without
// purchases are left out.
PurchaseLog PurchaseLogFromShop(const ShopData& data,
                                int32_t utc_offset_seconds);

// Summaries of the customers whose first purchase is on or before
// `end_day` (the calibration period's last day), times in units of
// `days_per_unit` days. `ids`, if given, receives their customer ids.
std::vector<CustomerRfm> SummarizeLog(const PurchaseLog& log, int64_t end_day,
                                      double days_per_unit,
                                      std::vector<std::string>* ids = nullptr);

}  // namespace recommender

#endif  // TRAINING_TIMING_BTYD_PURCHASE_LOG_H_
