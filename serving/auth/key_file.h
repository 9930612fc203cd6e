// The line format the key files share (the API keys' --keys_file and the
// customer-token keys'): one entry a line, its fields separated by spaces
// or tabs; '#' starts a comment to the end of the line; blank lines are
// skipped.
//
// Thread-safe: a pure function.
#ifndef SERVING_AUTH_KEY_FILE_H_
#define SERVING_AUTH_KEY_FILE_H_

#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace recommender::serving::auth {

// Calls `entry` with the fields of each entry of `text` in order, and
// stops at the first error it returns: InvalidArgument with its message
// after "<source>:<line number>: ".
absl::Status ForEachKeyFileEntry(
    absl::string_view text, absl::string_view source,
    absl::FunctionRef<absl::Status(const std::vector<absl::string_view>&)>
        entry);

}  // namespace recommender::serving::auth

#endif  // SERVING_AUTH_KEY_FILE_H_
