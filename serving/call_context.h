// CallContext: what RecommenderService's handlers need to know about the
// call they serve, whichever transport carried it (gRPC, the HTTP gateway in
// serving/http/): its deadline and whether the caller has gone away.
//
// Thread-safe to read; `cancelled` is called from the handler's thread,
// `cancel` from any.
#ifndef SERVING_CALL_CONTEXT_H_
#define SERVING_CALL_CONTEXT_H_

#include <chrono>
#include <functional>

#include "grpcpp/server_context.h"

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

  bool IsCancelled() const { return cancelled && cancelled(); }
};

// The context of a gRPC call; valid while `context` is.
CallContext FromGrpc(grpc::ServerContext& context);

}  // namespace recommender::serving

#endif  // SERVING_CALL_CONTEXT_H_
