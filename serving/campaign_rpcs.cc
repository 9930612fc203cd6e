#include "serving/campaign_rpcs.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "recommender/campaigns/arm_assignment.h"
#include "recommender/campaigns/campaign_store.h"
#include "recommender/data/field_parsers.h"
#include "recommender/segments/rfm_grid.h"
#include "recommender/util/time_util.h"
#include "serving/campaign_conversions.h"
#include "serving/proto_conversions.h"

namespace recommender::serving {
namespace {

absl::Status CheckIds(const google::protobuf::RepeatedPtrField<std::string>& ids,
                      absl::string_view field) {
  for (int i = 0; i < ids.size(); ++i) {
    if (absl::Status id = ValidateId(ids[i]); !id.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, "[", i, "]: ", id.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CampaignRpcs::RequireManager() const {
  if (manager_ != nullptr) return absl::OkStatus();
  return absl::FailedPreconditionError("segments and campaigns are off");
}

absl::Status CampaignRpcs::ListSegments(v1::ListSegmentsResponse* response) const {
  if (absl::Status on = RequireManager(); !on.ok()) return on;
  ToProto(manager_->library(), response);
  return absl::OkStatus();
}

absl::Status CampaignRpcs::GetSegmentSummary(
    std::shared_ptr<const ModelSnapshot> model,
    const v1::GetSegmentSummaryRequest& request, absl::Time as_of,
    v1::SegmentSummary* response) const {
  if (absl::Status on = RequireManager(); !on.ok()) return on;
  std::optional<segments::SegmentExpression> expression;
  if (!request.segment().empty()) {
    absl::StatusOr<segments::SegmentExpression> parsed =
        manager_->ParseSegment(request.segment(), "segment");
    if (!parsed.ok()) return parsed.status();
    expression = *std::move(parsed);
  }
  const int64_t version = model->version();
  absl::StatusOr<std::unique_ptr<segments::SegmentSelector>> selector =
      manager_->SelectorAt(std::move(model), live_state(), live_catalog(), as_of);
  if (!selector.ok()) return selector.status();
  std::vector<int32_t> rows;
  if (expression.has_value()) {
    absl::StatusOr<std::vector<int32_t>> selected =
        (*selector)->Select(*expression, "segment");
    if (!selected.ok()) return selected.status();
    rows = *std::move(selected);
  }
  ToProto(segments::SummarizeRfmGrid(**selector,
                                     expression.has_value() ? &rows : nullptr),
          response);
  response->set_as_of(FormatRfc3339Utc(as_of));
  response->set_segment(expression.has_value()
                            ? segments::FormatSegmentExpression(*expression)
                            : "all");
  response->set_model_version(version);
  return absl::OkStatus();
}

absl::Status CampaignRpcs::CreateCampaign(const v1::CreateCampaignRequest& request,
                                          v1::Campaign* response) const {
  if (absl::Status on = RequireManager(); !on.ok()) return on;
  absl::StatusOr<campaigns::StoredCampaign> created =
      manager_->CreateCampaign(FromProto(request.campaign()), absl::Now());
  if (!created.ok()) return created.status();
  ToProto(*created, response);
  return absl::OkStatus();
}

absl::Status CampaignRpcs::ListCampaigns(v1::ListCampaignsResponse* response) const {
  if (absl::Status on = RequireManager(); !on.ok()) return on;
  absl::StatusOr<std::vector<campaigns::StoredCampaign>> all =
      manager_->Campaigns();
  if (!all.ok()) return all.status();
  for (const campaigns::StoredCampaign& c : *all) {
    ToProto(c, response->add_campaigns());
  }
  return absl::OkStatus();
}

absl::Status CampaignRpcs::GetCampaignReport(
    const ModelSnapshot& model, const v1::GetCampaignReportRequest& request,
    absl::Time now, v1::CampaignReport* response) const {
  if (absl::Status on = RequireManager(); !on.ok()) return on;
  const campaigns::ReportOptions options = ReportOptionsFromProto(
      request.confidence(), request.bootstrap_revenue(),
      request.bootstrap_seed());
  absl::StatusOr<campaigns::CampaignReport> report =
      manager_->Report(request.campaign_id(), model, now, options);
  if (!report.ok()) return report.status();
  ToProto(*report, response);
  response->set_model_version(model.version());
  return absl::OkStatus();
}

void CampaignRpcs::ForgetCustomer(absl::string_view customer_id) const {
  if (manager_ != nullptr) manager_->ForgetCustomer(customer_id);
}

absl::Status CampaignRpcs::UpdateOptOuts(const v1::UpdateOptOutsRequest& request,
                                         v1::UpdateOptOutsResponse* response) const {
  if (absl::Status on = RequireManager(); !on.ok()) return on;
  const int total =
      request.opt_out_customer_ids_size() + request.opt_in_customer_ids_size();
  if (total == 0 || total > kMaxOptOutsPerCall) {
    return absl::InvalidArgumentError(absl::StrCat(
        "opt_out_customer_ids, opt_in_customer_ids: give 1 to ",
        kMaxOptOutsPerCall, " ids in all, got ", total));
  }
  if (absl::Status s =
          CheckIds(request.opt_out_customer_ids(), "opt_out_customer_ids");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckIds(request.opt_in_customer_ids(), "opt_in_customer_ids");
      !s.ok()) {
    return s;
  }
  const std::vector<std::string> out(request.opt_out_customer_ids().begin(),
                                     request.opt_out_customer_ids().end());
  const std::vector<std::string> in(request.opt_in_customer_ids().begin(),
                                    request.opt_in_customer_ids().end());
  if (absl::Status s = manager_->UpdateOptOuts(out, in, absl::Now()); !s.ok()) {
    return s;
  }
  response->set_opted_out(static_cast<int32_t>(out.size()));
  response->set_opted_in(static_cast<int32_t>(in.size()));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> CampaignRpcs::SegmentCustomers(
    std::shared_ptr<const ModelSnapshot> model, const std::string& segment,
    absl::Time now) const {
  if (absl::Status on = RequireManager(); !on.ok()) return on;
  absl::StatusOr<segments::SegmentExpression> expression =
      manager_->ParseSegment(segment, "segment");
  if (!expression.ok()) return expression.status();
  absl::StatusOr<std::unique_ptr<segments::SegmentSelector>> selector =
      manager_->SelectorAt(std::move(model), live_state(), live_catalog(), now);
  if (!selector.ok()) return selector.status();
  absl::StatusOr<std::vector<int32_t>> rows =
      (*selector)->Select(*expression, "segment");
  if (!rows.ok()) return rows.status();
  std::vector<std::string> ids;
  ids.reserve(rows->size());
  for (int32_t c : *rows) ids.emplace_back((*selector)->facts().id(c));
  return ids;
}

absl::StatusOr<campaigns::CampaignManager::Export>
CampaignRpcs::PlanCampaignExport(std::shared_ptr<const ModelSnapshot> model,
                                 const v1::BatchRecommendRequest& request,
                                 absl::Time now) const {
  if (absl::Status on = RequireManager(); !on.ok()) return on;
  if (request.count() != 0 || request.max_per_category() != 0 ||
      request.has_filter()) {
    return absl::InvalidArgumentError(
        "count, filter, max_per_category: leave them unset for a campaign "
        "export (the campaign's own apply)");
  }
  absl::StatusOr<std::unique_ptr<segments::SegmentSelector>> selector =
      manager_->SelectorAt(model, live_state(), live_catalog(), now);
  if (!selector.ok()) return selector.status();
  // The facts are not needed past the plan.
  return manager_->PlanExport(request.campaign_id(), **selector, now);
}

absl::Status CampaignRpcs::StreamCampaignExport(
    const CallContext& call, const ModelSnapshot& shop,
    campaigns::CampaignManager::Export export_run,
    const BatchWriter& write) const {
  campaigns::CampaignManager::Export* run = &export_run;
  const campaigns::CampaignDefinition& campaign = run->campaign.definition;
  std::vector<campaigns::Send> batch;
  std::vector<v1::BatchRecommendResponse> messages;
  int64_t position = 0;
  auto flush = [&]() -> absl::Status {
    if (absl::Status recorded = manager_->RecordSends(*run, batch);
        !recorded.ok()) {
      return recorded;
    }
    for (const v1::BatchRecommendResponse& message : messages) {
      // Blocks while the client is not reading (flow control).
      if (!write(message)) return absl::CancelledError("stream closed");
    }
    batch.clear();
    messages.clear();
    return absl::OkStatus();
  };
  for (campaigns::Send& send : run->plan.sends) {
    if (call.IsCancelled()) return absl::CancelledError("client gave up");
    absl::StatusOr<std::vector<Recommendation>> picks =
        manager_->PicksFor(*run, send, shop, live_state());
    if (!picks.ok()) return picks.status();
    for (const Recommendation& pick : *picks) {
      send.item_ids.push_back(shop.item(pick.item).id());
    }
    if (send.arm != campaigns::ArmAssigner::kControl) {
      v1::BatchRecommendResponse& message = messages.emplace_back();
      message.set_customer_id(send.customer_id);
      ToProto(shop, *picks, message.mutable_items());
      message.set_model_version(shop.version());
      message.set_position(++position);
      message.set_total(run->plan.mailed);
      message.set_recommendation_id(
          campaigns::RecommendationId(campaign.id, send.customer_id));
      message.set_campaign_id(campaign.id);
      message.set_arm(campaign.arms[send.arm].name);
    }
    batch.push_back(std::move(send));
    if (batch.size() >= campaigns::CampaignStore::kSendsPerRecord) {
      if (absl::Status s = flush(); !s.ok()) return s;
    }
  }
  if (absl::Status s = flush(); !s.ok()) return s;
  absl::StatusOr<campaigns::ExportSummary> summary = manager_->FinishExport(*run);
  if (!summary.ok()) return summary.status();
  v1::BatchRecommendResponse last;
  last.set_model_version(shop.version());
  last.set_campaign_id(campaign.id);
  last.set_total(run->plan.mailed);
  ToProto(*summary, last.mutable_export_summary());
  if (!write(last)) return absl::CancelledError("stream closed");
  return absl::OkStatus();
}

}  // namespace recommender::serving
