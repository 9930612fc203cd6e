#include "serving/call_context.h"

namespace recommender::serving {

CallContext FromGrpc(grpc::ServerContext& context) {
  CallContext call;
  call.deadline = context.deadline();
  call.cancelled = [&context] { return context.IsCancelled(); };
  call.cancel = [&context] { context.TryCancel(); };
  return call;
}

}  // namespace recommender::serving
