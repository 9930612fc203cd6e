// End to end: the real server's HTTP/JSON gateway with TLS, API keys and
// customer tokens. The gateway takes the same keys, role table, rate limits
// and audit log as the gRPC port: plaintext to its HTTPS port fails; a call
// without a key is 401 naming the key, with an unknown key 401, with a key
// lacking the role 403 naming the role; a storefront key cannot record a
// purchase; the browser path answers only for the customer of a valid
// customer token (another customer's id, an expired or forged token are
// refused); DeleteCustomer is reachable with the admin role and audited;
// rate limits answer 429 with Retry-After.
#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "recommender/model/model_snapshot.h"
#include "recommender/util/file_util.h"
#include "serving/auth/api_keys.h"
#include "serving/auth/customer_token.h"
#include "serving/auth/method_access.h"
#include "tests/testing/sample_model.h"
#include "tests/testing/server_process.h"
#include "tests/testing/test_certificates.h"
#include "tests/testing/test_dir.h"

namespace recommender {
namespace {

using serving::auth::CustomerTokenKeys;
using serving::auth::Role;
using testing::ServerProcess;

std::string Root() { return testing::TestDir("gateway-security"); }

struct Answer {
  int status = 0;
  nlohmann::json body;
  httplib::Headers headers;
};

class GatewaySecurityEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<testing::SuiteModel> trained =
        testing::TrainSampleModelIn(Root());
    ASSERT_TRUE(trained.ok()) << trained.status();
    const std::string& model_dir = trained->model_dir;
    auto model = ModelSnapshot::Load(trained->snapshot_dir);
    ASSERT_TRUE(model.ok()) << model.status();
    ASSERT_GE((*model)->num_customers(), 4);
    for (int32_t row = 0; row < 4; ++row) {
      customers_->push_back((*model)->customer(row).id());
    }
    ASSERT_GE((*model)->num_items(), 1);
    *item_ = (*model)->item(0).id();
    auto certs = testing::WriteTestCertificates(JoinPath(Root(), "certs"));
    ASSERT_TRUE(certs.ok()) << certs.status();
    *ca_cert_ = certs->ca_cert;

    std::string keys_text;
    for (const auto& [id, role] :
         std::vector<std::pair<std::string, Role>>{
             {"shop-web", Role::kStorefront},
             {"orders", Role::kOrders},
             {"ops", Role::kAdmin},
             {"limited", Role::kStorefront}}) {
      absl::StatusOr<serving::auth::NewApiKey> made =
          serving::auth::MakeApiKey(id, {role});
      ASSERT_TRUE(made.ok());
      keys_text += serving::auth::FormatKeyLine(made->key);
      (*keys_)[id] = made->token;
    }
    const std::string keys_file = JoinPath(Root(), "keys.txt");
    ASSERT_TRUE(WriteFileDurably(keys_file, keys_text).ok());
    absl::StatusOr<std::string> token_keys_text =
        CustomerTokenKeys::NewKeyFile("shop-1");
    ASSERT_TRUE(token_keys_text.ok());
    const std::string token_keys_file = JoinPath(Root(), "token-keys.txt");
    ASSERT_TRUE(WriteFileDurably(token_keys_file, *token_keys_text).ok());
    *token_keys_text_ = *token_keys_text;
    absl::StatusOr<CustomerTokenKeys> token_keys =
        CustomerTokenKeys::Parse(*token_keys_text, "test");
    ASSERT_TRUE(token_keys.ok());
    token_keys_ = new CustomerTokenKeys(*std::move(token_keys));

