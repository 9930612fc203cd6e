#include "serving/call_context.h"

namespace recommender::serving {

CallContext FromGrpc(const grpc::ServerContext& context) {
  CallContext call;
  call.deadline = context.deadline();
  call.cancelled = [&context] { return context.IsCancelled(); };
  return call;
}

}  // namespace recommender::serving
