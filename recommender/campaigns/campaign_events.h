// What a campaign's customers did after their sends, gathered for
// attribution (attribution.h) from the two places the service keeps it:
//   - the live event log on disk (every acknowledged view, cart and
//     purchase, with the price paid and the recommendation id of the link
//     followed), read in full, so nothing the in-memory state evicted is
//     missed;
//   - the model snapshot's purchase history, which holds the purchases of
//     a model trained after the send (from the event log or the shop's own
//     export).
// The same purchase in both is one event (attribution drops duplicates).
//
// Thread-safe: no shared state; reading the log while the server appends
// is safe (event_log_reader.h).
#ifndef RECOMMENDER_CAMPAIGNS_CAMPAIGN_EVENTS_H_
#define RECOMMENDER_CAMPAIGNS_CAMPAIGN_EVENTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "recommender/campaigns/attribution.h"
#include "recommender/model/model_snapshot.h"

namespace recommender::campaigns {

// Events of `customers` at times in [since, until], Unix seconds. A
// purchase's value is units times the price paid (the catalog price if not
// recorded: the snapshot's, or an item's as added to the log). An empty
// `event_log_dir` reads only the snapshot. Errors as for ReadEventLog
// (NotFound for a missing folder, DataLoss naming file and offset).
absl::StatusOr<std::vector<CustomerEvent>> CollectCampaignEvents(
    const ModelSnapshot& snapshot, const std::string& event_log_dir,
    const absl::flat_hash_set<std::string>& customers, int64_t since,
    int64_t until);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_CAMPAIGN_EVENTS_H_
