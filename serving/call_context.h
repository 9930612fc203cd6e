// CallContext: what RecommenderService's handlers need to know about the
// call they serve, whichever transport carried it (gRPC, the HTTP gateway in
// serving/http/): its deadline, whether the caller has gone away, who the
// caller is (the key the transport's access check accepted) and, for a
// browser's call, which customer it may speak for.
//
// Thread-safe to read; `cancelled` is called from the handler's thread,
// `cancel` from any.
#ifndef SERVING_CALL_CONTEXT_H_
#define SERVING_CALL_CONTEXT_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "serving/auth/key_store.h"

namespace recommender::serving {

struct CallContext {
  // The call must be answered by then; handlers refuse to start a search
  // after it (DEADLINE_EXCEEDED). The default is no deadline.
  std::chrono::system_clock::time_point deadline =
      std::chrono::system_clock::time_point::max();
  // True once the caller has gone away (a stream stops at the next
  // message); empty means never.
  std::function<bool()> cancelled;
  // Ends the call from any thread, so that a write blocked on a caller who
  // stopped reading returns; empty when the transport cannot.
  std::function<void()> cancel;

  // Who makes the call: the key the transport's check accepted (its id and
  // roles); no key id and every role when keys are off.
  auth::Principal caller{"", auth::RoleSet::All()};
  // True when `caller` was checked against a keys file: the handlers' own
  // checks (event types, per-key stream caps) apply then.
  bool keys_enabled = false;
  // Set on the browser path (the HTTP gateway with a storefront key): the
  // customer a verified customer token names, or nullopt for an anonymous
  // visitor. Customer-scoped calls then answer for that customer only.
  struct CustomerScope {
    std::optional<std::string> customer_id;
  };
  std::optional<CustomerScope> customer_scope;
  // Adds a count to the call's audit line (e.g. "customers", 120); empty
  // when the transport keeps none.
  std::function<void(absl::string_view name, int64_t value)> report_count;

  bool IsCancelled() const { return cancelled && cancelled(); }
  void ReportCount(absl::string_view name, int64_t value) const {
    if (report_count) report_count(name, value);
  }
};

// The context of a gRPC call; valid while `context` is.
CallContext FromGrpc(grpc::ServerContext& context);

}  // namespace recommender::serving

#endif  // SERVING_CALL_CONTEXT_H_
