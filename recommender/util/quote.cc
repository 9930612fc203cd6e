#include "recommender/util/quote.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace recommender {
namespace {

// The code point of a valid sequence of `length` bytes.
uint32_t Decode(absl::string_view text, size_t length) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  switch (length) {
    case 1:
      return byte(0);
    case 2:
      return ((byte(0) & 0x1Fu) << 6) | (byte(1) & 0x3Fu);
    case 3:
      return ((byte(0) & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) |
             (byte(2) & 0x3Fu);
    default:
      return ((byte(0) & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) |
             ((byte(2) & 0x3Fu) << 6) | (byte(3) & 0x3Fu);
  }
}

// Characters that move the cursor, recolour a terminal or reorder text.
bool SteersDisplay(uint32_t code_point) {
  return (code_point >= 0x80 && code_point <= 0x9F) ||      // C1 controls
         code_point == 0x2028 || code_point == 0x2029 ||    // separators
         (code_point >= 0x202A && code_point <= 0x202E) ||  // bidi embedding
         (code_point >= 0x2066 && code_point <= 0x2069) ||  // bidi isolates
         code_point == 0x200E || code_point == 0x200F ||    // direction marks
         code_point == 0xFEFF;                              // byte-order mark
}

void AppendEscapedAscii(char c, std::string* out) {
  switch (c) {
    case '"':
      out->append("\\\"");
      return;
    case '\\':
      out->append("\\\\");
      return;
    case '\n':
      out->append("\\n");
      return;
    case '\r':
      out->append("\\r");
      return;
    case '\t':
      out->append("\\t");
      return;
    default:
      break;
  }
  const auto byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte == 0x7F) {
    absl::StrAppendFormat(out, "\\x%02x", byte);
  } else {
    out->push_back(c);
  }
}

}  // namespace

size_t Utf8SequenceLength(absl::string_view text) {
  if (text.empty()) return 0;
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    minimum = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
  }
  const uint32_t code_point = Decode(text, length);
  if (code_point < minimum || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return 0;
  }
  return length;
}

bool IsValidUtf8(absl::string_view text) {
  while (!text.empty()) {
    const size_t length = Utf8SequenceLength(text);
    if (length == 0) return false;
    text.remove_prefix(length);
  }
  return true;
}

std::string Quote(absl::string_view text) {
  std::string out = "\"";
  size_t shown = 0;
  while (shown < text.size()) {
    const absl::string_view rest = text.substr(shown);
    const size_t length = Utf8SequenceLength(rest);
    const size_t consumed = length == 0 ? 1 : length;
    if (shown + consumed > kQuotedBytes) break;
    if (length == 0) {
      absl::StrAppendFormat(&out, "\\x%02x", static_cast<uint8_t>(rest[0]));
    } else if (length == 1) {
      AppendEscapedAscii(rest[0], &out);
    } else if (const uint32_t code_point = Decode(rest, length);
               SteersDisplay(code_point)) {
      absl::StrAppendFormat(&out, "\\u%04x", code_point);
    } else {
      out.append(rest.data(), length);
    }
    shown += consumed;
  }
  out.push_back('"');
  if (shown < text.size()) {
    // U+2026 HORIZONTAL ELLIPSIS inside the quotes, then the true length.
    out.insert(out.size() - 1, "\xE2\x80\xA6");
    absl::StrAppend(&out, " (", text.size(), " bytes)");
  }
  return out;
}

}  // namespace recommender
