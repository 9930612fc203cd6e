#include "serving/server.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "proto/diagnostics.grpc.pb.h"
#include "recommender/model/snapshot_retention.h"
#include "recommender/util/file_util.h"
#include "serving/http/json_api.h"
#include "serving/json_log.h"
#include "serving/listen_error.h"
#include "serving/audit_interceptor.h"
#include "serving/metrics_interceptor.h"
#include "serving/request_parse_errors.h"
#include "serving/server_metrics.h"
#include "web/web_files.h"

namespace recommender::serving {
namespace {

constexpr char kServiceName[] = "recommender.v1.Recommender";
constexpr int kMinRequestThreads = 2;
constexpr int kMaxPort = 65535;

// InvalidArgument naming the first bad option.
// More would make one cache miss cost more than several searches.
constexpr int kMaxCacheCandidates = 4096;

absl::Status ValidateOptions(const Server::Options& options) {
  if (options.model_dir.empty()) {
    return absl::InvalidArgumentError("model_dir: required");
  }
  if (options.port < 0 || options.port > kMaxPort) {
    return absl::InvalidArgumentError(
        absl::StrCat("port: must be 0 to ", kMaxPort, ", got ", options.port));
  }
  if (options.admin_port < -1 || options.admin_port > kMaxPort) {
    return absl::InvalidArgumentError(absl::StrCat(
        "admin_port: must be -1 to ", kMaxPort, ", got ", options.admin_port));
  }
  if (options.candidate_cache_entries < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("candidate_cache_entries: must be >= 0, got ",
                     options.candidate_cache_entries));
  }
  if (options.candidate_cache_candidates < 1 ||
      options.candidate_cache_candidates > kMaxCacheCandidates) {
    return absl::InvalidArgumentError(absl::StrCat(
        "candidate_cache_candidates: must be 1 to ", kMaxCacheCandidates,
        ", got ", options.candidate_cache_candidates));
  }
  if (options.max_live_customers < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_live_customers: must be >= 0, got ", options.max_live_customers));
  }
  if (options.http_port < -1 || options.http_port > kMaxPort) {
    return absl::InvalidArgumentError(absl::StrCat(
        "http_port: must be -1 to ", kMaxPort, ", got ", options.http_port));
  }
  if (options.http_threads < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "http_threads: must be >= 1, got ", options.http_threads));
  }
  if (options.threads < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads: must be >= 1, got ", options.threads));
  }
  const int threads = std::max(kMinRequestThreads, options.threads);
  if (options.max_streams < 1 || options.max_streams > threads / 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_streams: must be 1 to threads / 2 (", threads / 2,
        ", so that half the request threads stay for unary calls), got ",
        options.max_streams));
  }
  if (options.stream_write_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "stream_write_timeout_seconds: must be > 0");
  }
  if (options.probe_interval < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("probe_interval: must be >= 0");
  }
  if (options.max_request_bytes < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_request_bytes: must be >= 1, got ", options.max_request_bytes));
  }
  if (options.poll_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("poll_interval_seconds: must be > 0");
  }
  if (options.max_contacts < 0 || options.max_contacts > 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_contacts: must be 0 (no cap) to 100, got ", options.max_contacts));
  }
  if (options.contact_window_days < 1 || options.contact_window_days > 365) {
    return absl::InvalidArgumentError(
        absl::StrCat("contact_window_days: must be 1 to 365, got ",
                     options.contact_window_days));
  }
  if (options.drain_notice < absl::ZeroDuration() ||
      options.drain < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "drain_notice_seconds, drain_seconds: must be >= 0");
  }
  if (options.keep_snapshots < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "keep_snapshots: must be >= 0, got ", options.keep_snapshots));
  }
  return absl::OkStatus();
}

absl::Status WritePortFile(const std::string& path, int port) {
  return ReplaceFileAtomically(path, absl::StrCat(port, "\n"));
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

// Opens the event log and replays what the model in service (trained
// through `model_sequence`, if one is loaded) has not seen.
absl::StatusOr<std::unique_ptr<LiveEvents>> OpenLiveEvents(
    const std::string& dir, bool sync, int64_t max_live_customers,
    std::optional<uint64_t> model_sequence,
    std::shared_ptr<ErasedCustomers> erased) {
  LiveEvents::Options options;
  options.log.sync = sync;
  options.max_live_customers = max_live_customers;
  options.erased = std::move(erased);
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
           {"erased_customers", absl::StrCat((*live)->erased().size())},
           {"live_customers",
            absl::StrCat((*live)->state().stats().customers)}});
  return live;
}

}  // namespace

