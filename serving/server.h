// Server: the whole recommendation server as one object, after TF Serving's
// model_servers/server.h. It owns the model manager (polling model_dir), the
// live event log, the campaign manager (saved segments, the campaign log),
// the gRPC server with its services (recommender.v1 Recommender, Operations
// and Diagnostics if enabled, grpc.health.v1 health, server reflection), the
// metrics, the admin HTTP port, the HTTP/JSON gateway with the web pages
// (serving/http/), which calls the same service objects, and what guards
// every port (ServerSecurity: TLS, API keys, customer tokens, audit log,
// rate limits; one Authorizer for gRPC, the gateway and the admin port).
// Once a new model serves it removes model versions beyond
// Options::keep_snapshots and compacts the event log (erased customers'
// events, and by policy what the model was trained on) and the campaign and
// experiment logs (erased customers' sends, opt-outs and exposures; also at
// start). server_main.cc
// turns flags into Options and signals into Shutdown(); tests and
// benchmarks may start the same Server in process.
//
//   Server server;
//   absl::Status started = server.BuildAndStart(options);
//   if (!started.ok()) ...;
//   // Another thread, on SIGTERM: server.Shutdown();
//   server.Wait();
//
// One owner per port: the gRPC port is bound without SO_REUSEPORT and with
// one listening socket (port 0 picks one free port, the one port() and
// Options::port_file name); a port already taken is an error naming it.
//
// Thread-safe: Shutdown() may be called from any thread, once or more, also
// while another thread is in Wait(). BuildAndStart is called once.
#ifndef SERVING_SERVER_H_
#define SERVING_SERVER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "recommender/campaigns/campaign_manager.h"
#include "recommender/erasure/erased_customers.h"
#include "recommender/live/live_events.h"
#include "recommender/model/model_manager.h"
#include "recommender/ranking/candidate_cache.h"
#include "serving/admin_http_server.h"
#include "serving/as_of.h"
#include "serving/call_gate.h"
#include "serving/diagnostics_service.h"
#include "serving/health_reporter.h"
#include "serving/http/http_gateway.h"
#include "serving/metrics.h"
#include "serving/model_load_history.h"
#include "serving/operations_service.h"
#include "serving/recommender_service.h"
#include "serving/serving_probe.h"
#include "serving/server_security.h"

namespace recommender::serving {

class Server {
 public:
  // The server's settings; server_main.cc's flags of the same names say
  // more about each.
  struct Options {
    // Folder of model versions (model_dir/<version>/). Required.
    std::string model_dir;
    // Address to listen on (gRPC and admin port).
    std::string host = "127.0.0.1";
    // gRPC port; 0 picks a free one.
    int port = 50051;
    // If set, the gRPC port actually bound is written here, once every
    // port is listening.
    std::string port_file;
    // Maximum gRPC request threads (at least 2 are used).
    int threads = 64;
    // Campaign streams (BatchRecommend) at once, at most threads / 2 so
    // that the rest stay for unary calls; more are RESOURCE_EXHAUSTED.
    int max_streams = 16;
    // A stream whose client reads nothing for this long is ended.
    absl::Duration stream_write_timeout = absl::Seconds(30);
    // How often the server checks that it answers calls (ServingProbe);
    // zero: never.
    absl::Duration probe_interval = absl::Seconds(1);
    // How often to look for a new model version.
    absl::Duration poll_interval = absl::Seconds(10);
    // Folder of the live event log; empty: RecordEvents is off.
    std::string event_log_dir;
    // fdatasync every group commit of the event log.
    bool event_log_sync = true;
    // Folder of the campaign log (campaigns, sends, opt-outs); empty:
    // campaign calls are FAILED_PRECONDITION.
    std::string campaign_log_dir;
    // fdatasync every append to the campaign log.
    bool campaign_log_sync = true;
    // Saved segments ("name: expression" per line); empty: only the
    // built-in RFM segments.
    std::string segments_file;
    // The contact-frequency cap of campaign exports: at most max_contacts
    // campaigns per contact_window_days days (0: no cap).
    int max_contacts = 1;
    int contact_window_days = 7;
    // Bound on customers held in the live state (least recently updated
    // forgotten first); 0: no bound.
    int64_t max_live_customers = 1000000;
    // Largest request message accepted.
    int max_request_bytes = 8 << 20;
    // What "now" is for requests that do not say (as_of.h).
    ClockMode clock = ClockMode::kWall;
    // Admin HTTP port for /metrics and /healthz; -1: off, 0: a free one.
    int admin_port = -1;
    // If set, the admin port actually bound is written here.
    std::string admin_port_file;
    // HTTP/JSON gateway with the web pages (serving/http/); -1: off, 0: a
    // free one.
    int http_port = -1;
    // If set, the HTTP port actually bound is written here.
    std::string http_port_file;
    // Connections the HTTP port serves at once.
    int http_threads = 32;
    // Browser origins (shop storefronts) allowed to call the HTTP API.
    std::vector<std::string> cors_origins;
    // On Shutdown: how long health says NOT_SERVING while calls are still
    // accepted, then how long calls in flight may take before they are
    // cancelled.
    absl::Duration drain_notice = absl::ZeroDuration();
    absl::Duration drain = absl::Seconds(5);
    // Per-customer candidate cache (candidate_cache.h): most entries held
    // (0: off) and candidates kept per entry.
    int64_t candidate_cache_entries = 0;
    int candidate_cache_candidates = 64;
    // TLS, keys, audit log, limits; and where the server may listen.
    SecurityOptions security;
    // Registers recommender.v1.Diagnostics (Echo), admin keys only.
    bool enable_diagnostics = false;
    // Model versions kept once a newer one serves (it included); 0 keeps
    // every version.
    int keep_snapshots = 0;
    // Which events the event log's compaction removes besides erased
    // customers'.
    LiveEvents::Retention event_log_retention = LiveEvents::Retention::kAll;
  };

