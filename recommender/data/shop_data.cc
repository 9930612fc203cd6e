#include "recommender/data/shop_data.h"

namespace recommender {

absl::string_view DurabilityName(Durability durability) {
  switch (durability) {
    case Durability::kDurable:
      return "durable";
    case Durability::kConsumable:
      return "consumable";
    case Durability::kUnknown:
      break;
  }
  return "";
}

std::optional<Durability> ParseDurability(absl::string_view text) {
  if (text.empty()) return Durability::kUnknown;
  if (text == "durable") return Durability::kDurable;
  if (text == "consumable") return Durability::kConsumable;
  return std::nullopt;
}

absl::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::kView:
      return "view";
    case EventType::kCart:
      return "cart";
    case EventType::kPurchase:
      return "purchase";
  }
  return "";
}

std::optional<EventType> ParseEventType(absl::string_view text) {
  if (text == "view") return EventType::kView;
  if (text == "cart") return EventType::kCart;
  if (text == "purchase") return EventType::kPurchase;
  return std::nullopt;
}

}  // namespace recommender
