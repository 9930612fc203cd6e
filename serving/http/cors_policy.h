// CorsPolicy: which web origins may call the JSON gateway from a browser.
// The shop's storefront pages run on the shop's own origin
// ("https://shop.example") and call the gateway across origins; only
// origins on the allow-list get the CORS headers that let the browser read
// the answer, and a request that a page of any other origin makes (which a
// browser sends with an Origin header) is refused outright, so that no
// other site can make a visitor's browser record events. Pages the gateway
// serves itself (demo storefront, dashboard) are same-origin.
//
// Thread-safe: immutable after construction.
#ifndef SERVING_HTTP_CORS_POLICY_H_
#define SERVING_HTTP_CORS_POLICY_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace recommender::serving {

class CorsPolicy {
 public:
  // Each origin is "scheme://host[:port]" as browsers send it, without a
  // path; InvalidArgument naming a malformed one.
  static absl::StatusOr<CorsPolicy> Create(
      const std::vector<std::string>& allowed_origins);
  CorsPolicy() = default;

  enum class Verdict {
    // No Origin header (not a browser's cross-site request) or the
    // gateway's own origin: no CORS headers needed.
    kSameOrigin,
    // On the allow-list: answer with CORS headers for it.
    kAllowed,
    // Any other origin: refuse (403).
    kRefused,
  };
  // `origin` is the request's Origin header ("" if none), `host` its Host
  // header.
  Verdict Check(absl::string_view origin, absl::string_view host) const;

  const std::vector<std::string>& allowed() const { return ordered_; }

 private:
  absl::flat_hash_set<std::string> allowed_;
  std::vector<std::string> ordered_;
};

}  // namespace recommender::serving

#endif  // SERVING_HTTP_CORS_POLICY_H_
