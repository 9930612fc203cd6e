#include "serving/json_log.h"

#include <unistd.h>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace recommender::serving {
namespace {

void Log(absl::string_view level, absl::string_view message,
         std::initializer_list<LogField> fields) {
  const std::string line = FormatLogLine(
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                       absl::UTCTimeZone()),
      level, message, fields);
  const ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace

std::string FormatLogLine(absl::string_view time, absl::string_view level,
                          absl::string_view message,
                          std::initializer_list<LogField> fields) {
  nlohmann::ordered_json line = {{"time", std::string(time)},
                                 {"level", std::string(level)},
                                 {"msg", std::string(message)}};
  for (const LogField& field : fields) {
    line[std::string(field.first)] = field.second;
  }
  return line.dump(-1, ' ', false,
                   nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

void LogInfo(absl::string_view message, std::initializer_list<LogField> fields) {
  Log("info", message, fields);
}

void LogError(absl::string_view message,
              std::initializer_list<LogField> fields) {
  Log("error", message, fields);
}

}  // namespace recommender::serving
