// The recommendation server: serves recommender.v1.Recommender over gRPC
// from the newest model snapshot in --model_dir, with gRPC health checking
// and server reflection, and with --http_port the same calls as JSON over
// HTTP with the storefront widget and the dashboard. SIGTERM or SIGINT drains and stops it. The flags
// become Server::Options (serving/server.h), which does the rest.
//
//   bazel run //serving:server -- --model_dir=MODELS --port=50051
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "serving/allocator_settings.h"
#include "serving/as_of.h"
#include "serving/json_log.h"
#include "serving/server.h"

extern "C" void openblas_set_num_threads(int num_threads);

ABSL_FLAG(std::string, model_dir, "",
          "Folder of model versions (model_dir/<version>/); the newest "
          "loadable one is served and newer ones are picked up.");
ABSL_FLAG(std::string, host, "127.0.0.1",
          "Address to listen on; 0.0.0.0 for every interface.");
ABSL_FLAG(int32_t, port, 50051,
          "Port to listen on; 0 picks a free one. A port another process "
          "listens on is an error (no port sharing).");
ABSL_FLAG(std::string, port_file, "",
          "If set, the port actually bound is written to this file.");
ABSL_FLAG(int32_t, threads, 64,
          "Maximum gRPC request threads. Every call in flight holds one, "
          "also while it waits: for the event log's fsync (RecordEvents; "
          "group commit needs many waiting together) or for a slow reader "
          "(a campaign's BatchRecommend). Past it, calls get "
          "RESOURCE_EXHAUSTED.");
ABSL_FLAG(int32_t, max_streams, 16,
          "Campaign streams (BatchRecommend) served at once, at most "
          "--threads / 2; one more is refused with RESOURCE_EXHAUSTED, so "
          "that slow or stalled campaign readers never take the threads "
          "unary calls need.");
ABSL_FLAG(double, stream_write_timeout_seconds, 30,
          "A campaign stream whose client reads nothing for this long is "
          "ended (DEADLINE_EXCEEDED), freeing its request thread.");
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
ABSL_FLAG(std::string, campaign_log_dir, "",
          "Folder of the campaign log. If set, campaigns are on "
          "(CreateCampaign, BatchRecommend's campaign export, "
          "GetCampaignReport, UpdateOptOuts): campaigns, who was sent what "
          "and opt-outs are appended here (fsync) and replayed at start.");
ABSL_FLAG(bool, campaign_log_sync, true,
          "fdatasync every append to the campaign log; for measurements "
          "only.");
ABSL_FLAG(std::string, segments_file, "",
          "Saved segments, one \"name: expression\" per line (# comments), "
          "usable wherever a segment is asked for (docs/campaigns.md).");
ABSL_FLAG(int32_t, max_contacts, 1,
          "Contact-frequency cap of campaign exports: a customer is mailed "
          "by at most this many campaigns per --contact_window_days days "
          "(0: no cap).");
ABSL_FLAG(int32_t, contact_window_days, 7,
          "The window of --max_contacts, in days (1 to 365).");
ABSL_FLAG(int64_t, max_live_customers, 1000000,
          "Most customers whose live events are held in memory (about 150 "
          "bytes each plus their events); past it the least recently updated "
          "is forgotten until the next model is trained on the log. 0: no "
          "bound.");
ABSL_FLAG(int32_t, malloc_arenas, -1,
          "Caps malloc's arenas and fixes its mmap threshold, so that freed "
          "models and stream buffers go back to the system "
          "(allocator_settings.h). -1: one arena per core; 0: glibc's "
          "defaults (up to 8 arenas per core, a rising threshold).");
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
ABSL_FLAG(int32_t, http_port, -1,
          "HTTP port of the JSON gateway (every RPC as JSON under /v1/, "
          "calling the same service in process), the storefront widget "
          "(/widget/shop-recommendations.js), a demo storefront (/demo/) and "
          "the operators' dashboard (/admin/); -1: off, 0: pick a free one.");
ABSL_FLAG(std::string, http_port_file, "",
          "If set, the HTTP port actually bound is written to this file.");
ABSL_FLAG(int32_t, http_threads, 32,
          "Connections the HTTP port serves at once; more wait in a bounded "
          "queue, then in the kernel's backlog.");
ABSL_FLAG(std::vector<std::string>, cors_origins, {},
          "Comma-separated browser origins allowed to call the HTTP API, "
          "e.g. https://shop.example,https://www.shop.example (the shop's "
          "storefront pages). Requests from other origins are refused.");
ABSL_FLAG(double, drain_notice_seconds, 0,
          "On SIGTERM, health turns NOT_SERVING at once but calls are still "
          "accepted for this long, so that load balancers polling health "
          "stop sending before new calls are refused. Set it to their "
          "health-check period.");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain for TLS on the gRPC, HTTP and admin ports (with "
          "--tls_key). Reread when it changes: renew without a restart.");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert.");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA certificates: if set, clients must present a certificate "
          "signed by one of them (mutual TLS).");
