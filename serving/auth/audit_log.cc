#include "serving/auth/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace recommender::serving::auth {

std::string FormatAuditLine(const AuditEntry& entry) {
  nlohmann::ordered_json line = {
      {"time", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", entry.time,
                                absl::UTCTimeZone())},
      {"key_id", entry.key_id},
      {"roles", entry.roles},
      {"method", entry.method},
      {"outcome", entry.outcome}};
  if (!entry.reason.empty()) line["reason"] = entry.reason;
  line["peer"] = entry.peer;
  line["seconds"] = entry.seconds;
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (const auto& [name, value] : entry.counts) counts[name] = value;
  line["counts"] = counts;
  return line.dump(-1, ' ', false,
                   nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(
    const std::string& path) {
  if (path.empty()) {
    return std::unique_ptr<AuditLog>(new AuditLog(STDERR_FILENO, false));
  }
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "audit_log: cannot open ", path, ": ", std::strerror(errno)));
  }
  return std::unique_ptr<AuditLog>(new AuditLog(fd, true));
}

AuditLog::~AuditLog() {
  if (owned_) ::close(fd_);
}

void AuditLog::Record(const AuditEntry& entry) {
  const std::string line = FormatAuditLine(entry);
  const ssize_t ignored = ::write(fd_, line.data(), line.size());
  (void)ignored;
}

}  // namespace recommender::serving::auth
