// EventLogWriter::Compact and CompactSegment: erased customers' events leave
// every file, tombstones and the sequence stay, appends go on meanwhile.
#include "recommender/events/event_log_compaction.h"

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
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

LogRecord Events(const std::string& customer, int count) {
  LogRecord record;
  for (int i = 0; i < count; ++i) {
    LoggedEvent* event = record.add_events();
    event->set_customer_id(customer);
    event->set_item_id(absl::StrCat("P", i));
    event->set_type(VIEW);
    event->set_quantity(1);
    event->set_unix_seconds(1700000000 + i);
  }
  return record;
}

LogRecord Tombstone(const std::string& key) {
  LogRecord record;
  record.add_erased_customers(key);
  return record;
}

std::unique_ptr<EventLogWriter> Open(const std::string& dir,
                                     EventLogReadSummary* summary,
                                     int64_t segment_bytes = 64 << 20) {
  EventLogWriter::Options options;
  options.sync = false;
  options.segment_bytes = segment_bytes;
  absl::StatusOr<std::unique_ptr<EventLogWriter>> writer = EventLogWriter::Open(
      dir, options, [](const LogRecord&) { return absl::OkStatus(); }, summary);
  EXPECT_TRUE(writer.ok()) << writer.status();
  return writer.ok() ? *std::move(writer) : nullptr;
}

std::vector<LogRecord> ReadAll(const std::string& dir,
                               EventLogReadSummary* summary) {
  std::vector<LogRecord> records;
  EXPECT_TRUE(ReadEventLog(
                  dir,
                  [&records](const LogRecord& record) {
                    records.push_back(record);
                    return absl::OkStatus();
                  },
                  summary)
                  .ok());
  return records;
}

// True if any file under `dir` holds `bytes`.
bool AnyFileHolds(const std::string& dir, const std::string& bytes) {
  absl::StatusOr<std::vector<std::string>> names = ListDirectory(dir);
  EXPECT_TRUE(names.ok());
  for (const std::string& name : *names) {
    absl::StatusOr<std::string> data = ReadFileToString(JoinPath(dir, name));
    if (data.ok() && data->find(bytes) != std::string::npos) return true;
  }
  return false;
}

CompactionRules DropCustomer(const std::string& customer) {
  CompactionRules rules;
  rules.drop_event = [customer](const LoggedEvent& event) {
    return event.customer_id() == customer;
  };
  return rules;
}

TEST(EventLogCompactionTest, RemovesOneCustomersEventsFromEveryFile) {
  const std::string dir = TestDir("erase_one");
  EventLogReadSummary summary;
  std::unique_ptr<EventLogWriter> writer = Open(dir, &summary, 200);
  ASSERT_NE(writer, nullptr);
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(writer->Append(Events("GONE-1", 2)).ok());
    ASSERT_TRUE(writer->Append(Events("STAYS-2", 2)).ok());
  }
  ASSERT_TRUE(writer->Append(Tombstone("KEY-OF-GONE")).ok());
  ASSERT_TRUE(AnyFileHolds(dir, "GONE-1"));
  ASSERT_GT(writer->stats().segments, 2);

  absl::StatusOr<CompactionStats> stats = writer->Compact(DropCustomer("GONE-1"));
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->events_dropped, 12);
  EXPECT_GT(stats->segments_rewritten, 0);
  EXPECT_LT(stats->bytes_after, stats->bytes_before);
  EXPECT_FALSE(AnyFileHolds(dir, "GONE-1"));
  EXPECT_TRUE(AnyFileHolds(dir, "KEY-OF-GONE"));

  // Appends continue where the log was, and the stats follow the disk.
  absl::StatusOr<uint64_t> next = writer->Append(Events("STAYS-2", 1));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 14u);
  EventLogReadSummary read;
  std::vector<LogRecord> records = ReadAll(dir, &read);
  EXPECT_EQ(read.last_sequence, 14u);
  EXPECT_EQ(read.valid_bytes, writer->stats().bytes);
  int stays = 0;
  for (const LogRecord& record : records) {
    for (const LoggedEvent& event : record.events()) {
      EXPECT_EQ(event.customer_id(), "STAYS-2");
      ++stays;
    }
  }
  EXPECT_EQ(stays, 13);
}

