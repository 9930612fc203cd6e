#include "recommender/campaigns/experiment_store.h"

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
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

ExperimentDefinition Experiment(const std::string& id) {
  ExperimentDefinition e;
  e.id = id;
  e.name = "Storefront " + id;
  e.arms = {{"ials", 0.5, {{"repurchase", "off"}}}, {"full", 0.5, {}}};
  e.control_arm = "ials";
  e.duration_days = 7;
  return e;
}

absl::Time At(int64_t seconds) { return absl::FromUnixSeconds(seconds); }

TEST(ExperimentStoreTest, ExperimentsAndExposuresSurviveAReopen) {
  const std::string dir = TestDir("reopen");
  {
    auto store = ExperimentStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    absl::StatusOr<StoredExperiment> created =
        (*store)->Create(Experiment("shelf"), At(kNow));
    ASSERT_TRUE(created.ok()) << created.status();
    EXPECT_EQ(created->ends, At(kNow + 7 * kDay));
    std::shared_ptr<const RunningExperiment> running =
        (*store)->RunningAt(At(kNow + 10));
    ASSERT_NE(running, nullptr);
    EXPECT_EQ(running->settings.size(), 2u);
    EXPECT_EQ(running->settings[0].repurchase, false);
    ASSERT_TRUE(
        (*store)->RecordExposure(*running, "C1", 1, At(kNow + 10), {"P1", "P2"})
            .ok());
    ASSERT_TRUE((*store)->RecordExposure(*running, "C2", 0, At(kNow + 20)).ok());
    // A later exposure does not move the first.
    ASSERT_TRUE((*store)->RecordExposure(*running, "C1", 1, At(kNow + 30)).ok());
    EXPECT_EQ((*store)->appends(), 3);  // The creation and two exposures.
  }
  auto store = ExperimentStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  std::optional<StoredExperiment> found = (*store)->Find("shelf");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->definition.arms[0].settings.at("repurchase"), "off");
  EXPECT_EQ(found->exposed_customers, 2);
  absl::StatusOr<std::vector<Send>> exposures = (*store)->ExposuresOf("shelf");
  ASSERT_TRUE(exposures.ok());
  ASSERT_EQ(exposures->size(), 2u);
  EXPECT_EQ((*exposures)[0].customer_id, "C1");
  EXPECT_EQ((*exposures)[0].arm, 1);
  EXPECT_EQ((*exposures)[0].unix_seconds, kNow + 10);
  EXPECT_EQ((*exposures)[0].item_ids, (std::vector<std::string>{"P1", "P2"}));
  EXPECT_EQ((*exposures)[1].arm, 0);
  EXPECT_EQ((*store)->RunningAt(At(kNow + 7 * kDay)), nullptr);
  EXPECT_EQ((*store)->RunningAt(At(kNow - 1)), nullptr);
}

TEST(ExperimentStoreTest, BadCreationsAreRefused) {
  auto store = ExperimentStore::Open(TestDir("refused"));
  ASSERT_TRUE(store.ok()) << store.status();
  ExperimentDefinition bad = Experiment("bad");
  bad.arms[0].share = 0.7;
  EXPECT_EQ((*store)->Create(bad, At(kNow)).status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE((*store)->Create(Experiment("first"), At(kNow)).ok());
  absl::StatusOr<StoredExperiment> again =
      (*store)->Create(Experiment("first"), At(kNow + 8 * kDay));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find("experiment.id"), std::string::npos);
  absl::StatusOr<StoredExperiment> overlapping =
      (*store)->Create(Experiment("second"), At(kNow + kDay));
  EXPECT_EQ(overlapping.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(overlapping.status().message().find("\"first\""), std::string::npos);
  // After the first has ended, the next may start.
  EXPECT_TRUE((*store)->Create(Experiment("second"), At(kNow + 7 * kDay)).ok());
  EXPECT_EQ((*store)->ExposuresOf("nope").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ((*store)->List().size(), 2u);
}

TEST(ExperimentStoreTest, ConcurrentExposuresShareAppends) {
  const std::string dir = TestDir("concurrent");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  {
    auto store = ExperimentStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Create(Experiment("busy"), At(kNow)).ok());
    std::shared_ptr<const RunningExperiment> running =
        (*store)->RunningAt(At(kNow));
    ASSERT_NE(running, nullptr);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          // Every customer twice, from two threads.
          const std::string id = absl::StrCat("C", (t / 2) * kPerThread + i);
          const int arm = running->assigner.Assign(id);
          EXPECT_TRUE(
              (*store)->RecordExposure(*running, id, arm, At(kNow + i)).ok());
        }
      });
    }
    for (std::thread& t : threads) t.join();
    // At most one append per customer plus the creation; usually far fewer.
    EXPECT_LE((*store)->appends(), 1 + kThreads / 2 * kPerThread);
  }
  auto store = ExperimentStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<std::vector<Send>> exposures = (*store)->ExposuresOf("busy");
  ASSERT_TRUE(exposures.ok());
  EXPECT_EQ(exposures->size(), static_cast<size_t>(kThreads / 2 * kPerThread));
}

TEST(ExperimentStoreTest, ErasedCustomersAreForgottenSkippedAndCompactedAway) {
  const std::string dir = TestDir("erased");
  absl::flat_hash_set<std::string> erased;
  const ErasedCustomerTest is_erased = [&erased](absl::string_view id) {
    return erased.contains(id);
  };
  auto store = ExperimentStore::Open(dir, {}, is_erased);
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->Create(Experiment("shelf"), At(kNow)).ok());
  std::shared_ptr<const RunningExperiment> running =
      (*store)->RunningAt(At(kNow + 10));
  ASSERT_NE(running, nullptr);
  for (const char* customer : {"C1", "GONE-42", "C3"}) {
    ASSERT_TRUE(
        (*store)->RecordExposure(*running, customer, 0, At(kNow + 10)).ok());
  }
  erased.insert("GONE-42");
  (*store)->ForgetCustomer("GONE-42");
  EXPECT_EQ((*store)->Find("shelf")->exposed_customers, 2);
  // Serving them again records nothing.
  ASSERT_TRUE(
      (*store)->RecordExposure(*running, "GONE-42", 1, At(kNow + 20)).ok());
  EXPECT_EQ((*store)->Find("shelf")->exposed_customers, 2);
  absl::StatusOr<CampaignLogCompactionStats> compacted =
      (*store)->CompactErased();
  ASSERT_TRUE(compacted.ok()) << compacted.status();
  EXPECT_EQ(compacted->entries_removed, 1);
  absl::StatusOr<std::vector<std::string>> names = ListDirectory(dir);
  ASSERT_TRUE(names.ok());
  for (const std::string& name : *names) {
    EXPECT_EQ(ReadFileToString(JoinPath(dir, name))->find("GONE-42"),
              std::string::npos)
        << name;
  }
  absl::StatusOr<std::vector<Send>> exposures = (*store)->ExposuresOf("shelf");
  ASSERT_TRUE(exposures.ok());
  ASSERT_EQ(exposures->size(), 2u);
  EXPECT_EQ((*exposures)[1].customer_id, "C3");
}

}  // namespace
}  // namespace recommender::campaigns
