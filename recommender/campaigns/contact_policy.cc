#include "recommender/campaigns/contact_policy.h"

#include "absl/strings/str_cat.h"

namespace recommender::campaigns {

absl::Status ValidateContactRules(const ContactRules& rules) {
  if (rules.max_contacts < 0 || rules.max_contacts > 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "contact_rules.max_contacts: must be 0 (no cap) to 100, got ",
        rules.max_contacts));
  }
  if (rules.per_days < 1 || rules.per_days > 365) {
    return absl::InvalidArgumentError(absl::StrCat(
        "contact_rules.per_days: must be 1 to 365, got ", rules.per_days));
  }
  return absl::OkStatus();
}

ContactCounts ApplyContactPolicy(const ContactRules& rules,
                                 const ContactLedger& ledger,
                                 absl::string_view campaign_id, absl::Time now,
                                 std::vector<std::string>* customer_ids,
                                 std::vector<int32_t>* rows) {
  ContactCounts counts;
  const int64_t to = absl::ToUnixSeconds(now);
  const int64_t from = to - int64_t{rules.per_days} * 86400;
  size_t out = 0;
  for (size_t i = 0; i < customer_ids->size(); ++i) {
    const std::string& id = (*customer_ids)[i];
    ++counts.selected;
    if (ledger.OptedOut(id)) {
      ++counts.opted_out;
      continue;
    }
    if (ledger.AlreadySent(campaign_id, id)) {
      ++counts.already_sent;
      continue;
    }
    if (rules.max_contacts > 0 &&
        ledger.ContactsWithin(id, from, to, campaign_id) >= rules.max_contacts) {
      ++counts.capped;
      continue;
    }
    if (out != i) {
      (*customer_ids)[out] = std::move((*customer_ids)[i]);
      if (rows != nullptr) (*rows)[out] = (*rows)[i];
    }
    ++out;
  }
  customer_ids->resize(out);
  if (rows != nullptr) rows->resize(out);
  counts.eligible = static_cast<int64_t>(out);
  return counts;
}

}  // namespace recommender::campaigns
