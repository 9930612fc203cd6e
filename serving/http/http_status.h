// The one place where an absl::Status becomes an HTTP answer, for the JSON
// gateway: the code maps as Google's HTTP/JSON APIs map gRPC codes
// (INVALID_ARGUMENT 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403,
// NOT_FOUND 404, RESOURCE_EXHAUSTED 429, UNAVAILABLE 503, ...), and the body
// is a JSON object naming the code, the message and, when the message starts
// with one ("count: must be 1 to 100"), the field at fault:
//
//   {"error":{"code":"INVALID_ARGUMENT","message":"count: must be 1 to 100, got
//   0","field":"count"}}
//
// Thread-safe: pure functions.
#ifndef SERVING_HTTP_HTTP_STATUS_H_
#define SERVING_HTTP_HTTP_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace recommender::serving {

// 200 for OK.
int HttpStatusFor(absl::StatusCode code);

// "OK", "INVALID_ARGUMENT", ...: gRPC's names of the codes.
absl::string_view StatusCodeName(absl::StatusCode code);

// The field a message names at its start ("events[3].item_id" of
// "events[3].item_id: unknown item"), or "" if it names none.
std::string FieldOf(absl::string_view message);

// The JSON body for a failed call (not OK).
std::string ErrorJson(const absl::Status& status);

}  // namespace recommender::serving

#endif  // SERVING_HTTP_HTTP_STATUS_H_
