#include "tests/testing/server_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "recommender/util/file_util.h"

namespace recommender::testing {
namespace {

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

// Waits for `pid` to exit within `timeout`; its wait status, or -1.
int WaitForExitStatus(pid_t pid, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0) return -1;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return -1;
}

}  // namespace

ServerProcess::ServerProcess(pid_t pid, int port)
    : pid_(pid),
      port_(port),
      target_(absl::StrCat("127.0.0.1:", port)),
      channel_(grpc::CreateChannel(target_,
                                   grpc::InsecureChannelCredentials())) {}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::string& model_dir, const std::vector<std::string>& extra_flags,
    const std::string& binary) {
  static int counter = 0;
  const std::string port_file =
      JoinPath(TempDir(), absl::StrCat("server-", ::getpid(), "-", ++counter,
                                       ".port"));
  RemoveAll(port_file).IgnoreError();
  std::vector<std::string> args = {binary,
                                   absl::StrCat("--model_dir=", model_dir),
                                   "--port=0",
                                   absl::StrCat("--port_file=", port_file),
                                   "--poll_interval_seconds=0.2",
                                   "--drain_seconds=2"};
  args.insert(args.end(), extra_flags.begin(), extra_flags.end());
  const pid_t pid = ::fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    absl::StatusOr<std::string> text = ReadFileToString(port_file);
    int port = 0;
    if (text.ok() &&
        absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &port) &&
        port > 0) {
      return std::unique_ptr<ServerProcess>(new ServerProcess(pid, port));
    }
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      return absl::InternalError(
          absl::StrCat(binary, " exited early with status ", status));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return absl::DeadlineExceededError(
      absl::StrCat(binary, " did not write its port file"));
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::StartServing(
    const std::string& model_dir, const std::vector<std::string>& extra_flags,
    absl::Duration timeout) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      Start(model_dir, extra_flags);
  if (server.ok() && !(*server)->WaitUntilServing(timeout)) {
    return absl::UnavailableError(absl::StrCat(
        "the server on ", (*server)->target(), " did not serve within ",
        absl::FormatDuration(timeout)));
  }
  return server;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
}

grpc::health::v1::HealthCheckResponse::ServingStatus ServerProcess::Health(
    const std::string& service) const {
  auto stub = grpc::health::v1::Health::NewStub(channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(2));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  if (!stub->Check(&context, request, &response).ok()) {
    return grpc::health::v1::HealthCheckResponse::UNKNOWN;
  }
  return response.status();
}

bool ServerProcess::WaitUntilServing(absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (Health() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return false;
}

int ServerProcess::Terminate(absl::Duration timeout) {
  if (pid_ <= 0) return -1;
  Signal(SIGTERM);
  return WaitForExit(timeout);
}

void ServerProcess::Signal(int signal_number) {
  if (pid_ > 0) ::kill(pid_, signal_number);
}

int ServerProcess::WaitForExit(absl::Duration timeout) {
  if (pid_ <= 0) return -1;
  const int status = WaitForExitStatus(pid_, timeout);
  if (status == -1) {
    Kill();
    return -1;
  }
  pid_ = 0;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = 0;
}

}  // namespace recommender::testing
