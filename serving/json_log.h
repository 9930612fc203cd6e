// Structured logging for the server: one JSON object per line on stderr,
// e.g. {"time":"2026-11-23T09:00:00.123Z","level":"info","msg":"model loaded","version":"20261123"}.
//
// Thread-safe: each line is written with a single write(2).
#ifndef SERVING_JSON_LOG_H_
#define SERVING_JSON_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "recommender/util/json_quote.h"

namespace recommender::serving {

using LogField = std::pair<absl::string_view, std::string>;

void LogInfo(absl::string_view message, std::initializer_list<LogField> fields = {});
void LogError(absl::string_view message, std::initializer_list<LogField> fields = {});

// JSON string literals (recommender/util/json_quote.h).
using ::recommender::JsonQuote;

}  // namespace recommender::serving

#endif  // SERVING_JSON_LOG_H_
