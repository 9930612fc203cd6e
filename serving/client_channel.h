// The channel the project's command-line clients (demo client, campaign
// exporter) open to the server: plaintext or TLS (checking the server's
// certificate against a CA file, optionally presenting a client certificate
// for mutual TLS), with an API key sent on every call as
// "authorization: Bearer <key>". The key is added by a client interceptor,
// so it also works over plaintext to a loopback server.
//
// Thread-safe: the channel is.
#ifndef SERVING_CLIENT_CHANNEL_H_
#define SERVING_CLIENT_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/channel_arguments.h"

namespace recommender::serving {

struct ClientChannelOptions {
  // "host:port".
  std::string target;
  // PEM CA certificates to check the server with; empty: plaintext.
  std::string tls_ca_file;
  // PEM client certificate and key for mutual TLS; both or neither.
  std::string tls_client_cert_file;
  std::string tls_client_key_file;
  // A file holding the API key (its first line); empty: no key.
  std::string api_key_file;
  grpc::ChannelArguments arguments;
};

// InvalidArgument naming the option for files that cannot be read, a key
// file without a key, or half a client certificate.
absl::StatusOr<std::shared_ptr<grpc::Channel>> CreateClientChannel(
    const ClientChannelOptions& options);

}  // namespace recommender::serving

#endif  // SERVING_CLIENT_CHANNEL_H_
