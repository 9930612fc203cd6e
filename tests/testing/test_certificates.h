// Throw-away certificates for tests of TLS: a CA, a server certificate for
// 127.0.0.1 and localhost signed by it, and a client certificate for mutual
// TLS, made with OpenSSL in process (P-256 keys, SHA-256) and written as
// PEM files.
//
// Thread-safe: no shared state.
#ifndef TESTS_TESTING_TEST_CERTIFICATES_H_
#define TESTS_TESTING_TEST_CERTIFICATES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace recommender::testing {

struct TestCertificates {
  std::string ca_cert;      // Path of the CA's certificate.
  std::string server_cert;  // Server certificate (CN = `server_name`).
  std::string server_key;
  std::string client_cert;  // Client certificate signed by the same CA.
  std::string client_key;
  // The PEM texts, for gRPC's SslCredentials and similar.
  std::string ca_pem;
  std::string client_cert_pem;
  std::string client_key_pem;
};

// Writes ca.pem, server.pem, server.key, client.pem, client.key into `dir`
// (created if missing), the certificates valid from an hour ago for
// `valid_for`. The server certificate's common name is `server_name`
// (its subject alternative names are always 127.0.0.1 and localhost).
absl::StatusOr<TestCertificates> WriteTestCertificates(
    const std::string& dir, const std::string& server_name = "recommender test",
    absl::Duration valid_for = absl::Hours(24));

// The common name of the first certificate in a PEM text; empty if none.
std::string CommonName(const std::string& pem);

}  // namespace recommender::testing

#endif  // TESTS_TESTING_TEST_CERTIFICATES_H_
