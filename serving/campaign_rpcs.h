// The segment and campaign calls of recommender.v1.Recommender, kept out of
// recommender_service.cc so that each file holds one idea. The service
// takes the model and checks the deadline, then hands over here; each call
// converts its request (campaign_conversions.h), asks the campaign manager
// (recommender/campaigns/campaign_manager.h) and converts the answer.
// Errors are absl::Status; the service maps them with ToGrpcStatus.
//
// Ownership: borrows the manager and the live events (either may be null:
// then campaign calls are FailedPrecondition, and segments see the model
// only). Thread-safe: gRPC calls it concurrently.
#ifndef SERVING_CAMPAIGN_RPCS_H_
#define SERVING_CAMPAIGN_RPCS_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "proto/recommender.grpc.pb.h"
#include "recommender/campaigns/campaign_manager.h"
#include "recommender/live/live_events.h"
#include "recommender/model/model_snapshot.h"
#include "serving/call_context.h"

namespace recommender::serving {

inline constexpr int kMaxOptOutsPerCall = 100000;

class CampaignRpcs {
 public:
  CampaignRpcs(campaigns::CampaignManager* manager, LiveEvents* live)
      : manager_(manager), live_(live) {}

  absl::Status ListSegments(v1::ListSegmentsResponse* response) const;

  // `as_of` is the request's moment, already resolved.
  absl::Status GetSegmentSummary(std::shared_ptr<const ModelSnapshot> model,
                                 const v1::GetSegmentSummaryRequest& request,
                                 absl::Time as_of,
                                 v1::SegmentSummary* response) const;

  absl::Status CreateCampaign(const v1::CreateCampaignRequest& request,
                              v1::Campaign* response) const;
  absl::Status ListCampaigns(v1::ListCampaignsResponse* response) const;

  absl::Status GetCampaignReport(const ModelSnapshot& model,
                                 const v1::GetCampaignReportRequest& request,
                                 absl::Time now,
                                 v1::CampaignReport* response) const;

  absl::Status UpdateOptOuts(const v1::UpdateOptOutsRequest& request,
                             v1::UpdateOptOutsResponse* response) const;

  // Drops an erased customer from the campaign and experiment records in
  // memory (CampaignManager::ForgetCustomer); nothing without campaigns.
  void ForgetCustomer(absl::string_view customer_id) const;

  // The customers of a segment expression (BatchRecommend's `segment`), in
  // the model's order, then live-only customers by id.
  absl::StatusOr<std::vector<std::string>> SegmentCustomers(
      std::shared_ptr<const ModelSnapshot> model, const std::string& segment,
      absl::Time now) const;

  // Receives one message of a stream; false once the reader has gone.
  using BatchWriter = std::function<bool(const v1::BatchRecommendResponse&)>;

  // BatchRecommend's campaign export, in two steps so that a refusal comes
  // before anything is streamed. Plan: checks the request and plans the
  // export at `now` (nothing is recorded yet).
  absl::StatusOr<campaigns::CampaignManager::Export> PlanCampaignExport(
      std::shared_ptr<const ModelSnapshot> model,
      const v1::BatchRecommendRequest& request, absl::Time now) const;
  // Then, in batches of CampaignStore::kSendsPerRecord: picks for every
  // send, the batch recorded durably, its mailed customers written; the
  // last message carries the export summary. Cancelled if the client goes
  // away (what was recorded stays recorded).
  absl::Status StreamCampaignExport(const CallContext& call,
                                    const ModelSnapshot& shop,
                                    campaigns::CampaignManager::Export run,
                                    const BatchWriter& write) const;

 private:
  absl::Status RequireManager() const;
  const LiveState* live_state() const {
    return live_ == nullptr ? nullptr : &live_->state();
  }
  const LiveCatalog* live_catalog() const {
    return live_ == nullptr ? nullptr : &live_->catalog();
  }

  campaigns::CampaignManager* manager_;
  LiveEvents* live_;
};

}  // namespace recommender::serving

#endif  // SERVING_CAMPAIGN_RPCS_H_
