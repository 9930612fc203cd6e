#include "training/trainer/flag_config_file.h"

#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"

ABSL_FLAG(std::string, config, "",
          "A file of \"flag = value\" lines (see training/flag_config_file.h); "
          "flags on the command line win over it.");

namespace recommender {
namespace {

absl::Status LineError(const std::string& path, int line,
                       absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(path, ":", line, ": ", message));
}

}  // namespace

absl::Status ApplyFlagConfigFile(const std::string& path) {
  ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  const std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    const int number = static_cast<int>(i) + 1;
    absl::string_view line = lines[i];
    const size_t hash = line.find('#');
    if (hash != absl::string_view::npos) line = line.substr(0, hash);
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    const size_t separator = line.find_first_of("=:");
    if (separator == absl::string_view::npos) {
      return LineError(path, number,
                       absl::StrCat("expected \"name = value\", got \"", line,
                                    "\""));
    }
    const absl::string_view name =
        absl::StripAsciiWhitespace(line.substr(0, separator));
    absl::string_view value =
        absl::StripAsciiWhitespace(line.substr(separator + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr || name == "config") {
      return LineError(path, number,
                       absl::StrCat("unknown setting \"", name, "\""));
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return LineError(path, number, absl::StrCat(name, ": ", error));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<char*>> ParseCommandLineWithConfigFile(
    int argc, char** argv) {
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (absl::StartsWith(arg, "--config=") ||
        absl::StartsWith(arg, "-config=")) {
      path = std::string(arg.substr(arg.find('=') + 1));
    } else if ((arg == "--config" || arg == "-config") && i + 1 < argc) {
      path = argv[i + 1];
    }
  }
  if (!path.empty()) RETURN_IF_ERROR(ApplyFlagConfigFile(path));
  return absl::ParseCommandLine(argc, argv);
}

}  // namespace recommender
