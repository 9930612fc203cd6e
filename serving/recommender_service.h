// RecommenderService: the front of the ranking core, shared by both
// transports. Each handler checks the deadline, takes the current model,
// converts the request (proto_conversions.h, timing_conversions.h), calls
// the core and maps the result. The handlers are transport-free (a
// CallContext in, an absl::Status out): the gRPC methods wrap them with
// ToGrpcStatus (grpc_status.h) and the HTTP gateway (serving/http/) calls
// them in process. A handler holds the model for the whole call (a whole
// BatchRecommend stream included), so a reload during the call does not
// affect it. With live events, Recommend and BatchRecommend see every event
// RecordEvents has acknowledged.
//
// Access is checked before a handler runs, by the transport (gRPC's auth
// processor, serving/grpc_auth.h; the HTTP gateway's authorization hook),
// which puts the caller in CallContext. With keys on, handlers add the
// checks that need the request: RecordEvents' event types against the
// caller's roles (auth::CheckEventTypes), BatchRecommend's per-key stream
// cap, and a browser call's customer scope (CallContext::customer_scope:
// the customer of a verified customer token, or none). DeleteCustomer
// erases a customer (right to erasure) through LiveEvents.
//
// Thread-safe: gRPC calls handlers concurrently.
#ifndef SERVING_RECOMMENDER_SERVICE_H_
#define SERVING_RECOMMENDER_SERVICE_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "proto/recommender.grpc.pb.h"
#include "recommender/campaigns/campaign_manager.h"
#include "recommender/live/event_validation.h"
#include "recommender/live/live_events.h"
#include "recommender/model/model_manager.h"
#include "recommender/ranking/candidate_cache.h"
#include "recommender/ranking/recommend.h"
#include "serving/as_of.h"
#include "serving/auth/authorizer.h"
#include "serving/call_context.h"
#include "serving/call_gate.h"
#include "serving/campaign_rpcs.h"

namespace recommender::serving {

class RecommenderService final : public v1::Recommender::Service {
 public:
  // None is owned; all must outlive the service. `live` may be null: then
  // RecordEvents, UpsertItems and DeleteCustomer are FAILED_PRECONDITION
  // and answers use the model only.
  // `clock` says what "now" is for requests that do not name it (as_of.h);
  // every RPC takes it once per call from there. `campaigns` may be null:
  // then the segment and campaign calls are FAILED_PRECONDITION
  // (campaign_rpcs.h). `gate` (may be null: no limits) admits calls,
  // bounds campaign streams and their writes, and ends streams early in a
  // drain (call_gate.h). `authorizer` may be null (no keys): it holds the
  // per-key stream caps.
  explicit RecommenderService(const ModelManager* models,
                              LiveEvents* live = nullptr,
                              RequestClock clock = ClockMode::kWall,
                              campaigns::CampaignManager* campaigns = nullptr,
                              CandidateCache* cache = nullptr,
                              CallGate* gate = nullptr,
                              auth::Authorizer* authorizer = nullptr);

