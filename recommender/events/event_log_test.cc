// EventLogWriter and ReadEventLog together: what is appended is replayed,
// a torn tail is dropped and cut off, damage elsewhere is reported.
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "recommender/events/event_log_format.h"
#include "recommender/events/event_log_reader.h"
#include "recommender/events/event_log_writer.h"
#include "recommender/util/file_util.h"

namespace recommender::events {
namespace {

std::string TestDir(const std::string& name) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), name);
  EXPECT_TRUE(RemoveAll(dir).ok());
  return dir;
}

LogRecord Record(const std::string& customer, int events) {
  LogRecord record;
  for (int i = 0; i < events; ++i) {
    LoggedEvent* event = record.add_events();
    event->set_customer_id(customer);
    event->set_item_id(absl::StrCat("P", i));
    event->set_type(i % 2 == 0 ? VIEW : PURCHASE);
    event->set_quantity(1);
    event->set_unix_seconds(1700000000 + i);
  }
  return record;
}

absl::StatusOr<std::unique_ptr<EventLogWriter>> OpenWriter(
    const std::string& dir, std::vector<LogRecord>* replayed,
    EventLogReadSummary* summary,
    EventLogWriter::Options options = EventLogWriter::Options()) {
  return EventLogWriter::Open(
      dir, options,
      [replayed](const LogRecord& record) {
        replayed->push_back(record);
        return absl::OkStatus();
      },
      summary);
}

// Every record in the log, read without a writer.
std::vector<LogRecord> ReadAll(const std::string& dir,
                               EventLogReadSummary* summary) {
  std::vector<LogRecord> records;
  const absl::Status status = ReadEventLog(
      dir,
      [&records](const LogRecord& record) {
        records.push_back(record);
        return absl::OkStatus();
      },
      summary);
  EXPECT_TRUE(status.ok()) << status;
  return records;
}

std::string SegmentPath(const std::string& dir, int64_t segment) {
  return JoinPath(dir, SegmentFileName(segment));
}

TEST(EventLogTest, AppendedRecordsAreReplayedInOrder) {
  const std::string dir = TestDir("replay");
  {
    std::vector<LogRecord> replayed;
    EventLogReadSummary summary;
    auto writer = OpenWriter(dir, &replayed, &summary);
    ASSERT_TRUE(writer.ok()) << writer.status();
    EXPECT_TRUE(replayed.empty());
    EXPECT_EQ(*(*writer)->Append(Record("C1", 2)), 1u);
    EXPECT_EQ(*(*writer)->Append(Record("C2", 3)), 2u);
    EXPECT_EQ((*writer)->stats().events_appended, 5);
  }
  std::vector<LogRecord> replayed;
  EventLogReadSummary summary;
  auto writer = OpenWriter(dir, &replayed, &summary);
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_EQ(replayed.size(), 2u);
  EXPECT_EQ(replayed[0].sequence(), 1u);
  EXPECT_EQ(replayed[0].events(0).customer_id(), "C1");
  EXPECT_EQ(replayed[1].events_size(), 3);
  EXPECT_GT(replayed[1].appended_unix_seconds(), 0);
  EXPECT_EQ(summary.records, 2);
  EXPECT_EQ(summary.events, 5);
  EXPECT_EQ(summary.torn_tail_bytes, 0);
  // Sequences continue after the replayed ones.
  EXPECT_EQ(*(*writer)->Append(Record("C3", 1)), 3u);
}

