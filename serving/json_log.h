// Structured logging for the server: one JSON object per line on stderr,
// e.g. {"time":"2026-11-23T09:00:00.123Z","level":"info","msg":"model loaded","version":"20261123"}.
// Keys keep their order: time, level, msg, then the fields as given. Bytes
// that are not valid UTF-8 (a client's id, say) become U+FFFD, so every
// line is valid JSON whatever it carries.
//
// Thread-safe: each line is written with a single write(2).
#ifndef SERVING_JSON_LOG_H_
#define SERVING_JSON_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace recommender::serving {

using LogField = std::pair<absl::string_view, std::string>;

void LogInfo(absl::string_view message, std::initializer_list<LogField> fields = {});
void LogError(absl::string_view message, std::initializer_list<LogField> fields = {});

// The line LogInfo/LogError write (with its '\n'), for `level` at `time`.
std::string FormatLogLine(absl::string_view time, absl::string_view level,
                          absl::string_view message,
                          std::initializer_list<LogField> fields);

}  // namespace recommender::serving

#endif  // SERVING_JSON_LOG_H_
