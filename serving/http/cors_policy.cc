#include "serving/http/cors_policy.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace recommender::serving {

absl::StatusOr<CorsPolicy> CorsPolicy::Create(
    const std::vector<std::string>& allowed_origins) {
  CorsPolicy policy;
  for (const std::string& origin : allowed_origins) {
    const size_t scheme_end = origin.find("://");
    const bool scheme_ok = absl::StartsWith(origin, "http://") ||
                           absl::StartsWith(origin, "https://");
    const absl::string_view rest =
        scheme_end == std::string::npos
            ? absl::string_view()
            : absl::string_view(origin).substr(scheme_end + 3);
    if (!scheme_ok || rest.empty() ||
        rest.find_first_of("/?#* ") != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("cors_origins: \"", origin,
                       "\" is not an origin like https://shop.example or "
                       "http://localhost:8080 (scheme, host and port only)"));
    }
    const std::string lower = absl::AsciiStrToLower(origin);
    if (policy.allowed_.insert(lower).second) policy.ordered_.push_back(lower);
  }
  return policy;
}

CorsPolicy::Verdict CorsPolicy::Check(absl::string_view origin,
                                      absl::string_view host) const {
  if (origin.empty()) return Verdict::kSameOrigin;
  const std::string lower = absl::AsciiStrToLower(origin);
  if (!host.empty()) {
    const std::string own_host = absl::AsciiStrToLower(host);
    if (lower == absl::StrCat("http://", own_host) ||
        lower == absl::StrCat("https://", own_host)) {
      return Verdict::kSameOrigin;
    }
  }
  return allowed_.contains(lower) ? Verdict::kAllowed : Verdict::kRefused;
}

}  // namespace recommender::serving