TEST(EventLogTest, EmptyRecordIsRefused) {
  const std::string dir = TestDir("empty");
  std::vector<LogRecord> replayed;
  EventLogReadSummary summary;
  auto writer = OpenWriter(dir, &replayed, &summary);
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ((*writer)->Append(LogRecord()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Cuts the last record at every possible length: the earlier records are
// kept, the torn one is dropped and cut off, and appends continue cleanly.
TEST(EventLogTest, TornTailIsDroppedAtEveryCut) {
  const std::string dir = TestDir("torn");
  int64_t whole_size = 0;
  int64_t last_record_start = 0;
  {
    std::vector<LogRecord> replayed;
    EventLogReadSummary summary;
    auto writer = OpenWriter(dir, &replayed, &summary);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Append(Record("C1", 2)).ok());
    last_record_start = (*writer)->stats().bytes;
    ASSERT_TRUE((*writer)->Append(Record("C2", 4)).ok());
    whole_size = (*writer)->stats().bytes;
  }
  const std::string original = *ReadFileToString(SegmentPath(dir, 1));
  ASSERT_EQ(static_cast<int64_t>(original.size()), whole_size);
  for (int64_t cut = last_record_start + 1; cut < whole_size; ++cut) {
    ASSERT_TRUE(WriteFileDurably(SegmentPath(dir, 1), original.substr(0, cut)).ok());
    EventLogReadSummary read_summary;
    EXPECT_EQ(ReadAll(dir, &read_summary).size(), 1u) << cut;
    EXPECT_EQ(read_summary.torn_tail_bytes, cut - last_record_start);

    std::vector<LogRecord> replayed;
    EventLogReadSummary summary;
    auto writer = OpenWriter(dir, &replayed, &summary);
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_EQ(replayed.size(), 1u);
    EXPECT_EQ(replayed[0].events(0).customer_id(), "C1");
    EXPECT_EQ(*(*writer)->Append(Record("C3", 1)), 2u);
    writer->reset();
    EventLogReadSummary after;
    const std::vector<LogRecord> records = ReadAll(dir, &after);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[1].events(0).customer_id(), "C3");
    EXPECT_EQ(after.torn_tail_bytes, 0);
  }
}

TEST(EventLogTest, ZeroFilledTailIsATornTail) {
  const std::string dir = TestDir("zeros");
  {
    std::vector<LogRecord> replayed;
    EventLogReadSummary summary;
    auto writer = OpenWriter(dir, &replayed, &summary);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Append(Record("C1", 2)).ok());
  }
  const std::string original = *ReadFileToString(SegmentPath(dir, 1));
  ASSERT_TRUE(WriteFileDurably(SegmentPath(dir, 1),
                               original + std::string(4096, '\0'))
                  .ok());
  EventLogReadSummary summary;
  EXPECT_EQ(ReadAll(dir, &summary).size(), 1u);
  EXPECT_EQ(summary.torn_tail_bytes, 4096);
}

// Bit rot in the last record: it is whole, so it was written completely
// and may have been acknowledged. That is damage (DataLoss naming file and
// offset), not a torn tail to drop quietly.
TEST(EventLogTest, WholeLastRecordWithBadChecksumIsDataLossNotATornTail) {
  const std::string dir = TestDir("rot-last");
  int64_t last_record_start = 0;
  {
    std::vector<LogRecord> replayed;
    EventLogReadSummary summary;
    auto writer = OpenWriter(dir, &replayed, &summary);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Append(Record("C1", 2)).ok());
    last_record_start = (*writer)->stats().bytes;
    ASSERT_TRUE((*writer)->Append(Record("C2", 4)).ok());
  }
  const std::string original = *ReadFileToString(SegmentPath(dir, 1));
  for (size_t at : {static_cast<size_t>(last_record_start) + 2,
                    static_cast<size_t>(last_record_start) + 10,
                    original.size() - 1}) {
    std::string damaged = original;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x01);
    ASSERT_TRUE(WriteFileDurably(SegmentPath(dir, 1), damaged).ok());
    EventLogReadSummary summary;
    const absl::Status status = ReadEventLog(
        dir, [](const LogRecord&) { return absl::OkStatus(); }, &summary);
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << at;
    EXPECT_NE(status.message().find(
                  absl::StrCat("at byte ", last_record_start)),
              std::string::npos)
        << status;
    // The writer refuses to open it too: nothing is cut off.
    std::vector<LogRecord> replayed;
    EXPECT_EQ(OpenWriter(dir, &replayed, &summary).status().code(),
              absl::StatusCode::kDataLoss);
    EXPECT_EQ(*ReadFileToString(SegmentPath(dir, 1)), damaged);
  }
}

