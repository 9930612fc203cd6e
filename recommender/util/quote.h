// Quoting untrusted text (ids, timestamps, names sent by clients or read
// from files) inside error messages and log lines: bounded in length and
// safe to print. A 10 KB id must not become a 10 KB message (which a gRPC
// client refuses as too much metadata), and control characters or terminal
// escapes must not reach a terminal or a log viewer as they are.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_UTIL_QUOTE_H_
#define RECOMMENDER_UTIL_QUOTE_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace recommender {

// Bytes of the original shown by Quote before it cuts.
inline constexpr size_t kQuotedBytes = 64;

// `text` in double quotes, at most kQuotedBytes of it (cut at a character
// boundary, then "…" and the full length: "ab…" (10240 bytes)). Inside the
// quotes '"' and '\' are backslash-escaped, ASCII control characters are
// written as \n, \t, \r or \xNN, bytes that are not UTF-8 as \xNN, and the
// Unicode characters that steer terminals or reorder text (C1 controls,
// line and paragraph separators, bidirectional overrides) as \uNNNN. The
// result is valid UTF-8 without control characters, and at most
// 4 * kQuotedBytes + 32 bytes long.
std::string Quote(absl::string_view text);

// Length in bytes of the valid UTF-8 sequence at the start of `text`
// (1 to 4), or 0 if it does not start with one (also for an empty text).
// Overlong forms, surrogates and code points above U+10FFFF are invalid.
size_t Utf8SequenceLength(absl::string_view text);

// Whether all of `text` is valid UTF-8.
bool IsValidUtf8(absl::string_view text);

}  // namespace recommender

#endif  // RECOMMENDER_UTIL_QUOTE_H_
