// The recommendation server: serves recommender.v1.Recommender over gRPC
// from the newest model snapshot in --model_dir, with gRPC health checking
// and server reflection. SIGTERM or SIGINT drains and stops it.
//
//   bazel run //serving:server -- --model_dir=MODELS --port=50051
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "recommender/live/live_events.h"
#include "recommender/model/model_manager.h"
#include "recommender/util/file_util.h"
#include "serving/admin_http_server.h"
#include "serving/diagnostics_service.h"
#include "serving/health_reporter.h"
#include "serving/json_log.h"
#include "serving/metrics.h"
#include "serving/metrics_interceptor.h"
#include "serving/recommender_service.h"
#include "serving/server_metrics.h"

extern "C" void openblas_set_num_threads(int num_threads);

ABSL_FLAG(std::string, model_dir, "",
          "Folder of model versions (model_dir/<version>/); the newest "
          "loadable one is served and newer ones are picked up.");
ABSL_FLAG(std::string, host, "127.0.0.1",
          "Address to listen on; 0.0.0.0 for every interface.");
ABSL_FLAG(int32_t, port, 50051, "Port to listen on; 0 picks a free one.");
ABSL_FLAG(std::string, port_file, "",
          "If set, the port actually bound is written to this file.");
ABSL_FLAG(int32_t, threads, 64,
          "Maximum gRPC request threads. Every call in flight holds one, "
          "also while it waits: for the event log's fsync (RecordEvents; "
          "group commit needs many waiting together) or for a slow reader "
          "(a campaign's BatchRecommend). Past it, calls get "
          "RESOURCE_EXHAUSTED.");
ABSL_FLAG(double, poll_interval_seconds, 10,
          "How often to look for a new model version.");
ABSL_FLAG(std::string, event_log_dir, "",
          "Folder of the live event log. If set, RecordEvents is on: "
          "acknowledged events are appended here (fsync), replayed at start, "
          "and change answers at once; the trainer reads them with "
          "--event_log_dir too.");
ABSL_FLAG(bool, event_log_sync, true,
          "fdatasync every group commit of the event log. Turning it off "
          "loses acknowledged events in a power failure; for measurements "
          "only.");
ABSL_FLAG(int32_t, max_request_bytes, 8 << 20,
          "Largest request message accepted; larger ones are refused with "
          "RESOURCE_EXHAUSTED.");
ABSL_FLAG(std::string, clock, "wall",
          "What \"now\" is for requests that do not say (as_of): wall (the "
          "system clock) or data_end (the loaded model's newest training "
          "event; for demos and replays of old data).");
ABSL_FLAG(int32_t, admin_port, -1,
          "HTTP port for /metrics (Prometheus text format) and /healthz; "
          "-1: off, 0: pick a free one.");
ABSL_FLAG(std::string, admin_port_file, "",
          "If set, the admin port actually bound is written to this file.");
ABSL_FLAG(double, drain_notice_seconds, 0,
          "On SIGTERM, health turns NOT_SERVING at once but calls are still "
          "accepted for this long, so that load balancers polling health "
          "stop sending before new calls are refused. Set it to their "
          "health-check period.");
ABSL_FLAG(double, drain_seconds, 5,
          "On SIGTERM, after the notice, new calls are refused (UNAVAILABLE) "
          "and in-flight calls (a campaign's BatchRecommend included) may "
          "take this long to finish before they are cancelled.");

