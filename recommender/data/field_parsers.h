// Parsers for single CSV field values. Each returns InvalidArgument with a
// message saying what was expected and quoting the text; callers prefix the
// file, line and column.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_DATA_FIELD_PARSERS_H_
#define RECOMMENDER_DATA_FIELD_PARSERS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace recommender {

// A finite decimal >= 0, e.g. "1980" or "12.50".
absl::StatusOr<double> ParseNonNegativeDecimal(absl::string_view text);

// An integer >= 1.
absl::StatusOr<int32_t> ParsePositiveInteger(absl::string_view text);

// true/false, 1/0, yes/no (any case).
absl::StatusOr<bool> ParseBoolean(absl::string_view text);

// An id: 1 to 256 bytes, no leading or trailing space, no control characters.
absl::Status ValidateId(absl::string_view text);

// A category path: segments separated by '/', none empty,
// e.g. "kitchen/appliances".
absl::Status ValidateCategoryPath(absl::string_view text);

}  // namespace recommender

#endif  // RECOMMENDER_DATA_FIELD_PARSERS_H_
