// Conversions between the public API's messages (recommender.v1) and the
// ranking core's types.
#ifndef SERVING_PROTO_CONVERSIONS_H_
#define SERVING_PROTO_CONVERSIONS_H_

#include <optional>

#include "proto/recommender.pb.h"
#include "recommender/live/event_validation.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/item_filter.h"
#include "recommender/ranking/recommend.h"

namespace recommender::serving {

ItemFilter FromProto(const v1::ItemFilter& filter);

RecommendQuery FromProto(const v1::RecommendRequest& request);

// nullopt for EVENT_TYPE_UNSPECIFIED and unknown values.
std::optional<EventType> FromProto(v1::EventType type);

IncomingEvent FromProto(const v1::Event& event);

IncomingItem FromProto(const v1::CatalogItem& item);

v1::Reason ToProto(ReasonCode reason);

v1::Durability ToProto(snapshot::Durability durability);

// The self-tuning's report (every trial, the choice, its validation
// metrics) as GetModelInfo gives it.
void ToProto(const snapshot::TuningReport& report, v1::ModelTuning* out);

// Fills `out` with the pick and its item's catalog fields.
void ToProto(const ModelSnapshot& snapshot, const Recommendation& pick,
             v1::RecommendedItem* out);

}  // namespace recommender::serving

#endif  // SERVING_PROTO_CONVERSIONS_H_