ABSL_FLAG(double, tls_reload_seconds, 60,
          "How often the TLS files are checked for changes.");
ABSL_FLAG(std::string, keys_file, "",
          "API keys (key id, roles, salted hash per line; make them with "
          "//serving/auth:create_api_key). Every call then needs "
          "\"authorization: Bearer <key>\" with a role the method allows; "
          "the file is reloaded when it changes. Without it the server "
          "listens on loopback only, unless --insecure.");
ABSL_FLAG(std::string, customer_token_keys, "",
          "Keys the shop's backend signs customer tokens with (make them "
          "with //serving/auth:mint_customer_token --new_key_file). A "
          "storefront key's calls on the HTTP gateway then answer for the "
          "customer of the X-Customer-Token header only; without one, for "
          "no customer. Empty: the gateway accepts no customer token.");
ABSL_FLAG(bool, insecure, false,
          "Listen on a non-loopback --host without --keys_file: anyone who "
          "reaches the port may call every method. Logged every minute.");
ABSL_FLAG(std::string, audit_log, "",
          "File the audit log's JSON lines are appended to (admin and "
          "campaign calls, erasures, refused calls); empty: stderr.");
ABSL_FLAG(double, rate_limit_per_second, 1000,
          "Calls per second each API key may make on average; 0: no limit. "
          "Over it: RESOURCE_EXHAUSTED saying when to retry.");
ABSL_FLAG(double, rate_limit_burst, 2000,
          "Calls an idle API key may make at once.");
ABSL_FLAG(int32_t, max_streams_per_key, 4,
          "BatchRecommend streams one API key may have open at once; 0: no "
          "cap.");
ABSL_FLAG(bool, enable_diagnostics, false,
          "Serve recommender.v1.Diagnostics/Echo (admin keys only, payloads "
          "up to 1 KiB): the load benchmark's floor.");
ABSL_FLAG(int32_t, keep_snapshots, 0,
          "Once a model version serves, keep it and the newest N-1 older "
          "ones in --model_dir and remove the rest (their files hold every "
          "customer they were trained on, erased ones too); 0 keeps all.");
ABSL_FLAG(std::string, event_log_retention, "all",
          "What the event log keeps once a model serves: all (every event "
          "but erased customers') or untrained (only events no model in "
          "service was trained on; for shops whose exports hold them all).");
ABSL_FLAG(double, drain_seconds, 5,
          "On SIGTERM, after the notice, new calls are refused (UNAVAILABLE) "
          "and in-flight calls (a campaign's BatchRecommend included) may "
          "take this long to finish; a stream still running then ends with "
          "UNAVAILABLE saying how far it got. The server exits as soon as no "
          "call is left.");
ABSL_FLAG(int64_t, candidate_cache_entries, 0,
          "Customers whose scored candidates are kept between calls (LRU); "
          "each entry takes about 8 bytes per candidate plus 4 per "
          "dimension. 0 (the default) turns the cache off: at 100k items no "
          "measured run showed it winning (benchmarks/README.md).");
ABSL_FLAG(int32_t, candidate_cache_candidates, 64,
          "Candidates searched and kept per cached customer; a filter they "
          "cannot satisfy falls back to a search. A miss searches this many "
          "(at least 4 x count + 16), so more makes misses dearer: HNSW "
          "widens its beam to it.");

