#include "recommender/events/event_log_format.h"

#include "absl/base/internal/endian.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "recommender/util/crc32c.h"

namespace recommender::events {
namespace {

constexpr uint32_t kMaskDelta = 0xa282ead8u;

uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }

// CRC-32C over the 4 length bytes followed by the payload.
uint32_t RecordCrc(absl::string_view length_bytes, absl::string_view payload) {
  const uint32_t crc =
      ExtendCrc32c(0, length_bytes.data(), length_bytes.size());
  return Mask(ExtendCrc32c(crc, payload.data(), payload.size()));
}

}  // namespace

std::string SegmentFileName(int64_t segment) {
  return absl::StrFormat("events-%08d.log", segment);
}

std::optional<int64_t> ParseSegmentFileName(absl::string_view name) {
  if (!absl::ConsumePrefix(&name, "events-") ||
      !absl::ConsumeSuffix(&name, ".log") || name.size() != 8) {
    return std::nullopt;
  }
  for (char c : name) {
    if (!absl::ascii_isdigit(c)) return std::nullopt;
  }
  int64_t segment = 0;
  if (!absl::SimpleAtoi(name, &segment) || segment < 1) return std::nullopt;
  return segment;
}

std::string FrameRecord(absl::string_view payload) {
  std::string out(kRecordHeaderBytes, '\0');
  absl::little_endian::Store32(&out[4], static_cast<uint32_t>(payload.size()));
  absl::little_endian::Store32(
      &out[0], RecordCrc(absl::string_view(&out[4], 4), payload));
  out.append(payload.data(), payload.size());
  return out;
}

FramedRecord CheckFramedRecord(absl::string_view data, size_t offset) {
  if (offset > data.size() || data.size() - offset < kRecordHeaderBytes) {
    return {RecordCheck::kTruncated, {}};
  }
  const char* header = data.data() + offset;
  const uint32_t stored_crc = absl::little_endian::Load32(header);
  const uint32_t length = absl::little_endian::Load32(header + 4);
  if (length == 0 || length > kMaxRecordPayloadBytes) {
    return {RecordCheck::kBadLength, {}};
  }
  if (data.size() - offset - kRecordHeaderBytes < length) {
    return {RecordCheck::kTruncated, {}};
  }
  const absl::string_view payload(header + kRecordHeaderBytes, length);
  if (RecordCrc(absl::string_view(header + 4, 4), payload) != stored_crc) {
    return {RecordCheck::kBadChecksum, {}};
  }
  return {RecordCheck::kOk, payload};
}

std::optional<absl::string_view> ReadFramedRecord(absl::string_view data,
                                                  size_t offset) {
  const FramedRecord record = CheckFramedRecord(data, offset);
  if (record.check != RecordCheck::kOk) return std::nullopt;
  return record.payload;
}

}  // namespace recommender::events
