#include "recommender/campaigns/campaign_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "recommender/campaigns/arm_assignment.h"
#include "recommender/campaigns/campaign_record.h"
#include "recommender/util/time_util.h"

namespace recommender::campaigns {

absl::StatusOr<std::unique_ptr<CampaignStore>> CampaignStore::Open(
    const std::string& dir, const CampaignLogWriter::Options& options,
    ErasedCustomerTest erased) {
  std::unique_ptr<CampaignStore> store(new CampaignStore());
  store->erased_ = std::move(erased);
  CampaignStore* raw = store.get();
  absl::StatusOr<std::unique_ptr<CampaignLogWriter>> writer =
      OpenCampaignLogForStore(dir, options, store->erased_,
                              [raw](const CampaignLogRecord& record) {
                                absl::MutexLock lock(&raw->mu_);
                                return raw->Apply(record);
                              });
  if (!writer.ok()) return writer.status();
  store->writer_ = *std::move(writer);
  return store;
}

absl::Status CampaignStore::Apply(const CampaignLogRecord& record) {
  switch (record.entry_case()) {
    case CampaignLogRecord::kCampaign: {
      absl::StatusOr<CampaignDefinition> definition =
          FromRecord(record.campaign());
      if (!definition.ok()) return definition.status();
      if (campaign_index_.contains(definition->id)) {
        return absl::DataLossError(absl::StrCat(
            "campaign log record ", record.sequence(), ": campaign \"",
            definition->id, "\" created twice"));
      }
      CampaignState state;
      state.stored.definition = *std::move(definition);
      state.stored.resolved_segment = record.campaign().resolved_segment();
      state.stored.created =
          absl::FromUnixSeconds(record.campaign().created_unix_seconds());
      campaign_index_[state.stored.definition.id] =
          static_cast<uint32_t>(campaigns_.size());
      campaigns_.push_back(std::move(state));
      return absl::OkStatus();
    }
    case CampaignLogRecord::kSends:
      return ApplySends(record.sends());
    case CampaignLogRecord::kExportSummary: {
      auto it = campaign_index_.find(record.export_summary().campaign_id());
      if (it == campaign_index_.end()) {
        return absl::DataLossError(absl::StrCat(
            "campaign log record ", record.sequence(),
            ": export of unknown campaign \"",
            record.export_summary().campaign_id(), "\""));
      }
      campaigns_[it->second].stored.exports.push_back(record.export_summary());
      return absl::OkStatus();
    }
    case CampaignLogRecord::kOptOuts:
      for (const OptOut& o : record.opt_outs().opt_outs()) {
        if (o.opted_out()) {
          opted_out_.insert(o.customer_id());
        } else {
          opted_out_.erase(o.customer_id());
        }
      }
      return absl::OkStatus();
    case CampaignLogRecord::kExperiment:
    case CampaignLogRecord::kExposures:
      return absl::DataLossError(absl::StrCat(
          "campaign log record ", record.sequence(),
          ": an experiment record, which belongs in the experiments folder"));
    case CampaignLogRecord::ENTRY_NOT_SET:
      break;
  }
  return absl::DataLossError(absl::StrCat("campaign log record ",
                                          record.sequence(), " has no entry"));
}

absl::Status CampaignStore::ApplySends(const SendBatch& batch) {
  auto it = campaign_index_.find(batch.campaign_id());
  if (it == campaign_index_.end()) {
    return absl::DataLossError(absl::StrCat(
        "campaign log: sends of unknown campaign \"", batch.campaign_id(), "\""));
  }
  const uint32_t index = it->second;
  CampaignState& state = campaigns_[index];
  const std::vector<CampaignArm>& arms = state.stored.definition.arms;
  for (const SendRecord& record : batch.sends()) {
    int arm = ArmAssigner::kControl;
    if (record.arm() != kControlArm) {
      auto named = std::find_if(arms.begin(), arms.end(),
                                [&](const CampaignArm& a) {
                                  return a.name == record.arm();
                                });
      if (named == arms.end()) {
        return absl::DataLossError(absl::StrCat(
            "campaign log: send of campaign \"", batch.campaign_id(),
            "\" names unknown arm \"", record.arm(), "\""));
      }
      arm = static_cast<int>(named - arms.begin());
    }
    if (!state.by_customer.emplace(record.customer_id(), state.sends.size())
             .second) {
      continue;  // The first send counts.
    }
    Send send;
    send.customer_id = record.customer_id();
    send.arm = arm;
    send.item_ids.assign(record.item_ids().begin(), record.item_ids().end());
    send.unix_seconds = record.unix_seconds();
    state.sends.push_back(std::move(send));
    ++state.stored.sends;
    if (arm != ArmAssigner::kControl) {
      contacts_[record.customer_id()].push_back({record.unix_seconds(), index});
    }
  }
  return absl::OkStatus();
}

absl::Status CampaignStore::CreateCampaign(const CampaignDefinition& campaign,
                                           const std::string& resolved_segment,
                                           absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (campaign_index_.contains(campaign.id)) {
    return absl::AlreadyExistsError(absl::StrCat(
        "campaign.id: campaign \"", campaign.id, "\" exists already"));
  }
  CampaignLogRecord record;
  *record.mutable_campaign() = ToRecord(campaign);
  record.mutable_campaign()->set_resolved_segment(resolved_segment);
  record.mutable_campaign()->set_created_unix_seconds(absl::ToUnixSeconds(now));
  absl::StatusOr<uint64_t> sequence = writer_->Append(record);
  if (!sequence.ok()) return sequence.status();
  record.set_sequence(*sequence);
  return Apply(record);
}

std::optional<StoredCampaign> CampaignStore::FindCampaign(
    absl::string_view id) const {
  absl::MutexLock lock(&mu_);
  auto it = campaign_index_.find(id);
  if (it == campaign_index_.end()) return std::nullopt;
  return campaigns_[it->second].stored;
}

std::vector<StoredCampaign> CampaignStore::Campaigns() const {
  absl::MutexLock lock(&mu_);
  std::vector<StoredCampaign> out;
  for (const CampaignState& state : campaigns_) out.push_back(state.stored);
  return out;
}

absl::Status CampaignStore::RecordSends(absl::string_view campaign_id,
                                        absl::string_view export_id,
                                        absl::Span<const Send> sends) {
  absl::MutexLock lock(&mu_);
  auto it = campaign_index_.find(campaign_id);
  if (it == campaign_index_.end()) {
    return absl::NotFoundError(
        absl::StrCat("campaign_id: unknown campaign \"", campaign_id, "\""));
  }
  const std::vector<CampaignArm>& arms =
      campaigns_[it->second].stored.definition.arms;
  for (size_t i = 0; i < sends.size(); ++i) {
    if (sends[i].arm < ArmAssigner::kControl ||
        sends[i].arm >= static_cast<int>(arms.size())) {
      return absl::InvalidArgumentError(
          absl::StrCat("sends[", i, "].arm: no arm ", sends[i].arm,
                       " in campaign \"", campaign_id, "\""));
    }
  }
  for (size_t begin = 0; begin < sends.size(); begin += kSendsPerRecord) {
    const size_t end = std::min(sends.size(), begin + kSendsPerRecord);
    CampaignLogRecord record;
    SendBatch* batch = record.mutable_sends();
    batch->set_campaign_id(std::string(campaign_id));
    batch->set_export_id(std::string(export_id));
    for (size_t i = begin; i < end; ++i) {
      const Send& send = sends[i];
      if (erased_ && erased_(send.customer_id)) continue;
      SendRecord* out = batch->add_sends();
      out->set_customer_id(send.customer_id);
      out->set_arm(send.arm == ArmAssigner::kControl ? kControlArm
                                                     : arms[send.arm].name);
      for (const std::string& item : send.item_ids) out->add_item_ids(item);
      out->set_recommendation_id(
          RecommendationId(campaign_id, send.customer_id));
      out->set_unix_seconds(send.unix_seconds);
    }
    if (batch->sends().empty()) continue;
    absl::StatusOr<uint64_t> sequence = writer_->Append(record);
    if (!sequence.ok()) return sequence.status();
    if (absl::Status s = ApplySends(record.sends()); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CampaignStore::RecordExport(const ExportSummary& summary) {
  absl::MutexLock lock(&mu_);
  if (!campaign_index_.contains(summary.campaign_id())) {
    return absl::NotFoundError(absl::StrCat(
        "campaign_id: unknown campaign \"", summary.campaign_id(), "\""));
  }
  CampaignLogRecord record;
  *record.mutable_export_summary() = summary;
  absl::StatusOr<uint64_t> sequence = writer_->Append(record);
  if (!sequence.ok()) return sequence.status();
  return Apply(record);
}

absl::Status CampaignStore::SetOptOut(absl::Span<const std::string> customer_ids,
                                      bool opted_out, absl::Time now) {
  if (customer_ids.empty()) return absl::OkStatus();
  CampaignLogRecord record;
  for (const std::string& id : customer_ids) {
    if (erased_ && erased_(id)) continue;
    OptOut* o = record.mutable_opt_outs()->add_opt_outs();
    o->set_customer_id(id);
    o->set_opted_out(opted_out);
    o->set_unix_seconds(absl::ToUnixSeconds(now));
  }
  if (record.opt_outs().opt_outs().empty()) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  absl::StatusOr<uint64_t> sequence = writer_->Append(record);
  if (!sequence.ok()) return sequence.status();
  return Apply(record);
}

void CampaignStore::ForgetCustomer(absl::string_view customer_id) {
  absl::MutexLock lock(&mu_);
  for (CampaignState& state : campaigns_) {
    auto found = state.by_customer.find(customer_id);
    if (found == state.by_customer.end()) continue;
    state.sends.erase(state.sends.begin() +
                      static_cast<std::ptrdiff_t>(found->second));
    --state.stored.sends;
    state.by_customer.clear();
    for (size_t i = 0; i < state.sends.size(); ++i) {
      state.by_customer.emplace(state.sends[i].customer_id, i);
    }
  }
  contacts_.erase(customer_id);
  opted_out_.erase(customer_id);
}

absl::StatusOr<CampaignLogCompactionStats> CampaignStore::CompactErased() {
  if (!erased_) return CampaignLogCompactionStats();
  return writer_->Compact(erased_);
}

absl::StatusOr<std::vector<Send>> CampaignStore::SendsOf(
    absl::string_view campaign_id) const {
  absl::MutexLock lock(&mu_);
  auto it = campaign_index_.find(campaign_id);
  if (it == campaign_index_.end()) {
    return absl::NotFoundError(
        absl::StrCat("campaign_id: unknown campaign \"", campaign_id, "\""));
  }
  return campaigns_[it->second].sends;
}

bool CampaignStore::OptedOut(absl::string_view customer_id) const {
  absl::MutexLock lock(&mu_);
  return opted_out_.contains(customer_id);
}

bool CampaignStore::AlreadySent(absl::string_view campaign_id,
                                absl::string_view customer_id) const {
  absl::MutexLock lock(&mu_);
  auto it = campaign_index_.find(campaign_id);
  return it != campaign_index_.end() &&
         campaigns_[it->second].by_customer.contains(customer_id);
}

int CampaignStore::ContactsWithin(absl::string_view customer_id, int64_t from,
                                  int64_t to,
                                  absl::string_view except_campaign) const {
  absl::MutexLock lock(&mu_);
  auto found = contacts_.find(customer_id);
  if (found == contacts_.end()) return 0;
  auto except = campaign_index_.find(except_campaign);
  const int64_t skip = except == campaign_index_.end() ? -1 : except->second;
  int count = 0;
  for (const Contact& c : found->second) {
    if (c.campaign != skip && c.unix_seconds > from && c.unix_seconds <= to) {
      ++count;
    }
  }
  return count;
}

}  // namespace recommender::campaigns
