#include "serving/auth/authorizer.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace recommender::serving::auth {

absl::string_view StatusCodeName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk: return "OK";
    case absl::StatusCode::kCancelled: return "CANCELLED";
    case absl::StatusCode::kUnknown: return "UNKNOWN";
    case absl::StatusCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case absl::StatusCode::kDeadlineExceeded: return "DEADLINE_EXCEEDED";
    case absl::StatusCode::kNotFound: return "NOT_FOUND";
    case absl::StatusCode::kAlreadyExists: return "ALREADY_EXISTS";
    case absl::StatusCode::kPermissionDenied: return "PERMISSION_DENIED";
    case absl::StatusCode::kResourceExhausted: return "RESOURCE_EXHAUSTED";
    case absl::StatusCode::kFailedPrecondition: return "FAILED_PRECONDITION";
    case absl::StatusCode::kAborted: return "ABORTED";
    case absl::StatusCode::kOutOfRange: return "OUT_OF_RANGE";
    case absl::StatusCode::kUnimplemented: return "UNIMPLEMENTED";
    case absl::StatusCode::kInternal: return "INTERNAL";
    case absl::StatusCode::kUnavailable: return "UNAVAILABLE";
    case absl::StatusCode::kDataLoss: return "DATA_LOSS";
    case absl::StatusCode::kUnauthenticated: return "UNAUTHENTICATED";
    default: return "UNKNOWN";
  }
}

HttpRefusal HttpRefusalFor(const absl::Status& refusal) {
  HttpRefusal http;
  switch (refusal.code()) {
    case absl::StatusCode::kUnauthenticated:
      http.status = 401;
      http.headers.emplace_back("WWW-Authenticate", "Bearer");
      break;
    case absl::StatusCode::kPermissionDenied:
      http.status = 403;
      break;
    case absl::StatusCode::kResourceExhausted: {
      http.status = 429;
      const std::optional<absl::Duration> wait = RetryAfter(refusal);
      // Retry-After counts whole seconds: round up.
      const int64_t seconds =
          wait.has_value()
              ? std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(*wait, absl::Seconds(1))))
              : 1;
      http.headers.emplace_back("Retry-After", absl::StrCat(seconds));
      break;
    }
    default:
      http.status = 503;
  }
  return http;
}

absl::StatusOr<absl::string_view> BearerToken(
    std::optional<absl::string_view> authorization) {
  if (!authorization.has_value()) {
    return absl::UnauthenticatedError(
        "no API key: send \"authorization: Bearer <key>\"");
  }
  absl::string_view value = absl::StripAsciiWhitespace(*authorization);
  constexpr absl::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() ||
      !absl::StartsWithIgnoreCase(value, kScheme)) {
    return absl::UnauthenticatedError(
        "authorization: expected \"Bearer <key>\"");
  }
  return absl::StripLeadingAsciiWhitespace(value.substr(kScheme.size()));
}

Authorizer::Authorizer(const Options& options)
    : options_(options),
      rate_(options.rate),
      streams_(options.max_streams_per_key) {}

absl::Status Authorizer::Refuse(const Request& request, absl::Time now,
                                const Principal* caller, absl::Status refusal) {
  if (options_.audit != nullptr) {
    AuditEntry entry;
    entry.time = now;
    if (caller != nullptr) {
      entry.key_id = caller->key_id;
      entry.roles = caller->roles.ToString();
    }
    entry.method = std::string(request.method);
    entry.outcome = std::string(StatusCodeName(refusal.code()));
    entry.reason = std::string(refusal.message());
    entry.peer = std::string(request.peer);
    options_.audit->Record(entry);
  }
  return refusal;
}

absl::StatusOr<Principal> Authorizer::Authorize(const Request& request,
                                                absl::Time now) {
  if (!keys_enabled()) return Unrestricted();
  const std::optional<MethodAccess> access = FindMethodAccess(request.method);
  if (!access.has_value()) {
    return Refuse(request, now, nullptr,
                  absl::PermissionDeniedError(absl::StrCat(
                      request.method, " has no access rule: refused")));
  }
  if (access->kind == MethodAccess::Kind::kPublic) return Principal{};
  absl::StatusOr<absl::string_view> token = BearerToken(request.authorization);
  if (!token.ok()) return Refuse(request, now, nullptr, token.status());
  absl::StatusOr<Principal> caller = options_.keys->Authenticate(*token);
  if (!caller.ok()) return Refuse(request, now, nullptr, caller.status());
  if (access->kind == MethodAccess::Kind::kRoles &&
      !caller->roles.Intersects(access->roles)) {
    return Refuse(
        request, now, &*caller,
        absl::PermissionDeniedError(absl::StrCat(
            ShortMethodName(request.method), " needs the ",
            absl::StrReplaceAll(access->roles.ToString(", "), {{", admin", " or admin"}}),
            " role; key ", caller->key_id, " has ",
            caller->roles.ToString(", "))));
  }
  if (std::optional<absl::Duration> wait = rate_.TryAcquire(caller->key_id, now)) {
    return Refuse(request, now, &*caller,
                  RateLimitedError(caller->key_id, rate_.options().per_second,
                                   *wait));
  }
  return caller;
}

void Authorizer::CallFinished(const Principal& caller, absl::string_view method,
                              absl::string_view outcome, absl::string_view peer,
                              absl::Time start, absl::Time end,
                              std::vector<std::pair<std::string, int64_t>> counts) {
  if (options_.audit == nullptr) return;
  const std::optional<MethodAccess> access = FindMethodAccess(method);
  if (!access.has_value() || !access->audited) return;
  AuditEntry entry;
  entry.time = end;
  entry.key_id = caller.key_id;
  entry.roles = caller.roles.ToString();
  entry.method = std::string(method);
  entry.outcome = std::string(outcome);
  entry.peer = std::string(peer);
  entry.seconds = absl::ToDoubleSeconds(end - start);
  entry.counts = std::move(counts);
  options_.audit->Record(entry);
}

}  // namespace recommender::serving::auth