Server::Server() : health_(kServiceName), started_at_(absl::Now()) {}

Server::~Server() {
  Stop(absl::ZeroDuration(), absl::ZeroDuration());
  Wait();
}

absl::Status Server::BuildAndStart(const Options& options) {
  {
    absl::MutexLock lock(&mu_);
    if (started_) {
      return absl::FailedPreconditionError("the server was started before");
    }
    started_ = true;
  }
  if (absl::Status valid = ValidateOptions(options); !valid.ok()) return valid;
  options_ = options;
  candidate_cache_ = std::make_unique<CandidateCache>(
      CandidateCache::Options{options_.candidate_cache_entries,
                              options_.candidate_cache_candidates});
  InstallProtobufLogHandler();
  gate_ = std::make_unique<CallGate>(CallGate::Options{
      options_.max_streams, options_.stream_write_timeout});
  absl::StatusOr<std::unique_ptr<ServerSecurity>> security =
      ServerSecurity::Start(options_.security, options_.host, &metrics_);
  if (!security.ok()) return security.status();
  security_ = *std::move(security);
  if (absl::Status s = LoadModelsAndEvents(); !s.ok()) return s;
  if (absl::Status s = OpenCampaigns(); !s.ok()) return s;
  RegisterServerMetrics(models_.get(), live_.get(), &model_loads_, &metrics_);
  RegisterCandidateCacheMetrics(candidate_cache_.get(), &metrics_);
  RegisterCallGateMetrics(gate_.get(), &metrics_);
  if (absl::Status s = StartAdminPort(); !s.ok()) return s;
  if (absl::Status s = StartGrpc(); !s.ok()) return s;
  if (absl::Status s = StartHttpPort(); !s.ok()) return s;
  // Written last: once it exists, every port is listening.
  if (!options_.port_file.empty()) {
    if (absl::Status s = WritePortFile(options_.port_file, port_); !s.ok()) {
      return s;
    }
  }
  models_->StartPolling(options_.poll_interval);
  StartProbe();
  return absl::OkStatus();
}

absl::Status Server::LoadModelsAndEvents() {
  ModelManager::Listener listener;
  listener.on_loaded = [this](const ModelSnapshot& model) {
    ++model_loads_;
    load_history_.Loaded(model.version(), absl::Now());
    LogInfo("model loaded",
            {{"version", absl::StrCat(model.version())},
             {"items", absl::StrCat(model.num_items())},
             {"customers", absl::StrCat(model.num_customers())},
             {"event_log_sequence",
              absl::StrCat(model.manifest().event_log_sequence())}});
    if (LiveEvents* live = live_events_.load(); live != nullptr) {
      live->ModelLoaded(model.manifest().event_log_sequence());
    }
    // Entries of the previous model would only miss (their stamp names
    // its version); free their memory at once.
    candidate_cache_->Clear();
    health_.SetModelLoaded(true);
    MaintainStorage(model);
  };
  listener.on_failed = [this](int64_t version, const absl::Status& error) {
    load_history_.Refused(version, absl::Now(), std::string(error.message()));
    LogError("model version refused; keeping the current one",
             {{"version", absl::StrCat(version)},
              {"error", std::string(error.message())}});
  };
  models_ = std::make_unique<ModelManager>(options_.model_dir, listener, erased_);
  if (absl::Status first = models_->PollOnce(); !first.ok()) {
    LogError("no model loaded at start",
             {{"error", std::string(first.message())}});
  }
  if (options_.event_log_dir.empty()) return absl::OkStatus();
  const std::shared_ptr<const ModelSnapshot> current = models_->Current();
  absl::StatusOr<std::unique_ptr<LiveEvents>> opened = OpenLiveEvents(
      options_.event_log_dir, options_.event_log_sync,
      options_.max_live_customers,
      current == nullptr
          ? std::nullopt
          : std::optional<uint64_t>(current->manifest().event_log_sequence()),
      erased_);
  if (!opened.ok()) {
    return absl::Status(opened.status().code(),
                        absl::StrCat("cannot open the event log in ",
                                     options_.event_log_dir, ": ",
                                     opened.status().message()));
  }
  live_ = *std::move(opened);
  live_events_ = live_.get();
  if (current != nullptr) MaintainStorage(*current);
  return absl::OkStatus();
}

