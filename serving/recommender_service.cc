#include "serving/recommender_service.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "recommender/live/batch_recommend.h"
#include "recommender/live/customer_selector.h"
#include "recommender/live/event_validation.h"
#include "recommender/live/live_context.h"
#include "recommender/model/customer_history.h"
#include "recommender/ranking/recommend.h"
#include "recommender/timing/due_customers.h"
#include "recommender/timing/next_purchase.h"
#include "recommender/util/time_util.h"
#include "serving/audit_interceptor.h"
#include "serving/grpc_auth.h"
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

namespace {

// On the browser path (CallContext::customer_scope): OK for the customer
// of the call's customer token; an anonymous visitor (no token) may name
// no customer the server knows (`known`), only a visitor id of its own.
// Elsewhere always OK.
absl::Status CheckCustomerScope(
    const CallContext& call, absl::string_view customer_id,
    absl::string_view field,
    const std::function<bool(absl::string_view)>& known) {
  if (!call.customer_scope.has_value()) return absl::OkStatus();
  const std::optional<std::string>& scoped = call.customer_scope->customer_id;
  if (!scoped.has_value()) {
    if (customer_id.empty() || !known(customer_id)) return absl::OkStatus();
    return absl::UnauthenticatedError(absl::StrCat(
        field, ": a browser call for a customer needs that customer's token "
        "(X-Customer-Token, minted by the shop's backend); anonymous "
        "visitors name no customer"));
  }
  if (customer_id.empty() || customer_id == *scoped) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      field, ": the customer token is for another customer"));
}

}  // namespace

RecommenderService::RecommenderService(const ModelManager* models,
                                       LiveEvents* live, RequestClock clock,
                                       campaigns::CampaignManager* campaigns,
                                       CandidateCache* cache, CallGate* gate,
                                       auth::Authorizer* authorizer)
    : models_(models),
      live_(live),
      cache_(cache),
      clock_(std::move(clock)),
      campaigns_(campaigns, live),
      experiments_(campaigns),
      gate_(gate),
      authorizer_(authorizer) {}

bool RecommenderService::KnowsCustomer(absl::string_view customer_id) const {
  const std::shared_ptr<const ModelSnapshot> model = models_->Current();
  if (model != nullptr && model->FindCustomer(customer_id).has_value()) {
    return true;
  }
  return live_state() != nullptr &&
         !live_state()->EventsOf(customer_id, 0).empty();
}

CallContext RecommenderService::GrpcCall(grpc::ServerContext& context) const {
  CallContext call = FromGrpc(context);
  if (authorizer_ != nullptr) {
    call.caller = CallerOf(context, *authorizer_);
    call.keys_enabled = authorizer_->keys_enabled();
  }
  call.report_count = [&context](absl::string_view name, int64_t value) {
    ReportCount(&context, name, value);
  };
  return call;
}

absl::Status RecommenderService::CheckEvents(
    const CallContext& call, const std::vector<IncomingEvent>& events) const {
  if (call.customer_scope.has_value()) {
    for (size_t i = 0; i < events.size(); ++i) {
      if (absl::Status in_scope = CheckCustomerScope(
              call, events[i].customer_id,
              absl::StrCat("events[", i, "].customer_id"),
              [this](absl::string_view id) { return KnowsCustomer(id); });
          !in_scope.ok()) {
        return in_scope;
      }
    }
  }
  if (!call.keys_enabled) return absl::OkStatus();
  std::vector<EventType> types;
  types.reserve(events.size());
  for (const IncomingEvent& event : events) {
    // Events without a type are rejected one by one later.
    if (event.type.has_value()) types.push_back(*event.type);
  }
  return auth::CheckEventTypes(call.caller.roles, types);
}

absl::StatusOr<absl::Time> RecommenderService::AsOf(
    absl::string_view text, const ModelSnapshot& model) const {
  return ResolveAsOf("as_of", text, clock_.Now(model));
}

