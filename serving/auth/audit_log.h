// AuditLog: who did what, one JSON object per line, for admin and campaign
// calls, erasures and every refused call:
//
//   {"time":"2026-11-23T09:00:00.123Z","key_id":"ops-1","roles":"admin",
//    "method":"/recommender.v1.Recommender/DeleteCustomer","outcome":"OK",
//    "peer":"ipv4:10.0.0.7:51234","seconds":0.004,"counts":{"messages_out":1}}
//
// It records the caller's key id and roles, never a secret, token or
// request content: counts say how much was asked or answered (customers
// streamed, events removed), never which customers. Lines are appended with
// one write(2) each to a file opened O_APPEND, so concurrent lines never mix
// and a crash loses at most the line being written.
//
// Thread-safe: Record may be called from any thread.
#ifndef SERVING_AUTH_AUDIT_LOG_H_
#define SERVING_AUTH_AUDIT_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace recommender::serving::auth {

struct AuditEntry {
  absl::Time time;
  // Empty: no key (refused before one was checked, or keys are off).
  std::string key_id;
  std::string roles;
  std::string method;
  // The status code's name: "OK", "PERMISSION_DENIED", ...
  std::string outcome;
  // Why a call was refused (our own words, never request content); empty
  // for calls that ran.
  std::string reason;
  std::string peer;
  double seconds = 0;
  std::vector<std::pair<std::string, int64_t>> counts;
};

class AuditLog {
 public:
  // Appends to `path` (created with mode 0600); an empty path writes to
  // stderr. Errors of open(2) naming the path.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(const std::string& path);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  void Record(const AuditEntry& entry);

 private:
  AuditLog(int fd, bool owned) : fd_(fd), owned_(owned) {}
  const int fd_;
  const bool owned_;
};

// The line Record writes (with its '\n').
std::string FormatAuditLine(const AuditEntry& entry);

}  // namespace recommender::serving::auth

#endif  // SERVING_AUTH_AUDIT_LOG_H_
