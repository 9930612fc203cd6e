// The one place where absl::Status becomes grpc::Status: codes map one to
// one and the message (which names the offending field) is kept.
#ifndef SERVING_GRPC_STATUS_H_
#define SERVING_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace recommender::serving {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace recommender::serving

#endif  // SERVING_GRPC_STATUS_H_