namespace recommender::serving {
namespace {

constexpr char kServiceName[] = "recommender.v1.Recommender";

// SIGTERM and SIGINT are turned into a byte on this pipe, so that one
// thread can wait for them whatever thread the kernel delivers them to
// (libraries such as OpenBLAS start threads before main).
int shutdown_pipe[2] = {-1, -1};

void OnShutdownSignal(int signal_number) {
  const char byte = static_cast<char>(signal_number);
  const ssize_t ignored = ::write(shutdown_pipe[1], &byte, 1);
  (void)ignored;
}

// Installs the handlers; false if that fails.
bool CatchShutdownSignals() {
  if (::pipe(shutdown_pipe) != 0) return false;
  struct sigaction action = {};
  action.sa_handler = OnShutdownSignal;
  sigemptyset(&action.sa_mask);
  return ::sigaction(SIGTERM, &action, nullptr) == 0 &&
         ::sigaction(SIGINT, &action, nullptr) == 0;
}

// Blocks until a shutdown signal arrives; returns its number.
int WaitForShutdownSignal() {
  char byte = 0;
  while (::read(shutdown_pipe[0], &byte, 1) < 0 && errno == EINTR) {
  }
  return byte;
}

// The admin port's pages: /metrics and /healthz (503 while not serving).
HttpResponse AdminResponse(const std::string& path, const Metrics& metrics,
                           const HealthReporter& health) {
  if (path == "/metrics") {
    return {200, "text/plain; version=0.0.4; charset=utf-8", metrics.Render()};
  }
  if (path == "/healthz") {
    return health.serving() ? HttpResponse{200, "text/plain", "SERVING\n"}
                            : HttpResponse{503, "text/plain", "NOT_SERVING\n"};
  }
  return {404, "text/plain", "not found: try /metrics or /healthz\n"};
}

absl::Status WritePortFile(const std::string& path, int port) {
  const std::string temp = absl::StrCat(path, ".tmp");
  if (absl::Status s = WriteFileDurably(temp, absl::StrCat(port, "\n"));
      !s.ok()) {
    return s;
  }
  return RenamePath(temp, path);
}

// Opens the event log and replays what the model in service (trained
// through `model_sequence`, if one is loaded) has not seen.
absl::StatusOr<std::unique_ptr<LiveEvents>> OpenLiveEvents(
    const std::string& dir, std::optional<uint64_t> model_sequence) {
  LiveEvents::Options options;
  options.log.sync = absl::GetFlag(FLAGS_event_log_sync);
  events::EventLogReadSummary recovered;
  absl::StatusOr<std::unique_ptr<LiveEvents>> live =
      LiveEvents::Open(dir, options, model_sequence, &recovered);
  if (!live.ok()) return live.status();
  LogInfo("event log replayed",
          {{"dir", dir},
           {"records", absl::StrCat(recovered.records)},
           {"events", absl::StrCat(recovered.events)},
           {"last_sequence", absl::StrCat(recovered.last_sequence)},
           {"torn_tail_bytes_dropped", absl::StrCat(recovered.torn_tail_bytes)},
           {"live_customers",
            absl::StrCat((*live)->state().stats().customers)}});
  return live;
}

int Run() {
  const std::string model_dir = absl::GetFlag(FLAGS_model_dir);
  if (model_dir.empty()) {
    std::cerr << "server: --model_dir is required\n";
    return 2;
  }
  const absl::StatusOr<ClockMode> clock =
      ParseClockMode(absl::GetFlag(FLAGS_clock));
  if (!clock.ok()) {
    std::cerr << "server: --" << clock.status().message() << "\n";
    return 2;
  }
  // Concurrency comes from request threads; FAISS's own OpenMP team is
  // limited per search, and OpenBLAS must not start a pool of its own.
  openblas_set_num_threads(1);

  if (!CatchShutdownSignals()) {
    LogError("cannot install signal handlers");
    return 1;
  }

  HealthReporter health(kServiceName);
  // Set once the event log is open, before polling starts.
  LiveEvents* live_events = nullptr;
  std::atomic<int64_t> model_loads{0};
  ModelManager::Listener listener;
  listener.on_loaded = [&health, &live_events,
                        &model_loads](const ModelSnapshot& model) {
    ++model_loads;
    LogInfo("model loaded",
            {{"version", absl::StrCat(model.version())},
             {"items", absl::StrCat(model.num_items())},
             {"customers", absl::StrCat(model.num_customers())},
             {"event_log_sequence",
              absl::StrCat(model.manifest().event_log_sequence())}});
    if (live_events != nullptr) {
      live_events->ModelLoaded(model.manifest().event_log_sequence());
    }
    health.SetModelLoaded(true);
  };
  listener.on_failed = [](int64_t version, const absl::Status& error) {
    LogError("model version refused; keeping the current one",
             {{"version", absl::StrCat(version)},
              {"error", std::string(error.message())}});
  };
  ModelManager models(model_dir, listener);
  if (absl::Status first = models.PollOnce(); !first.ok()) {
    LogError("no model loaded at start",
             {{"error", std::string(first.message())}});
  }

  std::unique_ptr<LiveEvents> live;
  if (const std::string dir = absl::GetFlag(FLAGS_event_log_dir); !dir.empty()) {
    const std::shared_ptr<const ModelSnapshot> current = models.Current();
    absl::StatusOr<std::unique_ptr<LiveEvents>> opened = OpenLiveEvents(
        dir, current == nullptr ? std::nullopt
                                : std::optional<uint64_t>(
                                      current->manifest().event_log_sequence()));
    if (!opened.ok()) {
      LogError("cannot open the event log",
               {{"dir", dir}, {"error", std::string(opened.status().message())}});
      return 1;
    }
    live = *std::move(opened);
    live_events = live.get();
  }

  Metrics metrics;
  RegisterServerMetrics(&models, live.get(), &model_loads, &metrics);
  std::unique_ptr<AdminHttpServer> admin;
  if (const int admin_port = absl::GetFlag(FLAGS_admin_port); admin_port >= 0) {
    absl::StatusOr<std::unique_ptr<AdminHttpServer>> started =
        AdminHttpServer::Start(
            absl::GetFlag(FLAGS_host), admin_port,
            [&metrics, &health](const std::string& path) {
              return AdminResponse(path, metrics, health);
            });
    if (!started.ok()) {
      LogError("cannot start the admin port",
               {{"error", std::string(started.status().message())}});
      return 1;
    }
    admin = *std::move(started);
    const std::string admin_port_file = absl::GetFlag(FLAGS_admin_port_file);
    if (!admin_port_file.empty()) {
      if (absl::Status s = WritePortFile(admin_port_file, admin->port());
          !s.ok()) {
        LogError("cannot write admin port file",
                 {{"error", std::string(s.message())}});
        return 1;
      }
    }
    LogInfo("admin port listening", {{"port", absl::StrCat(admin->port())}});
  }

  RecommenderService service(&models, live.get(), *clock);
  DiagnosticsService diagnostics;
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  grpc::ResourceQuota quota("recommender");
  quota.SetMaxThreads(std::max(2, absl::GetFlag(FLAGS_threads)));
  builder.SetResourceQuota(quota);
  builder.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_request_bytes));
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<MetricsInterceptorFactory>(&metrics));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  int bound_port = 0;
  const std::string address = absl::StrCat(absl::GetFlag(FLAGS_host), ":",
                                           absl::GetFlag(FLAGS_port));
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(),
                           &bound_port);
  builder.RegisterService(&service);
  builder.RegisterService(&diagnostics);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || bound_port == 0) {
    LogError("cannot listen", {{"address", address}});
    return 1;
  }
  health.Attach(server.get());
  health.SetModelLoaded(models.Current() != nullptr);
  const std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty()) {
    if (absl::Status s = WritePortFile(port_file, bound_port); !s.ok()) {
      LogError("cannot write port file", {{"error", std::string(s.message())}});
      return 1;
    }
  }
  LogInfo("listening", {{"address", absl::StrCat(absl::GetFlag(FLAGS_host),
                                                 ":", bound_port)}});
  models.StartPolling(
      absl::Seconds(absl::GetFlag(FLAGS_poll_interval_seconds)));

  // Graceful drain: health NOT_SERVING; calls still accepted during the
  // notice; then new calls refused while in-flight ones finish (up to
  // --drain_seconds, then cancelled).
  std::thread signal_waiter([&] {
    const int signal_number = WaitForShutdownSignal();
    const double notice = absl::GetFlag(FLAGS_drain_notice_seconds);
    const double drain = absl::GetFlag(FLAGS_drain_seconds);
    LogInfo("draining", {{"signal", absl::StrCat(signal_number)},
                         {"notice_seconds", absl::StrCat(notice)},
                         {"drain_seconds", absl::StrCat(drain)}});
    health.StartDraining();
    if (notice > 0) absl::SleepFor(absl::Seconds(notice));
    LogInfo("refusing new calls; waiting for in-flight ones");
    server->Shutdown(std::chrono::system_clock::now() +
                     std::chrono::milliseconds(
                         static_cast<int64_t>(1000 * std::max(0.0, drain))));
  });
  server->Wait();
  signal_waiter.join();
  models.Stop();
  LogInfo("stopped");
  return 0;
}

}  // namespace
}  // namespace recommender::serving

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves recommendations over gRPC from the newest model in --model_dir.");
  absl::ParseCommandLine(argc, argv);
  return recommender::serving::Run();
}
