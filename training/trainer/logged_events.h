// Adds the events the server recorded live (its event log, see
// recommender/events/) to the shop data loaded from the CSV exports, so
// that nothing acknowledged is lost to training.
//
// Customers seen only in the log are added (signed up on the day of their
// first event, no attributes), and so are items the server was given with
// UpsertItems that catalog.csv does not list. Events on items neither
// knows are skipped and reported; an event identical to one of events.csv
// (customer, item, type, time) is skipped as already there, so a shop may
// both send events live and export them. Tombstones of erased customers are
// collected for DropErasedCustomers (erased_rows.h).
//
// Thread-safe: no shared state.
#ifndef TRAINING_TRAINER_LOGGED_EVENTS_H_
#define TRAINING_TRAINER_LOGGED_EVENTS_H_

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "recommender/data/shop_data.h"

namespace recommender {

struct LoggedEventsResult {
  // The last log record read: the snapshot records it so that the server
  // does not count these events twice.
  uint64_t last_sequence = 0;
  int64_t new_customers = 0;
  // Items added by UpsertItems that catalog.csv does not list.
  int64_t new_items = 0;
  int64_t duplicates = 0;
  // ErasureKeys of the customers erased on the server.
  absl::flat_hash_set<std::string> erased_keys;
};

// Reads the whole log in `dir` into `data` (events stay sorted by customer,
// then time) and appends a FileLoadReport for it to data->reports. Errors
// as in ReadEventLog (NotFound for a missing folder, DataLoss for damage).
absl::StatusOr<LoggedEventsResult> AddLoggedEvents(const std::string& dir,
                                                   size_t max_sample_errors,
                                                   ShopData* data);

}  // namespace recommender

#endif  // TRAINING_TRAINER_LOGGED_EVENTS_H_
