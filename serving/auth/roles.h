// Roles an API key may hold, and sets of them. A key's roles decide which
// calls it may make (method_access.h):
//   storefront  the shop's web backend: picks, similar items, views, carts
//   orders      the order system: purchases
//   campaign    mail campaigns: batches, due lists, forecasts
//   monitoring  the metrics scraper: the admin port's /metrics
//   admin       operators: everything, including catalog changes, customer
//               histories and erasure
//
// Thread-safe: values only.
#ifndef SERVING_AUTH_ROLES_H_
#define SERVING_AUTH_ROLES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace recommender::serving::auth {

enum class Role : uint8_t {
  kStorefront,
  kOrders,
  kCampaign,
  kMonitoring,
  kAdmin,
};
inline constexpr Role kAllRoles[] = {Role::kStorefront, Role::kOrders,
                                     Role::kCampaign, Role::kMonitoring,
                                     Role::kAdmin};

// "storefront", "orders", ...
absl::string_view RoleName(Role role);
std::optional<Role> ParseRole(absl::string_view name);

class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role role : roles) bits_ |= Bit(role);
  }
  static constexpr RoleSet All() {
    return {Role::kStorefront, Role::kOrders, Role::kCampaign,
            Role::kMonitoring, Role::kAdmin};
  }

  // "storefront,orders": names separated by commas, no spaces.
  // InvalidArgument naming an unknown role, or for an empty list.
  static absl::StatusOr<RoleSet> Parse(absl::string_view text);

  bool Contains(Role role) const { return (bits_ & Bit(role)) != 0; }
  bool Intersects(RoleSet other) const { return (bits_ & other.bits_) != 0; }
  bool empty() const { return bits_ == 0; }
  void Add(Role role) { bits_ |= Bit(role); }
  bool operator==(RoleSet other) const { return bits_ == other.bits_; }

  // Names in kAllRoles order joined by `separator`.
  std::string ToString(absl::string_view separator = ",") const;

 private:
  static constexpr uint32_t Bit(Role role) {
    return uint32_t{1} << static_cast<uint32_t>(role);
  }
  uint32_t bits_ = 0;
};

}  // namespace recommender::serving::auth

#endif  // SERVING_AUTH_ROLES_H_
