// End to end: the real server with TLS and API keys. Plaintext to a TLS
// port fails; every RPC of the API, read from the service descriptors,
// refuses a call without a key, with a wrong key and with a key lacking its
// role (so a new RPC without a role fails here); a storefront key cannot
// record a purchase; the audit log has each audited call and no secret;
// rate and stream limits; mutual TLS; certificates renewed on disk are
// served without a restart; the listening rules without keys.
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/wait.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "proto/diagnostics.grpc.pb.h"
#include "proto/recommender.grpc.pb.h"
#include "recommender/util/file_util.h"
#include "serving/auth/api_keys.h"
#include "serving/auth/method_access.h"
#include "tests/testing/sample_model.h"
#include "tests/testing/server_process.h"
#include "tests/testing/test_certificates.h"
#include "tests/testing/test_dir.h"

namespace recommender {
namespace {

using serving::auth::FindMethodAccess;
using serving::auth::kAllRoles;
using serving::auth::MethodAccess;
using serving::auth::Role;
using serving::auth::RoleName;
using testing::ServerProcess;

std::string Root() { return testing::TestDir("security"); }

std::unique_ptr<grpc::ClientContext> Context(const std::string& key = "") {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
  if (!key.empty()) context->AddMetadata("authorization", "Bearer " + key);
  return context;
}

// A TLS channel trusting `ca_pem`, optionally with a client certificate.
std::shared_ptr<grpc::Channel> TlsChannel(const std::string& target,
                                          const std::string& ca_pem,
                                          const std::string& cert_pem = "",
                                          const std::string& key_pem = "") {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ca_pem;
  ssl.pem_cert_chain = cert_pem;
  ssl.pem_private_key = key_pem;
  grpc::ChannelArguments arguments;
  // Each channel connects anew (no subchannel shared with other tests).
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(target, grpc::SslCredentials(ssl), arguments);
}

// One call of `method` with an empty request message; only the status is
// of interest (every type of method can be called so: the access check
// happens before a handler reads anything).
grpc::Status CallMethod(grpc::Channel* channel, const std::string& method,
                        const std::string& authorization) {
  grpc::GenericStub stub(channel->shared_from_this());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!authorization.empty()) context.AddMetadata("authorization", authorization);
  grpc::Slice empty{std::string()};
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  grpc::Status status;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&](grpc::Status result) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = std::move(result);
                   done = true;
                   done_cv.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mu);
  done_cv.wait(lock, [&] { return done; });
  return status;
}

// The common name of the certificate the TLS server at 127.0.0.1:port shows
// (no verification: only which certificate it is).
std::string ServedCommonName(int port) {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  static const unsigned char kAlpn[] = {2, 'h', '2'};
  SSL_CTX_set_alpn_protos(context, kAlpn, sizeof(kAlpn));
  BIO* bio = BIO_new_ssl_connect(context);
  BIO_set_conn_hostname(bio, absl::StrCat("127.0.0.1:", port).c_str());
  std::string name;
  if (BIO_do_connect(bio) == 1 && BIO_do_handshake(bio) == 1) {
    SSL* ssl = nullptr;
    BIO_get_ssl(bio, &ssl);
    if (X509* cert = SSL_get1_peer_certificate(ssl)) {
      char buffer[256] = {0};
      X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName,
                                buffer, sizeof(buffer));
      name = buffer;
      X509_free(cert);
    }
  }
  BIO_free_all(bio);
  SSL_CTX_free(context);
  return name;
}

struct Keys {
  std::string path;
  // Key id -> "<id>.<secret>".
  std::map<std::string, std::string> tokens;
};

