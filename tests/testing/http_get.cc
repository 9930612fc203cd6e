#include "tests/testing/http_get.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "httplib.h"

namespace recommender::testing {

absl::StatusOr<HttpResult> HttpRequest(int port, const std::string& method,
                                       const std::string& path,
                                       absl::Duration timeout) {
  httplib::Client client("127.0.0.1", port);
  const auto limit = absl::ToChronoMicroseconds(timeout);
  client.set_connection_timeout(limit);
  client.set_read_timeout(limit);
  client.set_write_timeout(limit);
  httplib::Request request;
  request.method = method;
  request.path = path;
  httplib::Result result = client.send(request);
  if (!result) {
    return absl::UnavailableError(absl::StrCat(
        method, " 127.0.0.1:", port, path, ": ", httplib::to_string(result.error())));
  }
  return HttpResult{result->status, result->get_header_value("Content-Type"),
                    result->body};
}

absl::StatusOr<HttpResult> HttpGet(int port, const std::string& path,
                                   absl::Duration timeout) {
  return HttpRequest(port, "GET", path, timeout);
}

}  // namespace recommender::testing
