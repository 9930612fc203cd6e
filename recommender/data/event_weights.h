// How much one event of each type says about a customer's interest: the
// strength that iALS learns from (training) and that new events add when a
// customer's vector is folded in (serving).
#ifndef RECOMMENDER_DATA_EVENT_WEIGHTS_H_
#define RECOMMENDER_DATA_EVENT_WEIGHTS_H_

#include "recommender/data/shop_data.h"

namespace recommender {

struct EventWeights {
  float view = 1;
  float cart = 4;
  float purchase = 10;

  float Of(EventType type) const {
    switch (type) {
      case EventType::kView:
        return view;
      case EventType::kCart:
        return cart;
      case EventType::kPurchase:
        return purchase;
    }
    return 0;
  }
};

}  // namespace recommender

#endif  // RECOMMENDER_DATA_EVENT_WEIGHTS_H_