TEST(EventLogCompactionTest, DroppingTrainedRecordsKeepsTombstonesAndSequence) {
  const std::string dir = TestDir("drop_trained");
  EventLogReadSummary summary;
  {
    std::unique_ptr<EventLogWriter> writer = Open(dir, &summary);
    ASSERT_NE(writer, nullptr);
    ASSERT_TRUE(writer->Append(Events("A", 3)).ok());        // 1
    ASSERT_TRUE(writer->Append(Tombstone("KEY")).ok());      // 2
    ASSERT_TRUE(writer->Append(Events("B", 3)).ok());        // 3
    CompactionRules rules;
    rules.drop_through_sequence = 3;
    absl::StatusOr<CompactionStats> stats = writer->Compact(rules);
    ASSERT_TRUE(stats.ok()) << stats.status();
    EXPECT_EQ(stats->events_dropped, 6);
  }
  EventLogReadSummary read;
  std::vector<LogRecord> records = ReadAll(dir, &read);
  // The tombstone, and record 3 emptied: it holds the segment's sequence.
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].erased_customers_size(), 1);
  EXPECT_EQ(records[1].sequence(), 3u);
  EXPECT_EQ(records[1].events_size(), 0);
  // Reopened, the log numbers on from 3.
  std::unique_ptr<EventLogWriter> writer = Open(dir, &summary);
  ASSERT_NE(writer, nullptr);
  absl::StatusOr<uint64_t> next = writer->Append(Events("C", 1));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 4u);
}

TEST(EventLogCompactionTest, AppendsGoOnWhileCompacting) {
  const std::string dir = TestDir("concurrent");
  EventLogReadSummary summary;
  std::unique_ptr<EventLogWriter> writer = Open(dir, &summary, 4096);
  ASSERT_NE(writer, nullptr);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(writer->Append(Events("X", 3)).ok());
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&writer, &failed, t] {
      for (int i = 0; i < 100; ++i) {
        if (!writer->Append(Events(absl::StrCat("T", t), 2)).ok()) failed = true;
      }
    });
  }
  for (int c = 0; c < 5; ++c) {
    absl::StatusOr<CompactionStats> stats = writer->Compact(DropCustomer("X"));
    ASSERT_TRUE(stats.ok()) << stats.status();
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_FALSE(failed);
  ASSERT_TRUE(writer->Compact(DropCustomer("X")).ok());
  EventLogReadSummary read;
  std::vector<LogRecord> records = ReadAll(dir, &read);
  EXPECT_EQ(read.last_sequence, 450u);
  int64_t events = 0;
  for (const LogRecord& record : records) {
    for (const LoggedEvent& event : record.events()) {
      EXPECT_NE(event.customer_id(), "X");
      ++events;
    }
  }
  EXPECT_EQ(events, 4 * 100 * 2);
}

TEST(EventLogCompactionTest, NothingToDropLeavesTheFileAlone) {
  const std::string dir = TestDir("unchanged");
  EventLogReadSummary summary;
  std::unique_ptr<EventLogWriter> writer = Open(dir, &summary);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Append(Events("A", 2)).ok());
  absl::StatusOr<CompactionStats> stats = writer->Compact(DropCustomer("Z"));
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->segments_read, 1);
  EXPECT_EQ(stats->segments_rewritten, 0);
  EXPECT_EQ(stats->bytes_before, stats->bytes_after);
}

TEST(EventLogCompactionTest, ADamagedSegmentIsReportedNotRewritten) {
  const std::string dir = TestDir("damaged");
  ASSERT_TRUE(CreateDirectories(dir).ok());
  const std::string path = JoinPath(dir, "events-00000001.log");
  ASSERT_TRUE(WriteFileDurably(path, "not a record at all").ok());
  CompactionStats stats;
  const absl::Status status = CompactSegment(path, DropCustomer("A"), &stats);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(status.message().find("byte 0"), std::string::npos);
  EXPECT_EQ(*ReadFileToString(path), "not a record at all");
}

}  // namespace
}  // namespace recommender::events