absl::StatusOr<std::shared_ptr<const ModelSnapshot>>
RecommenderService::ModelFor(const CallContext& call) const {
  if (gate_ != nullptr) {
    if (absl::Status admitted = gate_->Admit(); !admitted.ok()) return admitted;
  }
  if (absl::Status in_time =
          CheckDeadline(call.deadline, std::chrono::system_clock::now());
      !in_time.ok()) {
    return in_time;
  }
  std::shared_ptr<const ModelSnapshot> model = models_->Current();
  if (model == nullptr) {
    return absl::UnavailableError("no model loaded yet");
  }
  return model;
}

absl::Status RecommenderService::Recommend(const CallContext& call,
                                           const v1::RecommendRequest& request,
                                           v1::RecommendResponse* response) {
  if (absl::Status in_scope = CheckCustomerScope(
          call, request.customer_id(), "customer_id",
          [this](absl::string_view id) { return KnowsCustomer(id); });
      !in_scope.ok()) {
    return in_scope;
  }
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(call);
  if (!model.ok()) return model.status();
  RecommendQuery query = FromProto(request);
  if (call.customer_scope.has_value() && query.customer_id.empty() &&
      call.customer_scope->customer_id.has_value()) {
    // The widget may leave the id to its token.
    query.customer_id = *call.customer_scope->customer_id;
  }
  const absl::Time now = clock_.Now(**model);
  absl::StatusOr<absl::Time> as_of = ResolveAsOf("as_of", request.as_of(), now);
  if (!as_of.ok()) return as_of.status();
  query.as_of = *as_of;
  // A running experiment's arm for this customer, by the server's clock
  // (not the request's as_of, which may rank for another moment).
  const std::optional<ExperimentRpcs::Served> served =
      experiments_.Assign(query.customer_id, now, &query, model->get());
  absl::StatusOr<std::vector<Recommendation>> picks =
      RecommendWithLiveContext(**model, live_state(), query, cache_);
  if (!picks.ok()) return picks.status();
  ToProto(**model, *picks, response->mutable_items());
  response->set_model_version((*model)->version());
  response->set_recommendation_id(NewRecommendationId());
  if (served.has_value()) {
    experiments_.Expose(*served, query.customer_id, now, response);
  }
  return absl::OkStatus();
}

absl::Status RecommenderService::SimilarItems(
    const CallContext& call, const v1::SimilarItemsRequest& request,
    v1::SimilarItemsResponse* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(call);
  if (!model.ok()) return model.status();
  absl::StatusOr<std::vector<Recommendation>> picks =
      SimilarItemsWithLiveCatalog(**model, live_catalog(), FromProto(request));
  if (!picks.ok()) return picks.status();
  ToProto(**model, *picks, response->mutable_items());
  response->set_model_version((*model)->version());
  response->set_recommendation_id(NewRecommendationId());
  return absl::OkStatus();
}

absl::Status RecommenderService::GetCustomerHistory(
    const CallContext& call, const v1::GetCustomerHistoryRequest& request,
    v1::GetCustomerHistoryResponse* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(call);
  if (!model.ok()) return model.status();
  std::vector<LiveEvent> live_events;
  if (live_state() != nullptr && !request.customer_id().empty()) {
    live_events = live_state()->EventsOf(
        request.customer_id(), (*model)->manifest().event_log_sequence());
  }
  absl::StatusOr<std::vector<PastPurchase>> purchases =
      RecentPurchases(**model, request.customer_id(), request.max_purchases());
  // A customer new since training is known by their live events alone.
  if (!purchases.ok() &&
      !(absl::IsNotFound(purchases.status()) && !live_events.empty())) {
    return purchases.status();
  }
  if (purchases.ok()) {
    ToProto(**model, *purchases, response->mutable_purchases());
  }
  ToProto(**model, live_events, response->mutable_recent_events());
  response->set_customer_id(request.customer_id());
  response->set_model_version((*model)->version());
  return absl::OkStatus();
}

absl::Status RecommenderService::GetModelInfo(
    const CallContext& call, const v1::GetModelInfoRequest& /*request*/,
    v1::ModelInfo* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(call);
  if (!model.ok()) return model.status();
  ToProto((*model)->manifest(), response);
  return absl::OkStatus();
}

