// AdminHttpServer: the operations port (Prometheus scrapes /metrics, probes
// call /healthz), served by cpp-httplib with a fixed pool of worker
// threads. GET and HEAD go to the handler; other methods get 405.
//
// Idle or slow clients cannot lock out probes: a connection that sends
// nothing is not even accepted for several seconds (TCP_DEFER_ACCEPT); once
// accepted, a connection holds a worker only until it has been idle for
// Options::idle_timeout_seconds (before its first request and between two)
// or a request or answer stalls for Options::io_timeout. So up to
// worker_threads - 1 stalled connections cost a probe nothing, and more
// delay it by about io_timeout per pool's worth. The listening socket has a
// backlog of Options::backlog and no SO_REUSEPORT, so a second server
// cannot share the port. With Options::tls it speaks HTTPS only (the
// callback sets up OpenSSL's context, e.g. tls::ReloadingCertificate); the
// handler sees each request's authorization header and peer, for the same
// access checks as the gRPC port.
//
// Thread-safe: the handler is called from the worker threads concurrently
// and must be thread-safe itself.
#ifndef SERVING_ADMIN_HTTP_SERVER_H_
#define SERVING_ADMIN_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <openssl/ssl.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace recommender::serving {

struct HttpRequest {
  // Without the query string.
  std::string path;
  // The Authorization header; empty if none was sent.
  std::string authorization;
  bool has_authorization = false;
  // "ipv4:10.0.0.7:51234", as gRPC names peers.
  std::string peer;
};

struct HttpResponse {
  HttpResponse() = default;
  HttpResponse(int status, std::string content_type, std::string body)
      : status(status),
        content_type(std::move(content_type)),
        body(std::move(body)) {}

  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Extra headers, e.g. WWW-Authenticate or Retry-After.
  std::vector<std::pair<std::string, std::string>> headers;
};

class AdminHttpServer {
 public:
  // Called for each GET and HEAD.
  using Handler = std::function<HttpResponse(const HttpRequest& request)>;

  struct Options {
    // Connections served at once.
    int worker_threads = 32;
    // A connection with no request (or no next request) for this long is
    // closed; whole seconds, at least 1.
    int idle_timeout_seconds = 1;
    // A request that stops arriving, or an answer the client stops taking,
    // for this long is dropped.
    absl::Duration io_timeout = absl::Seconds(1);
    // Connections the kernel queues before they are accepted.
    int backlog = 128;
    // If set, HTTPS: called once to set up the server's SSL_CTX (false
    // aborts the start).
    std::function<bool(SSL_CTX& context)> tls;
  };

  // Listens on host:port (port 0 picks a free one) and serves until
  // destroyed. Errors from ListenError (listen_error.h) if it cannot listen,
  // InvalidArgument for bad options.
  static absl::StatusOr<std::unique_ptr<AdminHttpServer>> Start(
      const std::string& host, int port, Handler handler,
      const Options& options);
  static absl::StatusOr<std::unique_ptr<AdminHttpServer>> Start(
      const std::string& host, int port, Handler handler) {
    return Start(host, port, std::move(handler), Options());
  }

  // Stops accepting, lets the workers finish and joins them.
  ~AdminHttpServer();

  int port() const { return port_; }

 private:
  AdminHttpServer(std::unique_ptr<httplib::Server> server, int port);

  const std::unique_ptr<httplib::Server> server_;
  const int port_;
  std::thread listener_;
};

}  // namespace recommender::serving

#endif  // SERVING_ADMIN_HTTP_SERVER_H_