    *audit_path_ = JoinPath(Root(), "audit.jsonl");
    const std::string port_file = JoinPath(Root(), "http.port");
    auto server = ServerProcess::Start(
        model_dir,
        {"--event_log_dir=" + JoinPath(Root(), "events"), "--http_port=0",
         "--http_port_file=" + port_file, "--clock=data_end",
         "--tls_cert=" + certs->server_cert, "--tls_key=" + certs->server_key,
         "--keys_file=" + keys_file, "--customer_token_keys=" + token_keys_file,
         "--audit_log=" + *audit_path_, "--rate_limit_per_second=20",
         "--rate_limit_burst=40"});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    absl::StatusOr<std::string> port;
    for (int i = 0; i < 300; ++i) {
      port = ReadFileToString(port_file);
      if (port.ok() && !port->empty()) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    ASSERT_TRUE(port.ok()) << port.status();
    ASSERT_TRUE(
        absl::SimpleAtoi(absl::StripAsciiWhitespace(*port), &http_port_));
    // Until a model serves, calls are UNAVAILABLE.
    for (int i = 0; i < 300; ++i) {
      if (Post("/v1/model", {}, {{"X-API-Key", Key("ops")}}).status == 200) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
  }

  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete token_keys_;
    token_keys_ = nullptr;
  }

  static std::string Key(const std::string& id) { return keys_->at(id); }

  static std::string Token(const std::string& customer,
                           absl::Duration valid_for = absl::Minutes(10)) {
    absl::StatusOr<std::string> token = serving::auth::MintCustomerToken(
        *token_keys_, "shop-1", customer, absl::Now() + valid_for);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }

  static Answer Post(const std::string& path, const nlohmann::json& body,
                     const httplib::Headers& headers = {}) {
    httplib::SSLClient client("127.0.0.1", http_port_);
    client.set_ca_cert_path(ca_cert_->c_str());
    client.enable_server_certificate_verification(true);
    client.set_read_timeout(std::chrono::seconds(10));
    httplib::Result result =
        client.Post(path, headers, body.dump(), "application/json");
    Answer answer;
    EXPECT_TRUE(result) << path << ": " << httplib::to_string(result.error());
    if (!result) return answer;
    answer.status = result->status;
    answer.headers = result->headers;
    answer.body = nlohmann::json::parse(result->body, nullptr, false);
    return answer;
  }

  static std::string Message(const Answer& answer) {
    if (!answer.body.is_object() || !answer.body.contains("error")) return "";
    return answer.body["error"].value("message", "");
  }

  static nlohmann::json View(const std::string& customer) {
    return {{"events",
             {{{"customerId", customer}, {"itemId", *item_}, {"type", "VIEW"}}}}};
  }

