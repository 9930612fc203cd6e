#include "serving/json_log.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace recommender::serving {
namespace {

void Log(absl::string_view level, absl::string_view message,
         std::initializer_list<LogField> fields) {
  std::string line = absl::StrCat(
      "{\"time\":",
      JsonQuote(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                 absl::UTCTimeZone())),
      ",\"level\":", JsonQuote(level), ",\"msg\":", JsonQuote(message));
  for (const LogField& field : fields) {
    absl::StrAppend(&line, ",", JsonQuote(field.first), ":",
                    JsonQuote(field.second));
  }
  line += "}\n";
  const ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace

void LogInfo(absl::string_view message, std::initializer_list<LogField> fields) {
  Log("info", message, fields);
}

void LogError(absl::string_view message,
              std::initializer_list<LogField> fields) {
  Log("error", message, fields);
}

}  // namespace recommender::serving
