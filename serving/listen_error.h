// Says why a server cannot listen on host:port. gRPC and cpp-httplib only
// report that binding failed; this repeats the attempt with a plain socket
// (SO_REUSEADDR, as they use, and no SO_REUSEPORT) to name the reason, so
// that a second server started on a port already taken fails with a message
// naming the port.
//
// Thread-safe: no shared state.
#ifndef SERVING_LISTEN_ERROR_H_
#define SERVING_LISTEN_ERROR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace recommender::serving {

// Never OK. `what` names the port's role ("gRPC port", "admin port").
//  - FailedPrecondition "... port P is in use ..." if another socket holds it;
//  - InvalidArgument if `host` does not resolve or is not an address of
//    this machine;
//  - PermissionDenied for a privileged port;
//  - Internal otherwise (the plain socket could bind: the reason is the
//    server library's own).
// Each message starts with "cannot listen on HOST:PORT (what)".
absl::Status ListenError(absl::string_view what, const std::string& host,
                         int port);

// "host:port", with brackets around an IPv6 host ("[::1]:50051").
std::string HostPort(const std::string& host, int port);

}  // namespace recommender::serving

#endif  // SERVING_LISTEN_ERROR_H_
