// CampaignLogWriter and ReadCampaignLog together: what is appended is
// replayed, a torn tail is dropped and cut off, damage elsewhere is
// reported.
#include "recommender/campaigns/campaign_log.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "recommender/util/file_util.h"

namespace recommender::campaigns {
namespace {

std::string TestDir(const std::string& name) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), name);
  EXPECT_TRUE(RemoveAll(dir).ok());
  return dir;
}

CampaignLogRecord Sends(const std::string& campaign, int count) {
  CampaignLogRecord record;
  SendBatch* batch = record.mutable_sends();
  batch->set_campaign_id(campaign);
  batch->set_export_id("e1");
  for (int i = 0; i < count; ++i) {
    SendRecord* send = batch->add_sends();
    send->set_customer_id(absl::StrCat("C", i));
    send->set_arm(i % 10 == 0 ? "control" : "personal");
    send->add_item_ids("P1");
    send->set_recommendation_id(absl::StrCat(campaign, ".", i));
    send->set_unix_seconds(1767225600);
  }
  return record;
}

std::vector<CampaignLogRecord> ReadAll(const std::string& dir,
                                       CampaignLogReadSummary* summary) {
  std::vector<CampaignLogRecord> records;
  const absl::Status status = ReadCampaignLog(
      dir,
      [&records](const CampaignLogRecord& r) {
        records.push_back(r);
        return absl::OkStatus();
      },
      summary);
  EXPECT_TRUE(status.ok()) << status;
  return records;
}

TEST(CampaignLogTest, AppendedRecordsAreReplayedInOrder) {
  const std::string dir = TestDir("replay");
  CampaignLogReadSummary summary;
  {
    auto writer = CampaignLogWriter::Open(dir, {}, {}, &summary);
    ASSERT_TRUE(writer.ok()) << writer.status();
    CampaignLogRecord campaign;
    campaign.mutable_campaign()->set_id("spring");
    EXPECT_EQ(*(*writer)->Append(campaign), 1u);
    EXPECT_EQ(*(*writer)->Append(Sends("spring", 50)), 2u);
    EXPECT_EQ((*writer)->last_sequence(), 2u);
  }
  std::vector<CampaignLogRecord> replayed;
  auto writer = CampaignLogWriter::Open(
      dir, {},
      [&replayed](const CampaignLogRecord& r) {
        replayed.push_back(r);
        return absl::OkStatus();
      },
      &summary);
  ASSERT_TRUE(writer.ok());
  ASSERT_EQ(replayed.size(), 2u);
  EXPECT_EQ(replayed[0].campaign().id(), "spring");
  EXPECT_EQ(replayed[1].sends().sends_size(), 50);
  EXPECT_EQ(replayed[1].sends().sends(10).arm(), "control");
  EXPECT_GT(replayed[1].appended_unix_seconds(), 0);
  EXPECT_EQ(summary.records, 2);
  EXPECT_EQ(summary.torn_tail_bytes, 0);
  // Appending continues the sequence.
  EXPECT_EQ(*(*writer)->Append(Sends("spring", 1)), 3u);
  EXPECT_EQ((*writer)->Append(CampaignLogRecord()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CampaignLogTest, TornTailIsDroppedAtEveryCut) {
  const std::string dir = TestDir("torn");
  CampaignLogReadSummary summary;
  {
    auto writer = CampaignLogWriter::Open(dir, {}, {}, &summary);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Append(Sends("a", 3)).ok());
    ASSERT_TRUE((*writer)->Append(Sends("b", 3)).ok());
  }
  const std::string path = JoinPath(dir, CampaignLogSegmentName(1));
  const std::string whole = *ReadFileToString(path);
  CampaignLogReadSummary first;
  {
    // Where the second record starts.
    ASSERT_TRUE(RemoveAll(dir).ok());
    auto writer = CampaignLogWriter::Open(dir, {}, {}, &first);
    ASSERT_TRUE((*writer)->Append(Sends("a", 3)).ok());
  }
  const size_t second_start = ReadFileToString(path)->size();
  for (size_t cut = second_start + 1; cut < whole.size(); cut += 7) {
    ASSERT_TRUE(WriteFileDurably(path, whole.substr(0, cut)).ok());
    CampaignLogReadSummary read;
    EXPECT_EQ(ReadAll(dir, &read).size(), 1u) << cut;
    EXPECT_EQ(read.torn_tail_bytes, static_cast<int64_t>(cut - second_start));
    auto writer = CampaignLogWriter::Open(dir, {}, {}, &read);
    ASSERT_TRUE(writer.ok()) << writer.status();
    EXPECT_EQ(*(*writer)->Append(Sends("c", 1)), 2u);
    writer->reset();
    CampaignLogReadSummary after;
    const std::vector<CampaignLogRecord> records = ReadAll(dir, &after);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[1].sends().campaign_id(), "c");
    EXPECT_EQ(after.torn_tail_bytes, 0);
  }
}

TEST(CampaignLogTest, DamageBeforeValidRecordsIsDataLoss) {
  const std::string dir = TestDir("damage");
  CampaignLogReadSummary summary;
  {
    auto writer = CampaignLogWriter::Open(dir, {}, {}, &summary);
    ASSERT_TRUE((*writer)->Append(Sends("a", 3)).ok());
    ASSERT_TRUE((*writer)->Append(Sends("b", 3)).ok());
  }
  const std::string path = JoinPath(dir, CampaignLogSegmentName(1));
  std::string data = *ReadFileToString(path);
  data[12] ^= 0x40;  // Inside the first record's payload.
  ASSERT_TRUE(WriteFileDurably(path, data).ok());
  const absl::Status status = ReadCampaignLog(dir, {}, &summary);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(status.message().find("campaigns-00000001.log: damaged record at "
                                  "byte 0"),
            std::string::npos)
      << status;
}

TEST(CampaignLogTest, SegmentsRollAndASecondWriterIsRefused) {
  const std::string dir = TestDir("roll");
  CampaignLogReadSummary summary;
  CampaignLogWriter::Options options;
  options.segment_bytes = 2000;
  {
    auto writer = CampaignLogWriter::Open(dir, options, {}, &summary);
    ASSERT_TRUE(writer.ok());
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE((*writer)->Append(Sends(absl::StrCat("c", i), 10)).ok());
    }
    CampaignLogReadSummary other;
    EXPECT_EQ(CampaignLogWriter::Open(dir, options, {}, &other).status().code(),
              absl::StatusCode::kFailedPrecondition);
  }
  const std::vector<CampaignLogRecord> records = ReadAll(dir, &summary);
  ASSERT_EQ(records.size(), 20u);
  EXPECT_GT(summary.segments, 3);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(records[i].sequence(), static_cast<uint64_t>(i + 1));
    EXPECT_EQ(records[i].sends().campaign_id(), absl::StrCat("c", i));
  }
  EXPECT_EQ(ReadCampaignLog(JoinPath(dir, "missing"), {}, &summary).code(),
            absl::StatusCode::kNotFound);
}

TEST(CampaignLogTest, SegmentNames) {
  EXPECT_EQ(CampaignLogSegmentName(42), "campaigns-00000042.log");
  EXPECT_EQ(ParseCampaignLogSegmentName("campaigns-00000042.log"), 42);
  EXPECT_FALSE(ParseCampaignLogSegmentName("events-00000042.log").has_value());
  EXPECT_FALSE(ParseCampaignLogSegmentName("campaigns-0000004.log").has_value());
}

}  // namespace
}  // namespace recommender::campaigns
