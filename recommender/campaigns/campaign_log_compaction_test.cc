// RemoveCustomers and the campaign log's compaction: an erased customer's
// sends, opt-outs and exposures leave every file of the log, everything
// else stays with its sequence, and the log goes on appending after it.
#include "recommender/campaigns/campaign_log_compaction.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "recommender/campaigns/campaign_log.h"
#include "recommender/util/file_util.h"

namespace recommender::campaigns {
namespace {

constexpr char kErased[] = "ERASED-CUSTOMER-7";

bool IsErased(absl::string_view id) { return id == kErased; }

std::string TestDir(const std::string& name) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), name);
  EXPECT_TRUE(RemoveAll(dir).ok());
  return dir;
}

CampaignLogRecord Sends(const std::vector<std::string>& customers) {
  CampaignLogRecord record;
  SendBatch* batch = record.mutable_sends();
  batch->set_campaign_id("spring");
  batch->set_export_id("e1");
  for (const std::string& customer : customers) {
    SendRecord* send = batch->add_sends();
    send->set_customer_id(customer);
    send->set_arm("personal");
    send->add_item_ids("P1");
    send->set_recommendation_id(absl::StrCat("spring:", customer));
  }
  return record;
}

CampaignLogRecord OptOuts(const std::vector<std::string>& customers) {
  CampaignLogRecord record;
  for (const std::string& customer : customers) {
    OptOut* o = record.mutable_opt_outs()->add_opt_outs();
    o->set_customer_id(customer);
    o->set_opted_out(true);
  }
  return record;
}

CampaignLogRecord Exposures(const std::vector<std::string>& customers) {
  CampaignLogRecord record;
  record.mutable_exposures()->set_experiment_id("layout");
  for (const std::string& customer : customers) {
    Exposure* x = record.mutable_exposures()->add_exposures();
    x->set_customer_id(customer);
    x->set_arm("a");
  }
  return record;
}

std::vector<std::string> CustomersOf(const CampaignLogRecord& record) {
  std::vector<std::string> ids;
  for (const SendRecord& s : record.sends().sends()) ids.push_back(s.customer_id());
  for (const OptOut& o : record.opt_outs().opt_outs()) {
    ids.push_back(o.customer_id());
  }
  for (const Exposure& x : record.exposures().exposures()) {
    ids.push_back(x.customer_id());
  }
  return ids;
}

// The files of `dir` whose bytes hold `text`.
std::vector<std::string> FilesHolding(const std::string& dir,
                                      const std::string& text) {
  std::vector<std::string> holding;
  absl::StatusOr<std::vector<std::string>> names = ListDirectory(dir);
  EXPECT_TRUE(names.ok()) << names.status();
  for (const std::string& name : *names) {
    absl::StatusOr<std::string> data = ReadFileToString(JoinPath(dir, name));
    if (data.ok() && data->find(text) != std::string::npos) {
      holding.push_back(name);
    }
  }
  return holding;
}

TEST(RemoveCustomersTest, RemovesSendsOptOutsAndExposuresOfErasedCustomers) {
  CampaignLogRecord sends = Sends({"C1", kErased, "C2", kErased});
  EXPECT_EQ(RemoveCustomers(IsErased, &sends), 2);
  EXPECT_EQ(CustomersOf(sends), (std::vector<std::string>{"C1", "C2"}));

  CampaignLogRecord opt_outs = OptOuts({kErased});
  EXPECT_EQ(RemoveCustomers(IsErased, &opt_outs), 1);
  EXPECT_TRUE(opt_outs.has_opt_outs());  // Emptied, still an opt-out record.
  EXPECT_EQ(opt_outs.opt_outs().opt_outs_size(), 0);

  CampaignLogRecord exposures = Exposures({"C3", kErased});
  EXPECT_EQ(RemoveCustomers(IsErased, &exposures), 1);
  EXPECT_EQ(CustomersOf(exposures), std::vector<std::string>{"C3"});

  CampaignLogRecord campaign;
  campaign.mutable_campaign()->set_id("spring");
  EXPECT_EQ(RemoveCustomers(IsErased, &campaign), 0);
  EXPECT_EQ(RemoveCustomers(nullptr, &sends), 0);
}

