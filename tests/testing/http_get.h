// The tests' HTTP client for the server's admin port (/metrics, /healthz):
// one request to 127.0.0.1 on a fresh connection (cpp-httplib's client).
//
// Thread-safe: each call has its own connection.
#ifndef TESTS_TESTING_HTTP_GET_H_
#define TESTS_TESTING_HTTP_GET_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace recommender::testing {

struct HttpResult {
  int status = 0;
  std::string content_type;
  std::string body;
};

// Sends `method` (GET, POST, ...) for `path` to 127.0.0.1:`port` and reads
// the whole answer. Unavailable (with what went wrong) if the connection
// fails or connecting, sending or reading takes longer than `timeout`.
absl::StatusOr<HttpResult> HttpRequest(
    int port, const std::string& method, const std::string& path,
    absl::Duration timeout = absl::Seconds(5));

// HttpRequest with GET.
absl::StatusOr<HttpResult> HttpGet(int port, const std::string& path,
                                   absl::Duration timeout = absl::Seconds(5));

}  // namespace recommender::testing

#endif  // TESTS_TESTING_HTTP_GET_H_
