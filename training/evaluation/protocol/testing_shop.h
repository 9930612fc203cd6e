// Tiny hand-made shops for the evaluation's unit tests: items "I0".."In",
// customers "C0".."Cn" and events given by (customer, item, type, time).
#ifndef TRAINING_EVALUATION_PROTOCOL_TESTING_SHOP_H_
#define TRAINING_EVALUATION_PROTOCOL_TESTING_SHOP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "recommender/data/shop_data.h"

namespace recommender {

inline Event TestEvent(int32_t customer, int32_t item, EventType type,
                       int64_t unix_seconds) {
  Event e;
  e.customer = customer;
  e.item = item;
  e.type = type;
  e.unix_seconds = unix_seconds;
  return e;
}

inline Event TestPurchase(int32_t customer, int32_t item, int64_t unix_seconds) {
  return TestEvent(customer, item, EventType::kPurchase, unix_seconds);
}

// `events` must be sorted by customer, then time.
inline ShopData TestShop(int num_items, int num_customers,
                         std::vector<Event> events) {
  ShopData data;
  for (int i = 0; i < num_items; ++i) {
    CatalogItem item;
    item.id = "I" + std::to_string(i);
    data.items.push_back(item);
  }
  for (int c = 0; c < num_customers; ++c) {
    CustomerRecord customer;
    customer.id = "C" + std::to_string(c);
    data.customers.push_back(customer);
  }
  data.item_rows = IndexIds(data.items);
  data.customer_rows = IndexIds(data.customers);
  data.events = std::move(events);
  return data;
}

}  // namespace recommender

#endif  // TRAINING_EVALUATION_PROTOCOL_TESTING_SHOP_H_
