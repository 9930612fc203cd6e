// ReloadingCertificate: the TLS certificate, key and client CA of an
// OpenSSL server (the admin port's cpp-httplib SSLServer), reread when the
// files change, so a renewed certificate is served without a restart. Each
// handshake takes the pair current at that moment (OpenSSL's certificate
// callback); connections already open keep theirs. A file that fails to
// load is reported and the previous pair stays in use. (The gRPC port has
// gRPC's own file watcher, grpc_tls.h.)
//
// Thread-safe: handshakes may run on any thread while the files reload.
#ifndef SERVING_TLS_RELOADING_CERTIFICATE_H_
#define SERVING_TLS_RELOADING_CERTIFICATE_H_

#include <openssl/ssl.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "serving/tls/tls_files.h"

namespace recommender::serving::tls {

class ReloadingCertificate {
 public:
  // Loads the files (errors as CheckTlsFiles) and checks them for changes
  // every files.reload_interval on a thread of its own; `report` hears each
  // reload or failure.
  static absl::StatusOr<std::unique_ptr<ReloadingCertificate>> Start(
      const TlsFiles& files,
      std::function<void(const absl::Status&)> report = nullptr);
  ~ReloadingCertificate();
  ReloadingCertificate(const ReloadingCertificate&) = delete;
  ReloadingCertificate& operator=(const ReloadingCertificate&) = delete;

  // Sets up `context` to serve the current pair at each handshake, TLS 1.2
  // or newer, and with a client CA to require and verify client
  // certificates. False if OpenSSL refuses a setting.
  bool Configure(SSL_CTX& context);

  // Rereads the files if any changed; true if a new pair is in use.
  absl::StatusOr<bool> ReloadIfChanged();

  int64_t reloads() const { return reloads_.load(); }

 private:
  struct Material;

  explicit ReloadingCertificate(TlsFiles files) : files_(std::move(files)) {}
  // Reads the files into new material.
  absl::StatusOr<std::shared_ptr<const Material>> Load() const;
  // Size, modification time and inode of each file, as one string.
  std::string Stamp() const;
  static int OnCertificate(SSL* ssl, void* self);

  const TlsFiles files_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const Material> current_ ABSL_GUARDED_BY(mu_);
  std::string stamp_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> reloads_{0};
  absl::Notification stop_;
  std::thread watcher_;
};

}  // namespace recommender::serving::tls

#endif  // SERVING_TLS_RELOADING_CERTIFICATE_H_
