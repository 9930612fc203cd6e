#include "serving/recommender_service.h"

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "recommender/live/customer_selector.h"
#include "recommender/live/event_validation.h"
#include "recommender/live/live_context.h"
#include "recommender/ranking/recommend.h"
#include "recommender/timing/due_customers.h"
#include "recommender/timing/next_purchase.h"
#include "recommender/util/time_util.h"
#include "serving/grpc_status.h"
#include "serving/proto_conversions.h"
#include "serving/timing_conversions.h"

namespace recommender::serving {

std::string NewRecommendationId() {
  thread_local absl::BitGen generator;
  return absl::StrFormat("r-%016x%016x", absl::Uniform<uint64_t>(generator),
                         absl::Uniform<uint64_t>(generator));
}

absl::Status CheckDeadline(std::chrono::system_clock::time_point deadline,
                           std::chrono::system_clock::time_point now) {
  if (deadline < now) {
    return absl::DeadlineExceededError("deadline passed before the search");
  }
  return absl::OkStatus();
}

RecommenderService::RecommenderService(const ModelManager* models,
                                       LiveEvents* live, ClockMode clock)
    : models_(models), live_(live), clock_(clock) {}

absl::StatusOr<std::shared_ptr<const ModelSnapshot>>
RecommenderService::ModelFor(const grpc::ServerContext& context) const {
  if (absl::Status in_time =
          CheckDeadline(context.deadline(), std::chrono::system_clock::now());
      !in_time.ok()) {
    return in_time;
  }
  std::shared_ptr<const ModelSnapshot> model = models_->Current();
  if (model == nullptr) {
    return absl::UnavailableError("no model loaded yet");
  }
  return model;
}

grpc::Status RecommenderService::Recommend(grpc::ServerContext* context,
                                           const v1::RecommendRequest* request,
                                           v1::RecommendResponse* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(*context);
  if (!model.ok()) return ToGrpcStatus(model.status());
  RecommendQuery query = FromProto(*request);
  absl::StatusOr<absl::Time> as_of =
      ResolveAsOf("as_of", request->as_of(), **model, clock_, absl::Now());
  if (!as_of.ok()) return ToGrpcStatus(as_of.status());
  query.as_of = *as_of;
  absl::StatusOr<std::vector<Recommendation>> picks =
      RecommendWithLiveContext(**model, live_state(), query);
  if (!picks.ok()) return ToGrpcStatus(picks.status());
  for (const Recommendation& pick : *picks) {
    ToProto(**model, pick, response->add_items());
  }
  response->set_model_version((*model)->version());
  response->set_recommendation_id(NewRecommendationId());
  return grpc::Status::OK;
}

grpc::Status RecommenderService::SimilarItems(
    grpc::ServerContext* context, const v1::SimilarItemsRequest* request,
    v1::SimilarItemsResponse* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(*context);
  if (!model.ok()) return ToGrpcStatus(model.status());
  SimilarItemsQuery query;
  query.item_id = request->item_id();
  query.count = request->count();
  query.filter = FromProto(request->filter());
  query.max_per_category = request->max_per_category();
  // An item added since training has no vector: answer by its category.
  std::optional<events::LoggedItem> new_item;
  if (live_ != nullptr && !(*model)->FindItem(query.item_id).has_value()) {
    new_item = live_->catalog().Find(query.item_id);
  }
  absl::StatusOr<std::vector<Recommendation>> picks =
      new_item.has_value()
          ? SimilarItemsInCategory(
                **model, {new_item->title(), new_item->category()}, query)
          : recommender::SimilarItems(**model, query);
  if (!picks.ok()) return ToGrpcStatus(picks.status());
  for (const Recommendation& pick : *picks) {
    ToProto(**model, pick, response->add_items());
  }
  response->set_model_version((*model)->version());
  response->set_recommendation_id(NewRecommendationId());
  return grpc::Status::OK;
}

grpc::Status RecommenderService::GetCustomerHistory(
    grpc::ServerContext* context, const v1::GetCustomerHistoryRequest* request,
    v1::GetCustomerHistoryResponse* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(*context);
  if (!model.ok()) return ToGrpcStatus(model.status());
  if (request->customer_id().empty()) {
    return ToGrpcStatus(
        absl::InvalidArgumentError("customer_id: must not be empty"));
  }
  if (request->max_purchases() < 0) {
    return ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
        "max_purchases: must be >= 0, got ", request->max_purchases())));
  }
  const std::optional<int32_t> row =
      (*model)->FindCustomer(request->customer_id());
  if (!row.has_value()) {
    return ToGrpcStatus(absl::NotFoundError(absl::StrCat(
        "customer_id: unknown customer \"", request->customer_id(), "\"")));
  }
  const snapshot::Customer& customer = (*model)->customer(*row);
  const int total = customer.purchased_items_size();
  const int wanted = request->max_purchases() == 0
                         ? total
                         : std::min(total, request->max_purchases());
  for (int k = total - 1; k >= total - wanted; --k) {
    const snapshot::Item& item = (*model)->item(customer.purchased_items(k));
    v1::Purchase* purchase = response->add_purchases();
    purchase->set_item_id(item.id());
    purchase->set_title(item.title());
    purchase->set_category(item.category());
    purchase->set_durability(ToProto(item.durability()));
    purchase->set_purchased_at(
        FormatRfc3339Utc(absl::FromUnixSeconds(customer.purchase_times(k))));
  }
  response->set_customer_id(customer.id());
  response->set_model_version((*model)->version());
  return grpc::Status::OK;
}

