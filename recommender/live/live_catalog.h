// LiveCatalog: items the shop added to its catalog after the model in
// service was trained (UpsertItems), replayed from the event log. The model
// has no vector for them, so they cannot be ranked by taste yet; they are
// accepted in events and answered in SimilarItems by their category until a
// model trained with them arrives.
//
// Thread-safe: all methods.
#ifndef RECOMMENDER_LIVE_LIVE_CATALOG_H_
#define RECOMMENDER_LIVE_LIVE_CATALOG_H_

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "proto/event_log.pb.h"

namespace recommender {

class LiveCatalog {
 public:
  // Adds or replaces the record's items.
  void Apply(const events::LogRecord& record);

  std::optional<events::LoggedItem> Find(absl::string_view item_id) const;

  int64_t size() const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, events::LoggedItem> items_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace recommender

#endif  // RECOMMENDER_LIVE_LIVE_CATALOG_H_
