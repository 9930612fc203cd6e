#include "recommender/campaigns/campaign_store.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "recommender/campaigns/arm_assignment.h"
#include "recommender/campaigns/campaign_record.h"
#include "recommender/util/file_util.h"

namespace recommender::campaigns {
namespace {

constexpr int64_t kNow = 1767225600;
constexpr int64_t kDay = 86400;

std::string TestDir(const std::string& name) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), name);
  EXPECT_TRUE(RemoveAll(dir).ok());
  return dir;
}

CampaignDefinition Campaign(const std::string& id) {
  CampaignDefinition c;
  c.id = id;
  c.name = "Win-back " + id;
  c.segment = "at_risk";
  c.filter.max_price = 5000;
  c.filter.exclude_categories = {"gift"};
  CampaignArm personal;
  personal.name = "personal";
  CampaignArm popular;
  popular.name = "popular";
  popular.strategy = PickStrategy::kPopular;
  popular.picks = 3;
  popular.weight = 2;
  c.arms = {personal, popular};
  return c;
}

Send MakeSend(const std::string& customer, int arm, int64_t t) {
  Send s;
  s.customer_id = customer;
  s.arm = arm;
  s.item_ids = {"P1", "P2"};
  s.unix_seconds = t;
  return s;
}

TEST(CampaignStoreTest, DefinitionsRoundTripThroughTheLog) {
  const CampaignDefinition c = Campaign("spring");
  absl::StatusOr<CampaignDefinition> back = FromRecord(ToRecord(c));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->id, "spring");
  EXPECT_EQ(back->filter.max_price, 5000);
  EXPECT_EQ(back->filter.exclude_categories, std::vector<std::string>{"gift"});
  ASSERT_EQ(back->arms.size(), 2u);
  EXPECT_FALSE(back->arms[0].picks.has_value());
  EXPECT_EQ(back->arms[1].picks, 3);
  EXPECT_EQ(back->arms[1].strategy, PickStrategy::kPopular);
  EXPECT_EQ(back->arms[1].weight, 2);
  EXPECT_DOUBLE_EQ(back->control_share, 0.1);
  CampaignDefinitionRecord bad = ToRecord(c);
  bad.mutable_arms(0)->set_strategy("random");
  EXPECT_EQ(FromRecord(bad).status().code(), absl::StatusCode::kDataLoss);
}

TEST(CampaignStoreTest, SendsSurviveAReopenAndTheFirstSendCounts) {
  const std::string dir = TestDir("store");
  {
    auto store = CampaignStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)
                    ->CreateCampaign(Campaign("spring"), "at_risk",
                                     absl::FromUnixSeconds(kNow))
                    .ok());
    EXPECT_EQ((*store)
                  ->CreateCampaign(Campaign("spring"), "at_risk",
                                   absl::FromUnixSeconds(kNow))
                  .code(),
              absl::StatusCode::kAlreadyExists);
    std::vector<Send> sends = {MakeSend("alice", 0, kNow),
                               MakeSend("bob", ArmAssigner::kControl, kNow),
                               MakeSend("carol", 1, kNow)};
    ASSERT_TRUE((*store)->RecordSends("spring", "e1", sends).ok());
    // A second export's send to alice does not replace the first.
    ASSERT_TRUE((*store)
                    ->RecordSends("spring", "e2", {MakeSend("alice", 1, kNow + kDay)})
                    .ok());
    ExportSummary summary;
    summary.set_campaign_id("spring");
    summary.set_export_id("e1");
    summary.set_selected(10);
    summary.set_capped(2);
    ASSERT_TRUE((*store)->RecordExport(summary).ok());
    ASSERT_TRUE((*store)
                    ->SetOptOut({"dave", "erin"}, true, absl::FromUnixSeconds(kNow))
                    .ok());
    ASSERT_TRUE(
        (*store)->SetOptOut({"erin"}, false, absl::FromUnixSeconds(kNow)).ok());
  }
  auto store = CampaignStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  const std::optional<StoredCampaign> spring = (*store)->FindCampaign("spring");
  ASSERT_TRUE(spring.has_value());
  EXPECT_EQ(spring->definition.name, "Win-back spring");
  EXPECT_EQ(spring->resolved_segment, "at_risk");
  EXPECT_EQ(spring->created, absl::FromUnixSeconds(kNow));
  ASSERT_EQ(spring->exports.size(), 1u);
  EXPECT_EQ(spring->exports[0].capped(), 2);
  EXPECT_EQ(spring->sends, 3);
  absl::StatusOr<std::vector<Send>> sends = (*store)->SendsOf("spring");
  ASSERT_TRUE(sends.ok());
  ASSERT_EQ(sends->size(), 3u);
  EXPECT_EQ((*sends)[0].customer_id, "alice");
  EXPECT_EQ((*sends)[0].arm, 0);
  EXPECT_EQ((*sends)[0].unix_seconds, kNow);
  EXPECT_EQ((*sends)[1].arm, ArmAssigner::kControl);
  EXPECT_EQ((*sends)[2].item_ids, (std::vector<std::string>{"P1", "P2"}));
  EXPECT_TRUE((*store)->OptedOut("dave"));
  EXPECT_FALSE((*store)->OptedOut("erin"));
  EXPECT_TRUE((*store)->AlreadySent("spring", "bob"));
  EXPECT_FALSE((*store)->AlreadySent("spring", "zed"));
  EXPECT_FALSE((*store)->AlreadySent("autumn", "bob"));
  EXPECT_EQ((*store)->Campaigns().size(), 1u);
}

