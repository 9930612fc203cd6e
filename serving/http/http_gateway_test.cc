#include "serving/http/http_gateway.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace recommender::serving {
namespace {

// Methods of the gateway's own form; the real services' are tested in
// json_api_test.cc and end to end in tests/http_gateway_e2e_test.cc.
std::vector<JsonMethod> Methods() {
  JsonMethod echo;
  echo.path = "/v1/echo";
  echo.full_method = "/test.v1.Test/Echo";
  echo.unary = [](const CallContext& call, absl::string_view json,
                  std::string* out) {
    if (call.deadline == std::chrono::system_clock::time_point::max()) {
      return absl::InternalError("unary calls get a deadline");
    }
    *out = std::string(json);
    return absl::OkStatus();
  };
  JsonMethod info = echo;
  info.path = "/v1/info";
  info.full_method = "/test.v1.Test/Info";
  info.read_only = true;
  info.unary = [](const CallContext&, absl::string_view, std::string* out) {
    *out = R"({"version":"7"})";
    return absl::OkStatus();
  };
  JsonMethod fail = echo;
  fail.path = "/v1/fail";
  fail.full_method = "/test.v1.Test/Fail";
  fail.unary = [](const CallContext&, absl::string_view, std::string*) {
    return absl::InvalidArgumentError("count: must be 1 to 100, got 0");
  };
  JsonMethod stream;
  stream.path = "/v1/stream";
  stream.full_method = "/test.v1.Test/Stream";
  stream.stream = [](const CallContext&,
                     absl::string_view json) -> absl::StatusOr<JsonStream> {
    if (json == "bad") return absl::InvalidArgumentError("lines: bad");
    return JsonStream([](const CallContext&, const LineWriter& write) {
      for (int i = 1; i <= 3; ++i) {
        if (!write(absl::StrCat(R"({"n":)", i, "}"))) {
          return absl::CancelledError("gone");
        }
      }
      return absl::InternalError("broke after three");
    });
  };
  return {echo, info, fail, stream};
}

class HttpGatewayTest : public ::testing::Test {
 protected:
  void Start(HttpGateway::Options options = {}) {
    HttpGateway::Backends backends;
    backends.methods = Methods();
    backends.metrics = &metrics_;
    backends.authorize = [](absl::string_view method,
                            const HttpCredentials& credentials,
                            CallContext* /*call*/) {
      if (method != "/test.v1.Test/Info") return absl::OkStatus();
      if (credentials.api_key.empty() && credentials.authorization.empty()) {
        return absl::UnauthenticatedError("give an API key");
      }
      if (credentials.api_key != "operator") {
        return absl::PermissionDeniedError("GetInfo needs the operator role");
      }
      return absl::OkStatus();
    };
    backends.files = StaticFiles({{"/admin/index.html", "<!doctype html>"},
                                  {"/widget/w.js", "void 0;"}});
    options.allowed_origins = {"https://shop.example"};
    absl::StatusOr<std::unique_ptr<HttpGateway>> gateway =
        HttpGateway::Start("127.0.0.1", 0, std::move(backends), options);
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = *std::move(gateway);
  }

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", gateway_->port());
    client.set_connection_timeout(std::chrono::seconds(3));
    client.set_read_timeout(std::chrono::seconds(5));
    return client;
  }

  Metrics metrics_;
  std::unique_ptr<HttpGateway> gateway_;
};

nlohmann::json Json(const httplib::Result& result) {
  return nlohmann::json::parse(result->body);
}

TEST_F(HttpGatewayTest, AnswersJsonAndMapsErrors) {
  Start();
  httplib::Result ok =
      Client().Post("/v1/echo", R"({"a":1})", "application/json");
  ASSERT_TRUE(ok) << httplib::to_string(ok.error());
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, R"({"a":1})");
  EXPECT_EQ(ok->get_header_value("Content-Type"), "application/json");

  httplib::Result bad = Client().Post("/v1/fail", "{}", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Json(bad)["error"]["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(Json(bad)["error"]["field"], "count");

  httplib::Result missing =
      Client().Post("/v1/nothing", "{}", "application/json");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(Json(missing)["error"]["code"], "NOT_FOUND");

  httplib::Result get_of_post = Client().Get("/v1/echo");
  ASSERT_TRUE(get_of_post);
  EXPECT_EQ(get_of_post->status, 405);
  EXPECT_EQ(get_of_post->get_header_value("Allow"), "POST, OPTIONS");

  httplib::Result put = Client().Put("/v1/echo", "{}", "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 405);

  httplib::Result index = Client().Get("/v1/");
  ASSERT_TRUE(index);
  EXPECT_EQ(Json(index)["methods"].size(), 4u);
}

TEST_F(HttpGatewayTest, EveryCallPassesTheAuthorizationHook) {
  Start();
  httplib::Result anonymous = Client().Get("/v1/info");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->get_header_value("WWW-Authenticate"), "Bearer");
  httplib::Result wrong_role =
      Client().Get("/v1/info", {{"X-API-Key", "storefront"}});
  ASSERT_TRUE(wrong_role);
  EXPECT_EQ(wrong_role->status, 403);
  EXPECT_EQ(Json(wrong_role)["error"]["code"], "PERMISSION_DENIED");
  httplib::Result allowed =
      Client().Get("/v1/info", {{"X-API-Key", "operator"}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200);
  // Refusals are counted like other outcomes.
  const std::string text = metrics_.Render();
  EXPECT_NE(text.find("http_server_handled_total{grpc_service=\"test.v1.Test\","
                      "grpc_method=\"Info\",grpc_type=\"unary\",grpc_code="
                      "\"UNAUTHENTICATED\"} 1"),
            std::string::npos)
      << text;
}

TEST_F(HttpGatewayTest, CorsForAllowedOriginsOnly) {
  Start();
  httplib::Result allowed =
      Client().Post("/v1/echo", {{"Origin", "https://shop.example"}}, "{}",
                    "application/json");
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200);
  EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Origin"),
            "https://shop.example");
  httplib::Result refused =
      Client().Post("/v1/echo", {{"Origin", "https://evil.example"}}, "{}",
                    "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_FALSE(refused->has_header("Access-Control-Allow-Origin"));
  EXPECT_NE(Json(refused)["error"]["message"].get<std::string>().find(
                "https://evil.example"),
            std::string::npos);

  httplib::Request preflight;
  preflight.method = "OPTIONS";
  preflight.path = "/v1/echo";
  preflight.headers = {{"Origin", "https://shop.example"},
                       {"Access-Control-Request-Method", "POST"}};
  httplib::Result options = Client().send(preflight);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->status, 204);
  EXPECT_EQ(options->get_header_value("Access-Control-Allow-Origin"),
            "https://shop.example");
  EXPECT_NE(options->get_header_value("Access-Control-Allow-Headers")
                .find("Content-Type"),
            std::string::npos);
}

