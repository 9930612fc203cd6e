// JSON string literals for the hand-written JSON the project prints (the
// server's log lines, campaign exports, the evaluation tool's report).
//
// Thread-safe: pure function.
#ifndef RECOMMENDER_UTIL_JSON_QUOTE_H_
#define RECOMMENDER_UTIL_JSON_QUOTE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace recommender {

// `text` as a JSON string literal, quotes included: '"', '\\' and control
// characters escaped, UTF-8 kept as is.
std::string JsonQuote(absl::string_view text);

}  // namespace recommender

#endif  // RECOMMENDER_UTIL_JSON_QUOTE_H_