TEST(CampaignStoreTest, ContactsCountMailedSendsOfOtherCampaigns) {
  auto store = CampaignStore::Open(TestDir("contacts"));
  ASSERT_TRUE(store.ok());
  for (const char* id : {"a", "b", "c"}) {
    ASSERT_TRUE((*store)
                    ->CreateCampaign(Campaign(id), "at_risk",
                                     absl::FromUnixSeconds(kNow))
                    .ok());
  }
  ASSERT_TRUE((*store)->RecordSends("a", "e", {MakeSend("alice", 0, kNow - 2 * kDay)}).ok());
  ASSERT_TRUE((*store)->RecordSends("b", "e", {MakeSend("alice", 1, kNow - 9 * kDay)}).ok());
  // Held back: not a contact.
  ASSERT_TRUE((*store)
                  ->RecordSends("c", "e",
                                {MakeSend("alice", ArmAssigner::kControl, kNow)})
                  .ok());
  const int64_t week_ago = kNow - 7 * kDay;
  EXPECT_EQ((*store)->ContactsWithin("alice", week_ago, kNow, "c"), 1);
  EXPECT_EQ((*store)->ContactsWithin("alice", week_ago, kNow, "a"), 0);
  EXPECT_EQ((*store)->ContactsWithin("alice", kNow - 30 * kDay, kNow, "new"), 2);
  EXPECT_EQ((*store)->ContactsWithin("bob", week_ago, kNow, "new"), 0);
}

