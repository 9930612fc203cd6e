// The one table of who may call what: every gRPC method the server offers
// (by its full name, "/recommender.v1.Recommender/Recommend") and every page
// of the admin port ("/metrics"), with the roles allowed and whether calls
// go to the audit log. The gRPC auth processor and any HTTP front end look
// calls up here; a method missing from the table is refused, and
// method_access_test fails for any RPC of recommender.v1 without an entry,
// so a new RPC cannot ship without a role.
//
// One rule lives beside it: RecordEvents' content. Views and carts need the
// storefront role, purchases the orders role (a web backend must not be
// able to fake purchases), admin may record all.
//
// Thread-safe: constant data.
#ifndef SERVING_AUTH_METHOD_ACCESS_H_
#define SERVING_AUTH_METHOD_ACCESS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "recommender/data/shop_data.h"
#include "serving/auth/roles.h"

namespace recommender::serving::auth {

struct MethodAccess {
  enum class Kind {
    // Anyone, without a key (health checks).
    kPublic,
    // Any valid key, whatever its roles (server reflection).
    kAnyKey,
    // A key holding at least one of `roles`.
    kRoles,
  };
  Kind kind = Kind::kRoles;
  RoleSet roles;
  // Calls are written to the audit log (admin and campaign calls).
  bool audited = false;
};

// The entry for `method`; nullopt if the table has none (then the call is
// refused).
std::optional<MethodAccess> FindMethodAccess(absl::string_view method);

// Every method and page in the table, for tests and documentation.
std::vector<std::string> MethodsWithAccess();

// "Recommend" for "/recommender.v1.Recommender/Recommend"; `method` itself
// if it has no slash inside.
absl::string_view ShortMethodName(absl::string_view method);

// PermissionDenied unless `roles` may record every event type of the batch
// (views and carts: storefront; purchases: orders; admin: all), naming the
// first event refused ("events[3].type") and the role it needs.
absl::Status CheckEventTypes(RoleSet roles,
                             absl::Span<const EventType> types);

}  // namespace recommender::serving::auth

#endif  // SERVING_AUTH_METHOD_ACCESS_H_