absl::Status Server::OpenCampaigns() {
  campaigns::CampaignManager::Options options;
  options.campaign_log_dir = options_.campaign_log_dir;
  options.campaign_log_sync = options_.campaign_log_sync;
  options.segments_file = options_.segments_file;
  options.contact_rules = {options_.max_contacts, options_.contact_window_days};
  options.event_log_dir = options_.event_log_dir;
  options.erased = [erased = erased_](absl::string_view customer_id) {
    return erased->Contains(customer_id);
  };
  absl::StatusOr<std::unique_ptr<campaigns::CampaignManager>> opened =
      campaigns::CampaignManager::Open(options);
  if (!opened.ok()) {
    return absl::Status(
        opened.status().code(),
        absl::StrCat("cannot open campaigns: ", opened.status().message()));
  }
  campaigns_ = *std::move(opened);
  LogInfo("campaigns",
          {{"campaign_log_dir", options_.campaign_log_dir},
           {"saved_segments", absl::StrCat(campaigns_->library().saved().size())},
           {"max_contacts", absl::StrCat(options_.max_contacts)},
           {"contact_window_days", absl::StrCat(options_.contact_window_days)}});
  if (!erased_->empty()) CompactCampaignLogs();
  return absl::OkStatus();
}

void Server::CompactCampaignLogs() {
  if (campaigns_ == nullptr) return;
  absl::StatusOr<campaigns::CampaignLogCompactionStats> compacted =
      campaigns_->CompactErased();
  if (!compacted.ok()) {
    LogError("campaign logs not compacted",
             {{"error", std::string(compacted.status().message())}});
    return;
  }
  if (compacted->segments_rewritten > 0) {
    LogInfo("campaign logs compacted",
            {{"segments_read", absl::StrCat(compacted->segments_read)},
             {"segments_rewritten", absl::StrCat(compacted->segments_rewritten)},
             {"entries_removed", absl::StrCat(compacted->entries_removed)},
             {"bytes_before", absl::StrCat(compacted->bytes_before)},
             {"bytes_after", absl::StrCat(compacted->bytes_after)}});
  }
}

void Server::MaintainStorage(const ModelSnapshot& model) {
  if (options_.keep_snapshots > 0) {
    absl::StatusOr<std::vector<int64_t>> removed = RemoveOldSnapshots(
        options_.model_dir, model.version(), options_.keep_snapshots);
    if (!removed.ok()) {
      LogError("old model versions not removed",
               {{"error", std::string(removed.status().message())}});
    } else if (!removed->empty()) {
      LogInfo("old model versions removed",
              {{"versions", absl::StrJoin(*removed, ",")},
               {"kept", absl::StrCat(options_.keep_snapshots)}});
    }
  }
  if (!erased_->empty()) CompactCampaignLogs();
  LiveEvents* live = live_events_.load();
  if (live == nullptr) return;
  absl::StatusOr<events::CompactionStats> compacted =
      live->Compact(options_.event_log_retention);
  if (!compacted.ok()) {
    LogError("event log not compacted",
             {{"error", std::string(compacted.status().message())}});
    return;
  }
  if (compacted->segments_read > 0) {
    LogInfo("event log compacted",
            {{"segments_read", absl::StrCat(compacted->segments_read)},
             {"segments_rewritten", absl::StrCat(compacted->segments_rewritten)},
             {"events_dropped", absl::StrCat(compacted->events_dropped)},
             {"items_dropped", absl::StrCat(compacted->items_dropped)},
             {"bytes_before", absl::StrCat(compacted->bytes_before)},
             {"bytes_after", absl::StrCat(compacted->bytes_after)},
             {"model_version", absl::StrCat(model.version())}});
  }
}

