// The end-to-end tests' side of a gRPC call: a context with a deadline, a
// channel with a connection of its own, and a server stream read to its end.
//
// Thread-safe: nothing here is shared between calls.
#ifndef TESTS_TESTING_GRPC_CLIENT_H_
#define TESTS_TESTING_GRPC_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/sync_stream.h"

namespace recommender::testing {

// A context whose deadline is `timeout` from now. The caller owns it and
// keeps it alive for the whole call (a stream's too).
std::unique_ptr<grpc::ClientContext> ContextWithDeadline(
    absl::Duration timeout);

// A plaintext channel to `target` ("127.0.0.1:PORT") that does not share its
// connection with other channels, so that one client's flow control or
// shutdown does not touch another's. `arguments` may add channel settings.
std::shared_ptr<grpc::Channel> OwnChannel(const std::string& target,
                                          grpc::ChannelArguments arguments = {});

// What a server stream sent, in order, and how the call ended.
template <typename Message>
struct StreamResult {
  std::vector<Message> messages;
  grpc::Status status;
};

// Reads `stream` to its end, then finishes the call.
template <typename Message>
StreamResult<Message> ReadToEnd(grpc::ClientReaderInterface<Message>& stream) {
  StreamResult<Message> result;
  Message message;
  while (stream.Read(&message)) result.messages.push_back(message);
  result.status = stream.Finish();
  return result;
}

}  // namespace recommender::testing

#endif  // TESTS_TESTING_GRPC_CLIENT_H_