  // The handlers, for any transport. Errors as proto/recommender.proto
  // documents them, plus DEADLINE_EXCEEDED past call.deadline.
  absl::Status Recommend(const CallContext& call,
                         const v1::RecommendRequest& request,
                         v1::RecommendResponse* response);
  absl::Status SimilarItems(const CallContext& call,
                            const v1::SimilarItemsRequest& request,
                            v1::SimilarItemsResponse* response);
  absl::Status GetCustomerHistory(const CallContext& call,
                                  const v1::GetCustomerHistoryRequest& request,
                                  v1::GetCustomerHistoryResponse* response);
  absl::Status GetModelInfo(const CallContext& call,
                            const v1::GetModelInfoRequest& request,
                            v1::ModelInfo* response);
  absl::Status RecordEvents(const CallContext& call,
                            const v1::RecordEventsRequest& request,
                            v1::RecordEventsResponse* response);
  absl::Status UpsertItems(const CallContext& call,
                           const v1::UpsertItemsRequest& request,
                           v1::UpsertItemsResponse* response);
  // Called once per customer of a BatchRecommend, in order; returns false
  // once the reader has gone (the stream then ends CANCELLED). It may block
  // while the reader is slow.
  using BatchWriter = CampaignRpcs::BatchWriter;
  absl::Status BatchRecommend(const CallContext& call,
                              const v1::BatchRecommendRequest& request,
                              const BatchWriter& write);
  // BatchRecommend in two steps, for a transport that must know whether
  // the call fails before it starts answering: everything that can be
  // refused (the model, the request's fields, the selector) is checked and
  // the customers chosen first; then the stream runs.
  struct PreparedBatch {
    std::shared_ptr<const ModelSnapshot> model;
    std::vector<std::string> customers;
    RecommendQuery query;
    // Set for a campaign export (request.campaign_id): its plan.
    std::optional<campaigns::CampaignManager::Export> campaign;
    // The stream's place among the gate's --max_streams (none without a
    // gate), held until the stream ends.
    std::optional<CallGate::StreamSlot> slot;
    // The stream's place among its key's --max_streams_per_key (none
    // without keys), held until the stream ends.
    std::optional<auth::StreamLimiter::Slot> key_slot;
  };
  absl::StatusOr<PreparedBatch> PrepareBatch(
      const CallContext& call, const v1::BatchRecommendRequest& request) const;
  // StreamBatch writes one message per customer, stopping at the first
  // error, when the caller goes away (CANCELLED), when a write waits longer
  // than the gate's write timeout for the caller to read
  // (DEADLINE_EXCEEDED) or when a drain ends streams (UNAVAILABLE, saying
  // how far it got).
  absl::Status StreamBatch(const CallContext& call, PreparedBatch batch,
                           const BatchWriter& write) const;
  absl::Status PredictNextPurchase(
      const CallContext& call, const v1::PredictNextPurchaseRequest& request,
      v1::PredictNextPurchaseResponse* response);
  absl::Status ListDueCustomers(const CallContext& call,
                                const v1::ListDueCustomersRequest& request,
                                v1::ListDueCustomersResponse* response);
  absl::Status ListSegments(const CallContext& call,
                            const v1::ListSegmentsRequest& request,
                            v1::ListSegmentsResponse* response);
  absl::Status GetSegmentSummary(const CallContext& call,
                                 const v1::GetSegmentSummaryRequest& request,
                                 v1::SegmentSummary* response);
  absl::Status CreateCampaign(const CallContext& call,
                              const v1::CreateCampaignRequest& request,
                              v1::Campaign* response);
  absl::Status ListCampaigns(const CallContext& call,
                             const v1::ListCampaignsRequest& request,
                             v1::ListCampaignsResponse* response);
  absl::Status GetCampaignReport(const CallContext& call,
                                 const v1::GetCampaignReportRequest& request,
                                 v1::CampaignReport* response);
  absl::Status UpdateOptOuts(const CallContext& call,
                             const v1::UpdateOptOutsRequest& request,
                             v1::UpdateOptOutsResponse* response);
  absl::Status DeleteCustomer(const CallContext& call,
                              const v1::DeleteCustomerRequest& request,
                              v1::DeleteCustomerResponse* response);

  // recommender.v1.Recommender over gRPC: each calls the handler above.
  grpc::Status Recommend(grpc::ServerContext* context,
                         const v1::RecommendRequest* request,
                         v1::RecommendResponse* response) override;

  grpc::Status SimilarItems(grpc::ServerContext* context,
                            const v1::SimilarItemsRequest* request,
                            v1::SimilarItemsResponse* response) override;

  grpc::Status GetCustomerHistory(
      grpc::ServerContext* context,
      const v1::GetCustomerHistoryRequest* request,
      v1::GetCustomerHistoryResponse* response) override;

  grpc::Status GetModelInfo(grpc::ServerContext* context,
                            const v1::GetModelInfoRequest* request,
                            v1::ModelInfo* response) override;

  grpc::Status RecordEvents(grpc::ServerContext* context,
                            const v1::RecordEventsRequest* request,
                            v1::RecordEventsResponse* response) override;

  grpc::Status UpsertItems(grpc::ServerContext* context,
                           const v1::UpsertItemsRequest* request,
                           v1::UpsertItemsResponse* response) override;

  grpc::Status BatchRecommend(
      grpc::ServerContext* context, const v1::BatchRecommendRequest* request,
      grpc::ServerWriter<v1::BatchRecommendResponse>* writer) override;
  grpc::Status PredictNextPurchase(
      grpc::ServerContext* context,
      const v1::PredictNextPurchaseRequest* request,
      v1::PredictNextPurchaseResponse* response) override;

