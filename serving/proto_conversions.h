// Conversions between the public API's messages (recommender.v1) and the
// ranking core's types.
#ifndef SERVING_PROTO_CONVERSIONS_H_
#define SERVING_PROTO_CONVERSIONS_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "proto/recommender.pb.h"
#include "recommender/filter/item_filter.h"
#include "recommender/live/customer_selector.h"
#include "recommender/live/event_validation.h"
#include "recommender/live/live_state.h"
#include "recommender/model/customer_history.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/recommend.h"

namespace recommender::serving {

ItemFilter FromProto(const v1::ItemFilter& filter);

RecommendQuery FromProto(const v1::RecommendRequest& request);

SimilarItemsQuery FromProto(const v1::SimilarItemsRequest& request);

// The query every customer of the batch shares; customer_id is left empty
// for the caller to fill in per customer.
RecommendQuery FromProto(const v1::BatchRecommendRequest& request);

// InvalidArgument naming selector.kind for an unspecified or unknown kind.
absl::StatusOr<CustomerSelection::Kind> FromProto(
    v1::CustomerSelector::Kind kind);

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

// Adds each pick, in order, as above.
void ToProto(const ModelSnapshot& snapshot,
             const std::vector<Recommendation>& picks,
             google::protobuf::RepeatedPtrField<v1::RecommendedItem>* out);

// Adds each purchase, in order, with its item's catalog fields.
void ToProto(const ModelSnapshot& snapshot,
             const std::vector<PastPurchase>& purchases,
             google::protobuf::RepeatedPtrField<v1::Purchase>* out);

// Adds each live event in reverse order (newest first when `events` is
// oldest first, as LiveState::EventsOf gives them), with the title of items
// the snapshot knows.
void ToProto(const ModelSnapshot& snapshot,
             const std::vector<LiveEvent>& events,
             google::protobuf::RepeatedPtrField<v1::RecordedEvent>* out);

// What the manifest says about the model (GetModelInfo).
void ToProto(const snapshot::Manifest& manifest, v1::ModelInfo* out);

}  // namespace recommender::serving

#endif  // SERVING_PROTO_CONVERSIONS_H_
