#include "serving/proto_conversions.h"

#include "recommender/util/time_util.h"

namespace recommender::serving {

ItemFilter FromProto(const v1::ItemFilter& filter) {
  ItemFilter out;
  out.include_categories.assign(filter.include_categories().begin(),
                                filter.include_categories().end());
  out.exclude_categories.assign(filter.exclude_categories().begin(),
                                filter.exclude_categories().end());
  if (filter.has_max_price()) out.max_price = filter.max_price();
  out.in_stock_only = filter.in_stock_only();
  out.exclude_item_ids.assign(filter.exclude_item_ids().begin(),
                              filter.exclude_item_ids().end());
  return out;
}

RecommendQuery FromProto(const v1::RecommendRequest& request) {
  RecommendQuery query;
  query.customer_id = request.customer_id();
  query.count = request.count();
  query.filter = FromProto(request.filter());
  query.recently_viewed_item_ids.assign(
      request.recently_viewed_item_ids().begin(),
      request.recently_viewed_item_ids().end());
  query.attributes = {request.attributes().age_band(),
                      request.attributes().gender(),
                      request.attributes().region()};
  query.max_per_category = request.max_per_category();
  query.exclude_purchased = request.exclude_purchased();
  return query;
}

SimilarItemsQuery FromProto(const v1::SimilarItemsRequest& request) {
  SimilarItemsQuery query;
  query.item_id = request.item_id();
  query.count = request.count();
  query.filter = FromProto(request.filter());
  query.max_per_category = request.max_per_category();
  return query;
}

RecommendQuery FromProto(const v1::BatchRecommendRequest& request) {
  RecommendQuery query;
  query.count = request.count();
  query.filter = FromProto(request.filter());
  query.max_per_category = request.max_per_category();
  query.exclude_purchased = request.exclude_purchased();
  return query;
}

absl::StatusOr<CustomerSelection::Kind> FromProto(
    v1::CustomerSelector::Kind kind) {
  switch (kind) {
    case v1::CustomerSelector::ALL:
      return CustomerSelection::Kind::kAll;
    case v1::CustomerSelector::LAPSED:
      return CustomerSelection::Kind::kLapsed;
    case v1::CustomerSelector::ACTIVE:
      return CustomerSelection::Kind::kActive;
    default:
      return absl::InvalidArgumentError(
          "selector.kind: must be ALL, LAPSED or ACTIVE");
  }
}

std::optional<EventType> FromProto(v1::EventType type) {
  switch (type) {
    case v1::VIEW:
      return EventType::kView;
    case v1::CART:
      return EventType::kCart;
    case v1::PURCHASE:
      return EventType::kPurchase;
    default:
      return std::nullopt;
  }
}

IncomingEvent FromProto(const v1::Event& event) {
  IncomingEvent out;
  out.customer_id = event.customer_id();
  out.item_id = event.item_id();
  out.type = FromProto(event.type());
  out.quantity = event.quantity();
  out.timestamp = event.timestamp();
  if (event.has_unit_price()) out.unit_price = event.unit_price();
  out.recommendation_id = event.recommendation_id();
  return out;
}

IncomingItem FromProto(const v1::CatalogItem& item) {
  IncomingItem out;
  out.item_id = item.item_id();
  out.title = item.title();
  out.category = item.category();
  out.price = item.price();
  out.in_stock = item.in_stock();
  switch (item.durability()) {
    case v1::DURABLE:
      out.durability = Durability::kDurable;
      break;
    case v1::CONSUMABLE:
      out.durability = Durability::kConsumable;
      break;
    default:
      out.durability = Durability::kUnknown;
  }
  return out;
}

v1::Reason ToProto(ReasonCode reason) {
  switch (reason) {
    case ReasonCode::kPersonalized:
      return v1::REASON_PERSONALIZED;
    case ReasonCode::kPopular:
      return v1::REASON_POPULAR;
    case ReasonCode::kSimilarItem:
      return v1::REASON_SIMILAR_ITEM;
    case ReasonCode::kPopularWithSimilarCustomers:
      return v1::REASON_POPULAR_WITH_SIMILAR_CUSTOMERS;
    case ReasonCode::kSameCategory:
      return v1::REASON_SAME_CATEGORY;
    case ReasonCode::kRepurchaseDue:
      return v1::REASON_REPURCHASE_DUE;
  }
  return v1::REASON_UNSPECIFIED;
}

v1::Durability ToProto(snapshot::Durability durability) {
  switch (durability) {
    case snapshot::DURABLE:
      return v1::DURABLE;
    case snapshot::CONSUMABLE:
      return v1::CONSUMABLE;
    default:
      return v1::DURABILITY_UNKNOWN;
  }
}

void ToProto(const ModelSnapshot& snapshot, const Recommendation& pick,
             v1::RecommendedItem* out) {
  const snapshot::Item& item = snapshot.item(pick.item);
  out->set_item_id(item.id());
  out->set_score(pick.score);
  out->set_reason(ToProto(pick.reason));
  out->set_reason_text(pick.reason_text);
  out->set_title(item.title());
  out->set_category(item.category());
  out->set_price(item.price());
}

void ToProto(const snapshot::TuningReport& report, v1::ModelTuning* out) {
  out->set_validation(report.validation());
  out->set_validation_days(report.validation_days());
  out->set_validation_customers(report.validation_customers());
  out->set_budget_seconds(report.budget_seconds());
  out->set_elapsed_seconds(report.elapsed_seconds());
  out->set_objective(report.objective());
  out->set_seed(report.seed());
  for (const snapshot::TuningTrial& trial : report.trials()) {
    v1::TuningTrial* copy = out->add_trials();
    copy->set_number(trial.number());
    copy->set_stage(trial.stage());
    copy->set_seconds(trial.seconds());
    copy->mutable_settings()->insert(trial.settings().begin(),
                                     trial.settings().end());
    copy->mutable_metrics()->insert(trial.metrics().begin(),
                                    trial.metrics().end());
  }
  out->mutable_chosen()->insert(report.chosen().begin(), report.chosen().end());
  out->mutable_validation_metrics()->insert(report.validation_metrics().begin(),
                                            report.validation_metrics().end());
  for (const std::string& cut : report.budget_cuts()) out->add_budget_cuts(cut);
}

void ToProto(const ModelSnapshot& snapshot,
             const std::vector<Recommendation>& picks,
             google::protobuf::RepeatedPtrField<v1::RecommendedItem>* out) {
  for (const Recommendation& pick : picks) ToProto(snapshot, pick, out->Add());
}

void ToProto(const ModelSnapshot& snapshot,
             const std::vector<PastPurchase>& purchases,
             google::protobuf::RepeatedPtrField<v1::Purchase>* out) {
  for (const PastPurchase& purchase : purchases) {
    const snapshot::Item& item = snapshot.item(purchase.item);
    v1::Purchase* added = out->Add();
    added->set_item_id(item.id());
    added->set_title(item.title());
    added->set_category(item.category());
    added->set_durability(ToProto(item.durability()));
    added->set_purchased_at(FormatRfc3339Utc(purchase.purchased_at));
  }
}

namespace {

v1::EventType ToProto(EventType type) {
  switch (type) {
    case EventType::kView:
      return v1::VIEW;
    case EventType::kCart:
      return v1::CART;
    case EventType::kPurchase:
      return v1::PURCHASE;
  }
  return v1::EVENT_TYPE_UNSPECIFIED;
}

}  // namespace

void ToProto(const ModelSnapshot& snapshot,
             const std::vector<LiveEvent>& events,
             google::protobuf::RepeatedPtrField<v1::RecordedEvent>* out) {
  for (auto event = events.rbegin(); event != events.rend(); ++event) {
    v1::RecordedEvent* added = out->Add();
    added->set_item_id(event->item_id);
    if (std::optional<int32_t> row = snapshot.FindItem(event->item_id)) {
      added->set_title(snapshot.item(*row).title());
    }
    added->set_type(ToProto(event->type));
    added->set_quantity(event->quantity);
    added->set_timestamp(
        FormatRfc3339Utc(absl::FromUnixSeconds(event->unix_seconds)));
    added->set_recommendation_id(event->recommendation_id);
    added->set_sequence(event->sequence);
  }
}

void ToProto(const snapshot::Manifest& manifest, v1::ModelInfo* out) {
  out->set_model_version(manifest.version());
  out->set_trained_at(manifest.trained_at());
  out->set_num_items(manifest.num_items());
  out->set_num_customers(manifest.num_customers());
  out->set_num_events(manifest.num_events());
  out->set_embedding_dimension(manifest.embedding_dimension());
  out->set_index_type(manifest.index_type());
  out->set_data_end(manifest.data_end());
  out->mutable_training_metrics()->insert(manifest.metrics().begin(),
                                          manifest.metrics().end());
  out->mutable_parameters()->insert(manifest.parameters().begin(),
                                    manifest.parameters().end());
  if (manifest.has_tuning()) ToProto(manifest.tuning(), out->mutable_tuning());
  out->mutable_ranker_features()->Add(manifest.ranker().features().begin(),
                                      manifest.ranker().features().end());
  if (manifest.has_index()) {
    v1::IndexInfo* index = out->mutable_index();
    index->set_requested(manifest.index().requested());
    index->mutable_parameters()->insert(manifest.index().parameters().begin(),
                                        manifest.index().parameters().end());
    index->set_recall_at_10(manifest.index().recall_at_10());
    index->set_recall_queries(manifest.index().recall_queries());
    index->set_build_seconds(manifest.index().build_seconds());
  }
}

}  // namespace recommender::serving
