#include "serving/server_security.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "serving/grpc_auth.h"
#include "serving/json_log.h"
#include "serving/tls/grpc_tls.h"

namespace recommender::serving {
namespace {

absl::Status CheckListeningRules(const SecurityOptions& options,
                                 const std::string& host) {
  const bool loopback = IsLoopbackHost(host);
  if (options.keys_file.empty()) {
    if (!loopback && !options.insecure) {
      return absl::InvalidArgumentError(absl::StrCat(
          "host: ", host, " is not a loopback address and there is no "
          "--keys_file, so anyone who reaches the port could call every "
          "method. Give --keys_file (docs/security.md), or --insecure to "
          "serve without keys anyway"));
    }
    return absl::OkStatus();
  }
  if (options.insecure) {
    return absl::InvalidArgumentError(
        "insecure: not with --keys_file (--insecure serves without keys)");
  }
  if (!loopback && !options.tls.enabled()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "keys_file: keys would cross the network in plaintext on ", host,
        ": give --tls_cert and --tls_key, or listen on 127.0.0.1"));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsLoopbackHost(absl::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  // An IPv4 address in 127.0.0.0/8, not a name that merely starts so.
  in_addr address;
  return inet_pton(AF_INET, std::string(host).c_str(), &address) == 1 &&
         (ntohl(address.s_addr) >> 24) == 127;
}

absl::StatusOr<std::unique_ptr<ServerSecurity>> ServerSecurity::Start(
    const SecurityOptions& options, const std::string& host, Metrics* metrics) {
  if (absl::Status valid = tls::CheckTlsFiles(options.tls); !valid.ok()) {
    return valid;
  }
  if (absl::Status rules = CheckListeningRules(options, host); !rules.ok()) {
    return rules;
  }
  std::unique_ptr<ServerSecurity> security(new ServerSecurity());
  security->options_ = options;
  security->metrics_ = metrics;
  if (!options.keys_file.empty()) {
    absl::StatusOr<std::unique_ptr<auth::KeyStore>> keys =
        auth::KeyStore::Open(options.keys_file);
    if (!keys.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("keys_file: ", keys.status().message()));
    }
    security->keys_ = *std::move(keys);
    security->keys_->StartWatching(
        options.keys_reload_interval, [](const absl::Status& status, size_t n) {
          if (status.ok()) {
            LogInfo("keys file reloaded", {{"keys", absl::StrCat(n)}});
          } else {
            LogError("keys file not reloaded; the previous keys stay in force",
                     {{"error", std::string(status.message())}});
          }
        });
  }
  if (!options.customer_token_keys.empty()) {
    absl::StatusOr<std::unique_ptr<WatchedFile<auth::CustomerTokenKeys>>>
        token_keys = WatchedFile<auth::CustomerTokenKeys>::Open(
            options.customer_token_keys,
            [](const std::string& text, const std::string& path) {
              return auth::CustomerTokenKeys::Parse(text, path);
            });
    if (!token_keys.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "customer_token_keys: ", token_keys.status().message()));
    }
    security->token_keys_ = *std::move(token_keys);
    security->token_keys_->StartWatching(
        options.keys_reload_interval, [](const absl::Status& status) {
          if (status.ok()) {
            LogInfo("customer token keys reloaded");
          } else {
            LogError(
                "customer token keys not reloaded; the previous keys stay in "
                "force",
                {{"error", std::string(status.message())}});
          }
        });
  }
  absl::StatusOr<std::unique_ptr<auth::AuditLog>> audit =
      auth::AuditLog::Open(options.audit_log);
  if (!audit.ok()) return audit.status();
  security->audit_ = *std::move(audit);
  auth::Authorizer::Options authorizer;
  authorizer.keys = security->keys_.get();
  authorizer.rate = {options.rate_limit_per_second, options.rate_limit_burst};
  authorizer.max_streams_per_key = options.max_streams_per_key;
  authorizer.audit = security->audit_.get();
  security->authorizer_ = std::make_unique<auth::Authorizer>(authorizer);
  if (options.tls.enabled()) {
    absl::StatusOr<std::unique_ptr<tls::ReloadingCertificate>> certificate =
        tls::ReloadingCertificate::Start(options.tls, [](const absl::Status& status) {
          if (status.ok()) {
            LogInfo("TLS certificate reloaded");
          } else {
            LogError("TLS certificate not reloaded; the previous one stays in use",
                     {{"error", std::string(status.message())}});
          }
        });
    if (!certificate.ok()) return certificate.status();
    security->admin_certificate_ = *std::move(certificate);
  }
  if (options.keys_file.empty()) {
    if (options.insecure) {
      ServerSecurity* self = security.get();
      const std::string address = host;
      auto warn = [address] {
        LogError("insecure: serving without keys on a non-loopback address; "
                 "anyone who reaches the port may call every method",
                 {{"host", address}});
      };
      warn();
      security->insecure_warnings_ = std::thread([self, warn] {
        while (!self->stop_.WaitForNotificationWithTimeout(
            self->options_.insecure_warning_interval)) {
          warn();
        }
      });
    } else {
      LogInfo("no --keys_file: listening on loopback only; every caller on "
              "this machine may call every method",
              {{"host", host}});
    }
  } else {
    LogInfo("API keys required",
            {{"keys_file", options.keys_file},
             {"keys", absl::StrCat(security->keys_->size())},
             {"tls", options.tls.enabled() ? "on" : "off (loopback)"}});
  }
  return security;
}

