#include "recommender/live/live_catalog.h"

namespace recommender {

void LiveCatalog::Apply(const events::LogRecord& record) {
  if (record.items().empty()) return;
  absl::MutexLock lock(&mu_);
  for (const events::LoggedItem& item : record.items()) {
    items_[item.item_id()] = item;
  }
}

std::optional<events::LoggedItem> LiveCatalog::Find(
    absl::string_view item_id) const {
  absl::MutexLock lock(&mu_);
  auto it = items_.find(item_id);
  if (it == items_.end()) return std::nullopt;
  return it->second;
}

int64_t LiveCatalog::size() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(items_.size());
}

}  // namespace recommender
