// ServerProcess: runs the real server binary (//serving:server) as a child
// process on 127.0.0.1 with a free port, for end-to-end tests.
//
// Not thread-safe. The destructor kills a server still running.
#ifndef TESTS_TESTING_SERVER_PROCESS_H_
#define TESTS_TESTING_SERVER_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"

namespace recommender::testing {

class ServerProcess {
 public:
  // Starts the server with --model_dir and `extra_flags`, and waits until it
  // listens (not until a model is loaded). `binary` is relative to the test's
  // runfiles directory.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::string& model_dir,
      const std::vector<std::string>& extra_flags = {},
      const std::string& binary = "serving/server");

  // Starts as Start does, then waits until health is SERVING: Unavailable
  // (the process killed) if it is not within `timeout`.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> StartServing(
      const std::string& model_dir,
      const std::vector<std::string>& extra_flags = {},
      absl::Duration timeout = absl::Seconds(30));

  ~ServerProcess();

  // "127.0.0.1:PORT".
  const std::string& target() const { return target_; }
  // The gRPC port, as the server wrote it to --port_file.
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  // Replaces the plaintext channel (e.g. with a TLS one carrying a key):
  // channel() and the health checks use it from then on.
  void set_channel(std::shared_ptr<grpc::Channel> channel) {
    channel_ = std::move(channel);
  }

  // grpc.health.v1 status of `service` ("" for the whole server).
  grpc::health::v1::HealthCheckResponse::ServingStatus Health(
      const std::string& service = "") const;

  // Polls health until it is SERVING; false after `timeout`.
  bool WaitUntilServing(absl::Duration timeout = absl::Seconds(30)) const;

  // Sends SIGTERM and waits; returns the exit code (-1 if killed by a
  // signal or not stopped within `timeout`).
  int Terminate(absl::Duration timeout = absl::Seconds(30));

  // Sends `signal_number` without waiting.
  void Signal(int signal_number);

  // Waits for the process to exit and reaps it; its exit code, or -1 if it
  // was killed by a signal or is still running after `timeout` (then it is
  // killed).
  int WaitForExit(absl::Duration timeout = absl::Seconds(30));

  // Sends SIGKILL and reaps the process.
  void Kill();

 private:
  ServerProcess(pid_t pid, int port);

  pid_t pid_;
  int port_;
  std::string target_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace recommender::testing

#endif  // TESTS_TESTING_SERVER_PROCESS_H_
