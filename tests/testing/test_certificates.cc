#include "tests/testing/test_certificates.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "recommender/util/file_util.h"

namespace recommender::testing {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
  void operator()(X509* cert) const { X509_free(cert); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

bool AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (extension == nullptr) return false;
  const bool added = X509_add_ext(cert, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

// A certificate for `key` named `name`, signed by `issuer_key` (self-signed
// if `issuer` is null).
Cert MakeCertificate(EVP_PKEY* key, const std::string& name, X509* issuer,
                     EVP_PKEY* issuer_key, bool ca, const char* alt_names,
                     long serial, absl::Duration valid_for) {
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()),
                  static_cast<long>(absl::ToInt64Seconds(valid_for)));
  X509_set_pubkey(cert.get(), key);
  X509_NAME* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(name.c_str()),
                             -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  bool ok = AddExtension(cert.get(), signer, NID_basic_constraints,
                         ca ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
            AddExtension(cert.get(), signer, NID_key_usage,
                         ca ? "critical,keyCertSign,cRLSign"
                            : "critical,digitalSignature,keyEncipherment") &&
            AddExtension(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (ok && !ca) {
    ok = AddExtension(cert.get(), signer, NID_ext_key_usage,
                      "serverAuth,clientAuth");
  }
  if (ok && alt_names != nullptr) {
    ok = AddExtension(cert.get(), signer, NID_subject_alt_name, alt_names);
  }
  if (!ok || X509_sign(cert.get(), issuer_key, EVP_sha256()) == 0) return nullptr;
  return cert;
}

std::string CertPem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  return pem;
}

std::string KeyPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  return pem;
}

}  // namespace

absl::StatusOr<TestCertificates> WriteTestCertificates(
    const std::string& dir, const std::string& server_name,
    absl::Duration valid_for) {
  if (absl::Status made = CreateDirectories(dir); !made.ok()) return made;
  Key ca_key(EVP_EC_gen("P-256"));
  Key server_key(EVP_EC_gen("P-256"));
  Key client_key(EVP_EC_gen("P-256"));
  if (ca_key == nullptr || server_key == nullptr || client_key == nullptr) {
    return absl::InternalError("cannot make EC keys");
  }
  static long serial = 1;
  Cert ca = MakeCertificate(ca_key.get(), "recommender test CA", nullptr,
                            ca_key.get(), true, nullptr, serial++, valid_for);
  Cert server = MakeCertificate(server_key.get(), server_name, ca.get(),
                                ca_key.get(), false,
                                "IP:127.0.0.1,DNS:localhost", serial++, valid_for);
  Cert client = MakeCertificate(client_key.get(), "recommender test client",
                                ca.get(), ca_key.get(), false, nullptr, serial++,
                                valid_for);
  if (ca == nullptr || server == nullptr || client == nullptr) {
    return absl::InternalError("cannot make test certificates");
  }
  TestCertificates out;
  out.ca_cert = JoinPath(dir, "ca.pem");
  out.server_cert = JoinPath(dir, "server.pem");
  out.server_key = JoinPath(dir, "server.key");
  out.client_cert = JoinPath(dir, "client.pem");
  out.client_key = JoinPath(dir, "client.key");
  out.ca_pem = CertPem(ca.get());
  out.client_cert_pem = CertPem(client.get());
  out.client_key_pem = KeyPem(client_key.get());
  for (const auto& [path, text] :
       {std::pair{out.ca_cert, out.ca_pem},
        std::pair{out.server_cert, CertPem(server.get())},
        std::pair{out.server_key, KeyPem(server_key.get())},
        std::pair{out.client_cert, out.client_cert_pem},
        std::pair{out.client_key, out.client_key_pem}}) {
    if (absl::Status written = WriteFileDurably(path, text); !written.ok()) {
      return written;
    }
  }
  return out;
}

std::string CommonName(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (cert == nullptr) return "";
  char name[256] = {0};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, name,
                            sizeof(name));
  X509_free(cert);
  return name;
}

}  // namespace recommender::testing