TEST(CampaignLogCompactionTest, ErasedCustomerLeavesNoByteAndSequencesStay) {
  const std::string dir = TestDir("compact");
  CampaignLogReadSummary summary;
  CampaignLogWriter::Options options;
  options.segment_bytes = 200;  // Several segments.
  auto writer = CampaignLogWriter::Open(dir, options, {}, &summary);
  ASSERT_TRUE(writer.ok()) << writer.status();
  const std::vector<CampaignLogRecord> appended = {
      Sends({"C1", kErased}), OptOuts({kErased, "C2"}), Sends({"C3"}),
      Exposures({kErased}), Sends({"C4", "C5"})};
  for (const CampaignLogRecord& record : appended) {
    ASSERT_TRUE((*writer)->Append(record).ok());
  }
  ASSERT_FALSE(FilesHolding(dir, kErased).empty());

  absl::StatusOr<CampaignLogCompactionStats> stats =
      (*writer)->Compact(IsErased);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->entries_removed, 3);
  EXPECT_GE(stats->segments_read, 2);
  EXPECT_GE(stats->segments_rewritten, 1);
  EXPECT_LT(stats->bytes_after, stats->bytes_before);
  EXPECT_EQ(FilesHolding(dir, kErased), std::vector<std::string>{});
  EXPECT_EQ(FilesHolding(dir, ".compacting"), std::vector<std::string>{});

  // Appends go on after the compacted segments, numbered after them.
  absl::StatusOr<uint64_t> next = (*writer)->Append(Sends({"C6"}));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(*next, appended.size() + 1);
  writer->reset();

  std::vector<uint64_t> sequences;
  std::vector<std::string> customers;
  ASSERT_TRUE(ReadCampaignLog(
                  dir,
                  [&](const CampaignLogRecord& record) {
                    sequences.push_back(record.sequence());
                    for (const std::string& id : CustomersOf(record)) {
                      customers.push_back(id);
                    }
                    return absl::OkStatus();
                  },
                  &summary)
                  .ok());
  EXPECT_EQ(sequences, (std::vector<uint64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(customers,
            (std::vector<std::string>{"C1", "C2", "C3", "C4", "C5", "C6"}));

  // A second compaction finds nothing more to remove.
  auto reopened = CampaignLogWriter::Open(dir, options, {}, &summary);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  absl::StatusOr<CampaignLogCompactionStats> again =
      (*reopened)->Compact(IsErased);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->entries_removed, 0);
  EXPECT_EQ(again->segments_rewritten, 0);
}

TEST(CampaignLogCompactionTest, DamagedSegmentIsRefusedNamingFileAndOffset) {
  const std::string dir = TestDir("damaged");
  const std::string path = JoinPath(dir, CampaignLogSegmentName(1));
  {
    CampaignLogReadSummary summary;
    auto writer = CampaignLogWriter::Open(dir, {}, {}, &summary);
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)->Append(Sends({kErased})).ok());
    ASSERT_TRUE((*writer)->Append(Sends({"C1"})).ok());
  }
  absl::StatusOr<std::string> data = ReadFileToString(path);
  ASSERT_TRUE(data.ok());
  std::string damaged = *data;
  damaged[damaged.size() - 3] ^= 0x5a;
  ASSERT_TRUE(WriteFileDurably(path, damaged).ok());

  CampaignLogCompactionStats stats;
  const absl::Status status = CompactCampaignLogSegment(path, IsErased, &stats);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(status.message().find(path), std::string::npos) << status;
  EXPECT_NE(status.message().find("byte "), std::string::npos) << status;
  // Untouched.
  EXPECT_EQ(*ReadFileToString(path), damaged);
}

}  // namespace
}  // namespace recommender::campaigns
