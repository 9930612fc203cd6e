// A slow campaign client for end-to-end tests of streams: it asks
// BatchRecommend for every customer (100 picks each) over a connection of
// its own with a small flow-control window, and reads only when told, so
// the server is soon left blocked writing the stream.
//
// Not thread-safe: one thread reads a client.
#ifndef TESTS_TESTING_SLOW_BATCH_CLIENT_H_
#define TESTS_TESTING_SLOW_BATCH_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "proto/recommender.grpc.pb.h"

namespace recommender::testing {

class SlowBatchClient {
 public:
  // Starts the call to `target` ("127.0.0.1:PORT"), with a 120 s deadline.
  explicit SlowBatchClient(const std::string& target);

  // Reads one message, expecting (a test failure otherwise) its position to
  // follow the one before; false at the end of the stream.
  bool ReadOne();

  // Reads the rest, pausing `pause` after every `pause_every` messages
  // received; the call's status.
  grpc::Status ReadToEnd(absl::Duration pause = absl::ZeroDuration(),
                         int pause_every = 1);

  // Ends the call after ReadOne returned false.
  grpc::Status Finish() { return stream_->Finish(); }

  // The last message read.
  const v1::BatchRecommendResponse& last() const { return message_; }
  int64_t received() const { return received_; }
  // The stream's length as its messages tell it; 0 before the first.
  int64_t total() const { return total_; }

 private:
  std::unique_ptr<v1::Recommender::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::BatchRecommendResponse>> stream_;
  v1::BatchRecommendResponse message_;
  int64_t received_ = 0;
  int64_t total_ = 0;
};

}  // namespace recommender::testing

#endif  // TESTS_TESTING_SLOW_BATCH_CLIENT_H_
