// Conversions between the public API's messages (recommender.v1) and the
// ranking core's types.
#ifndef SERVING_PROTO_CONVERSIONS_H_
#define SERVING_PROTO_CONVERSIONS_H_

#include "proto/recommender.pb.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/item_filter.h"
#include "recommender/ranking/recommend.h"

namespace recommender::serving {

ItemFilter FromProto(const v1::ItemFilter& filter);

v1::Reason ToProto(ReasonCode reason);

v1::Durability ToProto(snapshot::Durability durability);

// Fills `out` with the pick and its item's catalog fields.
void ToProto(const ModelSnapshot& snapshot, const Recommendation& pick,
             v1::RecommendedItem* out);

}  // namespace recommender::serving

#endif  // SERVING_PROTO_CONVERSIONS_H_
