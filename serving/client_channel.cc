#include "serving/client_channel.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/client_interceptor.h"
#include "recommender/util/file_util.h"

namespace recommender::serving {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Adds the authorization metadata to every call.
class ApiKeyInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ApiKeyInterceptor(const std::string* header) : header_(header) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace("authorization", *header_);
    }
    methods->Proceed();
  }

 private:
  const std::string* header_;
};

class ApiKeyInterceptorFactory
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit ApiKeyInterceptorFactory(std::string key)
      : header_(absl::StrCat("Bearer ", key)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* /*info*/) override {
    return new ApiKeyInterceptor(&header_);
  }

 private:
  const std::string header_;
};

absl::StatusOr<std::string> ReadOption(const std::string& path,
                                       absl::string_view option) {
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(option, ": ", text.status().message()));
  }
  return text;
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::Channel>> CreateClientChannel(
    const ClientChannelOptions& options) {
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::InsecureChannelCredentials();
  if (options.tls_client_cert_file.empty() != options.tls_client_key_file.empty()) {
    return absl::InvalidArgumentError(
        "tls_client_cert, tls_client_key: give both or neither");
  }
  if (!options.tls_ca_file.empty()) {
    grpc::SslCredentialsOptions ssl;
    absl::StatusOr<std::string> ca = ReadOption(options.tls_ca_file, "tls_ca");
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *std::move(ca);
    if (!options.tls_client_cert_file.empty()) {
      absl::StatusOr<std::string> cert =
          ReadOption(options.tls_client_cert_file, "tls_client_cert");
      if (!cert.ok()) return cert.status();
      absl::StatusOr<std::string> key =
          ReadOption(options.tls_client_key_file, "tls_client_key");
      if (!key.ok()) return key.status();
      ssl.pem_cert_chain = *std::move(cert);
      ssl.pem_private_key = *std::move(key);
    }
    credentials = grpc::SslCredentials(ssl);
  } else if (!options.tls_client_cert_file.empty()) {
    return absl::InvalidArgumentError("tls_client_cert: needs --tls_ca");
  }
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  if (!options.api_key_file.empty()) {
    absl::StatusOr<std::string> text = ReadOption(options.api_key_file, "api_key_file");
    if (!text.ok()) return text.status();
    const absl::string_view key =
        absl::StripAsciiWhitespace(absl::string_view(*text).substr(0, text->find('\n')));
    if (key.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("api_key_file: ", options.api_key_file, " holds no key"));
    }
    interceptors.push_back(std::make_unique<ApiKeyInterceptorFactory>(std::string(key)));
  }
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      options.target, credentials, options.arguments, std::move(interceptors));
}

}  // namespace recommender::serving