ServerSecurity::~ServerSecurity() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (insecure_warnings_.joinable()) insecure_warnings_.join();
}

std::shared_ptr<grpc::ServerCredentials> ServerSecurity::GrpcCredentials() {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  if (options_.tls.enabled()) {
    credentials = tls::GrpcTlsCredentials(options_.tls);
  } else if (authorizer_->keys_enabled()) {
    // Keys without TLS: loopback only; local credentials let the auth
    // processor run and refuse any peer that is not on this machine.
    credentials = grpc::experimental::LocalServerCredentials(LOCAL_TCP);
  } else {
    return grpc::InsecureServerCredentials();
  }
  if (authorizer_->keys_enabled()) {
    credentials->SetAuthMetadataProcessor(
        std::make_shared<GrpcAuthProcessor>(authorizer_.get(), metrics_));
  }
  return credentials;
}

std::function<bool(SSL_CTX&)> ServerSecurity::AdminTls() {
  if (admin_certificate_ == nullptr) return nullptr;
  tls::ReloadingCertificate* certificate = admin_certificate_.get();
  return [certificate](SSL_CTX& context) { return certificate->Configure(context); };
}

std::optional<HttpResponse> ServerSecurity::CheckAdminRequest(
    const HttpRequest& request) {
  auth::Authorizer::Request call;
  call.method = request.path;
  if (request.has_authorization) call.authorization = request.authorization;
  call.peer = request.peer;
  absl::StatusOr<auth::Principal> caller = authorizer_->Authorize(call, absl::Now());
  if (caller.ok()) return std::nullopt;
  const auth::HttpRefusal refusal = auth::HttpRefusalFor(caller.status());
  HttpResponse response(refusal.status, "text/plain; charset=utf-8",
                        absl::StrCat(caller.status().message(), "\n"));
  response.headers = refusal.headers;
  return response;
}

namespace {

// A key only a browser's page holds: storefront, nothing more.
bool IsBrowserKey(const auth::RoleSet& roles) {
  return roles.Contains(auth::Role::kStorefront) &&
         !roles.Contains(auth::Role::kOrders) &&
         !roles.Contains(auth::Role::kCampaign) &&
         !roles.Contains(auth::Role::kAdmin);
}

}  // namespace

absl::Status ServerSecurity::AuthorizeHttp(absl::string_view full_method,
                                           const HttpCredentials& credentials,
                                           CallContext* call) {
  const absl::Time now = absl::Now();
  std::string bearer;
  auth::Authorizer::Request request;
  request.method = full_method;
  request.peer = credentials.peer;
  if (!credentials.authorization.empty()) {
    request.authorization = credentials.authorization;
  } else if (!credentials.api_key.empty()) {
    bearer = absl::StrCat("Bearer ", credentials.api_key);
    request.authorization = bearer;
  }
  absl::StatusOr<auth::Principal> caller = authorizer_->Authorize(request, now);
  if (!caller.ok()) {
    if (absl::IsUnauthenticated(caller.status()) &&
        !request.authorization.has_value()) {
      return absl::UnauthenticatedError(absl::StrCat(
          "no API key: send \"Authorization: Bearer <key>\" or "
          "\"X-API-Key: <key>\" (", auth::ShortMethodName(full_method),
          " needs one)"));
    }
    return caller.status();
  }
  const bool keys = authorizer_->keys_enabled();
  call->caller = keys ? *caller : auth::Authorizer::Unrestricted();
  call->keys_enabled = keys;
  const bool browser = keys && IsBrowserKey(caller->roles);
  if (!browser && credentials.customer_token.empty()) return absl::OkStatus();
  CallContext::CustomerScope scope;
  if (!credentials.customer_token.empty()) {
    if (token_keys_ == nullptr) {
      return authorizer_->Refuse(
          request, now, keys ? &*caller : nullptr,
          absl::UnauthenticatedError(
              "customer token: this server takes none (it was started "
              "without --customer_token_keys)"));
    }
    absl::StatusOr<auth::CustomerClaim> claim = auth::VerifyCustomerToken(
        *token_keys_->Get(), credentials.customer_token, now);
    if (!claim.ok()) {
      return authorizer_->Refuse(request, now, keys ? &*caller : nullptr,
                                 claim.status());
    }
    scope.customer_id = claim->customer_id;
  }
  call->customer_scope = std::move(scope);
  return absl::OkStatus();
}

void ServerSecurity::HttpCallFinished(
    absl::string_view full_method, const CallContext& call,
    const HttpCredentials& credentials, const absl::Status& outcome,
    absl::Time start, std::vector<std::pair<std::string, int64_t>> counts) {
  authorizer_->CallFinished(call.caller, full_method,
                            auth::StatusCodeName(outcome.code()),
                            credentials.peer, start, absl::Now(),
                            std::move(counts));
}

}  // namespace recommender::serving
