// The live events acknowledged since the snapshot was trained, as the
// later activity customer facts take (customer_facts.h): who bought, when,
// for how much, and who was active at all, so that segments see a purchase
// made a minute ago.
//
// Thread-safe: reads LiveState under its locks.
#ifndef RECOMMENDER_SEGMENTS_LIVE_ACTIVITY_H_
#define RECOMMENDER_SEGMENTS_LIVE_ACTIVITY_H_

#include <vector>

#include "recommender/live/live_catalog.h"
#include "recommender/live/live_state.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/segments/customer_facts.h"

namespace recommender::segments {

// Events newer than the snapshot's event_log_sequence. A purchase's value
// is quantity times the catalog price (the snapshot's, or `catalog`'s for
// items added since; 0 if neither knows the item). `catalog` may be null.
std::vector<LaterActivity> LiveActivity(const ModelSnapshot& snapshot,
                                        const LiveState& live,
                                        const LiveCatalog* catalog);

}  // namespace recommender::segments

#endif  // RECOMMENDER_SEGMENTS_LIVE_ACTIVITY_H_
