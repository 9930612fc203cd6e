#include "serving/tls/tls_files.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "absl/strings/str_cat.h"

namespace recommender::serving::tls {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

absl::Status FlagError(absl::string_view flag, absl::string_view path,
                       absl::string_view what) {
  ERR_clear_error();
  return absl::InvalidArgumentError(
      absl::StrCat(flag, ": ", path, ": ", what));
}

// The first certificate of a PEM file; null if none.
std::unique_ptr<X509, X509Free> FirstCertificate(const std::string& path) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "r"));
  if (bio == nullptr) return nullptr;
  return std::unique_ptr<X509, X509Free>(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

}  // namespace

absl::Status CheckTlsFiles(const TlsFiles& files) {
  if (files.cert.empty() != files.key.empty()) {
    return absl::InvalidArgumentError(
        "tls_cert, tls_key: give both (the certificate and its key) or neither");
  }
  if (!files.enabled()) {
    if (!files.client_ca.empty()) {
      return absl::InvalidArgumentError(
          "tls_client_ca: needs --tls_cert and --tls_key");
    }
    return absl::OkStatus();
  }
  if (files.reload_interval < absl::Seconds(1)) {
    return absl::InvalidArgumentError("tls_reload_seconds: must be >= 1");
  }
  std::unique_ptr<X509, X509Free> cert = FirstCertificate(files.cert);
  if (cert == nullptr) {
    return FlagError("tls_cert", files.cert,
                     "cannot read a PEM certificate from it");
  }
  std::unique_ptr<BIO, BioFree> key_bio(BIO_new_file(files.key.c_str(), "r"));
  std::unique_ptr<EVP_PKEY, KeyFree> key(
      key_bio == nullptr
          ? nullptr
          : PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return FlagError("tls_key", files.key,
                     "cannot read an unencrypted PEM private key from it");
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return FlagError("tls_key", files.key,
                     absl::StrCat("is not the key of the certificate in ",
                                  files.cert));
  }
  if (X509_cmp_current_time(X509_get0_notAfter(cert.get())) <= 0) {
    return FlagError("tls_cert", files.cert, "the certificate has expired");
  }
  if (!files.client_ca.empty() && FirstCertificate(files.client_ca) == nullptr) {
    return FlagError("tls_client_ca", files.client_ca,
                     "cannot read a PEM certificate from it");
  }
  return absl::OkStatus();
}

}  // namespace recommender::serving::tls
