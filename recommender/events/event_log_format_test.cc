#include "recommender/events/event_log_format.h"

#include <string>

#include "gtest/gtest.h"

namespace recommender::events {
namespace {

TEST(EventLogFormatTest, SegmentNamesRoundTrip) {
  EXPECT_EQ(SegmentFileName(42), "events-00000042.log");
  EXPECT_EQ(ParseSegmentFileName("events-00000042.log"), 42);
  EXPECT_FALSE(ParseSegmentFileName("events-42.log").has_value());
  EXPECT_FALSE(ParseSegmentFileName("events-0000004x.log").has_value());
  EXPECT_FALSE(ParseSegmentFileName("events-00000000.log").has_value());
  EXPECT_FALSE(ParseSegmentFileName("LOCK").has_value());
}

TEST(EventLogFormatTest, FramedRecordsReadBack) {
  const std::string data = FrameRecord("first") + FrameRecord("second!");
  std::optional<absl::string_view> first = ReadFramedRecord(data, 0);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*first, "first");
  std::optional<absl::string_view> second =
      ReadFramedRecord(data, kRecordHeaderBytes + 5);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*second, "second!");
}

TEST(EventLogFormatTest, EveryTruncationIsRejected) {
  const std::string data = FrameRecord("payload");
  for (size_t size = 0; size < data.size(); ++size) {
    EXPECT_FALSE(ReadFramedRecord(data.substr(0, size), 0).has_value())
        << size;
  }
}

TEST(EventLogFormatTest, EveryFlippedBitIsRejected) {
  const std::string data = FrameRecord("payload");
  for (size_t byte = 0; byte < data.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string damaged = data;
      damaged[byte] = static_cast<char>(damaged[byte] ^ (1 << bit));
      EXPECT_FALSE(ReadFramedRecord(damaged, 0).has_value())
          << byte << ":" << bit;
    }
  }
}

TEST(EventLogFormatTest, ZerosAreNotARecord) {
  EXPECT_FALSE(ReadFramedRecord(std::string(64, '\0'), 0).has_value());
}

}  // namespace
}  // namespace recommender::events