  static inline std::vector<std::string>* customers_ =
      new std::vector<std::string>();
  static inline std::map<std::string, std::string>* keys_ =
      new std::map<std::string, std::string>();
  static inline CustomerTokenKeys* token_keys_ = nullptr;
  static inline std::string* token_keys_text_ = new std::string();
  static inline std::string* ca_cert_ = new std::string();
  static inline std::string* item_ = new std::string();
  static inline std::string* audit_path_ = new std::string();
  static inline ServerProcess* server_ = nullptr;
  static inline int http_port_ = 0;
};

TEST_F(GatewaySecurityEndToEndTest, PlaintextToTheHttpsPortFails) {
  httplib::Client plain("127.0.0.1", http_port_);
  plain.set_connection_timeout(std::chrono::seconds(3));
  plain.set_read_timeout(std::chrono::seconds(3));
  httplib::Result result = plain.Post("/v1/recommend", "{}", "application/json");
  EXPECT_TRUE(!result || result->status != 200);
}

TEST_F(GatewaySecurityEndToEndTest, NoKeyIsUnauthorizedNamingTheKey) {
  const Answer answer =
      Post("/v1/recommend", {{"customerId", customers_->at(0)}, {"count", 3}});
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(answer.body["error"]["code"], "UNAUTHENTICATED");
  EXPECT_NE(Message(answer).find("API key"), std::string::npos)
      << Message(answer);
  EXPECT_NE(Message(answer).find("X-API-Key"), std::string::npos);
  auto challenge = answer.headers.find("WWW-Authenticate");
  ASSERT_NE(challenge, answer.headers.end());
  EXPECT_EQ(challenge->second, "Bearer");
}

// Table-driven over the gateway's own list of methods (GET /v1/), so that a
// new path without a role fails here: no key is 401 on every path, and a
// storefront key is 403 naming the roles wherever the role table does not
// give storefront the method.
TEST_F(GatewaySecurityEndToEndTest, EveryApiPathChecksKeyAndRole) {
  httplib::SSLClient client("127.0.0.1", http_port_);
  client.set_ca_cert_path(ca_cert_->c_str());
  client.enable_server_certificate_verification(true);
  httplib::Result index = client.Get("/v1/");
  ASSERT_TRUE(index) << httplib::to_string(index.error());
  const nlohmann::json methods = nlohmann::json::parse(index->body)["methods"];
  ASSERT_GT(methods.size(), 15u);
  for (const nlohmann::json& method : methods) {
    const std::string path = method["path"];
    const std::string full_method = method["method"];
    const Answer anonymous = Post(path, nlohmann::json::object());
    EXPECT_EQ(anonymous.status, 401) << path;
    std::optional<serving::auth::MethodAccess> access =
        serving::auth::FindMethodAccess(full_method);
    ASSERT_TRUE(access.has_value()) << full_method << " has no role";
    if (access->roles.Contains(Role::kStorefront)) continue;
    const Answer storefront = Post(path, nlohmann::json::object(),
                                   {{"X-API-Key", Key("limited")}});
    EXPECT_EQ(storefront.status, 403) << path;
    EXPECT_NE(Message(storefront).find(" role; key limited has storefront"),
              std::string::npos)
        << path << ": " << Message(storefront);
  }
}

TEST_F(GatewaySecurityEndToEndTest, UnknownKeyIsUnauthorized) {
  const Answer bearer =
      Post("/v1/model", {}, {{"Authorization", "Bearer ops.not-the-secret"}});
  EXPECT_EQ(bearer.status, 401);
  EXPECT_EQ(bearer.body["error"]["code"], "UNAUTHENTICATED");
  EXPECT_EQ(Message(bearer).find("not-the-secret"), std::string::npos);
  const Answer header = Post("/v1/model", {}, {{"X-API-Key", "nobody.secret"}});
  EXPECT_EQ(header.status, 401);
}

TEST_F(GatewaySecurityEndToEndTest, WrongRoleIsForbiddenNamingTheRole) {
  // A storefront key may not read a customer's history or the model.
  for (const std::string path : {"/v1/customer-history", "/v1/model",
                                 "/v1/delete-customer", "/v1/items"}) {
    const Answer answer = Post(path, {{"customerId", customers_->at(0)}},
                               {{"X-API-Key", Key("shop-web")}});
    EXPECT_EQ(answer.status, 403) << path;
    EXPECT_EQ(answer.body["error"]["code"], "PERMISSION_DENIED") << path;
    EXPECT_NE(Message(answer).find("admin role"), std::string::npos)
        << path << ": " << Message(answer);
    EXPECT_NE(Message(answer).find("shop-web"), std::string::npos) << path;
  }
  // The same refusal with the key in the Authorization header.
  const Answer bearer =
      Post("/v1/due-customers", {}, {{"Authorization", "Bearer " + Key("orders")}});
  EXPECT_EQ(bearer.status, 403);
  EXPECT_NE(Message(bearer).find("campaign or admin role"), std::string::npos)
      << Message(bearer);
}

TEST_F(GatewaySecurityEndToEndTest, AStorefrontKeyCannotRecordAPurchase) {
  const std::string customer = customers_->at(0);
  nlohmann::json purchase = {
      {"events",
       {{{"customerId", customer}, {"itemId", *item_}, {"type", "PURCHASE"}}}}};
  const Answer refused = Post("/v1/events", purchase,
                              {{"X-API-Key", Key("shop-web")},
                               {"X-Customer-Token", Token(customer)}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(Message(refused).find("orders"), std::string::npos)
      << Message(refused);
  const Answer recorded =
      Post("/v1/events", purchase, {{"X-API-Key", Key("orders")}});
  EXPECT_EQ(recorded.status, 200) << recorded.body.dump();
}

TEST_F(GatewaySecurityEndToEndTest, TheBrowserPathAnswersForTheTokensCustomerOnly) {
  const std::string a = customers_->at(1);
  const std::string b = customers_->at(2);
  const httplib::Headers with_a = {{"X-API-Key", Key("shop-web")},
                                   {"X-Customer-Token", Token(a)}};
  // The token's customer: named, or left to the token.
  const Answer named = Post("/v1/recommend", {{"customerId", a}, {"count", 3}}, with_a);
  EXPECT_EQ(named.status, 200) << named.body.dump();
  const Answer implied = Post("/v1/recommend", {{"count", 3}}, with_a);
  ASSERT_EQ(implied.status, 200) << implied.body.dump();
  EXPECT_EQ(implied.body["items"], named.body["items"]);
  EXPECT_EQ(Post("/v1/events", View(a), with_a).status, 200);

  // Another customer with A's token.
  const Answer other = Post("/v1/recommend", {{"customerId", b}, {"count", 3}}, with_a);
  EXPECT_EQ(other.status, 403);
  EXPECT_NE(Message(other).find("another customer"), std::string::npos)
      << Message(other);
  EXPECT_EQ(Post("/v1/events", View(b), with_a).status, 403);

  // A known customer without a token; an anonymous visitor is fine.
  const httplib::Headers key_only = {{"X-API-Key", Key("shop-web")}};
  const Answer untokened =
      Post("/v1/recommend", {{"customerId", b}, {"count", 3}}, key_only);
  EXPECT_EQ(untokened.status, 401);
  EXPECT_NE(Message(untokened).find("token"), std::string::npos)
      << Message(untokened);
  EXPECT_EQ(Post("/v1/recommend",
                 {{"customerId", "visitor-123-456"}, {"count", 3}}, key_only)
                .status,
            200);
  EXPECT_EQ(Post("/v1/similar-items", {{"itemId", *item_}, {"count", 3}},
                 key_only)
                .status,
            200);

  // Expired and forged tokens.
  const Answer expired = Post(
      "/v1/recommend", {{"count", 3}},
      {{"X-API-Key", Key("shop-web")},
       {"X-Customer-Token", Token(a, absl::Seconds(-5))}});
  EXPECT_EQ(expired.status, 401);
  EXPECT_NE(Message(expired).find("expired"), std::string::npos)
      << Message(expired);
  std::string forged = Token(a);
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  const Answer refused = Post("/v1/recommend", {{"count", 3}},
                              {{"X-API-Key", Key("shop-web")},
                               {"X-Customer-Token", forged}});
  EXPECT_EQ(refused.status, 401);

  // Keys of the shop's servers are not limited to one customer.
  EXPECT_EQ(Post("/v1/events", View(b), {{"X-API-Key", Key("ops")}}).status,
            200);
}

TEST_F(GatewaySecurityEndToEndTest, TokenKeysAreReloadedWithoutARestart) {
  const std::string token_keys_file = JoinPath(Root(), "token-keys.txt");
  const std::string customer = customers_->at(1);
  // The status of a Recommend with a token minted by `keys` under `key_id`,
  // once it equals `want` or after 20 s.
  auto status_with = [&](const CustomerTokenKeys& keys,
                         const std::string& key_id, int want) {
    int status = 0;
    for (int i = 0; i < 200 && status != want; ++i) {
      if (i > 0) absl::SleepFor(absl::Milliseconds(100));
      absl::StatusOr<std::string> token = serving::auth::MintCustomerToken(
          keys, key_id, customer, absl::Now() + absl::Minutes(5));
      EXPECT_TRUE(token.ok()) << token.status();
      status = Post("/v1/recommend", {{"count", 3}},
                    {{"X-API-Key", Key("shop-web")},
                     {"X-Customer-Token", token.ok() ? *token : ""}})
                   .status;
    }
    return status;
  };
  absl::StatusOr<std::string> new_key = CustomerTokenKeys::NewKeyFile("shop-2");
  ASSERT_TRUE(new_key.ok());
  // The new key alone, to mint with here.
  absl::StatusOr<CustomerTokenKeys> shop2 =
      CustomerTokenKeys::Parse(*new_key, "shop-2");
  ASSERT_TRUE(shop2.ok()) << shop2.status();
  EXPECT_EQ(status_with(*shop2, "shop-2", 401), 401);  // Not known yet.

  // Roll out: the new key first (it signs), the old one still verifying.
  const std::string both = *new_key + *token_keys_text_;
  ASSERT_TRUE(ReplaceFileAtomically(token_keys_file, both).ok());
  EXPECT_EQ(status_with(*shop2, "shop-2", 200), 200);
  EXPECT_EQ(status_with(*token_keys_, "shop-1", 200), 200);
  // Retire the old key.
  ASSERT_TRUE(ReplaceFileAtomically(token_keys_file, *new_key).ok());
  EXPECT_EQ(status_with(*token_keys_, "shop-1", 401), 401);
  // A broken file keeps the keys in force.
  ASSERT_TRUE(ReplaceFileAtomically(token_keys_file, "shop-3 not-hex\n").ok());
  absl::SleepFor(absl::Seconds(3));
  EXPECT_EQ(status_with(*shop2, "shop-2", 200), 200);
  // Back to the suite's key for the other tests.
  ASSERT_TRUE(ReplaceFileAtomically(token_keys_file, *token_keys_text_).ok());
  EXPECT_EQ(status_with(*token_keys_, "shop-1", 200), 200);
}

TEST_F(GatewaySecurityEndToEndTest, DeleteCustomerOverTheGatewayIsAudited) {
  const std::string customer = customers_->at(3);
  const Answer erased = Post("/v1/delete-customer", {{"customerId", customer}},
                             {{"X-API-Key", Key("ops")}});
  ASSERT_EQ(erased.status, 200) << erased.body.dump();
  EXPECT_TRUE(erased.body.value("known", false)) << erased.body.dump();
  const Answer history = Post("/v1/customer-history", {{"customerId", customer}},
                              {{"X-API-Key", Key("ops")}});
  EXPECT_EQ(history.status, 404) << history.body.dump();

  absl::StatusOr<std::string> audit = ReadFileToString(*audit_path_);
  ASSERT_TRUE(audit.ok()) << audit.status();
  bool found = false;
  for (absl::string_view line : absl::StrSplit(*audit, '\n', absl::SkipEmpty())) {
    const nlohmann::json entry = nlohmann::json::parse(line, nullptr, false);
    if (entry.value("method", "") == "/recommender.v1.Recommender/DeleteCustomer" &&
        entry.value("outcome", "") == "OK" && entry.value("key_id", "") == "ops") {
      found = true;
      EXPECT_EQ(line.find(customer), absl::string_view::npos) << line;
    }
  }
  EXPECT_TRUE(found) << *audit;
  // Refusals on the gateway are audited with the caller's address.
  EXPECT_NE(audit->find("\"key_id\":\"shop-web\""), std::string::npos);
  for (const auto& [id, key] : *keys_) {
    EXPECT_EQ(audit->find(key.substr(key.find('.') + 1)), std::string::npos) << id;
  }
}

TEST_F(GatewaySecurityEndToEndTest, RateLimitsAnswer429WithRetryAfter) {
  // The suite's server allows 20 calls/s with a burst of 40 per key;
  // "limited" spends its burst here.
  int ok = 0;
  Answer limited;
  for (int i = 0; i < 200 && limited.status != 429; ++i) {
    const Answer answer =
        Post("/v1/similar-items", {{"itemId", *item_}, {"count", 1}},
             {{"X-API-Key", Key("limited")}});
    if (answer.status == 200) {
      ++ok;
    } else {
      limited = answer;
    }
  }
  if (limited.status != 429) GTEST_SKIP() << "the burst refilled as fast as spent";
  EXPECT_GT(ok, 0);
  EXPECT_EQ(limited.body["error"]["code"], "RESOURCE_EXHAUSTED");
  EXPECT_NE(limited.headers.find("Retry-After"), limited.headers.end());
}

}  // namespace
}  // namespace recommender