namespace recommender::serving {
namespace {

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

// The flags as Server::Options; InvalidArgument naming a bad flag.
absl::StatusOr<Server::Options> OptionsFromFlags() {
  Server::Options options;
  options.model_dir = absl::GetFlag(FLAGS_model_dir);
  if (options.model_dir.empty()) {
    return absl::InvalidArgumentError("--model_dir is required");
  }
  absl::StatusOr<ClockMode> clock = ParseClockMode(absl::GetFlag(FLAGS_clock));
  if (!clock.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", clock.status().message()));
  }
  options.clock = *clock;
  options.host = absl::GetFlag(FLAGS_host);
  options.port = absl::GetFlag(FLAGS_port);
  options.port_file = absl::GetFlag(FLAGS_port_file);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.max_streams = absl::GetFlag(FLAGS_max_streams);
  options.stream_write_timeout =
      absl::Seconds(absl::GetFlag(FLAGS_stream_write_timeout_seconds));
  options.poll_interval =
      absl::Seconds(absl::GetFlag(FLAGS_poll_interval_seconds));
  options.event_log_dir = absl::GetFlag(FLAGS_event_log_dir);
  options.event_log_sync = absl::GetFlag(FLAGS_event_log_sync);
  options.campaign_log_dir = absl::GetFlag(FLAGS_campaign_log_dir);
  options.campaign_log_sync = absl::GetFlag(FLAGS_campaign_log_sync);
  options.segments_file = absl::GetFlag(FLAGS_segments_file);
  options.max_contacts = absl::GetFlag(FLAGS_max_contacts);
  options.contact_window_days = absl::GetFlag(FLAGS_contact_window_days);
  options.max_live_customers = absl::GetFlag(FLAGS_max_live_customers);
  options.max_request_bytes = absl::GetFlag(FLAGS_max_request_bytes);
  options.admin_port = absl::GetFlag(FLAGS_admin_port);
  options.admin_port_file = absl::GetFlag(FLAGS_admin_port_file);
  options.http_port = absl::GetFlag(FLAGS_http_port);
  options.http_port_file = absl::GetFlag(FLAGS_http_port_file);
  options.http_threads = absl::GetFlag(FLAGS_http_threads);
  options.cors_origins = absl::GetFlag(FLAGS_cors_origins);
  options.drain_notice = absl::Seconds(absl::GetFlag(FLAGS_drain_notice_seconds));
  options.drain = absl::Seconds(absl::GetFlag(FLAGS_drain_seconds));
  options.candidate_cache_entries =
      absl::GetFlag(FLAGS_candidate_cache_entries);
  options.candidate_cache_candidates =
      absl::GetFlag(FLAGS_candidate_cache_candidates);
  SecurityOptions& security = options.security;
  security.tls.cert = absl::GetFlag(FLAGS_tls_cert);
  security.tls.key = absl::GetFlag(FLAGS_tls_key);
  security.tls.client_ca = absl::GetFlag(FLAGS_tls_client_ca);
  security.tls.reload_interval =
      absl::Seconds(absl::GetFlag(FLAGS_tls_reload_seconds));
  security.keys_file = absl::GetFlag(FLAGS_keys_file);
  security.customer_token_keys = absl::GetFlag(FLAGS_customer_token_keys);
  security.insecure = absl::GetFlag(FLAGS_insecure);
  security.audit_log = absl::GetFlag(FLAGS_audit_log);
  security.rate_limit_per_second = absl::GetFlag(FLAGS_rate_limit_per_second);
  security.rate_limit_burst = absl::GetFlag(FLAGS_rate_limit_burst);
  security.max_streams_per_key = absl::GetFlag(FLAGS_max_streams_per_key);
  if (security.rate_limit_per_second < 0 || security.rate_limit_burst < 1) {
    return absl::InvalidArgumentError(
        "--rate_limit_per_second must be >= 0 and --rate_limit_burst >= 1");
  }
  options.enable_diagnostics = absl::GetFlag(FLAGS_enable_diagnostics);
  options.keep_snapshots = absl::GetFlag(FLAGS_keep_snapshots);
  const std::string retention = absl::GetFlag(FLAGS_event_log_retention);
  if (retention == "all") {
    options.event_log_retention = LiveEvents::Retention::kAll;
  } else if (retention == "untrained") {
    options.event_log_retention = LiveEvents::Retention::kUntrained;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--event_log_retention: must be all or untrained, got \"", retention,
        "\""));
  }
  return options;
}

int Run() {
  absl::StatusOr<Server::Options> options = OptionsFromFlags();
  if (!options.ok()) {
    std::cerr << "server: " << options.status().message() << "\n";
    return 2;
  }
  // Before any thread exists.
  if (const int arenas = absl::GetFlag(FLAGS_malloc_arenas); arenas != 0) {
    const int per_core =
        std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    const absl::Status bounded =
        BoundAllocatorRetention(arenas == -1 ? per_core : arenas);
    if (bounded.code() == absl::StatusCode::kInvalidArgument) {
      std::cerr << "server: " << bounded.message() << "\n";
      return 2;
    }
    if (!bounded.ok()) {
      LogInfo("malloc settings not applied; running with the allocator's own",
                 {{"error", std::string(bounded.message())}});
    }
  }
  // Concurrency comes from request threads; FAISS's own OpenMP team is
  // limited per search, and OpenBLAS must not start a pool of its own.
  openblas_set_num_threads(1);
  if (!CatchShutdownSignals()) {
    LogError("cannot install signal handlers");
    return 1;
  }
  Server server;
  if (absl::Status started = server.BuildAndStart(*options); !started.ok()) {
    LogError("cannot start", {{"error", std::string(started.message())}});
    return 1;
  }
  std::thread signal_waiter([&server] {
    const int signal_number = WaitForShutdownSignal();
    LogInfo("shutdown signal", {{"signal", absl::StrCat(signal_number)}});
    server.Shutdown();
  });
  server.Wait();
  signal_waiter.join();
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
