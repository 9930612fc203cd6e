// The promises a shop makes about mail: a customer who opted out is never
// selected, and nobody is contacted by more than N campaigns in D days
// across all campaigns (the contact-frequency cap). Applied to a campaign's
// selected customers before they are split into arms and control, so that
// both groups face the same rules and the comparison stays fair; the
// counts say how many each rule dropped.
//
// Only mailed customers count as contacted: the held-back control group
// got nothing.
//
// Thread-safe: pure function over a ContactLedger, which must be safe for
// concurrent reads.
#ifndef RECOMMENDER_CAMPAIGNS_CONTACT_POLICY_H_
#define RECOMMENDER_CAMPAIGNS_CONTACT_POLICY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace recommender::campaigns {

// A shop setting: at most `max_contacts` campaigns per `per_days` days.
struct ContactRules {
  // 1 to 100; 0 turns the cap off.
  int max_contacts = 1;
  // 1 to 365.
  int per_days = 7;
};

// InvalidArgument naming "contact_rules.max_contacts" or
// "contact_rules.per_days".
absl::Status ValidateContactRules(const ContactRules& rules);

// What the policy needs to know of past mail (the campaign store keeps it).
class ContactLedger {
 public:
  virtual ~ContactLedger() = default;
  virtual bool OptedOut(absl::string_view customer_id) const = 0;
  // True if the campaign already has a send (mailed or held back) for the
  // customer: a re-export leaves them as they were.
  virtual bool AlreadySent(absl::string_view campaign_id,
                           absl::string_view customer_id) const = 0;
  // Campaigns other than `except_campaign` that mailed the customer at a
  // time in (from, to], Unix seconds.
  virtual int ContactsWithin(absl::string_view customer_id, int64_t from,
                             int64_t to,
                             absl::string_view except_campaign) const = 0;
};

struct ContactCounts {
  int64_t selected = 0;
  int64_t opted_out = 0;
  int64_t already_sent = 0;
  int64_t capped = 0;
  int64_t eligible = 0;
};

// Keeps the customers (ids in `customer_ids`, parallel to `rows`, which are
// passed through) that the rules allow `campaign_id` to contact at `now`:
// not opted out, not sent by this campaign before, and with fewer than
// max_contacts contacts by other campaigns in the `per_days` days up to
// now. Rules are applied in that order; each customer is counted under the
// first rule that drops them.
ContactCounts ApplyContactPolicy(const ContactRules& rules,
                                 const ContactLedger& ledger,
                                 absl::string_view campaign_id, absl::Time now,
                                 std::vector<std::string>* customer_ids,
                                 std::vector<int32_t>* rows);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_CONTACT_POLICY_H_