absl::Status RecommenderService::RecordEvents(
    const CallContext& call, const v1::RecordEventsRequest& request,
    v1::RecordEventsResponse* response) {
  if (live_ == nullptr) {
    return absl::FailedPreconditionError(
        "live events are off: start the server with --event_log_dir");
  }
  if (absl::Status size = ValidateEventBatchSize(request.events_size());
      !size.ok()) {
    return size;
  }
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(call);
  if (!model.ok()) return model.status();
  std::vector<IncomingEvent> incoming;
  incoming.reserve(request.events_size());
  for (const v1::Event& event : request.events()) {
    incoming.push_back(FromProto(event));
  }
  if (absl::Status allowed = CheckEvents(call, incoming); !allowed.ok()) {
    return allowed;
  }
  const absl::Time now = clock_.Now(**model);
  ValidatedEvents validated =
      ValidateEvents(incoming, **model, live_catalog(), now,
                     std::max(now, clock_.WallNow()));
  const int accepted = validated.record.events_size();
  if (cache_ != nullptr) {
    // Their entries would miss anyway (the events move the taste and may
    // add purchases); free them now.
    for (const events::LoggedEvent& event : validated.record.events()) {
      cache_->Invalidate(event.customer_id());
    }
  }
  return RecordValidated(std::move(validated), accepted, **model, response);
}

