#include "serving/tls/reloading_certificate.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <utility>

#include "absl/strings/str_cat.h"

namespace recommender::serving::tls {

// One loaded pair (and CA store), freed when the last handshake using it
// has copied what it needs.
struct ReloadingCertificate::Material {
  X509* leaf = nullptr;
  STACK_OF(X509)* chain = nullptr;
  EVP_PKEY* key = nullptr;
  X509_STORE* client_ca = nullptr;

  ~Material() {
    X509_free(leaf);
    sk_X509_pop_free(chain, X509_free);
    EVP_PKEY_free(key);
    X509_STORE_free(client_ca);
  }
};

namespace {

std::string FileStamp(const std::string& path) {
  struct stat info;
  if (path.empty() || ::stat(path.c_str(), &info) != 0) return "-";
  return absl::StrCat(info.st_ino, ":", info.st_size, ":", info.st_mtim.tv_sec,
                      ".", info.st_mtim.tv_nsec);
}

}  // namespace

std::string ReloadingCertificate::Stamp() const {
  return absl::StrCat(FileStamp(files_.cert), "|", FileStamp(files_.key), "|",
                      FileStamp(files_.client_ca));
}

absl::StatusOr<std::shared_ptr<const ReloadingCertificate::Material>>
ReloadingCertificate::Load() const {
  if (absl::Status valid = CheckTlsFiles(files_); !valid.ok()) return valid;
  auto material = std::make_shared<Material>();
  BIO* cert_bio = BIO_new_file(files_.cert.c_str(), "r");
  if (cert_bio != nullptr) {
    material->leaf = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
    material->chain = sk_X509_new_null();
    while (X509* extra = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr)) {
      sk_X509_push(material->chain, extra);
    }
    BIO_free(cert_bio);
  }
  BIO* key_bio = BIO_new_file(files_.key.c_str(), "r");
  if (key_bio != nullptr) {
    material->key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
    BIO_free(key_bio);
  }
  if (!files_.client_ca.empty()) {
    material->client_ca = X509_STORE_new();
    if (material->client_ca == nullptr ||
        X509_STORE_load_file(material->client_ca, files_.client_ca.c_str()) != 1) {
      ERR_clear_error();
      return absl::InvalidArgumentError(
          absl::StrCat("tls_client_ca: ", files_.client_ca, ": cannot load"));
    }
  }
  ERR_clear_error();  // The end of the chain leaves a "no start line".
  if (material->leaf == nullptr || material->key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("tls_cert, tls_key: ", files_.cert, " and ", files_.key,
                     " changed while being read; will retry"));
  }
  return std::shared_ptr<const Material>(std::move(material));
}

absl::StatusOr<std::unique_ptr<ReloadingCertificate>> ReloadingCertificate::Start(
    const TlsFiles& files, std::function<void(const absl::Status&)> report) {
  std::unique_ptr<ReloadingCertificate> certificate(new ReloadingCertificate(files));
  const std::string stamp = certificate->Stamp();
  absl::StatusOr<std::shared_ptr<const Material>> loaded = certificate->Load();
  if (!loaded.ok()) return loaded.status();
  {
    absl::MutexLock lock(&certificate->mu_);
    certificate->current_ = *std::move(loaded);
    certificate->stamp_ = stamp;
  }
  ReloadingCertificate* self = certificate.get();
  certificate->watcher_ = std::thread([self, report = std::move(report)] {
    absl::Status last = absl::OkStatus();
    while (!self->stop_.WaitForNotificationWithTimeout(self->files_.reload_interval)) {
      absl::StatusOr<bool> reloaded = self->ReloadIfChanged();
      if (reloaded.ok() && !*reloaded) continue;
      if (!reloaded.ok() && reloaded.status() == last) continue;
      last = reloaded.status();
      if (report) report(reloaded.status());
    }
  });
  return certificate;
}

ReloadingCertificate::~ReloadingCertificate() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (watcher_.joinable()) watcher_.join();
}

absl::StatusOr<bool> ReloadingCertificate::ReloadIfChanged() {
  const std::string stamp = Stamp();
  {
    absl::MutexLock lock(&mu_);
    if (stamp == stamp_) return false;
  }
  absl::StatusOr<std::shared_ptr<const Material>> loaded = Load();
  if (!loaded.ok()) return loaded.status();
  absl::MutexLock lock(&mu_);
  current_ = *std::move(loaded);
  stamp_ = stamp;
  ++reloads_;
  return true;
}

int ReloadingCertificate::OnCertificate(SSL* ssl, void* arg) {
  auto* self = static_cast<ReloadingCertificate*>(arg);
  std::shared_ptr<const Material> material;
  {
    absl::MutexLock lock(&self->mu_);
    material = self->current_;
  }
  // Each call takes references of its own: the material may be replaced
  // while the connection lives.
  if (SSL_use_certificate(ssl, material->leaf) != 1 ||
      SSL_use_PrivateKey(ssl, material->key) != 1 ||
      SSL_set1_chain(ssl, material->chain) != 1) {
    return 0;
  }
  if (material->client_ca != nullptr &&
      SSL_set1_verify_cert_store(ssl, material->client_ca) != 1) {
    return 0;
  }
  return 1;
}

bool ReloadingCertificate::Configure(SSL_CTX& context) {
  if (SSL_CTX_set_min_proto_version(&context, TLS1_2_VERSION) != 1) return false;
  SSL_CTX_set_options(&context, SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_cert_cb(&context, &ReloadingCertificate::OnCertificate, this);
  if (!files_.client_ca.empty()) {
    SSL_CTX_set_verify(&context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       nullptr);
  }
  return true;
}

}  // namespace recommender::serving::tls
