#include "serving/http/http_gateway.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "serving/auth/authorizer.h"
#include "serving/http/bounded_task_queue.h"
#include "serving/http/http_status.h"
#include "serving/json_log.h"
#include "serving/listen_error.h"

namespace recommender::serving {
namespace {

constexpr char kJson[] = "application/json";
constexpr char kJsonLines[] = "application/x-ndjson";
// A connection that sends nothing stays with the kernel this long before it
// is accepted and takes a worker.
constexpr int kDeferAcceptSeconds = 5;
// Requests one kept-alive connection may carry before it is closed.
constexpr size_t kMaxRequestsPerConnection = 10000;

// Pages may load scripts, styles, images and API answers from the gateway
// itself and nothing else: no inline script or style, no eval, no framing.
constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

void SetError(const absl::Status& status, httplib::Response& response) {
  response.status = HttpStatusFor(status.code());
  response.set_header("Cache-Control", "no-store");
  response.set_content(ErrorJson(status), kJson);
}

void LogServerFault(absl::string_view method, const absl::Status& status) {
  const absl::StatusCode code = status.code();
  if (code == absl::StatusCode::kInternal ||
      code == absl::StatusCode::kUnknown ||
      code == absl::StatusCode::kDataLoss) {
    LogError("call failed in the server",
             {{"method", std::string(method)},
              {"transport", "http"},
              {"code", std::string(StatusCodeName(code))},
              {"error", std::string(status.message())}});
  }
}

double SecondsSince(absl::Time start) {
  return absl::ToDoubleSeconds(absl::Now() - start);
}

}  // namespace

HttpGateway::HttpGateway(Backends backends, const Options& options,
                         CorsPolicy cors)
    : backends_(std::move(backends)),
      options_(options),
      cors_(std::move(cors)) {
  for (const JsonMethod& method : backends_.methods) {
    by_path_[method.path] = &method;
  }
}

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Start(
    const std::string& host, int port, Backends backends,
    const Options& options) {
  if (options.worker_threads < 1 || options.max_queued_connections < 1 ||
      options.max_request_bytes < 1 || options.idle_timeout_seconds < 1 ||
      options.io_timeout <= absl::ZeroDuration() ||
      options.call_timeout <= absl::ZeroDuration() || options.backlog < 1) {
    return absl::InvalidArgumentError(
        "http port: worker_threads, max_queued_connections, "
        "max_request_bytes, idle_timeout_seconds, io_timeout, call_timeout "
        "and backlog must be positive");
  }
  if (backends.metrics == nullptr) {
    return absl::InvalidArgumentError("http port: metrics are required");
  }
  absl::StatusOr<CorsPolicy> cors = CorsPolicy::Create(options.allowed_origins);
  if (!cors.ok()) return cors.status();
  std::unique_ptr<HttpGateway> gateway(
      new HttpGateway(std::move(backends), options, *std::move(cors)));

  std::unique_ptr<httplib::Server> server;
  if (options.tls) {
    auto tls = std::make_unique<httplib::SSLServer>(options.tls);
    if (!tls->is_valid()) {
      return absl::InvalidArgumentError(
          "http port: the TLS certificate could not be set up");
    }
    server = std::move(tls);
  } else {
    server = std::make_unique<httplib::Server>();
  }
  const size_t workers = static_cast<size_t>(options.worker_threads);
  const size_t queued = static_cast<size_t>(options.max_queued_connections);
  server->new_task_queue = [workers, queued] {
    return new BoundedTaskQueue(workers, queued);
  };
  // SO_REUSEADDR and, unlike cpp-httplib's default, no SO_REUSEPORT: one
  // owner per port. Accept a connection only once its request has started
  // to arrive.
  socket_t listening = INVALID_SOCKET;
  server->set_socket_options([&listening](socket_t socket) {
    listening = socket;
    const int one = 1;
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    ::setsockopt(socket, IPPROTO_TCP, TCP_DEFER_ACCEPT, &kDeferAcceptSeconds,
                 sizeof(kDeferAcceptSeconds));
  });
  server->set_tcp_nodelay(true);
  server->set_keep_alive_timeout(options.idle_timeout_seconds);
  // cpp-httplib closes a connection after 5 requests by default.
  server->set_keep_alive_max_count(kMaxRequestsPerConnection);
  server->set_read_timeout(absl::ToChronoMicroseconds(options.io_timeout));
  server->set_write_timeout(absl::ToChronoMicroseconds(options.io_timeout));
  server->set_payload_max_length(
      static_cast<size_t>(options.max_request_bytes));
  gateway->Install(server.get());

  const int bound = port == 0 ? server->bind_to_any_port(host)
                              : (server->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return ListenError("HTTP port", host, port);
  // cpp-httplib listens with a backlog of 5.
  ::listen(listening, options.backlog);
  gateway->port_ = bound;
  gateway->server_ = std::move(server);
  gateway->listener_ =
      std::thread([s = gateway->server_.get()] { s->listen_after_bind(); });
  // stop() is a no-op until the loop runs, and the destructor relies on it.
  while (!gateway->server_->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return gateway;
}

HttpGateway::~HttpGateway() {
  closing_ = true;
  if (server_ != nullptr) server_->stop();
  if (listener_.joinable()) listener_.join();
}

void HttpGateway::Install(httplib::Server* server) {
  server->set_pre_routing_handler(
      [](const httplib::Request& request, httplib::Response& response) {
        const std::string& method = request.method;
        if (method == "GET" || method == "HEAD" || method == "POST" ||
            method == "OPTIONS") {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        response.set_header("Allow", "GET, HEAD, POST, OPTIONS");
        SetError(absl::UnimplementedError(absl::StrCat(
                     "method ", method,
                     " is not served: use POST for the "
                     "API (GET for read-only calls), GET for pages")),
                 response);
        response.status = 405;
        return httplib::Server::HandlerResponse::Handled;
      });
  server->Get(".*", [this](const httplib::Request& request,
                           httplib::Response& response) {
    if (!absl::StartsWith(request.path, "/v1/") && request.path != "/v1") {
      ServeFile(request, response);
      return;
    }
    if (request.path == "/v1/" || request.path == "/v1") {
      response.set_content(ApiIndex(), kJson);
      return;
    }
    auto method = by_path_.find(request.path);
    if (method != by_path_.end() && method->second->read_only) {
      HandleApi(*method->second, request, response);
      return;
    }
    if (method != by_path_.end()) {
      response.set_header("Allow", "POST, OPTIONS");
      SetError(absl::InvalidArgumentError(absl::StrCat(
                   request.path, " takes a JSON request body: use POST")),
               response);
      response.status = 405;
      return;
    }
    SetError(absl::NotFoundError(absl::StrCat("no API method at ", request.path,
                                              "; GET /v1/ lists them")),
             response);
  });
  server->Post(".*", [this](const httplib::Request& request,
                            httplib::Response& response) {
    auto method = by_path_.find(request.path);
    if (method == by_path_.end()) {
      SetError(absl::NotFoundError(absl::StrCat(
                   "no API method at ", request.path, "; GET /v1/ lists them")),
               response);
      return;
    }
    HandleApi(*method->second, request, response);
  });
  // CORS preflight: a browser asks before a cross-origin POST with JSON.
  server->Options(".*", [this](const httplib::Request& request,
                               httplib::Response& response) {
    if (!ApplyCors(request, response)) return;
    response.status = 204;
    response.set_header("Access-Control-Allow-Methods", "GET, POST");
    response.set_header("Access-Control-Allow-Headers",
                        "Content-Type, Authorization, X-API-Key, "
                        "X-Customer-Token");
    response.set_header("Access-Control-Max-Age", "600");
  });
  // Answers cpp-httplib makes itself (413 for a body too large, 400 for a
  // request it cannot parse) get a JSON body too.
  server->set_error_handler(httplib::Server::HandlerWithResponse(
      [max = options_.max_request_bytes](const httplib::Request& /*request*/,
                                         httplib::Response& response) {
        if (!response.body.empty()) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        const int status = response.status;
        absl::Status error =
            status == 413
                ? absl::ResourceExhaustedError(
                      absl::StrCat("request body: larger than ", max, " bytes"))
                : absl::InvalidArgumentError(absl::StrCat(
                      "the request could not be read (HTTP ", status, ")"));
        SetError(error, response);
        response.status = status;
        return httplib::Server::HandlerResponse::Handled;
      }));
}

bool HttpGateway::ApplyCors(const httplib::Request& request,
                            httplib::Response& response) {
  const std::string origin = request.get_header_value("Origin");
  switch (cors_.Check(origin, request.get_header_value("Host"))) {
    case CorsPolicy::Verdict::kSameOrigin:
      return true;
    case CorsPolicy::Verdict::kAllowed:
      response.set_header("Access-Control-Allow-Origin", origin);
      response.set_header("Vary", "Origin");
      return true;
    case CorsPolicy::Verdict::kRefused:
      break;
  }
  response.set_header("Vary", "Origin");
  SetError(absl::PermissionDeniedError(
               absl::StrCat("origin ", origin,
                            " may not call this API: add it to the server's "
                            "--cors_origins")),
           response);
  return false;
}

void HttpGateway::HandleApi(const JsonMethod& method,
                            const httplib::Request& request,
                            httplib::Response& response) {
  if (!ApplyCors(request, response)) return;
  response.set_header("Cache-Control", "no-store");
  if (draining_) {
    SetError(absl::UnavailableError("the server is shutting down"), response);
    return;
  }
  const bool streaming = static_cast<bool>(method.stream);
  const absl::string_view type = streaming ? "server_stream" : "unary";
  Metrics* metrics = backends_.metrics;
  metrics->RecordStart(method.full_method, type, Metrics::Transport::kHttp);
  const absl::Time start = absl::Now();
  CallContext call;
  if (!streaming) {
    call.deadline = std::chrono::system_clock::now() +
                    absl::ToChronoMicroseconds(options_.call_timeout);
  }
  const HttpCredentials credentials{request.get_header_value("Authorization"),
                                    request.get_header_value("X-API-Key"),
                                    request.get_header_value("X-Customer-Token"),
                                    request.get_header_value("Origin"),
                                    absl::StrCat("ipv4:", request.remote_addr,
                                                 ":", request.remote_port)};
  absl::Status status;
  if (backends_.authorize) {
    status = backends_.authorize(method.full_method, credentials, &call);
    if (!status.ok()) {
      // 401 with WWW-Authenticate, 403, or 429 with Retry-After.
      SetError(status, response);
      for (const auto& [name, value] : auth::HttpRefusalFor(status).headers) {
        response.set_header(name, value);
      }
      metrics->RecordRpc(method.full_method, type,
                         StatusCodeName(status.code()), SecondsSince(start),
                         Metrics::Transport::kHttp);
      return;
    }
  }
  // The handler's counts for the call's audit line.
  auto counts =
      std::make_shared<std::vector<std::pair<std::string, int64_t>>>();
  call.report_count = [counts](absl::string_view name, int64_t value) {
    counts->emplace_back(std::string(name), value);
  };
  if (streaming) {
    absl::StatusOr<JsonStream> stream = method.stream(call, request.body);
    if (stream.ok()) {
      // The stream's outcome is recorded when it ends.
      const std::string full_method = method.full_method;
      response.set_chunked_content_provider(
          kJsonLines,
          [stream = *std::move(stream), metrics, full_method, start, call,
           credentials, counts, finished = backends_.finished,
           closing = &closing_](size_t /*offset*/, httplib::DataSink& sink) {
            CallContext streaming_call = call;
            streaming_call.cancelled = [&sink, closing] {
              return closing->load() || !sink.is_writable();
            };
            int64_t lines = 0;
            absl::Status status = stream(
                streaming_call, [&sink, &lines](const std::string& line) {
                  const std::string out = absl::StrCat(line, "\n");
                  ++lines;
                  return sink.write(out.data(), out.size());
                });
            if (!status.ok() && !absl::IsCancelled(status)) {
              const std::string out = absl::StrCat(ErrorJson(status), "\n");
              sink.write(out.data(), out.size());
              LogServerFault(full_method, status);
            }
            sink.done();
            metrics->RecordRpc(full_method, "server_stream",
                               StatusCodeName(status.code()),
                               SecondsSince(start), Metrics::Transport::kHttp);
            if (finished) {
              counts->emplace_back("messages_out", lines);
              finished(full_method, call, credentials, status, start,
                       *counts);
            }
            return true;
          });
      return;
    }
    status = stream.status();
  } else {
    std::string json;
    status = method.unary(call, request.body, &json);
    if (status.ok()) response.set_content(std::move(json), kJson);
  }
  if (!status.ok()) {
    SetError(status, response);
    LogServerFault(method.full_method, status);
  }
  if (backends_.finished) {
    backends_.finished(method.full_method, call, credentials, status, start,
                       *counts);
  }
  metrics->RecordRpc(method.full_method, type, StatusCodeName(status.code()),
                     SecondsSince(start), Metrics::Transport::kHttp);
}

void HttpGateway::ServeFile(const httplib::Request& request,
                            httplib::Response& response) {
  const std::string& path = request.path;
  if (path == "/") {
    response.status = 302;
    response.set_header("Location", "/demo/");
    return;
  }
  if (backends_.files.IsFolder(path)) {
    response.status = 301;
    response.set_header("Location", absl::StrCat(path, "/"));
    return;
  }
  const StaticFile* file = backends_.files.Find(path);
  if (file == nullptr) {
    response.status = 404;
    response.set_content(
        absl::StrCat("not found: ", path,
                     "\nThe storefront demo is at /demo/, the dashboard at "
                     "/admin/, the API at /v1/.\n"),
        "text/plain; charset=utf-8");
    return;
  }
  response.set_header("ETag", file->etag);
  response.set_header("Cache-Control", "no-cache");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "same-origin");
  if (absl::StartsWith(file->content_type, "text/html")) {
    response.set_header("Content-Security-Policy", kContentSecurityPolicy);
    response.set_header("X-Frame-Options", "DENY");
  }
  if (absl::StartsWith(path, "/widget/")) {
    // Shops load the widget's script from their own pages.
    response.set_header("Access-Control-Allow-Origin", "*");
    response.set_header("Cross-Origin-Resource-Policy", "cross-origin");
  }
  if (request.get_header_value("If-None-Match") == file->etag) {
    response.status = 304;
    return;
  }
  response.set_content(file->body, file->content_type);
}

std::string HttpGateway::ApiIndex() const {
  nlohmann::ordered_json methods = nlohmann::ordered_json::array();
  for (const JsonMethod& method : backends_.methods) {
    nlohmann::ordered_json entry;
    entry["path"] = method.path;
    entry["method"] = method.full_method;
    entry["http"] = method.read_only ? nlohmann::ordered_json{"GET", "POST"}
                                     : nlohmann::ordered_json{"POST"};
    entry["streaming"] = static_cast<bool>(method.stream);
    methods.push_back(std::move(entry));
  }
  nlohmann::ordered_json index;
  index["methods"] = std::move(methods);
  index["json"] =
      "protobuf's canonical JSON mapping (proto/recommender.proto); "
      "streaming methods answer JSON Lines";
  return index.dump();
}

}  // namespace recommender::serving