absl::Status Server::StartAdminPort() {
  if (options_.admin_port < 0) return absl::OkStatus();
  AdminHttpServer::Options admin_options;
  admin_options.tls = security_->AdminTls();
  absl::StatusOr<std::unique_ptr<AdminHttpServer>> started =
      AdminHttpServer::Start(
          options_.host, options_.admin_port,
          [this](const HttpRequest& request) {
            if (auth::FindMethodAccess(request.path).has_value()) {
              if (std::optional<HttpResponse> refused =
                      security_->CheckAdminRequest(request)) {
                return *refused;
              }
            }
            return AdminResponse(request.path, metrics_, health_);
          },
          admin_options);
  if (!started.ok()) return started.status();
  admin_ = *std::move(started);
  if (!options_.admin_port_file.empty()) {
    if (absl::Status s = WritePortFile(options_.admin_port_file, admin_->port());
        !s.ok()) {
      return s;
    }
  }
  LogInfo("admin port listening", {{"port", absl::StrCat(admin_->port())}});
  return absl::OkStatus();
}

absl::Status Server::StartGrpc() {
  service_ = std::make_unique<RecommenderService>(
      models_.get(), live_.get(), options_.clock, campaigns_.get(),
      candidate_cache_.get(), gate_.get(), security_->authorizer());
  operations_ = std::make_unique<OperationsService>(OperationsService::Sources{
      &metrics_, &load_history_, models_.get(), &health_, started_at_});
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  grpc::ResourceQuota quota("recommender");
  quota.SetMaxThreads(std::max(kMinRequestThreads, options_.threads));
  builder.SetResourceQuota(quota);
  // Request threads stay for the next call instead of ending when more
  // than the default two wait: under steady traffic gRPC otherwise starts
  // and ends a thread every few calls, and each new thread builds its
  // per-thread caches again.
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
      std::max(kMinRequestThreads, options_.threads / 4));
  builder.SetMaxReceiveMessageSize(options_.max_request_bytes);
  // One owner per port: without this gRPC binds with SO_REUSEPORT, so a
  // second server on the same port starts silently and shares the traffic,
  // and with port 0 each extra listener binds a port of its own.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  // First: the metrics then count a request that did not parse as the
  // INVALID_ARGUMENT it is answered with.
  interceptors.push_back(std::make_unique<RequestParseErrorInterceptorFactory>());
  interceptors.push_back(std::make_unique<CallGateInterceptorFactory>(gate_.get()));
  interceptors.push_back(std::make_unique<MetricsInterceptorFactory>(&metrics_));
  interceptors.push_back(
      std::make_unique<AuditInterceptorFactory>(security_->authorizer()));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  int bound_port = 0;
  builder.AddListeningPort(HostPort(options_.host, options_.port),
                           security_->GrpcCredentials(), &bound_port);
  builder.RegisterService(service_.get());
  builder.RegisterService(operations_.get());
  // Always registered: the serving probe calls Echo in process; callers
  // over the network get it only with --enable_diagnostics.
  diagnostics_.set_enabled(options_.enable_diagnostics);
  diagnostics_.set_probe_secret(probe_secret_);
  builder.RegisterService(&diagnostics_);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || bound_port == 0) {
    return ListenError("gRPC port", options_.host, options_.port);
  }
  health_.Attach(server.get());
  health_.SetModelLoaded(models_->Current() != nullptr);
  {
    absl::MutexLock lock(&mu_);
    grpc_server_ = std::move(server);
    port_ = bound_port;
  }
  LogInfo("listening",
          {{"address", HostPort(options_.host, bound_port)},
           {"tls", options_.security.tls.enabled() ? "on" : "off"},
           {"api_keys",
            security_->authorizer()->keys_enabled() ? "required" : "off"},
           {"diagnostics", options_.enable_diagnostics ? "on" : "off"}});
  return absl::OkStatus();
}

