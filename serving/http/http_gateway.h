// HttpGateway: the server's HTTP/JSON front door (--http_port), for
// browsers and for shops that do not speak gRPC. Each API path calls a
// service object's own handler in process (json_api.h), so both transports
// share one copy of the logic; every call passes first through one
// authorization hook with gRPC's method name and the request's credentials
// (the check the gRPC side makes too: serving/auth's Authorizer, through
// ServerSecurity), which tells the handler who calls through its
// CallContext, and is counted in Metrics under the http_server_* families;
// a call that ran is reported to the `finished` hook (the audit log). With
// Options::tls the port speaks HTTPS only. It also serves the web pages (the storefront
// widget's script, the demo storefront, the operators' dashboard) under a
// strict Content-Security-Policy.
//
// Answers: the JSON response with 200; a failed call with the HTTP status
// of its code (http_status.h) and {"error":{"code","message","field"}};
// a server-streaming call as JSON Lines (application/x-ndjson), ending with
// an {"error":...} line if it fails midway. GET /v1/ lists the API.
//
// Bounds: a fixed pool of worker threads with a bounded queue of accepted
// connections (bounded_task_queue.h), requests above max_request_bytes
// refused (413), a deadline on each unary call, read/write and keep-alive
// timeouts, and browser origins limited to an allow-list (cors_policy.h).
// One owner per port: no SO_REUSEPORT, and a port already taken is an error
// naming it.
//
// Thread-safe: the handlers run on the worker threads concurrently;
// StartDraining may be called from any thread.
#ifndef SERVING_HTTP_HTTP_GATEWAY_H_
#define SERVING_HTTP_HTTP_GATEWAY_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <openssl/ssl.h>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "serving/http/cors_policy.h"
#include "serving/http/json_api.h"
#include "serving/http/static_files.h"
#include "serving/metrics.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace recommender::serving {

// What a request says about who sends it, for the authorization hook.
struct HttpCredentials {
  // The Authorization header as sent ("Bearer ..."), or "".
  std::string authorization;
  // The X-API-Key header (the widget's configured key), or "".
  std::string api_key;
  // The X-Customer-Token header (a signed customer token), or "".
  std::string customer_token;
  // The browser page's origin (Origin header), or "".
  std::string origin;
  // The client's address.
  std::string peer;
};

// OK to let the call through, with what the handler should know of the
// caller set in `call` (CallContext::caller, keys_enabled,
// customer_scope); UNAUTHENTICATED or PERMISSION_DENIED (or
// RESOURCE_EXHAUSTED for a rate limit) to refuse it. `full_method` is
// gRPC's name, e.g. "/recommender.v1.Recommender/Recommend".
using HttpAuthorizer = std::function<absl::Status(
    absl::string_view full_method, const HttpCredentials& credentials,
    CallContext* call)>;

// Hears how each call that passed the authorization hook ended: its
// outcome and the counts the handler reported (CallContext::ReportCount)
// plus "messages_out" for a stream.
using HttpCallFinished = std::function<void(
    absl::string_view full_method, const CallContext& call,
    const HttpCredentials& credentials, const absl::Status& outcome,
    absl::Time start, std::vector<std::pair<std::string, int64_t>> counts)>;

class HttpGateway {
 public:
  struct Options {
    // Connections served at once, and accepted ones waiting for a worker.
    int worker_threads = 32;
    int max_queued_connections = 256;
    // Largest request body; larger ones get 413.
    int max_request_bytes = 8 << 20;
    // Deadline of each unary call from its arrival (DEADLINE_EXCEEDED, 504).
    absl::Duration call_timeout = absl::Seconds(10);
    // A connection idle this long between requests is closed.
    int idle_timeout_seconds = 5;
    // A request that stops arriving, or an answer the client stops taking,
    // for this long is dropped.
    absl::Duration io_timeout = absl::Seconds(5);
    // Connections the kernel queues before they are accepted.
    int backlog = 512;
    // Browser origins allowed to call the API ("https://shop.example").
    std::vector<std::string> allowed_origins;
    // Set: HTTPS with the certificate this configures on the port's
    // OpenSSL context (ServerSecurity::HttpTls, reloaded from disk).
    std::function<bool(SSL_CTX&)> tls;
  };

  struct Backends {
    std::vector<JsonMethod> methods;
    // Not owned; must outlive the gateway.
    Metrics* metrics = nullptr;
    // Null lets every call through.
    HttpAuthorizer authorize;
    // May be null.
    HttpCallFinished finished;
    StaticFiles files;
  };

  // Listens on host:port (0 picks a free one) and serves until destroyed.
  // InvalidArgument for bad options (naming the origin at fault); errors
  // from ListenError (listen_error.h) if it cannot listen.
  static absl::StatusOr<std::unique_ptr<HttpGateway>> Start(
      const std::string& host, int port, Backends backends,
      const Options& options);

  // Stops accepting, lets the unary calls in flight finish, stops streams at
  // their next message and joins the workers.
  ~HttpGateway();

  // From now on, API calls are refused with UNAVAILABLE (503); pages are
  // still served.
  void StartDraining() { draining_ = true; }

  int port() const { return port_; }

 private:
  HttpGateway(Backends backends, const Options& options, CorsPolicy cors);

  void Install(httplib::Server* server);
  void HandleApi(const JsonMethod& method, const httplib::Request& request,
                 httplib::Response& response);
  void HandleStream(const JsonMethod& method, const CallContext& call,
                    const httplib::Request& request,
                    httplib::Response& response);
  void ServeFile(const httplib::Request& request, httplib::Response& response);
  // Adds the CORS headers for an allowed origin; false (and a 403 answer)
  // for one not allowed.
  bool ApplyCors(const httplib::Request& request, httplib::Response& response);
  std::string ApiIndex() const;

  const Backends backends_;
  const Options options_;
  const CorsPolicy cors_;
  absl::flat_hash_map<std::string, const JsonMethod*> by_path_;
  std::atomic<bool> draining_{false};
  // Set when the gateway is destroyed: streams stop at their next message.
  std::atomic<bool> closing_{false};
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread listener_;
};

}  // namespace recommender::serving

#endif  // SERVING_HTTP_HTTP_GATEWAY_H_
