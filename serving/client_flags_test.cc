#include "serving/client_flags.h"

#include <cstdlib>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "recommender/util/file_util.h"

ABSL_DECLARE_FLAG(std::string, tls_ca);
ABSL_DECLARE_FLAG(std::string, tls_client_cert);
ABSL_DECLARE_FLAG(std::string, tls_client_key);
ABSL_DECLARE_FLAG(std::string, api_key_file);

namespace recommender::serving {
namespace {

class ClientFlagsTest : public ::testing::Test {
 protected:
  absl::FlagSaver saver_;
};

// Nothing connects until a call is made: a channel to a closed port is fine.
TEST_F(ClientFlagsTest, NoFlagsGiveAPlaintextChannel) {
  const absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      ChannelFromFlags("127.0.0.1:1");
  ASSERT_TRUE(channel.ok()) << channel.status();
  EXPECT_NE(*channel, nullptr);
}

TEST_F(ClientFlagsTest, EachFlagReachesTheChannelAndErrorsNameIt) {
  const std::string missing = JoinPath(std::getenv("TEST_TMPDIR"), "missing");
  absl::SetFlag(&FLAGS_tls_ca, missing);
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      ChannelFromFlags("127.0.0.1:1");
  EXPECT_EQ(channel.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(channel.status().message().substr(0, 7), "tls_ca:") << channel.status();
  absl::SetFlag(&FLAGS_tls_ca, "");

  absl::SetFlag(&FLAGS_tls_client_cert, "client.pem");
  channel = ChannelFromFlags("127.0.0.1:1");
  EXPECT_EQ(channel.status().message().substr(0, 15), "tls_client_cert")
      << channel.status();
  absl::SetFlag(&FLAGS_tls_client_key, "client.key");
  channel = ChannelFromFlags("127.0.0.1:1");
  EXPECT_EQ(channel.status(),
            absl::InvalidArgumentError("tls_client_cert: needs --tls_ca"));
  absl::SetFlag(&FLAGS_tls_client_cert, "");
  absl::SetFlag(&FLAGS_tls_client_key, "");

  const std::string blank = JoinPath(std::getenv("TEST_TMPDIR"), "blank");
  ASSERT_TRUE(WriteFileDurably(blank, "\n").ok());
  absl::SetFlag(&FLAGS_api_key_file, blank);
  channel = ChannelFromFlags("127.0.0.1:1");
  EXPECT_EQ(channel.status(),
            absl::InvalidArgumentError("api_key_file: " + blank + " holds no key"));
}

}  // namespace
}  // namespace recommender::serving