grpc::Status RecommenderService::GetModelInfo(
    grpc::ServerContext* context, const v1::GetModelInfoRequest* /*request*/,
    v1::ModelInfo* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(*context);
  if (!model.ok()) return ToGrpcStatus(model.status());
  const snapshot::Manifest& manifest = (*model)->manifest();
  response->set_model_version(manifest.version());
  response->set_trained_at(manifest.trained_at());
  response->set_num_items(manifest.num_items());
  response->set_num_customers(manifest.num_customers());
  response->set_num_events(manifest.num_events());
  response->set_embedding_dimension(manifest.embedding_dimension());
  response->set_index_type(manifest.index_type());
  response->set_data_end(manifest.data_end());
  response->mutable_training_metrics()->insert(manifest.metrics().begin(),
                                               manifest.metrics().end());
  response->mutable_parameters()->insert(manifest.parameters().begin(),
                                         manifest.parameters().end());
  if (manifest.has_tuning()) ToProto(manifest.tuning(), response->mutable_tuning());
  response->mutable_ranker_features()->Add(manifest.ranker().features().begin(),
                                           manifest.ranker().features().end());
  return grpc::Status::OK;
}

grpc::Status RecommenderService::RecordEvents(
    grpc::ServerContext* context, const v1::RecordEventsRequest* request,
    v1::RecordEventsResponse* response) {
  if (live_ == nullptr) {
    return ToGrpcStatus(absl::FailedPreconditionError(
        "live events are off: start the server with --event_log_dir"));
  }
  if (absl::Status size = ValidateEventBatchSize(request->events_size());
      !size.ok()) {
    return ToGrpcStatus(size);
  }
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(*context);
  if (!model.ok()) return ToGrpcStatus(model.status());
  std::vector<IncomingEvent> incoming;
  incoming.reserve(request->events_size());
  for (const v1::Event& event : request->events()) {
    incoming.push_back(FromProto(event));
  }
  ValidatedEvents validated =
      ValidateEvents(incoming, **model, live_catalog(), absl::Now());
  const int accepted = validated.record.events_size();
  return RecordValidated(std::move(validated), accepted, **model, response);
}

template <typename Response>
grpc::Status RecommenderService::RecordValidated(ValidatedEvents validated,
                                                 int accepted,
                                                 const ModelSnapshot& model,
                                                 Response* response) {
  if (accepted > 0) {
    absl::StatusOr<uint64_t> sequence =
        live_->Record(std::move(validated.record));
    if (!sequence.ok()) {
      return ToGrpcStatus(absl::UnavailableError(absl::StrCat(
          "not recorded: ", sequence.status().message())));
    }
    response->set_sequence(*sequence);
  }
  response->set_accepted(accepted);
  for (const EventRejection& rejection : validated.rejected) {
    v1::RejectedEvent* out = response->add_rejected();
    out->set_index(rejection.index);
    out->set_field(rejection.field);
    out->set_message(rejection.message);
  }
  response->set_model_version(model.version());
  return grpc::Status::OK;
}