  Server();
  // Shuts down at once (calls in flight are cancelled) if still running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the newest model (a server without one answers UNAVAILABLE and
  // health NOT_SERVING until one arrives), opens the event log, starts the
  // admin port and the gRPC server, writes the port files and starts
  // polling for new model versions. InvalidArgument naming the option for
  // bad options; the event log's errors; ListenError's (listen_error.h) if
  // a port cannot be bound; FailedPrecondition if called twice.
  absl::Status BuildAndStart(const Options& options);

  // Blocks until the gRPC server has stopped (after Shutdown), then stops
  // polling for models. Returns at once if the server never started.
  void Wait();

  // Graceful drain: health NOT_SERVING at once (and for good), calls still
  // accepted for Options::drain_notice, then new calls refused
  // (UNAVAILABLE) while calls in flight get Options::drain to finish;
  // campaign streams still running then end at their next customer with
  // UNAVAILABLE saying how far they got, and what still runs is cancelled.
  // The server stops as soon as no call is left: idle connections do not
  // hold it up. Returns when the gRPC server has stopped. Later calls do
  // nothing.
  void Shutdown();

  // The gRPC port bound (0 until BuildAndStart has bound it).
  int port() const { return port_.load(); }
  // The admin port bound, or -1 if it is off; valid once BuildAndStart has
  // returned.
  int admin_port() const { return admin_ == nullptr ? -1 : admin_->port(); }
  // The HTTP port bound, or -1 if it is off; valid as admin_port().
  int http_port() const { return http_ == nullptr ? -1 : http_->port(); }
  // What health reports: a model is loaded and the server is not draining.
  bool serving() const { return health_.serving(); }

 private:
  // Each returns the step's error; BuildAndStart runs them in order.
  absl::Status LoadModelsAndEvents();
  absl::Status OpenCampaigns();
  absl::Status StartAdminPort();
  absl::Status StartGrpc();
  absl::Status StartHttpPort();
  void StartProbe();
  // After a model starts serving: old versions and the logs' compaction.
  void MaintainStorage(const ModelSnapshot& model);
  // Rewrites the campaign and experiment logs without erased customers.
  void CompactCampaignLogs();
  void Stop(absl::Duration notice, absl::Duration drain);

  Options options_;
  HealthReporter health_;
  const absl::Time started_at_;
  // Shared by the snapshots and the live events.
  const std::shared_ptr<ErasedCustomers> erased_ =
      std::make_shared<ErasedCustomers>();
  std::unique_ptr<ServerSecurity> security_;
  std::atomic<int64_t> model_loads_{0};
  ModelLoadHistory load_history_;
  // Set once the event log is open, before polling starts; read by the
  // model manager's listener.
  std::atomic<LiveEvents*> live_events_{nullptr};
  std::unique_ptr<ModelManager> models_;
  std::unique_ptr<LiveEvents> live_;
  // Set before the first model loads; cleared by the listener on each load.
  std::unique_ptr<CandidateCache> candidate_cache_;
  std::unique_ptr<campaigns::CampaignManager> campaigns_;
  Metrics metrics_;
  std::unique_ptr<AdminHttpServer> admin_;
  std::unique_ptr<CallGate> gate_;
  std::unique_ptr<RecommenderService> service_;
  std::unique_ptr<OperationsService> operations_;
  DiagnosticsService diagnostics_;
  // Lets the serving probe call Echo when diagnostics are off.
  const std::string probe_secret_ = NewProbeSecret();
  std::unique_ptr<grpc::Server> grpc_server_;
  std::unique_ptr<HttpGateway> http_;
  std::unique_ptr<ServingProbe> probe_;
  std::atomic<int> port_{0};

  absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace recommender::serving

#endif  // SERVING_SERVER_H_
