#include "serving/auth/method_access.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace recommender::serving::auth {
namespace {

using Kind = MethodAccess::Kind;

constexpr char kRecommender[] = "/recommender.v1.Recommender/";

MethodAccess Roles(RoleSet roles, bool audited) {
  return {Kind::kRoles, roles, audited};
}

const absl::flat_hash_map<std::string, MethodAccess>& Table() {
  static const auto* table = [] {
    const RoleSet storefront = {Role::kStorefront, Role::kAdmin};
    const RoleSet events = {Role::kStorefront, Role::kOrders, Role::kAdmin};
    const RoleSet campaign = {Role::kCampaign, Role::kAdmin};
    const RoleSet admin = {Role::kAdmin};
    const RoleSet monitoring = {Role::kMonitoring, Role::kAdmin};
    auto* t = new absl::flat_hash_map<std::string, MethodAccess>{
        // The shop's web backend.
        {absl::StrCat(kRecommender, "Recommend"), Roles(storefront, false)},
        {absl::StrCat(kRecommender, "SimilarItems"), Roles(storefront, false)},
        // Event types are checked per event (CheckEventTypes).
        {absl::StrCat(kRecommender, "RecordEvents"), Roles(events, false)},
        // Campaigns.
        {absl::StrCat(kRecommender, "BatchRecommend"), Roles(campaign, true)},
        {absl::StrCat(kRecommender, "PredictNextPurchase"),
         Roles(campaign, true)},
        {absl::StrCat(kRecommender, "ListDueCustomers"), Roles(campaign, true)},
        {absl::StrCat(kRecommender, "ListSegments"), Roles(campaign, true)},
        {absl::StrCat(kRecommender, "GetSegmentSummary"), Roles(campaign, true)},
        {absl::StrCat(kRecommender, "CreateCampaign"), Roles(campaign, true)},
        {absl::StrCat(kRecommender, "ListCampaigns"), Roles(campaign, true)},
        {absl::StrCat(kRecommender, "GetCampaignReport"), Roles(campaign, true)},
        // Unsubscribes reach the shop's mail system, which holds this key.
        {absl::StrCat(kRecommender, "UpdateOptOuts"), Roles(campaign, true)},
        // Operators.
        {absl::StrCat(kRecommender, "GetCustomerHistory"), Roles(admin, true)},
        {absl::StrCat(kRecommender, "GetModelInfo"), Roles(admin, true)},
        {absl::StrCat(kRecommender, "UpsertItems"), Roles(admin, true)},
        {absl::StrCat(kRecommender, "DeleteCustomer"), Roles(admin, true)},
        // The dashboard's server line and model page; polled, so not
        // audited.
        {"/recommender.v1.Operations/GetServerStatus", Roles(monitoring, false)},
        // Off unless --enable_diagnostics; not audited (a benchmark floor).
        {"/recommender.v1.Diagnostics/Echo", Roles(admin, false)},
        // Load balancers and probes carry no key.
        {"/grpc.health.v1.Health/Check", {Kind::kPublic, {}, false}},
        {"/grpc.health.v1.Health/Watch", {Kind::kPublic, {}, false}},
        {"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
         {Kind::kAnyKey, {}, false}},
        // The admin port.
        {"/metrics", Roles(monitoring, false)},
        {"/healthz", {Kind::kPublic, {}, false}},
    };
    return t;
  }();
  return *table;
}

}  // namespace

std::optional<MethodAccess> FindMethodAccess(absl::string_view method) {
  auto it = Table().find(method);
  if (it == Table().end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> MethodsWithAccess() {
  std::vector<std::string> methods;
  for (const auto& [method, access] : Table()) methods.push_back(method);
  std::sort(methods.begin(), methods.end());
  return methods;
}

absl::string_view ShortMethodName(absl::string_view method) {
  const size_t slash = method.rfind('/');
  if (slash == absl::string_view::npos || slash == 0) return method;
  return method.substr(slash + 1);
}

absl::Status CheckEventTypes(RoleSet roles,
                             absl::Span<const EventType> types) {
  if (roles.Contains(Role::kAdmin)) return absl::OkStatus();
  for (size_t i = 0; i < types.size(); ++i) {
    const Role needed = types[i] == EventType::kPurchase ? Role::kOrders
                                                         : Role::kStorefront;
    if (!roles.Contains(needed)) {
      return absl::PermissionDeniedError(absl::StrCat(
          "events[", i, "].type: recording a ", EventTypeName(types[i]),
          " needs the ", RoleName(needed), " role; this key has ",
          roles.empty() ? "none" : roles.ToString(", ")));
    }
  }
  return absl::OkStatus();
}

}  // namespace recommender::serving::auth