absl::Status Server::StartHttpPort() {
  if (options_.http_port < 0) return absl::OkStatus();
  HttpGateway::Backends backends;
  backends.methods = JsonApi(service_.get(), operations_.get(), &diagnostics_);
  backends.metrics = &metrics_;
  backends.files = StaticFiles(web::Files());
  // The same keys, roles, limits and audit log as the gRPC port.
  ServerSecurity* security = security_.get();
  backends.authorize = [security](absl::string_view method,
                                  const HttpCredentials& credentials,
                                  CallContext* call) {
    return security->AuthorizeHttp(method, credentials, call);
  };
  backends.finished =
      [security](absl::string_view method, const CallContext& call,
                 const HttpCredentials& credentials,
                 const absl::Status& outcome, absl::Time start,
                 std::vector<std::pair<std::string, int64_t>> counts) {
        security->HttpCallFinished(method, call, credentials, outcome, start,
                                   std::move(counts));
      };
  HttpGateway::Options options;
  options.tls = security_->HttpTls();
  options.worker_threads = options_.http_threads;
  options.max_request_bytes = options_.max_request_bytes;
  options.allowed_origins = options_.cors_origins;
  absl::StatusOr<std::unique_ptr<HttpGateway>> started = HttpGateway::Start(
      options_.host, options_.http_port, std::move(backends), options);
  if (!started.ok()) return started.status();
  http_ = *std::move(started);
  if (!options_.http_port_file.empty()) {
    if (absl::Status s = WritePortFile(options_.http_port_file, http_->port());
        !s.ok()) {
      return s;
    }
  }
  LogInfo("HTTP port listening",
          {{"address", HostPort(options_.host, http_->port())},
           {"tls", options_.security.tls.enabled() ? "on" : "off"}});
  return absl::OkStatus();
}

void Server::StartProbe() {
  if (options_.probe_interval <= absl::ZeroDuration()) return;
  // Through the request threads, as a client's call: an Echo that does no
  // work, so that only a server unable to take calls fails it.
  std::shared_ptr<grpc::Channel> channel =
      grpc_server_->InProcessChannel(grpc::ChannelArguments());
  auto stub = std::shared_ptr<v1::Diagnostics::Stub>(
      v1::Diagnostics::NewStub(channel));
  const absl::Duration timeout = options_.probe_interval;
  const std::string secret = probe_secret_;
  probe_ = std::make_unique<ServingProbe>(
      [stub, timeout, secret] {
        grpc::ClientContext context;
        context.AddMetadata(kProbeMetadata, secret);
        context.set_deadline(std::chrono::system_clock::now() +
                             absl::ToChronoMilliseconds(timeout));
        v1::EchoRequest request;
        v1::EchoResponse response;
        return stub->Echo(&context, request, &response).ok();
      },
      [this](bool can_serve) {
        LogError(can_serve ? "answering calls again"
                           : "not answering calls: health NOT_SERVING",
                 {{"calls_in_flight", absl::StrCat(gate_->stats().calls_in_flight)}});
        health_.SetAnswering(can_serve);
      },
      ServingProbe::Options{options_.probe_interval, 3});
  probe_->Start();
}

void Server::Shutdown() { Stop(options_.drain_notice, options_.drain); }

void Server::Stop(absl::Duration notice, absl::Duration drain) {
  grpc::Server* server = nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ || grpc_server_ == nullptr) return;
    stopping_ = true;
    server = grpc_server_.get();
  }
  LogInfo("draining", {{"notice_seconds", absl::StrCat(absl::ToDoubleSeconds(notice))},
                       {"drain_seconds", absl::StrCat(absl::ToDoubleSeconds(drain))}});
  health_.StartDraining();
  if (probe_ != nullptr) probe_->Stop();
  if (notice > absl::ZeroDuration()) absl::SleepFor(notice);
  LogInfo("refusing new calls; waiting for in-flight ones",
          {{"calls_in_flight", absl::StrCat(gate_->stats().calls_in_flight)}});
  gate_->StartDraining();
  if (http_ != nullptr) http_->StartDraining();
  // The last part of the drain is for streams to end with a status of
  // their own (UNAVAILABLE, how far they got) rather than be cut.
  const absl::Duration stream_grace = std::min(absl::Seconds(1), drain / 2);
  if (!gate_->WaitUntilIdle(drain - stream_grace)) {
    gate_->StopStreams();
    if (!gate_->WaitUntilIdle(stream_grace)) {
      LogInfo("cancelling calls still running",
              {{"calls", absl::StrCat(gate_->stats().calls_in_flight)}});
    }
  }
  // Nothing is left to wait for: stop now, closing idle connections too
  // (gRPC would otherwise wait for them until the deadline).
  server->Shutdown(std::chrono::system_clock::now());
}

void Server::Wait() {
  grpc::Server* server = nullptr;
  {
    absl::MutexLock lock(&mu_);
    server = grpc_server_.get();
  }
  if (server != nullptr) server->Wait();
  // The gateway's calls in flight finish; its streams stop.
  http_.reset();
  if (models_ != nullptr) models_->Stop();
}

}  // namespace recommender::serving
