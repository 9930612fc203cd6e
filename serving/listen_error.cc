#include "serving/listen_error.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace recommender::serving {

std::string HostPort(const std::string& host, int port) {
  if (absl::StrContains(host, ':') && !absl::StartsWith(host, "[")) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

absl::Status ListenError(absl::string_view what, const std::string& host,
                         int port) {
  const std::string prefix =
      absl::StrCat("cannot listen on ", HostPort(host, port), " (", what, ")");
  addrinfo hints = {};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* addresses = nullptr;
  const std::string service = absl::StrCat(port);
  const std::string bare_host =
      absl::StartsWith(host, "[") && absl::EndsWith(host, "]")
          ? host.substr(1, host.size() - 2)
          : host;
  if (const int error = ::getaddrinfo(bare_host.c_str(), service.c_str(),
                                      &hints, &addresses);
      error != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        prefix, ": host \"", host, "\" does not resolve: ", gai_strerror(error)));
  }
  int bind_errno = 0;
  for (addrinfo* a = addresses; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC,
                            a->ai_protocol);
    if (fd < 0) continue;
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    const bool bound = ::bind(fd, a->ai_addr, a->ai_addrlen) == 0 &&
                       ::listen(fd, 1) == 0;
    if (!bound) bind_errno = errno;
    ::close(fd);
    if (bound) {
      bind_errno = 0;
      break;
    }
  }
  ::freeaddrinfo(addresses);
  switch (bind_errno) {
    case EADDRINUSE:
      return absl::FailedPreconditionError(absl::StrCat(
          prefix, ": port ", port,
          " is in use (is another server running on it?)"));
    case EADDRNOTAVAIL:
      return absl::InvalidArgumentError(absl::StrCat(
          prefix, ": ", host, " is not an address of this machine"));
    case EACCES:
      return absl::PermissionDeniedError(absl::StrCat(
          prefix, ": port ", port, " needs privileges"));
    case 0:
      return absl::InternalError(prefix);
    default:
      return absl::InternalError(
          absl::StrCat(prefix, ": ", std::strerror(bind_errno)));
  }
}

}  // namespace recommender::serving
