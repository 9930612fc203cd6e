// AdminHttpServer: a minimal HTTP/1.1 server for the operations port
// (Prometheus scrapes /metrics, probes call /healthz). One thread serves
// one short GET at a time and closes the connection; requests larger than
// 8 KiB or slower than 2 s are dropped. Not for untrusted networks beyond
// what a metrics port normally faces.
//
// Thread-safe: the handler is called from the server's own thread only.
#ifndef SERVING_ADMIN_HTTP_SERVER_H_
#define SERVING_ADMIN_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace recommender::serving {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

class AdminHttpServer {
 public:
  // Called with the path of each GET (query string removed).
  using Handler = std::function<HttpResponse(const std::string& path)>;

  // Listens on host:port (port 0 picks a free one) and serves until
  // destroyed. Internal error naming the address if it cannot listen.
  static absl::StatusOr<std::unique_ptr<AdminHttpServer>> Start(
      const std::string& host, int port, Handler handler);

  // Stops serving and joins the thread.
  ~AdminHttpServer();

  int port() const { return port_; }

 private:
  AdminHttpServer(int listen_fd, int port, Handler handler);
  void Serve();
  void HandleConnection(int fd);

  const int listen_fd_;
  const int port_;
  const Handler handler_;
  int wake_pipe_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace recommender::serving

#endif  // SERVING_ADMIN_HTTP_SERVER_H_
