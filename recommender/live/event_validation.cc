#include "recommender/live/event_validation.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "recommender/data/field_parsers.h"
#include "recommender/util/quote.h"
#include "recommender/util/time_util.h"

namespace recommender {
namespace {

events::EventType ToLogged(EventType type) {
  switch (type) {
    case EventType::kView:
      return events::VIEW;
    case EventType::kCart:
      return events::CART;
    case EventType::kPurchase:
      return events::PURCHASE;
  }
  return events::EVENT_TYPE_UNSPECIFIED;
}

// The event as logged, or the first problem found: {field, message}.
std::optional<std::pair<std::string, std::string>> Check(
    const IncomingEvent& event, const ModelSnapshot& snapshot,
    const LiveCatalog* catalog, absl::Time now, absl::Time latest,
    events::LoggedEvent* out) {
  if (absl::Status id = ValidateId(event.customer_id); !id.ok()) {
    return std::make_pair("customer_id", std::string(id.message()));
  }
  if (snapshot.IsErasedCustomer(event.customer_id)) {
    return std::make_pair("customer_id",
                          "the customer was erased (DeleteCustomer); their "
                          "id must not be used again");
  }
  if (absl::Status id = ValidateId(event.item_id); !id.ok()) {
    return std::make_pair("item_id", std::string(id.message()));
  }
  if (!snapshot.FindItem(event.item_id).has_value() &&
      (catalog == nullptr || !catalog->Find(event.item_id).has_value())) {
    return std::make_pair(
        "item_id", absl::StrCat("unknown item ", Quote(event.item_id),
                                " (not in the model's catalog nor added "
                                "by UpsertItems)"));
  }
  if (!event.type.has_value()) {
    return std::make_pair("type", "must be VIEW, CART or PURCHASE");
  }
  if (event.quantity < 0 || event.quantity > kMaxEventQuantity) {
    return std::make_pair("quantity",
                          absl::StrCat("must be 0 (meaning 1) to ",
                                       kMaxEventQuantity, ", got ",
                                       event.quantity));
  }
  absl::Time when = now;
  if (!event.timestamp.empty()) {
    absl::StatusOr<absl::Time> parsed = ParseApiTimestamp(event.timestamp);
    if (!parsed.ok()) {
      return std::make_pair("timestamp", std::string(parsed.status().message()));
    }
    if (*parsed > latest + kMaxEventClockSkew) {
      return std::make_pair(
          "timestamp", absl::StrCat(Quote(event.timestamp),
                                    " is in the future (server time ",
                                    FormatRfc3339Utc(latest), ")"));
    }
    when = *parsed;
  }
  if (event.unit_price.has_value() &&
      !(std::isfinite(*event.unit_price) && *event.unit_price >= 0)) {
    return std::make_pair("unit_price",
                          absl::StrCat("must be a number >= 0, got ",
                                       *event.unit_price));
  }
  if (!event.recommendation_id.empty()) {
    if (absl::Status id = ValidateId(event.recommendation_id); !id.ok()) {
      return std::make_pair("recommendation_id", std::string(id.message()));
    }
  }
  out->set_customer_id(event.customer_id);
  out->set_item_id(event.item_id);
  out->set_type(ToLogged(*event.type));
  out->set_quantity(event.quantity == 0 ? 1 : event.quantity);
  out->set_unix_seconds(absl::ToUnixSeconds(when));
  if (event.unit_price.has_value()) out->set_unit_price(*event.unit_price);
  out->set_recommendation_id(event.recommendation_id);
  return std::nullopt;
}

std::optional<std::pair<std::string, std::string>> CheckItem(
    const IncomingItem& item, const ModelSnapshot& snapshot,
    events::LoggedItem* out) {
  if (absl::Status id = ValidateId(item.item_id); !id.ok()) {
    return std::make_pair("item_id", std::string(id.message()));
  }
  if (snapshot.FindItem(item.item_id).has_value()) {
    return std::make_pair(
        "item_id", absl::StrCat(Quote(item.item_id),
                                " is in the model's catalog already; changes "
                                "to it apply at the next training"));
  }
  if (absl::Status title = ValidateText("title", item.title, kMaxTitleBytes);
      !title.ok()) {
    return std::make_pair("title", std::string(title.message()));
  }
  if (absl::Status category = ValidateCategoryPath(item.category);
      !category.ok()) {
    return std::make_pair("category", std::string(category.message()));
  }
  if (!(std::isfinite(item.price) && item.price >= 0)) {
    return std::make_pair("price",
                          absl::StrCat("must be a number >= 0, got ", item.price));
  }
  out->set_item_id(item.item_id);
  out->set_title(item.title);
  out->set_category(item.category);
  out->set_price(item.price);
  out->set_in_stock(item.in_stock);
  out->set_durability(std::string(DurabilityName(item.durability)));
  return std::nullopt;
}

}  // namespace

ValidatedEvents ValidateItems(const std::vector<IncomingItem>& items,
                              const ModelSnapshot& snapshot) {
  ValidatedEvents out;
  for (size_t i = 0; i < items.size(); ++i) {
    events::LoggedItem logged;
    if (auto problem = CheckItem(items[i], snapshot, &logged)) {
      const std::string field = absl::StrCat("items[", i, "].", problem->first);
      out.rejected.push_back({static_cast<int>(i), field,
                              absl::StrCat(field, ": ", problem->second)});
      continue;
    }
    *out.record.add_items() = std::move(logged);
  }
  return out;
}

absl::Status ValidateEventBatchSize(size_t size) {
  if (size == 0) {
    return absl::InvalidArgumentError("events: must not be empty");
  }
  if (size > kMaxEventsPerBatch) {
    return absl::InvalidArgumentError(
        absl::StrCat("events: at most ", kMaxEventsPerBatch,
                     " events per call, got ", size));
  }
  return absl::OkStatus();
}

ValidatedEvents ValidateEvents(const std::vector<IncomingEvent>& events,
                               const ModelSnapshot& snapshot,
                               const LiveCatalog* catalog, absl::Time now,
                               std::optional<absl::Time> latest) {
  ValidatedEvents out;
  for (size_t i = 0; i < events.size(); ++i) {
    events::LoggedEvent logged;
    if (auto problem = Check(events[i], snapshot, catalog, now,
                             latest.value_or(now), &logged)) {
      const std::string field = absl::StrCat("events[", i, "].", problem->first);
      out.rejected.push_back({static_cast<int>(i), field,
                              absl::StrCat(field, ": ", problem->second)});
      continue;
    }
    *out.record.add_events() = std::move(logged);
  }
  return out;
}

}  // namespace recommender