// A keys file with one key per role (id = the role's name) and `extra` keys.
Keys WriteKeys(const std::string& path,
               const std::vector<std::pair<std::string, Role>>& extra = {}) {
  Keys keys;
  keys.path = path;
  std::string text = "# one key per role\n";
  std::vector<std::pair<std::string, Role>> all;
  for (Role role : kAllRoles) all.emplace_back(std::string(RoleName(role)), role);
  all.insert(all.end(), extra.begin(), extra.end());
  for (const auto& [id, role] : all) {
    absl::StatusOr<serving::auth::NewApiKey> made =
        serving::auth::MakeApiKey(id, {role});
    EXPECT_TRUE(made.ok());
    text += serving::auth::FormatKeyLine(made->key);
    keys.tokens[id] = made->token;
  }
  EXPECT_TRUE(WriteFileDurably(path, text).ok());
  return keys;
}

class SecurityEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<testing::SuiteModel> trained =
        testing::TrainSampleModelIn(Root());
    ASSERT_TRUE(trained.ok()) << trained.status();
    model_dir_ = new std::string(trained->model_dir);
    auto certs = testing::WriteTestCertificates(JoinPath(Root(), "certs"));
    ASSERT_TRUE(certs.ok()) << certs.status();
    certs_ = new testing::TestCertificates(*certs);
    keys_ = new Keys(WriteKeys(JoinPath(Root(), "keys.txt"),
                               {{"audit-campaign", Role::kCampaign},
                                {"audit-admin", Role::kAdmin},
                                {"audit-web", Role::kStorefront}}));
    audit_path_ = new std::string(JoinPath(Root(), "audit.jsonl"));
    auto server = StartTlsServer("main", {"--audit_log=" + *audit_path_,
                                          "--enable_diagnostics",
                                          "--admin_port=0"});
    ASSERT_NE(server, nullptr);
    server_ = server.release();
  }

  static void TearDownTestSuite() {
    delete server_;
    delete model_dir_;
    delete certs_;
    delete keys_;
    delete audit_path_;
  }

  // A server with TLS and the suite's keys (plus `flags`), whose channel()
  // is a TLS channel, once it serves.
  static std::unique_ptr<ServerProcess> StartTlsServer(
      const std::string& name, std::vector<std::string> flags,
      bool wait_until_serving = true) {
    flags.push_back("--tls_cert=" + certs_->server_cert);
    flags.push_back("--tls_key=" + certs_->server_key);
    flags.push_back("--keys_file=" + keys_->path);
    flags.push_back("--event_log_dir=" + JoinPath(Root(), "events-" + name));
    flags.push_back("--clock=data_end");
    auto server = ServerProcess::Start(*model_dir_, flags);
    EXPECT_TRUE(server.ok()) << server.status();
    if (!server.ok()) return nullptr;
    (*server)->set_channel(TlsChannel((*server)->target(), certs_->ca_pem));
    if (wait_until_serving) {
      EXPECT_TRUE((*server)->WaitUntilServing());
    }
    return *std::move(server);
  }

  static std::string Key(const std::string& id) { return keys_->tokens.at(id); }

  static std::string* model_dir_;
  static testing::TestCertificates* certs_;
  static Keys* keys_;
  static std::string* audit_path_;
  static ServerProcess* server_;
};

std::string* SecurityEndToEndTest::model_dir_ = nullptr;
testing::TestCertificates* SecurityEndToEndTest::certs_ = nullptr;
Keys* SecurityEndToEndTest::keys_ = nullptr;
std::string* SecurityEndToEndTest::audit_path_ = nullptr;
ServerProcess* SecurityEndToEndTest::server_ = nullptr;

