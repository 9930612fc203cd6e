// The server's TLS files (--tls_cert, --tls_key, optional --tls_client_ca)
// and their checks, shared by the gRPC port and the admin port. Both
// reread the files while running (certificate rotation without a restart);
// the checks here make a wrong file an error at start, naming the flag,
// rather than a failed handshake later.
//
// Thread-safe: pure functions.
#ifndef SERVING_TLS_TLS_FILES_H_
#define SERVING_TLS_TLS_FILES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace recommender::serving::tls {

struct TlsFiles {
  // PEM certificate chain (the server's first) and its private key.
  std::string cert;
  std::string key;
  // PEM CA certificates; if set, clients must present a certificate they
  // signed (mutual TLS).
  std::string client_ca;
  // How often the files are checked for changes.
  absl::Duration reload_interval = absl::Seconds(60);

  bool enabled() const { return !cert.empty() || !key.empty(); }
};

// OK if the certificate chain and key parse, belong together and the
// certificate has not expired, and the CA file (if any) holds a
// certificate. InvalidArgument naming the flag (tls_cert, tls_key,
// tls_client_ca) otherwise; a half-given pair is an error too.
absl::Status CheckTlsFiles(const TlsFiles& files);

}  // namespace recommender::serving::tls

#endif  // SERVING_TLS_TLS_FILES_H_
