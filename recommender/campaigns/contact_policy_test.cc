#include "recommender/campaigns/contact_policy.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace recommender::campaigns {
namespace {

constexpr int64_t kNow = 1767225600;
constexpr int64_t kDay = 86400;

// A ledger of hand-written contacts.
class FakeLedger : public ContactLedger {
 public:
  std::set<std::string> opted_out;
  std::set<std::pair<std::string, std::string>> sent;  // (campaign, customer)
  // customer -> (campaign, time) of mailed sends.
  std::multimap<std::string, std::pair<std::string, int64_t>> contacts;

  bool OptedOut(absl::string_view id) const override {
    return opted_out.count(std::string(id)) > 0;
  }
  bool AlreadySent(absl::string_view campaign,
                   absl::string_view id) const override {
    return sent.count({std::string(campaign), std::string(id)}) > 0;
  }
  int ContactsWithin(absl::string_view id, int64_t from, int64_t to,
                     absl::string_view except) const override {
    int n = 0;
    auto [begin, end] = contacts.equal_range(std::string(id));
    for (auto it = begin; it != end; ++it) {
      if (it->second.first != except && it->second.second > from &&
          it->second.second <= to) {
        ++n;
      }
    }
    return n;
  }
};

TEST(ContactPolicyTest, EachRuleDropsAndCounts) {
  FakeLedger ledger;
  ledger.opted_out = {"opted"};
  ledger.sent = {{"spring", "resent"}};
  // Mailed 3 days ago by another campaign: capped at 1 per 7 days.
  ledger.contacts.insert({"recent", {"winter", kNow - 3 * kDay}});
  // Mailed 8 days ago: outside the 7 days.
  ledger.contacts.insert({"older", {"winter", kNow - 8 * kDay}});
  // Mailed by this very campaign (an earlier export) is not a cap reason.
  ledger.contacts.insert({"self", {"spring", kNow - kDay}});
  std::vector<std::string> ids = {"a", "opted", "resent", "recent", "older",
                                  "self", "b"};
  std::vector<int32_t> rows = {0, 1, 2, 3, 4, 5, 6};
  const ContactCounts counts = ApplyContactPolicy(
      ContactRules{1, 7}, ledger, "spring", absl::FromUnixSeconds(kNow), &ids,
      &rows);
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "older", "self", "b"}));
  EXPECT_EQ(rows, (std::vector<int32_t>{0, 4, 5, 6}));
  EXPECT_EQ(counts.selected, 7);
  EXPECT_EQ(counts.opted_out, 1);
  EXPECT_EQ(counts.already_sent, 1);
  EXPECT_EQ(counts.capped, 1);
  EXPECT_EQ(counts.eligible, 4);
}

TEST(ContactPolicyTest, TheCapCountsCampaignsAgainstN) {
  FakeLedger ledger;
  for (int k = 0; k < 3; ++k) {
    ledger.contacts.insert({"busy", {"c" + std::to_string(k), kNow - k * kDay}});
  }
  for (int n : {1, 2, 3, 4}) {
    std::vector<std::string> ids = {"busy"};
    const ContactCounts counts =
        ApplyContactPolicy(ContactRules{n, 30}, ledger, "new",
                           absl::FromUnixSeconds(kNow), &ids, nullptr);
    EXPECT_EQ(counts.capped, n <= 3 ? 1 : 0) << n;
  }
  // 0 turns the cap off.
  std::vector<std::string> ids = {"busy"};
  EXPECT_EQ(ApplyContactPolicy(ContactRules{0, 7}, ledger, "new",
                               absl::FromUnixSeconds(kNow), &ids, nullptr)
                .eligible,
            1);
}

TEST(ContactPolicyTest, RulesAreValidated) {
  EXPECT_TRUE(ValidateContactRules({1, 7}).ok());
  EXPECT_TRUE(ValidateContactRules({0, 7}).ok());
  EXPECT_EQ(ValidateContactRules({-1, 7}).message(),
            "contact_rules.max_contacts: must be 0 (no cap) to 100, got -1");
  EXPECT_EQ(ValidateContactRules({1, 0}).message(),
            "contact_rules.per_days: must be 1 to 365, got 0");
}

}  // namespace
}  // namespace recommender::campaigns
