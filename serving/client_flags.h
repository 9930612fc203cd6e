// The connection flags the project's command-line clients share, defined
// once: --tls_ca, --tls_client_cert, --tls_client_key and --api_key_file
// (see client_channel.h). A binary that links this library has them.
#ifndef SERVING_CLIENT_FLAGS_H_
#define SERVING_CLIENT_FLAGS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "serving/client_channel.h"

namespace recommender::serving {

// A channel to `target` as the flags say. Errors as CreateClientChannel's,
// their messages starting with the flag's name.
absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelFromFlags(
    const std::string& target,
    const grpc::ChannelArguments& arguments = grpc::ChannelArguments());

}  // namespace recommender::serving

#endif  // SERVING_CLIENT_FLAGS_H_
