#include "serving/admin_http_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "httplib.h"
#include "serving/listen_error.h"

namespace recommender::serving {
namespace {

// cpp-httplib's server (plain or TLS), with access to its listening socket
// (to set the backlog, which the library fixes at 5).
template <typename Base>
class WithSocket : public Base {
 public:
  using Base::Base;
  int listening_socket() const { return this->svr_sock_; }
};

// "ipv4:10.0.0.7:51234" or "ipv6:[::1]:51234".
std::string PeerName(const httplib::Request& request) {
  const bool v6 = request.remote_addr.find(':') != std::string::npos;
  return v6 ? absl::StrCat("ipv6:[", request.remote_addr, "]:", request.remote_port)
            : absl::StrCat("ipv4:", request.remote_addr, ":", request.remote_port);
}

// A connection that sends nothing stays with the kernel this long before
// it is accepted and takes a worker.
constexpr int kDeferAcceptSeconds = 10;

// SO_REUSEADDR (restart while old connections linger in TIME_WAIT) and,
// unlike cpp-httplib's default, no SO_REUSEPORT: one owner per port.
// TCP_DEFER_ACCEPT: accept a connection only once its request has started
// to arrive, so connections that never send do not hold workers.
void ListeningSocketOptions(socket_t socket) {
  const int one = 1;
  ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  ::setsockopt(socket, IPPROTO_TCP, TCP_DEFER_ACCEPT, &kDeferAcceptSeconds,
               sizeof(kDeferAcceptSeconds));
}

}  // namespace

absl::StatusOr<std::unique_ptr<AdminHttpServer>> AdminHttpServer::Start(
    const std::string& host, int port, Handler handler,
    const Options& options) {
  if (options.worker_threads < 1 || options.idle_timeout_seconds < 1 ||
      options.io_timeout <= absl::ZeroDuration() || options.backlog < 1) {
    return absl::InvalidArgumentError(
        "admin port: worker_threads, idle_timeout_seconds, io_timeout and "
        "backlog must be positive");
  }
  std::unique_ptr<httplib::Server> owned;
  int (*socket_of)(const httplib::Server&) = nullptr;
  if (options.tls) {
    auto tls = std::make_unique<WithSocket<httplib::SSLServer>>(options.tls);
    if (!tls->is_valid()) {
      return absl::InvalidArgumentError(
          "admin port: the TLS certificate could not be set up");
    }
    socket_of = [](const httplib::Server& s) {
      return static_cast<const WithSocket<httplib::SSLServer>&>(s).listening_socket();
    };
    owned = std::move(tls);
  } else {
    owned = std::make_unique<WithSocket<httplib::Server>>();
    socket_of = [](const httplib::Server& s) {
      return static_cast<const WithSocket<httplib::Server>&>(s).listening_socket();
    };
  }
  httplib::Server* server = owned.get();
  const size_t workers = static_cast<size_t>(options.worker_threads);
  server->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  server->set_socket_options(ListeningSocketOptions);
  server->set_keep_alive_timeout(options.idle_timeout_seconds);
  server->set_read_timeout(absl::ToChronoMicroseconds(options.io_timeout));
  server->set_write_timeout(absl::ToChronoMicroseconds(options.io_timeout));
  server->set_pre_routing_handler(
      [](const httplib::Request& request, httplib::Response& response) {
        if (request.method == "GET" || request.method == "HEAD") {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        response.status = 405;
        response.set_header("Allow", "GET, HEAD");
        response.set_content("only GET\n", "text/plain; charset=utf-8");
        return httplib::Server::HandlerResponse::Handled;
      });
  server->Get(".*", [handler = std::move(handler)](
                        const httplib::Request& request,
                        httplib::Response& response) {
    HttpRequest call;
    call.path = request.path;
    call.has_authorization = request.has_header("Authorization");
    call.authorization = request.get_header_value("Authorization");
    call.peer = PeerName(request);
    HttpResponse answer = handler(call);
    response.status = answer.status;
    for (const auto& [name, value] : answer.headers) {
      response.set_header(name.c_str(), value);
    }
    response.set_content(std::move(answer.body), answer.content_type);
  });

  const int bound = port == 0 ? server->bind_to_any_port(host)
                              : (server->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return ListenError("admin port", host, port);
  ::listen(socket_of(*server), options.backlog);
  std::unique_ptr<AdminHttpServer> admin(
      new AdminHttpServer(std::move(owned), bound));
  admin->listener_ =
      std::thread([s = admin->server_.get()] { s->listen_after_bind(); });
  // stop() is a no-op until the loop runs, and the destructor relies on it.
  while (!admin->server_->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return admin;
}

AdminHttpServer::AdminHttpServer(std::unique_ptr<httplib::Server> server,
                                 int port)
    : server_(std::move(server)), port_(port) {}

AdminHttpServer::~AdminHttpServer() {
  server_->stop();
  if (listener_.joinable()) listener_.join();
}

}  // namespace recommender::serving
