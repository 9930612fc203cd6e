// ServerSecurity: what guards the server's ports, set up from
// Server::Options::security: TLS (the gRPC port through gRPC's certificate
// file watcher, the admin port and the HTTP gateway through one reloading
// OpenSSL certificate), the keys file (reloaded on change), the customer
// token keys, the audit log, the Authorizer with its rate and stream
// limits (one for every transport), and the rules for where the server may
// listen:
//
//   no keys file          loopback only ("every local caller may call every
//                         method" is logged), unless --insecure, which is
//                         then warned about every minute;
//   keys file             every call needs a key (health excepted); off
//                         loopback only with TLS, since keys must not cross
//                         a network in plaintext.
//
// On the HTTP gateway a key comes as "Authorization: Bearer <key>" or
// "X-API-Key: <key>" (the widget's configured key). A storefront key (one
// without the orders, campaign or admin role) is the browser's: its calls
// answer only for the customer of a verified customer token
// (X-Customer-Token, auth/customer_token.h), or for no customer without
// one (CallContext::customer_scope).
//
// Thread-safe: built once before the server starts; its parts are
// thread-safe.
#ifndef SERVING_SERVER_SECURITY_H_
#define SERVING_SERVER_SECURITY_H_

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "grpcpp/security/server_credentials.h"
#include "serving/admin_http_server.h"
#include "serving/call_context.h"
#include "serving/http/http_gateway.h"
#include "serving/auth/audit_log.h"
#include "serving/auth/authorizer.h"
#include "serving/auth/customer_token.h"
#include "serving/auth/key_store.h"
#include "serving/metrics.h"
#include "recommender/util/watched_file.h"
#include "serving/tls/reloading_certificate.h"
#include "serving/tls/tls_files.h"

namespace recommender::serving {

struct SecurityOptions {
  // Empty cert and key: no TLS.
  tls::TlsFiles tls;
  // API keys (serving/auth/api_keys.h); empty: no keys (see above).
  std::string keys_file;
  // Keys customer tokens are signed with (auth/customer_token.h); empty:
  // the gateway accepts no customer token.
  std::string customer_token_keys;
  // How often the keys file and the customer-token keys file are checked
  // for changes (both are reloaded without a restart).
  absl::Duration keys_reload_interval = absl::Seconds(2);
  // Serve a non-loopback address without keys.
  bool insecure = false;
  absl::Duration insecure_warning_interval = absl::Minutes(1);
  // JSON lines appended here; empty: stderr.
  std::string audit_log;
  // Per key; 0 calls/s: no limit.
  double rate_limit_per_second = 1000;
  double rate_limit_burst = 2000;
  // Concurrent BatchRecommend streams per key; < 1: no cap.
  int max_streams_per_key = 4;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(absl::string_view host);

class ServerSecurity {
 public:
  // Checks the options against `host` and sets everything up.
  // InvalidArgument naming the flag for a listening rule broken or a bad
  // file; `metrics` (not owned, may be null) counts refused calls.
  static absl::StatusOr<std::unique_ptr<ServerSecurity>> Start(
      const SecurityOptions& options, const std::string& host, Metrics* metrics);
  ~ServerSecurity();

  // The gRPC port's credentials: TLS or local (loopback) credentials with
  // the auth processor when keys are on; TLS or plaintext otherwise.
  std::shared_ptr<grpc::ServerCredentials> GrpcCredentials();

  // For AdminHttpServer::Options::tls and HttpGateway::Options::tls: empty
  // without TLS.
  std::function<bool(SSL_CTX&)> AdminTls();
  std::function<bool(SSL_CTX&)> HttpTls() { return AdminTls(); }

  // The HTTP gateway's authorization hook (HttpAuthorizer): the
  // Authorizer's check with the request's key, then the customer token on
  // the browser path; sets `call`'s caller and customer scope.
  absl::Status AuthorizeHttp(absl::string_view full_method,
                             const HttpCredentials& credentials,
                             CallContext* call);
  // The gateway's HttpCallFinished: the audit line of a call that ran.
  void HttpCallFinished(absl::string_view full_method, const CallContext& call,
                        const HttpCredentials& credentials,
                        const absl::Status& outcome, absl::Time start,
                        std::vector<std::pair<std::string, int64_t>> counts);

  // The admin port's access check for a page of the role table: nullopt if
  // the request may go ahead, the refusal's response otherwise.
  std::optional<HttpResponse> CheckAdminRequest(const HttpRequest& request);

  auth::Authorizer* authorizer() { return authorizer_.get(); }

 private:
  ServerSecurity() = default;

  SecurityOptions options_;
  Metrics* metrics_ = nullptr;
  std::unique_ptr<auth::KeyStore> keys_;
  // Reloaded on change, as the keys file is.
  std::unique_ptr<WatchedFile<auth::CustomerTokenKeys>> token_keys_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<auth::Authorizer> authorizer_;
  std::unique_ptr<tls::ReloadingCertificate> admin_certificate_;
  absl::Notification stop_;
  std::thread insecure_warnings_;
};

}  // namespace recommender::serving

#endif  // SERVING_SERVER_SECURITY_H_
