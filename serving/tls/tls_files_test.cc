// CheckTlsFiles and ReloadingCertificate on certificates made for the test.
#include <cstdlib>

#include "gtest/gtest.h"
#include "recommender/util/file_util.h"
#include "serving/tls/reloading_certificate.h"
#include "serving/tls/tls_files.h"
#include "tests/testing/test_certificates.h"

namespace recommender::serving::tls {
namespace {

std::string Dir(const std::string& name) {
  return JoinPath(std::getenv("TEST_TMPDIR"), name);
}

TEST(TlsFilesTest, GoodFilesPassAndBadOnesNameTheFlag) {
  auto certs = testing::WriteTestCertificates(Dir("a"));
  ASSERT_TRUE(certs.ok()) << certs.status();
  auto other = testing::WriteTestCertificates(Dir("b"));
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(CheckTlsFiles({}).ok());
  EXPECT_TRUE(CheckTlsFiles({certs->server_cert, certs->server_key, ""}).ok());
  EXPECT_TRUE(CheckTlsFiles(
      {certs->server_cert, certs->server_key, certs->ca_cert}).ok());

  struct Case {
    TlsFiles files;
    std::string message;
  } cases[] = {
      {{certs->server_cert, "", ""}, "tls_cert, tls_key: give both"},
      {{"", "", certs->ca_cert}, "tls_client_ca: needs --tls_cert"},
      {{certs->server_key, certs->server_key, ""}, "tls_cert: "},
      {{certs->server_cert, certs->server_cert, ""}, "tls_key: "},
      {{certs->server_cert, other->server_key, ""}, "is not the key of"},
      {{certs->server_cert, certs->server_key, certs->server_key},
       "tls_client_ca: "},
      {{Dir("missing.pem"), certs->server_key, ""}, "tls_cert: "},
  };
  for (const Case& c : cases) {
    const absl::Status status = CheckTlsFiles(c.files);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_NE(status.message().find(c.message), std::string::npos)
        << status.message();
  }
  auto expired = testing::WriteTestCertificates(Dir("old"), "old", -absl::Minutes(30));
  ASSERT_TRUE(expired.ok());
  EXPECT_NE(CheckTlsFiles({expired->server_cert, expired->server_key, ""})
                .message()
                .find("expired"),
            std::string::npos);
}

TEST(ReloadingCertificateTest, PicksUpNewFilesAndKeepsTheOldOnErrors) {
  auto certs = testing::WriteTestCertificates(Dir("reload"), "first");
  ASSERT_TRUE(certs.ok());
  TlsFiles files{certs->server_cert, certs->server_key, certs->ca_cert};
  files.reload_interval = absl::Hours(1);  // Reloads are driven by hand.
  auto reloading = ReloadingCertificate::Start(files);
  ASSERT_TRUE(reloading.ok()) << reloading.status();
  EXPECT_FALSE(*(*reloading)->ReloadIfChanged());

  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  EXPECT_TRUE((*reloading)->Configure(*context));
  SSL_CTX_free(context);

  ASSERT_TRUE(testing::WriteTestCertificates(Dir("reload"), "second").ok());
  EXPECT_TRUE(*(*reloading)->ReloadIfChanged());
  EXPECT_EQ((*reloading)->reloads(), 1);
  ASSERT_TRUE(WriteFileDurably(certs->server_key, "not a key").ok());
  EXPECT_FALSE((*reloading)->ReloadIfChanged().ok());
  EXPECT_EQ((*reloading)->reloads(), 1);
}

TEST(ReloadingCertificateTest, StartRefusesBadFiles) {
  EXPECT_EQ(ReloadingCertificate::Start({Dir("none.pem"), Dir("none.key"), ""})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recommender::serving::tls
