// Which TCP ports a process listens on, read from Linux's /proc (the
// process's socket inodes in /proc/PID/fd, matched against the LISTEN
// entries of /proc/net/tcp and /proc/net/tcp6), for tests that check a
// server owns exactly the ports it says it owns.
//
// Thread-safe: reads files only.
#ifndef TESTS_TESTING_LISTENING_PORTS_H_
#define TESTS_TESTING_LISTENING_PORTS_H_

#include <sys/types.h>

#include <set>

#include "absl/status/statusor.h"

namespace recommender::testing {

// The ports `pid`'s listening TCP sockets (IPv4 and IPv6) are bound to.
// NotFound if the process's fd folder cannot be read.
absl::StatusOr<std::set<int>> ListeningPorts(pid_t pid);

}  // namespace recommender::testing

#endif  // TESTS_TESTING_LISTENING_PORTS_H_