TEST_F(SecurityEndToEndTest, PlaintextToTheTlsPortsFails) {
  auto plaintext = grpc::CreateChannel(server_->target(),
                                       grpc::InsecureChannelCredentials());
  const grpc::Status status = CallMethod(
      plaintext.get(), "/grpc.health.v1.Health/Check", "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  // A client that does not trust the server's CA gets nowhere either.
  auto other = testing::WriteTestCertificates(JoinPath(Root(), "other-ca"));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(CallMethod(TlsChannel(server_->target(), other->ca_pem).get(),
                       "/grpc.health.v1.Health/Check", "")
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

// Every method of recommender.v1, read from the descriptors: no key, a
// wrong key and a key without the method's role are refused with the right
// code (PERMISSION_DENIED naming the roles needed), and a key with the role
// gets past the check.
TEST_F(SecurityEndToEndTest, EveryRpcNeedsAKeyWithItsRole) {
  int checked = 0;
  for (const char* service_name :
       {"recommender.v1.Recommender", "recommender.v1.Diagnostics"}) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            service_name);
    ASSERT_NE(service, nullptr) << service_name;
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string method =
          absl::StrCat("/", service_name, "/", service->method(i)->name());
      SCOPED_TRACE(method);
      const std::optional<MethodAccess> access = FindMethodAccess(method);
      ASSERT_TRUE(access.has_value())
          << method << " has no role: add it to serving/auth/method_access.cc";
      ASSERT_EQ(access->kind, MethodAccess::Kind::kRoles);
      grpc::Channel* channel = server_->channel().get();

      const std::string admin = Key("admin");
      for (const std::string& authorization : std::vector<std::string>{
               "", "Bearer admin.not-the-secret", "Bearer nobody.x",
               "Basic YWRtaW46YWRtaW4=",
               "Bearer " + admin.substr(0, admin.size() - 1)}) {
        const grpc::Status refused = CallMethod(channel, method, authorization);
        EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED)
            << "authorization \"" << authorization << "\": "
            << refused.error_message();
      }

      std::optional<Role> wrong, right;
      for (Role role : kAllRoles) {
        if (!access->roles.Contains(role) && !wrong.has_value()) wrong = role;
        if (access->roles.Contains(role) && !right.has_value()) right = role;
      }
      ASSERT_TRUE(wrong.has_value());
      ASSERT_TRUE(right.has_value());
      const grpc::Status denied = CallMethod(
          channel, method, "Bearer " + Key(std::string(RoleName(*wrong))));
      EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << denied.error_message();
      for (Role role : kAllRoles) {
        if (!access->roles.Contains(role)) continue;
        EXPECT_NE(denied.error_message().find(std::string(RoleName(role))),
                  std::string::npos)
            << denied.error_message();
      }
      for (Role role : kAllRoles) {
        if (!access->roles.Contains(role)) continue;
        const grpc::Status allowed = CallMethod(
            channel, method, "Bearer " + Key(std::string(RoleName(role))));
        EXPECT_NE(allowed.error_code(), grpc::StatusCode::UNAUTHENTICATED)
            << RoleName(role) << ": " << allowed.error_message();
        EXPECT_NE(allowed.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << RoleName(role) << ": " << allowed.error_message();
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 17);
  // Health needs no key (load balancers carry none).
  EXPECT_EQ(server_->Health(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(SecurityEndToEndTest, AStorefrontKeyCannotRecordAPurchase) {
  auto stub = v1::Recommender::NewStub(server_->channel());
  v1::RecordEventsRequest request;
  v1::Event* event = request.add_events();
  event->set_customer_id("C00001");
  event->set_item_id("P00001");
  event->set_type(v1::VIEW);
  v1::RecordEventsResponse response;
  grpc::Status status =
      stub->RecordEvents(Context(Key("storefront")).get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.accepted(), 1);

  request.add_events()->CopyFrom(*event);
  request.mutable_events(1)->set_type(v1::PURCHASE);
  status = stub->RecordEvents(Context(Key("storefront")).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "events[1].type: recording a purchase needs the orders role; this "
            "key has storefront");
  // The order system may record the purchase, not the view.
  status = stub->RecordEvents(Context(Key("orders")).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  request.mutable_events()->DeleteSubrange(0, 1);
  status = stub->RecordEvents(Context(Key("orders")).get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.accepted(), 1);
}

TEST_F(SecurityEndToEndTest, TheAuditLogHasEachCallAndNoSecret) {
  auto stub = v1::Recommender::NewStub(server_->channel());
  v1::ListDueCustomersRequest due;
  due.set_due_from("2026-09-01");
  due.set_due_to("2026-10-31");
  v1::ListDueCustomersResponse due_response;
  ASSERT_TRUE(stub->ListDueCustomers(Context(Key("audit-campaign")).get(), due,
                                     &due_response)
                  .ok());
  v1::DeleteCustomerRequest erase;
  erase.set_customer_id("AUDITED-ERASURE-77");
  v1::DeleteCustomerResponse erased;
  ASSERT_TRUE(
      stub->DeleteCustomer(Context(Key("audit-admin")).get(), erase, &erased).ok());
  EXPECT_EQ(stub->DeleteCustomer(Context(Key("audit-web")).get(), erase, &erased)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::RecommendRequest recommend;
  recommend.set_customer_id("C00001");
  recommend.set_count(3);
  v1::RecommendResponse picks;
  ASSERT_TRUE(
      stub->Recommend(Context(Key("audit-web")).get(), recommend, &picks).ok());

  std::vector<nlohmann::json> mine;
  const std::string text = *ReadFileToString(*audit_path_);
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    const nlohmann::json entry = nlohmann::json::parse(line);
    for (const char* field : {"time", "key_id", "roles", "method", "outcome", "peer",
                              "seconds", "counts"}) {
      EXPECT_TRUE(entry.contains(field)) << field << " in " << line;
    }
    if (absl::StartsWith(entry["key_id"].get<std::string>(), "audit-")) {
      mine.push_back(entry);
    }
  }
  ASSERT_EQ(mine.size(), 3u) << text;
  EXPECT_EQ(mine[0]["key_id"], "audit-campaign");
  EXPECT_EQ(mine[0]["roles"], "campaign");
  EXPECT_EQ(mine[0]["method"], "/recommender.v1.Recommender/ListDueCustomers");
  EXPECT_EQ(mine[0]["outcome"], "OK");
  EXPECT_EQ(mine[0]["counts"]["customers"], due_response.customers_size());
  EXPECT_EQ(mine[1]["key_id"], "audit-admin");
  EXPECT_EQ(mine[1]["method"], "/recommender.v1.Recommender/DeleteCustomer");
  EXPECT_EQ(mine[1]["outcome"], "OK");
  EXPECT_EQ(mine[1]["counts"]["live_events_removed"], 0);
  EXPECT_NE(mine[1]["peer"].get<std::string>().find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(mine[2]["key_id"], "audit-web");
  EXPECT_EQ(mine[2]["outcome"], "PERMISSION_DENIED");
  // Never a secret, never the erased customer's id.
  for (const auto& [id, token] : keys_->tokens) {
    EXPECT_EQ(text.find(token.substr(token.find('.') + 1)), std::string::npos) << id;
  }
  EXPECT_EQ(text.find("AUDITED-ERASURE-77"), std::string::npos);
}

// The admin port speaks HTTPS only, health needs no key, metrics need the
// monitoring (or admin) role.
TEST_F(SecurityEndToEndTest, TheAdminPortNeedsAMonitoringKeyOverHttps) {
  auto server = StartTlsServer(
      "admin", {"--admin_port=0",
                "--admin_port_file=" + JoinPath(Root(), "admin.port")});
  ASSERT_NE(server, nullptr);
  const int port = std::stoi(*ReadFileToString(JoinPath(Root(), "admin.port")));
  httplib::Client plain("127.0.0.1", port);
  plain.set_connection_timeout(std::chrono::seconds(3));
  plain.set_read_timeout(std::chrono::seconds(3));
  httplib::Result refused = plain.Get("/healthz");
  EXPECT_TRUE(!refused || refused->status != 200);

  httplib::SSLClient client("127.0.0.1", port);
  client.set_ca_cert_path(certs_->ca_cert.c_str());
  client.enable_server_certificate_verification(true);
  httplib::Result health = client.Get("/healthz");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);
  httplib::Result anonymous = client.Get("/metrics");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->get_header_value("WWW-Authenticate"), "Bearer");
  httplib::Result storefront =
      client.Get("/metrics", {{"Authorization", "Bearer " + Key("storefront")}});
  ASSERT_TRUE(storefront);
  EXPECT_EQ(storefront->status, 403);
  httplib::Result monitoring =
      client.Get("/metrics", {{"Authorization", "Bearer " + Key("monitoring")}});
  ASSERT_TRUE(monitoring);
  EXPECT_EQ(monitoring->status, 200);
  EXPECT_NE(monitoring->body.find("grpc_server_handled_total"), std::string::npos);
}

TEST_F(SecurityEndToEndTest, RateAndStreamLimitsPerKey) {
  auto server = StartTlsServer(
      "limits", {"--rate_limit_per_second=1", "--rate_limit_burst=3",
                 "--max_streams_per_key=1"});
  ASSERT_NE(server, nullptr);
  auto stub = v1::Recommender::NewStub(server->channel());
  v1::RecommendRequest request;
  request.set_customer_id("C00001");
  request.set_count(3);
  v1::RecommendResponse response;
  int ok = 0;
  grpc::Status limited;
  for (int i = 0; i < 6 && limited.ok(); ++i) {
    grpc::Status status =
        stub->Recommend(Context(Key("storefront")).get(), request, &response);
    if (status.ok()) {
      ++ok;
    } else {
      limited = status;
    }
  }
  EXPECT_GE(ok, 3);
  EXPECT_LE(ok, 4);  // The bucket refills one call per second meanwhile.
  EXPECT_EQ(limited.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(limited.error_message().find("key storefront is over its rate limit"),
            std::string::npos)
      << limited.error_message();
  EXPECT_NE(limited.error_message().find("retry after"), std::string::npos);
  // Other keys are not affected.
  EXPECT_TRUE(stub->Recommend(Context(Key("admin")).get(), request, &response).ok());

  // One open stream per key: a campaign reading slowly holds its slot.
  v1::BatchRecommendRequest batch;
  for (int i = 0; i < 100000; ++i) {
    batch.mutable_customer_list()->add_customer_ids(absl::StrCat("U", i));
  }
  batch.set_count(20);
  auto first_context = Context(Key("campaign"));
  auto first = stub->BatchRecommend(first_context.get(), batch);
  v1::BatchRecommendResponse message;
  ASSERT_TRUE(first->Read(&message));  // Open and streaming; not read further.
  batch.mutable_customer_list()->clear_customer_ids();
  batch.mutable_customer_list()->add_customer_ids("C00001");
  auto second_context = Context(Key("campaign"));
  auto second = stub->BatchRecommend(second_context.get(), batch);
  while (second->Read(&message)) {
  }
  const grpc::Status capped = second->Finish();
  EXPECT_EQ(capped.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(capped.error_message().find("streams open"), std::string::npos)
      << capped.error_message();
  first_context->TryCancel();
  while (first->Read(&message)) {
  }
  first->Finish().IgnoreError();
  // Once the first stream is gone its slot is free again.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  grpc::Status third_status;
  do {
    auto third_context = Context(Key("campaign"));
    auto third = stub->BatchRecommend(third_context.get(), batch);
    while (third->Read(&message)) {
    }
    third_status = third->Finish();
  } while (!third_status.ok() && absl::Now() < deadline &&
           (absl::SleepFor(absl::Milliseconds(100)), true));
  EXPECT_TRUE(third_status.ok()) << third_status.error_message();
}

TEST_F(SecurityEndToEndTest, MutualTlsNeedsAClientCertificate) {
  auto server = StartTlsServer("mtls", {"--tls_client_ca=" + certs_->ca_cert},
                               /*wait_until_serving=*/false);
  // StartTlsServer's channel has no client certificate: it cannot connect.
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(CallMethod(server->channel().get(), "/grpc.health.v1.Health/Check", "")
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
  auto with_cert = TlsChannel(server->target(), certs_->ca_pem,
                              certs_->client_cert_pem, certs_->client_key_pem);
  server->set_channel(with_cert);
  EXPECT_TRUE(server->WaitUntilServing());
}

TEST_F(SecurityEndToEndTest, RenewedCertificatesAreServedWithoutARestart) {
  const std::string dir = JoinPath(Root(), "renewed");
  auto first = testing::WriteTestCertificates(dir, "first");
  ASSERT_TRUE(first.ok());
  auto server = ServerProcess::Start(
      *model_dir_, {"--tls_cert=" + first->server_cert,
                    "--tls_key=" + first->server_key, "--tls_reload_seconds=1"});
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->set_channel(TlsChannel((*server)->target(), first->ca_pem));
  ASSERT_TRUE((*server)->WaitUntilServing());
  EXPECT_EQ(ServedCommonName((*server)->port()), "first");

  auto second = testing::WriteTestCertificates(dir, "second");
  ASSERT_TRUE(second.ok());
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (ServedCommonName((*server)->port()) != "second" && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_EQ(ServedCommonName((*server)->port()), "second");
  // A client trusting the new CA connects; the process never restarted.
  (*server)->set_channel(TlsChannel((*server)->target(), second->ca_pem));
  EXPECT_TRUE((*server)->WaitUntilServing());
  EXPECT_EQ((*server)->Terminate(), 0);
}

// Runs the server binary expecting it to refuse to start; its stderr.
std::string StartFails(const std::string& model_dir, const std::string& flags) {
  const std::string log = JoinPath(Root(), "refused.log");
  const int status = std::system(
      absl::StrCat("timeout 30 serving/server --model_dir=", model_dir,
                   " --port=0 ", flags, " 2>", log)
          .c_str());
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  return ReadFileToString(log).value_or("");
}

TEST_F(SecurityEndToEndTest, WithoutKeysOnlyLoopbackUnlessInsecure) {
  EXPECT_NE(StartFails(*model_dir_, "--host=0.0.0.0").find("--keys_file"),
            std::string::npos);
  EXPECT_NE(StartFails(*model_dir_, "--host=0.0.0.0 --keys_file=" + keys_->path)
                .find("plaintext"),
            std::string::npos);
  EXPECT_NE(StartFails(*model_dir_, "--keys_file=" + JoinPath(Root(), "none.txt"))
                .find("keys_file"),
            std::string::npos);

  // --insecure serves every interface without keys, and says so.
  const std::string log = JoinPath(Root(), "insecure.log");
  const int ignored = std::system(
      absl::StrCat("timeout 3 serving/server --model_dir=", *model_dir_,
                   " --port=0 --host=0.0.0.0 --insecure 2>", log)
          .c_str());
  (void)ignored;
  EXPECT_NE(ReadFileToString(log).value_or("").find(
                "insecure: serving without keys on a non-loopback address"),
            std::string::npos);
  auto server =
      ServerProcess::StartServing(*model_dir_, {"--host=0.0.0.0", "--insecure"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = v1::Recommender::NewStub((*server)->channel());
  v1::GetModelInfoRequest request;
  v1::ModelInfo info;
  EXPECT_TRUE(stub->GetModelInfo(Context().get(), request, &info).ok());
  // Diagnostics are off unless asked for.
  v1::EchoRequest echo;
  v1::EchoResponse echoed;
  EXPECT_EQ(v1::Diagnostics::NewStub((*server)->channel())
                ->Echo(Context().get(), echo, &echoed)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

}  // namespace
}  // namespace recommender
