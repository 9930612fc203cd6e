#include "tests/testing/listening_ports.h"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace recommender::testing {
namespace {

constexpr char kListenState[] = "0A";

// Inodes of the sockets among `pid`'s open files.
absl::StatusOr<absl::flat_hash_set<std::string>> SocketInodes(pid_t pid) {
  const std::string dir = absl::StrCat("/proc/", pid, "/fd");
  DIR* fds = ::opendir(dir.c_str());
  if (fds == nullptr) return absl::NotFoundError(absl::StrCat("cannot read ", dir));
  absl::flat_hash_set<std::string> inodes;
  while (const dirent* entry = ::readdir(fds)) {
    char target[256];
    const std::string link = absl::StrCat(dir, "/", entry->d_name);
    const ssize_t n = ::readlink(link.c_str(), target, sizeof(target) - 1);
    if (n <= 0) continue;
    const std::string text(target, static_cast<size_t>(n));
    // "socket:[12345]"
    if (absl::StartsWith(text, "socket:[") && absl::EndsWith(text, "]")) {
      inodes.insert(text.substr(8, text.size() - 9));
    }
  }
  ::closedir(fds);
  return inodes;
}

// Adds the ports of LISTEN entries in `table` whose inode is in `inodes`.
void AddListeningPorts(const std::string& table,
                       const absl::flat_hash_set<std::string>& inodes,
                       std::set<int>* ports) {
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // The header.
  while (std::getline(in, line)) {
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    const std::vector<std::string> columns =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (columns.size() < 10 || columns[3] != kListenState ||
        !inodes.contains(columns[9])) {
      continue;
    }
    const std::vector<std::string> address = absl::StrSplit(columns[1], ':');
    int port = 0;
    if (address.size() == 2 && absl::SimpleHexAtoi(address[1], &port)) {
      ports->insert(port);
    }
  }
}

}  // namespace

absl::StatusOr<std::set<int>> ListeningPorts(pid_t pid) {
  absl::StatusOr<absl::flat_hash_set<std::string>> inodes = SocketInodes(pid);
  if (!inodes.ok()) return inodes.status();
  std::set<int> ports;
  AddListeningPorts("/proc/net/tcp", *inodes, &ports);
  AddListeningPorts("/proc/net/tcp6", *inodes, &ports);
  return ports;
}

}  // namespace recommender::testing