template <typename Response>
absl::Status RecommenderService::RecordValidated(ValidatedEvents validated,
                                                 int accepted,
                                                 const ModelSnapshot& model,
                                                 Response* response) {
  if (accepted > 0) {
    absl::StatusOr<uint64_t> sequence =
        live_->Record(std::move(validated.record));
    if (!sequence.ok()) {
      return absl::UnavailableError(
          absl::StrCat("not recorded: ", sequence.status().message()));
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
  return absl::OkStatus();
}

absl::Status RecommenderService::UpsertItems(
    const CallContext& call, const v1::UpsertItemsRequest& request,
    v1::UpsertItemsResponse* response) {
  if (live_ == nullptr) {
    return absl::FailedPreconditionError(
        "catalog updates are off: start the server with --event_log_dir");
  }
  if (request.items_size() == 0 || request.items_size() > kMaxEventsPerBatch) {
    return absl::InvalidArgumentError(
        absl::StrCat("items: must hold 1 to ", kMaxEventsPerBatch,
                     " items, got ", request.items_size()));
  }
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(call);
  if (!model.ok()) return model.status();
  std::vector<IncomingItem> incoming;
  incoming.reserve(request.items_size());
  for (const v1::CatalogItem& item : request.items()) {
    incoming.push_back(FromProto(item));
  }
  ValidatedEvents validated = ValidateItems(incoming, **model);
  const int accepted = validated.record.items_size();
  call.ReportCount("items_accepted", accepted);
  return RecordValidated(std::move(validated), accepted, **model, response);
}

namespace {

// The batch's customers: the explicit list or the selector's choice, with
// "lapsed" and "active" counted back from `now`.
absl::StatusOr<std::vector<std::string>> BatchCustomers(
    const v1::BatchRecommendRequest& request, const ModelSnapshot& model,
    const LiveState* live, absl::Time now,
    const SegmentCustomersFunction& segment_customers) {
  switch (request.customers_case()) {
    case v1::BatchRecommendRequest::kCustomerList:
      return ValidateCustomerList(
          {request.customer_list().customer_ids().begin(),
           request.customer_list().customer_ids().end()});
    case v1::BatchRecommendRequest::kSelector: {
      const v1::CustomerSelector& selector = request.selector();
      absl::StatusOr<CustomerSelection::Kind> kind = FromProto(selector.kind());
      if (!kind.ok()) return kind.status();
      absl::StatusOr<CustomerSelection> selection =
          MakeCustomerSelection(*kind, selector.days(), "", now);
      if (!selection.ok()) return selection.status();
      return SelectCustomers(model, live, *selection);
    }
    case v1::BatchRecommendRequest::kSegment:
      if (segment_customers) return segment_customers(now);
      return absl::FailedPreconditionError(
          "segment: segments are not available here");
    default:
      return absl::InvalidArgumentError(
          "customers: give customer_list, selector, segment or campaign_id");
  }
}

}  // namespace

absl::StatusOr<BatchPlan> PlanBatch(
    const v1::BatchRecommendRequest& request, const ModelSnapshot& model,
    const LiveState* live, absl::Time now,
    const SegmentCustomersFunction& segment_customers) {
  BatchPlan plan;
  plan.query = FromProto(request);
  plan.query.customer_id = "-";  // Validated as a known customer's query.
  // One "now" for the selector and the picks: the selector's as_of if it
  // names one, else the clock's.
  absl::StatusOr<absl::Time> as_of =
      ResolveAsOf("selector.as_of", request.selector().as_of(), now);
  if (!as_of.ok()) return as_of.status();
  plan.query.as_of = *as_of;
  if (absl::Status valid = ValidateRecommendQuery(plan.query); !valid.ok()) {
    return valid;
  }
  absl::StatusOr<std::vector<std::string>> customers =
      BatchCustomers(request, model, live, *as_of, segment_customers);
  if (!customers.ok()) return customers.status();
  plan.customers = *std::move(customers);
  return plan;
}

absl::StatusOr<RecommenderService::PreparedBatch>
RecommenderService::PrepareBatch(
    const CallContext& call, const v1::BatchRecommendRequest& request) const {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(call);
  if (!model.ok()) return model.status();
  PreparedBatch batch;
  batch.model = *std::move(model);
  // Every kind of batch is a stream: it holds one of --max_streams.
  if (gate_ != nullptr) {
    absl::StatusOr<CallGate::StreamSlot> slot = gate_->AcquireStream();
    if (!slot.ok()) return slot.status();
    batch.slot.emplace(*std::move(slot));
  }
  if (call.keys_enabled && authorizer_ != nullptr) {
    absl::StatusOr<auth::StreamLimiter::Slot> slot =
        authorizer_->streams().Acquire(call.caller.key_id);
    if (!slot.ok()) return slot.status();
    batch.key_slot.emplace(*std::move(slot));
  }
  const absl::Time now = clock_.Now(*batch.model);
  if (request.customers_case() == v1::BatchRecommendRequest::kCampaignId) {
    absl::StatusOr<campaigns::CampaignManager::Export> plan =
        campaigns_.PlanCampaignExport(batch.model, request, now);
    if (!plan.ok()) return plan.status();
    batch.campaign = *std::move(plan);
    return batch;
  }
  absl::StatusOr<BatchPlan> plan = PlanBatch(
      request, *batch.model, live_state(), now,
      [this, &batch, &request](absl::Time as_of) {
        return campaigns_.SegmentCustomers(batch.model, request.segment(),
                                           as_of);
      });
  if (!plan.ok()) return plan.status();
  batch.customers = std::move(plan->customers);
  batch.query = std::move(plan->query);
  call.ReportCount("customers", static_cast<int64_t>(batch.customers.size()));
  return batch;
}

absl::Status RecommenderService::BatchRecommend(
    const CallContext& call, const v1::BatchRecommendRequest& request,
    const BatchWriter& write) {
  absl::StatusOr<PreparedBatch> batch = PrepareBatch(call, request);
  if (!batch.ok()) return batch.status();
  return StreamBatch(call, *std::move(batch), write);
}

absl::Status RecommenderService::StreamBatch(const CallContext& call,
                                             PreparedBatch batch,
                                             const BatchWriter& write) const {
  const ModelSnapshot& model = *batch.model;
  // Blocks while the client is not reading (flow control), at most the
  // gate's write timeout.
  bool timed_out = false;
  auto write_in_time = [&](const v1::BatchRecommendResponse& message) {
    if (gate_ == nullptr) return write(message);
    return gate_->WriteWithDeadline(
        call.cancel, [&] { return write(message); }, &timed_out);
  };
  if (batch.campaign.has_value()) {
    absl::Status streamed = campaigns_.StreamCampaignExport(
        call, model, *std::move(batch.campaign), write_in_time);
    if (timed_out) {
      return absl::DeadlineExceededError(absl::StrCat(
          "the client read nothing for ",
          absl::FormatDuration(gate_->options().stream_write_timeout),
          "; the campaign export was ended (the sends already written stay "
          "recorded)"));
    }
    return streamed;
  }
  const std::vector<std::string>& customers = batch.customers;
  RecommendQuery& query = batch.query;
  v1::BatchRecommendResponse message;
  // A block at a time (batch_recommend.h), streamed in order.
  for (size_t begin = 0; begin < customers.size(); begin += kBatchBlockSize) {
    if (call.IsCancelled()) return absl::CancelledError("client gave up");
    const size_t end = std::min(customers.size(), begin + kBatchBlockSize);
    absl::StatusOr<std::vector<std::vector<Recommendation>>> block =
        RecommendBlock(model, live_state(), query,
                       absl::MakeConstSpan(customers).subspan(begin, end - begin));
    if (!block.ok()) return block.status();
    for (size_t i = begin; i < end; ++i) {
      if (gate_ != nullptr && gate_->streams_stopping()) {
        return absl::UnavailableError(absl::StrCat(
            "the server is shutting down: the stream stopped after ", i,
            " of ", customers.size(), " customers; ask again for the rest"));
      }
      message.Clear();
      message.set_customer_id(customers[i]);
      ToProto(model, (*block)[i - begin], message.mutable_items());
      message.set_model_version(model.version());
      message.set_position(static_cast<int64_t>(i + 1));
      message.set_total(static_cast<int64_t>(customers.size()));
      message.set_recommendation_id(NewRecommendationId());
      if (!write_in_time(message)) {
        if (timed_out) {
          return absl::DeadlineExceededError(absl::StrCat(
              "the client read nothing for ",
              absl::FormatDuration(gate_->options().stream_write_timeout),
              "; the stream was ended after ", i, " of ", customers.size(),
              " customers"));
        }
        return absl::CancelledError("stream closed");
      }
    }
  }
  return absl::OkStatus();
}

namespace {

absl::Status RequireTimingModel(const ModelSnapshot& snapshot) {
  if (!snapshot.timing().has_lifetime() &&
      snapshot.timing().repurchase().items_size() == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "model version ", snapshot.version(),
        " has no timing model; retrain it with this version of the trainer"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RecommenderService::PredictNextPurchase(
    const CallContext& call, const v1::PredictNextPurchaseRequest& request,
    v1::PredictNextPurchaseResponse* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(call);
  if (!model.ok()) return model.status();
  const ModelSnapshot& snapshot = **model;
  absl::StatusOr<absl::Time> as_of = AsOf(request.as_of(), snapshot);
  if (!as_of.ok()) return as_of.status();
  absl::StatusOr<int32_t> row =
      RequireCustomer(snapshot, request.customer_id());
  if (!row.ok()) return row.status();
  if (absl::Status timing = RequireTimingModel(snapshot); !timing.ok()) {
    return timing;
  }
  const int32_t horizon = HorizonDays(request);
  absl::StatusOr<NextPurchasePrediction> prediction =
      recommender::PredictNextPurchase(snapshot, *row, *as_of, horizon,
                                       request.annual_discount_rate());
  if (!prediction.ok()) return prediction.status();
  ToProto(snapshot, *prediction, response);
  response->set_customer_id(request.customer_id());
  response->set_as_of(FormatRfc3339Utc(*as_of));
  response->set_horizon_days(horizon);
  response->set_model_version(snapshot.version());
  return absl::OkStatus();
}

absl::Status RecommenderService::ListDueCustomers(
    const CallContext& call, const v1::ListDueCustomersRequest& request,
    v1::ListDueCustomersResponse* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(call);
  if (!model.ok()) return model.status();
  absl::StatusOr<absl::Time> as_of = AsOf(request.as_of(), **model);
  if (!as_of.ok()) return as_of.status();
  absl::StatusOr<DueSelection> selection = FromProto(request, *as_of);
  if (!selection.ok()) return selection.status();
  absl::StatusOr<DueCustomers> due = SelectDueCustomers(**model, *selection);
  if (!due.ok()) return due.status();
  ToProto(**model, *due, response);
  response->set_model_version((*model)->version());
  call.ReportCount("customers", response->customers_size());
  return absl::OkStatus();
}

absl::Status RecommenderService::DeleteCustomer(
    const CallContext& call, const v1::DeleteCustomerRequest& request,
    v1::DeleteCustomerResponse* response) {
  if (live_ == nullptr) {
    return absl::FailedPreconditionError(
        "erasure needs the event log for its tombstone: start the server "
        "with --event_log_dir");
  }
  if (absl::Status in_time =
          CheckDeadline(call.deadline, std::chrono::system_clock::now());
      !in_time.ok()) {
    return in_time;
  }
  const std::shared_ptr<const ModelSnapshot> model = models_->Current();
  // Asked before the erasure, which hides them.
  const bool in_model =
      model != nullptr && model->FindCustomer(request.customer_id()).has_value();
  absl::StatusOr<LiveEvents::ErasureResult> erased =
      live_->Erase(request.customer_id());
  if (!erased.ok()) {
    if (erased.status().code() == absl::StatusCode::kInvalidArgument) {
      return erased.status();
    }
    return absl::UnavailableError(
        absl::StrCat("not erased: ", erased.status().message()));
  }
  if (cache_ != nullptr) cache_->Invalidate(request.customer_id());
  campaigns_.ForgetCustomer(request.customer_id());
  response->set_sequence(erased->sequence);
  response->set_known(in_model || erased->live_events_removed > 0);
  response->set_live_events_removed(
      static_cast<int32_t>(erased->live_events_removed));
  response->set_already_erased(erased->already_erased);
  call.ReportCount("live_events_removed", erased->live_events_removed);
  return absl::OkStatus();
}

absl::Status RecommenderService::ListSegments(
    const CallContext& /*call*/, const v1::ListSegmentsRequest& /*request*/,
    v1::ListSegmentsResponse* response) {
  return campaigns_.ListSegments(response);
}

absl::Status RecommenderService::GetSegmentSummary(
    const CallContext& call, const v1::GetSegmentSummaryRequest& request,
    v1::SegmentSummary* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(call);
  if (!model.ok()) return model.status();
  absl::StatusOr<absl::Time> as_of = AsOf(request.as_of(), **model);
  if (!as_of.ok()) return as_of.status();
  return campaigns_.GetSegmentSummary(*model, request, *as_of, response);
}

absl::Status RecommenderService::CreateCampaign(
    const CallContext& /*call*/, const v1::CreateCampaignRequest& request,
    v1::Campaign* response) {
  return campaigns_.CreateCampaign(request, response);
}

absl::Status RecommenderService::ListCampaigns(
    const CallContext& /*call*/, const v1::ListCampaignsRequest& /*request*/,
    v1::ListCampaignsResponse* response) {
  return campaigns_.ListCampaigns(response);
}

absl::Status RecommenderService::GetCampaignReport(
    const CallContext& call, const v1::GetCampaignReportRequest& request,
    v1::CampaignReport* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(call);
  if (!model.ok()) return model.status();
  absl::StatusOr<absl::Time> as_of = AsOf(request.as_of(), **model);
  if (!as_of.ok()) return as_of.status();
  return campaigns_.GetCampaignReport(**model, request, *as_of, response);
}

absl::Status RecommenderService::UpdateOptOuts(
    const CallContext& /*call*/, const v1::UpdateOptOutsRequest& request,
    v1::UpdateOptOutsResponse* response) {
  return campaigns_.UpdateOptOuts(request, response);
}

absl::Status RecommenderService::CreateExperiment(
    const CallContext& call, const v1::CreateExperimentRequest& request,
    v1::Experiment* response) {
  // The experiment starts at the server's clock, which Recommend asks.
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(call);
  if (!model.ok()) return model.status();
  return experiments_.CreateExperiment(request, clock_.Now(**model), response);
}

absl::Status RecommenderService::ListExperiments(
    const CallContext& /*call*/, const v1::ListExperimentsRequest& /*request*/,
    v1::ListExperimentsResponse* response) {
  return experiments_.ListExperiments(response);
}

absl::Status RecommenderService::GetExperimentReport(
    const CallContext& call, const v1::GetExperimentReportRequest& request,
    v1::ExperimentReport* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(call);
  if (!model.ok()) return model.status();
  absl::StatusOr<absl::Time> as_of = AsOf(request.as_of(), **model);
  if (!as_of.ok()) return as_of.status();
  return experiments_.GetExperimentReport(**model, request, *as_of, response);
}

// recommender.v1.Recommender over gRPC.

grpc::Status RecommenderService::Recommend(grpc::ServerContext* context,
                                           const v1::RecommendRequest* request,
                                           v1::RecommendResponse* response) {
  return ToGrpcStatus(Recommend(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::SimilarItems(
    grpc::ServerContext* context, const v1::SimilarItemsRequest* request,
    v1::SimilarItemsResponse* response) {
  return ToGrpcStatus(SimilarItems(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::GetCustomerHistory(
    grpc::ServerContext* context, const v1::GetCustomerHistoryRequest* request,
    v1::GetCustomerHistoryResponse* response) {
  return ToGrpcStatus(
      GetCustomerHistory(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::GetModelInfo(
    grpc::ServerContext* context, const v1::GetModelInfoRequest* request,
    v1::ModelInfo* response) {
  return ToGrpcStatus(GetModelInfo(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::RecordEvents(
    grpc::ServerContext* context, const v1::RecordEventsRequest* request,
    v1::RecordEventsResponse* response) {
  return ToGrpcStatus(RecordEvents(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::UpsertItems(
    grpc::ServerContext* context, const v1::UpsertItemsRequest* request,
    v1::UpsertItemsResponse* response) {
  return ToGrpcStatus(UpsertItems(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::BatchRecommend(
    grpc::ServerContext* context, const v1::BatchRecommendRequest* request,
    grpc::ServerWriter<v1::BatchRecommendResponse>* writer) {
  return ToGrpcStatus(
      BatchRecommend(GrpcCall(*context), *request,
                     [writer](const v1::BatchRecommendResponse& message) {
                       // Blocks while the client is not reading (flow control).
                       return writer->Write(message);
                     }));
}

grpc::Status RecommenderService::PredictNextPurchase(
    grpc::ServerContext* context, const v1::PredictNextPurchaseRequest* request,
    v1::PredictNextPurchaseResponse* response) {
  return ToGrpcStatus(
      PredictNextPurchase(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::ListDueCustomers(
    grpc::ServerContext* context, const v1::ListDueCustomersRequest* request,
    v1::ListDueCustomersResponse* response) {
  return ToGrpcStatus(ListDueCustomers(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::ListSegments(
    grpc::ServerContext* context, const v1::ListSegmentsRequest* request,
    v1::ListSegmentsResponse* response) {
  return ToGrpcStatus(ListSegments(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::GetSegmentSummary(
    grpc::ServerContext* context, const v1::GetSegmentSummaryRequest* request,
    v1::SegmentSummary* response) {
  return ToGrpcStatus(
      GetSegmentSummary(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::CreateCampaign(
    grpc::ServerContext* context, const v1::CreateCampaignRequest* request,
    v1::Campaign* response) {
  return ToGrpcStatus(CreateCampaign(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::ListCampaigns(
    grpc::ServerContext* context, const v1::ListCampaignsRequest* request,
    v1::ListCampaignsResponse* response) {
  return ToGrpcStatus(ListCampaigns(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::GetCampaignReport(
    grpc::ServerContext* context, const v1::GetCampaignReportRequest* request,
    v1::CampaignReport* response) {
  return ToGrpcStatus(
      GetCampaignReport(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::UpdateOptOuts(
    grpc::ServerContext* context, const v1::UpdateOptOutsRequest* request,
    v1::UpdateOptOutsResponse* response) {
  return ToGrpcStatus(UpdateOptOuts(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::DeleteCustomer(
    grpc::ServerContext* context, const v1::DeleteCustomerRequest* request,
    v1::DeleteCustomerResponse* response) {
  return ToGrpcStatus(DeleteCustomer(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::CreateExperiment(
    grpc::ServerContext* context, const v1::CreateExperimentRequest* request,
    v1::Experiment* response) {
  return ToGrpcStatus(CreateExperiment(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::ListExperiments(
    grpc::ServerContext* context, const v1::ListExperimentsRequest* request,
    v1::ListExperimentsResponse* response) {
  return ToGrpcStatus(ListExperiments(GrpcCall(*context), *request, response));
}

grpc::Status RecommenderService::GetExperimentReport(
    grpc::ServerContext* context, const v1::GetExperimentReportRequest* request,
    v1::ExperimentReport* response) {
  return ToGrpcStatus(
      GetExperimentReport(GrpcCall(*context), *request, response));
}

}  // namespace recommender::serving
