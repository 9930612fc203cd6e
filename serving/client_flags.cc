#include "serving/client_flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA file to check the server's certificate with (the server "
          "runs with --tls_cert); empty: plaintext.");
ABSL_FLAG(std::string, tls_client_cert, "",
          "PEM client certificate, for a server with --tls_client_ca.");
ABSL_FLAG(std::string, tls_client_key, "", "Key of --tls_client_cert.");
ABSL_FLAG(std::string, api_key_file, "",
          "File holding the API key sent with every call (the server runs "
          "with --keys_file; the key needs the roles of the calls made).");

namespace recommender::serving {

absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelFromFlags(
    const std::string& target, const grpc::ChannelArguments& arguments) {
  ClientChannelOptions options;
  options.target = target;
  options.tls_ca_file = absl::GetFlag(FLAGS_tls_ca);
  options.tls_client_cert_file = absl::GetFlag(FLAGS_tls_client_cert);
  options.tls_client_key_file = absl::GetFlag(FLAGS_tls_client_key);
  options.api_key_file = absl::GetFlag(FLAGS_api_key_file);
  options.arguments = arguments;
  return CreateClientChannel(options);
}

}  // namespace recommender::serving