TEST_F(HttpGatewayTest, StreamsJsonLinesAndRefusesBadStreamsUpFront) {
  Start();
  httplib::Result lines = Client().Post("/v1/stream", "{}", "application/json");
  ASSERT_TRUE(lines);
  EXPECT_EQ(lines->status, 200);
  EXPECT_EQ(lines->get_header_value("Content-Type"), "application/x-ndjson");
  EXPECT_EQ(lines->body.substr(0, 24), "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
  // It failed after three lines: the last line says so.
  const std::string last = lines->body.substr(24);
  EXPECT_EQ(nlohmann::json::parse(last)["error"]["code"], "INTERNAL");

  httplib::Result bad = Client().Post("/v1/stream", "bad", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Json(bad)["error"]["field"], "lines");
}

TEST_F(HttpGatewayTest, LimitsRequestSize) {
  HttpGateway::Options options;
  options.max_request_bytes = 1000;
  Start(options);
  httplib::Result big = Client().Post("/v1/echo", std::string(2000, ' ') + "{}",
                                      "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(Json(big)["error"]["code"], "RESOURCE_EXHAUSTED");
  httplib::Result small = Client().Post(
      "/v1/echo", std::string(500, ' ') + "{}", "application/json");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200);
}

TEST_F(HttpGatewayTest, ServesPagesUnderAStrictPolicy) {
  Start();
  httplib::Result root = Client().Get("/");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->status, 302);
  EXPECT_EQ(root->get_header_value("Location"), "/demo/");
  httplib::Result folder = Client().Get("/admin");
  ASSERT_TRUE(folder);
  EXPECT_EQ(folder->status, 301);
  EXPECT_EQ(folder->get_header_value("Location"), "/admin/");
  httplib::Result page = Client().Get("/admin/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body, "<!doctype html>");
  const std::string policy = page->get_header_value("Content-Security-Policy");
  EXPECT_NE(policy.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(policy.find("unsafe"), std::string::npos);
  httplib::Result again = Client().Get(
      "/admin/", {{"If-None-Match", page->get_header_value("ETag")}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  httplib::Result widget = Client().Get("/widget/w.js");
  ASSERT_TRUE(widget);
  EXPECT_EQ(widget->get_header_value("Content-Type"),
            "text/javascript; charset=utf-8");
  EXPECT_EQ(widget->get_header_value("Access-Control-Allow-Origin"), "*");
  httplib::Result none = Client().Get("/nothing.html");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
}

TEST_F(HttpGatewayTest, DrainingRefusesCallsButServesPages) {
  Start();
  gateway_->StartDraining();
  httplib::Result call = Client().Post("/v1/echo", "{}", "application/json");
  ASSERT_TRUE(call);
  EXPECT_EQ(call->status, 503);
  httplib::Result page = Client().Get("/admin/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
}

TEST_F(HttpGatewayTest, BadOptionsAndTakenPortsAreErrors) {
  HttpGateway::Options options;
  options.allowed_origins = {"shop.example"};
  HttpGateway::Backends backends;
  backends.metrics = &metrics_;
  absl::StatusOr<std::unique_ptr<HttpGateway>> bad =
      HttpGateway::Start("127.0.0.1", 0, backends, options);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("shop.example"), std::string::npos);

  Start();
  absl::StatusOr<std::unique_ptr<HttpGateway>> second =
      HttpGateway::Start("127.0.0.1", gateway_->port(), backends, {});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("(HTTP port)"), std::string::npos)
      << second.status();
}

}  // namespace
}  // namespace recommender::serving