  grpc::Status ListDueCustomers(
      grpc::ServerContext* context, const v1::ListDueCustomersRequest* request,
      v1::ListDueCustomersResponse* response) override;
  grpc::Status ListSegments(grpc::ServerContext* context,
                            const v1::ListSegmentsRequest* request,
                            v1::ListSegmentsResponse* response) override;
  grpc::Status GetSegmentSummary(grpc::ServerContext* context,
                                 const v1::GetSegmentSummaryRequest* request,
                                 v1::SegmentSummary* response) override;
  grpc::Status CreateCampaign(grpc::ServerContext* context,
                              const v1::CreateCampaignRequest* request,
                              v1::Campaign* response) override;
  grpc::Status ListCampaigns(grpc::ServerContext* context,
                             const v1::ListCampaignsRequest* request,
                             v1::ListCampaignsResponse* response) override;
  grpc::Status GetCampaignReport(grpc::ServerContext* context,
                                 const v1::GetCampaignReportRequest* request,
                                 v1::CampaignReport* response) override;
  grpc::Status UpdateOptOuts(grpc::ServerContext* context,
                             const v1::UpdateOptOutsRequest* request,
                             v1::UpdateOptOutsResponse* response) override;

  grpc::Status DeleteCustomer(grpc::ServerContext* context,
                              const v1::DeleteCustomerRequest* request,
                              v1::DeleteCustomerResponse* response) override;

 private:
  const LiveState* live_state() const {
    return live_ == nullptr ? nullptr : &live_->state();
  }
  const LiveCatalog* live_catalog() const {
    return live_ == nullptr ? nullptr : &live_->catalog();
  }
  // Appends what passed validation and fills the response's common fields.
  template <typename Response>
  absl::Status RecordValidated(ValidatedEvents validated, int accepted,
                               const ModelSnapshot& model, Response* response);
  // The model to answer with, or UNAVAILABLE / DEADLINE_EXCEEDED.
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> ModelFor(
      const CallContext& call) const;
  // "Now" for the request: `text` (its as_of field) or the clock mode's.
  absl::StatusOr<absl::Time> AsOf(absl::string_view text,
                                  const ModelSnapshot& model) const;

  // With keys on: PermissionDenied unless the caller may record each of
  // the events' types; on the browser path, unless every event is the
  // token's customer's.
  absl::Status CheckEvents(const CallContext& call,
                           const std::vector<IncomingEvent>& events) const;
  // True if the model or the live events know the customer.
  bool KnowsCustomer(absl::string_view customer_id) const;
  // A gRPC call's context with its caller (CallerOf) and audit counts
  // (ReportCount); valid while `context` is.
  CallContext GrpcCall(grpc::ServerContext& context) const;

  const ModelManager* models_;
  LiveEvents* live_;
  // Not owned; may be null (no cache).
  CandidateCache* cache_;
  const RequestClock clock_;
  const CampaignRpcs campaigns_;
  CallGate* const gate_;
  // Not owned; may be null (no keys).
  auth::Authorizer* const authorizer_;
};

// What a BatchRecommend request asks for, checked: its customers (listed,
// repeats dropped, or chosen by the selector counting back from `now` or
// the selector's as_of) and the query they share, ranked as of the same
// moment. InvalidArgument naming the field. `live` may be null.
// A segment's members are chosen by `segment_customers` (as of the given
// moment); without it a segment request is FAILED_PRECONDITION.
struct BatchPlan {
  std::vector<std::string> customers;
  RecommendQuery query;
};
using SegmentCustomersFunction =
    std::function<absl::StatusOr<std::vector<std::string>>(absl::Time as_of)>;
absl::StatusOr<BatchPlan> PlanBatch(
    const v1::BatchRecommendRequest& request, const ModelSnapshot& model,
    const LiveState* live, absl::Time now,
    const SegmentCustomersFunction& segment_customers = nullptr);

// A fresh random id for one response ("r-" and 32 hex digits).
std::string NewRecommendationId();

// DeadlineExceeded if `deadline` has passed at `now`: every handler asks
// before it searches, so a call that waited too long in the queue costs no
// search.
absl::Status CheckDeadline(std::chrono::system_clock::time_point deadline,
                           std::chrono::system_clock::time_point now);

}  // namespace recommender::serving

#endif  // SERVING_RECOMMENDER_SERVICE_H_