grpc::Status RecommenderService::UpsertItems(
    grpc::ServerContext* context, const v1::UpsertItemsRequest* request,
    v1::UpsertItemsResponse* response) {
  if (live_ == nullptr) {
    return ToGrpcStatus(absl::FailedPreconditionError(
        "catalog updates are off: start the server with --event_log_dir"));
  }
  if (request->items_size() == 0 || request->items_size() > kMaxEventsPerBatch) {
    return ToGrpcStatus(absl::InvalidArgumentError(
        absl::StrCat("items: must hold 1 to ", kMaxEventsPerBatch,
                     " items, got ", request->items_size())));
  }
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(*context);
  if (!model.ok()) return ToGrpcStatus(model.status());
  std::vector<IncomingItem> incoming;
  incoming.reserve(request->items_size());
  for (const v1::CatalogItem& item : request->items()) {
    incoming.push_back(FromProto(item));
  }
  ValidatedEvents validated = ValidateItems(incoming, **model);
  const int accepted = validated.record.items_size();
  return RecordValidated(std::move(validated), accepted, **model, response);
}

namespace {

// The batch's customers: the explicit list or the selector's choice.
absl::StatusOr<std::vector<std::string>> BatchCustomers(
    const v1::BatchRecommendRequest& request, const ModelSnapshot& model,
    const LiveState* live) {
  switch (request.customers_case()) {
    case v1::BatchRecommendRequest::kCustomerList:
      return ValidateCustomerList(
          {request.customer_list().customer_ids().begin(),
           request.customer_list().customer_ids().end()});
    case v1::BatchRecommendRequest::kSelector: {
      const v1::CustomerSelector& selector = request.selector();
      CustomerSelection::Kind kind;
      switch (selector.kind()) {
        case v1::CustomerSelector::ALL:
          kind = CustomerSelection::Kind::kAll;
          break;
        case v1::CustomerSelector::LAPSED:
          kind = CustomerSelection::Kind::kLapsed;
          break;
        case v1::CustomerSelector::ACTIVE:
          kind = CustomerSelection::Kind::kActive;
          break;
        default:
          return absl::InvalidArgumentError(
              "selector.kind: must be ALL, LAPSED or ACTIVE");
      }
      absl::StatusOr<CustomerSelection> selection = MakeCustomerSelection(
          kind, selector.days(), selector.as_of(), absl::Now());
      if (!selection.ok()) return selection.status();
      return SelectCustomers(model, live, *selection);
    }
    default:
      return absl::InvalidArgumentError(
          "customers: give customer_list or selector");
  }
}

}  // namespace

grpc::Status RecommenderService::BatchRecommend(
    grpc::ServerContext* context, const v1::BatchRecommendRequest* request,
    grpc::ServerWriter<v1::BatchRecommendResponse>* writer) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(*context);
  if (!model.ok()) return ToGrpcStatus(model.status());
  RecommendQuery query;
  query.customer_id = "-";  // Each customer's id goes here in turn.
  query.count = request->count();
  query.filter = FromProto(request->filter());
  query.max_per_category = request->max_per_category();
  query.as_of = *ResolveAsOf("", "", **model, clock_, absl::Now());
  if (absl::Status valid = ValidateRecommendQuery(query); !valid.ok()) {
    return ToGrpcStatus(valid);
  }
  absl::StatusOr<std::vector<std::string>> customers =
      BatchCustomers(*request, **model, live_state());
  if (!customers.ok()) return ToGrpcStatus(customers.status());
  v1::BatchRecommendResponse message;
  for (size_t i = 0; i < customers->size(); ++i) {
    if (context->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "client gave up");
    }
    query.customer_id = (*customers)[i];
    absl::StatusOr<std::vector<Recommendation>> picks =
        RecommendWithLiveContext(**model, live_state(), query);
    if (!picks.ok()) return ToGrpcStatus(picks.status());
    message.Clear();
    message.set_customer_id(query.customer_id);
    for (const Recommendation& pick : *picks) {
      ToProto(**model, pick, message.add_items());
    }
    message.set_model_version((*model)->version());
    message.set_position(static_cast<int64_t>(i + 1));
    message.set_total(static_cast<int64_t>(customers->size()));
    // Blocks while the client is not reading (flow control).
    if (!writer->Write(message)) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "stream closed");
    }
  }
  return grpc::Status::OK;
}

