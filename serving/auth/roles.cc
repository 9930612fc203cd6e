#include "serving/auth/roles.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace recommender::serving::auth {

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kStorefront:
      return "storefront";
    case Role::kOrders:
      return "orders";
    case Role::kCampaign:
      return "campaign";
    case Role::kMonitoring:
      return "monitoring";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (Role role : kAllRoles) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

absl::StatusOr<RoleSet> RoleSet::Parse(absl::string_view text) {
  RoleSet roles;
  for (absl::string_view name : absl::StrSplit(text, ',')) {
    std::optional<Role> role = ParseRole(name);
    if (!role.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown role \"", name, "\" (roles: ",
          RoleSet::All().ToString(", "), ")"));
    }
    roles.Add(*role);
  }
  return roles;
}

std::string RoleSet::ToString(absl::string_view separator) const {
  std::vector<absl::string_view> names;
  for (Role role : kAllRoles) {
    if (Contains(role)) names.push_back(RoleName(role));
  }
  return absl::StrJoin(names, separator);
}

}  // namespace recommender::serving::auth
