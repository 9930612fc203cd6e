// Right to erasure in training: the customers erased on the server
// (tombstones in its event log, recommender/erasure/) lose every row before
// anything is learned — their customers.csv row, their events from the
// exports and from the log — so the next snapshot holds no trace of them.
// The shop's own exports may still list them; they are dropped here all the
// same.
//
// Thread-safe: no shared state.
#ifndef TRAINING_TRAINER_ERASED_ROWS_H_
#define TRAINING_TRAINER_ERASED_ROWS_H_

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "recommender/data/shop_data.h"

namespace recommender {

struct ErasedRows {
  int64_t customers = 0;
  int64_t events = 0;
  int64_t sample_errors = 0;
};

// Removes from `data` every customer whose ErasureKey is in `erased_keys`,
// with their events, renumbering the remaining rows (order kept), and the
// load reports' sample errors that quote a removed id.
ErasedRows DropErasedCustomers(const absl::flat_hash_set<std::string>& erased_keys,
                               ShopData* data);

}  // namespace recommender

#endif  // TRAINING_TRAINER_ERASED_ROWS_H_