TEST(EventLogTest, DamageBeforeValidRecordsIsDataLoss) {
  const std::string dir = TestDir("damaged");
  {
    std::vector<LogRecord> replayed;
    EventLogReadSummary summary;
    auto writer = OpenWriter(dir, &replayed, &summary);
    ASSERT_TRUE(writer.ok());
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE((*writer)->Append(Record("C1", 2)).ok());
    }
  }
  std::string data = *ReadFileToString(SegmentPath(dir, 1));
  data[20] = static_cast<char>(data[20] ^ 0x40);  // Inside the first record.
  ASSERT_TRUE(WriteFileDurably(SegmentPath(dir, 1), data).ok());
  EventLogReadSummary summary;
  const absl::Status status = ReadEventLog(
      dir, [](const LogRecord&) { return absl::OkStatus(); }, &summary);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(status.message().find("events-00000001.log"), std::string::npos)
      << status;
  EXPECT_NE(status.message().find("byte 0"), std::string::npos) << status;
  std::vector<LogRecord> replayed;
  EXPECT_EQ(OpenWriter(dir, &replayed, &summary).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(EventLogTest, SecondWriterIsRefused) {
  const std::string dir = TestDir("locked");
  std::vector<LogRecord> replayed;
  EventLogReadSummary summary;
  auto first = OpenWriter(dir, &replayed, &summary);
  ASSERT_TRUE(first.ok());
  auto second = OpenWriter(dir, &replayed, &summary);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  first->reset();
  EXPECT_TRUE(OpenWriter(dir, &replayed, &summary).ok());
}

TEST(EventLogTest, SegmentsRollAndAreReadInOrder) {
  const std::string dir = TestDir("segments");
  EventLogWriter::Options options;
  options.segment_bytes = 200;
  {
    std::vector<LogRecord> replayed;
    EventLogReadSummary summary;
    auto writer = OpenWriter(dir, &replayed, &summary, options);
    ASSERT_TRUE(writer.ok());
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE((*writer)->Append(Record(absl::StrCat("C", i), 3)).ok());
    }
    EXPECT_GT((*writer)->stats().segments, 3);
  }
  EXPECT_TRUE(PathExists(SegmentPath(dir, 3)));
  EventLogReadSummary summary;
  const std::vector<LogRecord> records = ReadAll(dir, &summary);
  ASSERT_EQ(records.size(), 10u);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(records[i].sequence(), static_cast<uint64_t>(i + 1));
    EXPECT_EQ(records[i].events(0).customer_id(), absl::StrCat("C", i));
  }
}

TEST(EventLogTest, TornRecordInAnEarlierSegmentIsDataLoss) {
  const std::string dir = TestDir("torn-early");
  EventLogWriter::Options options;
  options.segment_bytes = 100;
  {
    std::vector<LogRecord> replayed;
    EventLogReadSummary summary;
    auto writer = OpenWriter(dir, &replayed, &summary, options);
    ASSERT_TRUE(writer.ok());
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE((*writer)->Append(Record("C1", 4)).ok());
    }
  }
  const std::string first = *ReadFileToString(SegmentPath(dir, 1));
  ASSERT_TRUE(
      WriteFileDurably(SegmentPath(dir, 1), first.substr(0, first.size() - 3))
          .ok());
  EventLogReadSummary summary;
  EXPECT_EQ(ReadEventLog(
                dir, [](const LogRecord&) { return absl::OkStatus(); }, &summary)
                .code(),
            absl::StatusCode::kDataLoss);
}

TEST(EventLogTest, ConcurrentAppendsAreAllDurableWithDistinctSequences) {
  const std::string dir = TestDir("concurrent");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  {
    std::vector<LogRecord> replayed;
    EventLogReadSummary summary;
    auto writer = OpenWriter(dir, &replayed, &summary);
    ASSERT_TRUE(writer.ok());
    std::vector<std::thread> threads;
    std::vector<std::vector<uint64_t>> sequences(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          absl::StatusOr<uint64_t> sequence =
              (*writer)->Append(Record(absl::StrCat("T", t), 2));
          if (sequence.ok()) sequences[t].push_back(*sequence);
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    for (int t = 0; t < kThreads; ++t) {
      ASSERT_EQ(sequences[t].size(), static_cast<size_t>(kPerThread));
      for (int i = 1; i < kPerThread; ++i) {
        EXPECT_LT(sequences[t][i - 1], sequences[t][i]);
      }
    }
    const EventLogWriter::Stats stats = (*writer)->stats();
    EXPECT_EQ(stats.records_appended, kThreads * kPerThread);
    EXPECT_LE(stats.group_commits, stats.records_appended);
    EXPECT_EQ(stats.last_sequence, static_cast<uint64_t>(kThreads * kPerThread));
  }
  EventLogReadSummary summary;
  EXPECT_EQ(ReadAll(dir, &summary).size(),
            static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(summary.events, 2 * kThreads * kPerThread);
}

TEST(EventLogTest, MissingFolderIsNotFoundForTheReader) {
  EventLogReadSummary summary;
  EXPECT_EQ(ReadEventLog(
                TestDir("absent"),
                [](const LogRecord&) { return absl::OkStatus(); }, &summary)
                .code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace recommender::events
