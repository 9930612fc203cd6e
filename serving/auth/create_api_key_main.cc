// Creates an API key for the server's --keys_file: prints the key (the
// "<key id>.<secret>" token a client sends as "authorization: Bearer ...")
// once on stdout, and appends the key's hashed line to the keys file
// (created with mode 0600 if missing). The secret is not stored anywhere;
// a lost key is replaced by a new one. The server picks the new line up
// within seconds, without a restart.
//
//   bazel run //serving/auth:create_api_key -- --keys_file=/srv/keys.txt
//       --key_id=shop-web --roles=storefront
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "recommender/util/file_util.h"
#include "serving/auth/api_keys.h"
#include "serving/auth/roles.h"

ABSL_FLAG(std::string, keys_file, "", "The server's keys file; required.");
ABSL_FLAG(std::string, key_id, "",
          "Names the key in the audit log: 1 to 64 of A-Z a-z 0-9 _ -; "
          "unique in the file.");
ABSL_FLAG(std::string, roles, "",
          "Comma-separated: storefront, orders, campaign, monitoring, admin.");

namespace recommender::serving::auth {
namespace {

// Appends `line` to `path` with one write, creating the file 0600.
bool AppendLine(const std::string& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::cerr << "create_api_key: cannot open " << path << ": "
              << std::strerror(errno) << "\n";
    return false;
  }
  const bool written =
      ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!written) std::cerr << "create_api_key: cannot write " << path << "\n";
  return written;
}

int Run() {
  const std::string path = absl::GetFlag(FLAGS_keys_file);
  if (path.empty()) {
    std::cerr << "create_api_key: --keys_file is required\n";
    return 2;
  }
  absl::StatusOr<RoleSet> roles = RoleSet::Parse(absl::GetFlag(FLAGS_roles));
  if (!roles.ok()) {
    std::cerr << "create_api_key: --roles: " << roles.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<NewApiKey> made = MakeApiKey(absl::GetFlag(FLAGS_key_id), *roles);
  if (!made.ok()) {
    std::cerr << "create_api_key: " << made.status().message() << "\n";
    return 2;
  }
  // The file must stay valid: refuse an id it has, or a file it cannot parse.
  std::string existing;
  if (PathExists(path)) {
    absl::StatusOr<std::string> text = ReadFileToString(path);
    if (!text.ok()) {
      std::cerr << "create_api_key: " << text.status().message() << "\n";
      return 1;
    }
    existing = *std::move(text);
  }
  const std::string prefix =
      existing.empty() || existing.back() == '\n' ? "" : "\n";
  absl::StatusOr<std::vector<ApiKey>> parsed =
      ParseKeyFile(existing + prefix + FormatKeyLine(made->key), path);
  if (!parsed.ok()) {
    std::cerr << "create_api_key: " << parsed.status().message() << "\n";
    return 1;
  }
  if (!AppendLine(path, prefix + FormatKeyLine(made->key))) return 1;
  std::cout << made->token << "\n";
  std::cerr << "create_api_key: key " << made->key.id << " ("
            << roles->ToString(", ") << ") added to " << path
            << "; the line above is the key, shown only now\n";
  return 0;
}

}  // namespace
}  // namespace recommender::serving::auth

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Creates an API key: prints it once, appends its hash to --keys_file.");
  absl::ParseCommandLine(argc, argv);
  return recommender::serving::auth::Run();
}