TEST(CampaignStoreTest, BadSendsAreRefused) {
  auto store = CampaignStore::Open(TestDir("bad"));
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->RecordSends("nope", "e", {MakeSend("a", 0, kNow)}).code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE((*store)
                  ->CreateCampaign(Campaign("x"), "at_risk",
                                   absl::FromUnixSeconds(kNow))
                  .ok());
  const absl::Status bad =
      (*store)->RecordSends("x", "e", {MakeSend("a", 0, kNow), MakeSend("b", 2, kNow)});
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(), "sends[1].arm: no arm 2 in campaign \"x\"");
  // Nothing of the refused call was recorded.
  EXPECT_TRUE((*store)->SendsOf("x")->empty());
  EXPECT_EQ((*store)->SendsOf("nope").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(CampaignStoreTest, LargeExportsAreSplitIntoRecords) {
  const std::string dir = TestDir("large");
  std::vector<Send> sends;
  for (int i = 0; i < 4500; ++i) {
    sends.push_back(MakeSend("C" + std::to_string(i), i % 2, kNow));
  }
  {
    auto store = CampaignStore::Open(dir);
    ASSERT_TRUE((*store)
                    ->CreateCampaign(Campaign("big"), "all",
                                     absl::FromUnixSeconds(kNow))
                    .ok());
    ASSERT_TRUE((*store)->RecordSends("big", "e", sends).ok());
    EXPECT_EQ((*store)->last_sequence(), 4u);  // Campaign + 3 batches.
  }
  auto store = CampaignStore::Open(dir);
  EXPECT_EQ((*store)->SendsOf("big")->size(), 4500u);
}

TEST(CampaignStoreTest, ErasedCustomersAreForgottenSkippedAndCompactedAway) {
  const std::string dir = TestDir("erased");
  absl::flat_hash_set<std::string> erased;
  const ErasedCustomerTest is_erased = [&erased](absl::string_view id) {
    return erased.contains(id);
  };
  {
    auto store = CampaignStore::Open(dir, {}, is_erased);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)
                    ->CreateCampaign(Campaign("spring"), "at_risk",
                                     absl::FromUnixSeconds(kNow))
                    .ok());
    ASSERT_TRUE((*store)
                    ->RecordSends("spring", "e1",
                                  {MakeSend("alice", 0, kNow),
                                   MakeSend("bob", 1, kNow),
                                   MakeSend("carol", 0, kNow)})
                    .ok());
    ASSERT_TRUE((*store)
                    ->SetOptOut({"bob"}, true, absl::FromUnixSeconds(kNow))
                    .ok());
    erased.insert("bob");
    (*store)->ForgetCustomer("bob");
    EXPECT_FALSE((*store)->AlreadySent("spring", "bob"));
    EXPECT_FALSE((*store)->OptedOut("bob"));
    EXPECT_EQ((*store)->ContactsWithin("bob", kNow - kDay, kNow + kDay, ""), 0);
    EXPECT_TRUE((*store)->AlreadySent("spring", "carol"));
    EXPECT_EQ((*store)->FindCampaign("spring")->sends, 2);
    // Nothing of theirs is recorded again.
    ASSERT_TRUE((*store)
                    ->RecordSends("spring", "e2", {MakeSend("bob", 0, kNow)})
                    .ok());
    ASSERT_TRUE((*store)
                    ->SetOptOut({"bob"}, true, absl::FromUnixSeconds(kNow))
                    .ok());
    EXPECT_FALSE((*store)->AlreadySent("spring", "bob"));
    // Replay skips them even before the files are compacted.
    store->reset();
    store = CampaignStore::Open(dir, {}, is_erased);
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_FALSE((*store)->OptedOut("bob"));
    absl::StatusOr<std::vector<Send>> sends = (*store)->SendsOf("spring");
    ASSERT_TRUE(sends.ok());
    ASSERT_EQ(sends->size(), 2u);
    EXPECT_EQ((*sends)[0].customer_id, "alice");
    EXPECT_EQ((*sends)[1].customer_id, "carol");
    absl::StatusOr<CampaignLogCompactionStats> compacted =
        (*store)->CompactErased();
    ASSERT_TRUE(compacted.ok()) << compacted.status();
    EXPECT_EQ(compacted->entries_removed, 2);  // A send and an opt-out.
  }
  absl::StatusOr<std::vector<std::string>> names = ListDirectory(dir);
  ASSERT_TRUE(names.ok());
  for (const std::string& name : *names) {
    EXPECT_EQ(ReadFileToString(JoinPath(dir, name))->find("bob"),
              std::string::npos)
        << name;
  }
  // Without the test (nobody erased) the rest is all there.
  auto store = CampaignStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->FindCampaign("spring")->sends, 2);
  EXPECT_TRUE((*store)->AlreadySent("spring", "alice"));
}

}  // namespace
}  // namespace recommender::campaigns