grpc::Status RecommenderService::PredictNextPurchase(
    grpc::ServerContext* context,
    const v1::PredictNextPurchaseRequest* request,
    v1::PredictNextPurchaseResponse* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(*context);
  if (!model.ok()) return ToGrpcStatus(model.status());
  const ModelSnapshot& snapshot = **model;
  if (request->customer_id().empty()) {
    return ToGrpcStatus(
        absl::InvalidArgumentError("customer_id: must not be empty"));
  }
  const int32_t horizon =
      request->horizon_days() == 0 ? 30 : request->horizon_days();
  absl::StatusOr<absl::Time> as_of =
      ResolveAsOf("as_of", request->as_of(), snapshot, clock_, absl::Now());
  if (!as_of.ok()) return ToGrpcStatus(as_of.status());
  const std::optional<int32_t> row = snapshot.FindCustomer(request->customer_id());
  if (!row.has_value()) {
    return ToGrpcStatus(absl::NotFoundError(absl::StrCat(
        "customer_id: unknown customer \"", request->customer_id(), "\"")));
  }
  if (!snapshot.timing().has_lifetime() &&
      snapshot.timing().repurchase().items_size() == 0) {
    return ToGrpcStatus(absl::FailedPreconditionError(absl::StrCat(
        "model version ", snapshot.version(),
        " has no timing model; retrain it with this version of the trainer")));
  }
  absl::StatusOr<NextPurchasePrediction> prediction = recommender::PredictNextPurchase(
      snapshot, *row, *as_of, horizon, request->annual_discount_rate());
  if (!prediction.ok()) return ToGrpcStatus(prediction.status());
  response->set_customer_id(request->customer_id());
  response->set_as_of(FormatRfc3339Utc(*as_of));
  response->set_horizon_days(horizon);
  if (prediction->lifetime.has_value()) {
    ToProto(*prediction->lifetime, response->mutable_customer());
  }
  for (const ConsumableForecast& forecast : prediction->consumables) {
    ToProto(snapshot, forecast, response->add_consumables());
  }
  response->set_model_version(snapshot.version());
  return grpc::Status::OK;
}

grpc::Status RecommenderService::ListDueCustomers(
    grpc::ServerContext* context, const v1::ListDueCustomersRequest* request,
    v1::ListDueCustomersResponse* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(*context);
  if (!model.ok()) return ToGrpcStatus(model.status());
  const ModelSnapshot& snapshot = **model;
  DueSelection selection;
  absl::StatusOr<absl::CivilDay> from =
      ParseDayField("due_from", request->due_from());
  if (!from.ok()) return ToGrpcStatus(from.status());
  absl::StatusOr<absl::CivilDay> to = ParseDayField("due_to", request->due_to());
  if (!to.ok()) return ToGrpcStatus(to.status());
  absl::StatusOr<absl::Time> as_of =
      ResolveAsOf("as_of", request->as_of(), snapshot, clock_, absl::Now());
  if (!as_of.ok()) return ToGrpcStatus(as_of.status());
  selection.as_of = *as_of;
  selection.due_from = *from;
  selection.due_to = *to;
  selection.categories.assign(request->categories().begin(),
                              request->categories().end());
  selection.min_probability_active = request->min_probability_active();
  selection.include_lapsed = request->include_lapsed();
  selection.max_customers =
      request->max_customers() == 0 ? 1000 : request->max_customers();
  absl::StatusOr<DueCustomers> due = SelectDueCustomers(snapshot, selection);
  if (!due.ok()) return ToGrpcStatus(due.status());
  for (const DueCustomer& customer : due->customers) {
    v1::DueCustomer* out = response->add_customers();
    out->set_customer_id(snapshot.customer(customer.customer).id());
    out->set_probability_active(customer.probability_active);
    for (const ConsumableForecast& forecast : customer.due) {
      ToProto(snapshot, forecast, out->add_due());
    }
  }
  response->set_total_matching(static_cast<int32_t>(due->total_matching));
  response->set_model_version(snapshot.version());
  return grpc::Status::OK;
}

}  // namespace recommender::serving
