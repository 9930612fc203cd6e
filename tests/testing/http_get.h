// A blocking HTTP/1.1 GET against 127.0.0.1, for tests of the server's
// admin port.
#ifndef TESTS_TESTING_HTTP_GET_H_
#define TESTS_TESTING_HTTP_GET_H_

#include <string>

#include "absl/status/statusor.h"

namespace recommender::testing {

struct HttpResult {
  int status = 0;
  std::string body;
};

// GET `path` from 127.0.0.1:`port`, reading until the server closes.
absl::StatusOr<HttpResult> HttpGet(int port, const std::string& path);

}  // namespace recommender::testing

#endif  // TESTS_TESTING_HTTP_GET_H_
