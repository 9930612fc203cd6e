#include "tests/testing/slow_batch_client.h"

#include <chrono>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/testing/grpc_client.h"

namespace recommender::testing {

SlowBatchClient::SlowBatchClient(const std::string& target) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  arguments.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 16 * 1024);
  stub_ = v1::Recommender::NewStub(OwnChannel(target, arguments));
  context_.set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(120));
  v1::BatchRecommendRequest request;
  request.mutable_selector()->set_kind(v1::CustomerSelector::ALL);
  request.set_count(100);
  stream_ = stub_->BatchRecommend(&context_, request);
}

bool SlowBatchClient::ReadOne() {
  if (!stream_->Read(&message_)) return false;
  ++received_;
  EXPECT_EQ(message_.position(), received_);
  total_ = message_.total();
  return true;
}

grpc::Status SlowBatchClient::ReadToEnd(absl::Duration pause,
                                        int pause_every) {
  while (ReadOne()) {
    if (received_ % pause_every == 0) absl::SleepFor(pause);
  }
  return stream_->Finish();
}

}  // namespace recommender::testing
