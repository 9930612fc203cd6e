// gRPC load generator: keeps --concurrency calls in flight on one channel
// (gRPC's callback API; each completion immediately starts the next call)
// for --duration_seconds after --warmup_seconds, then prints QPS and
// latency percentiles. Bounded: it stops by itself, and it only talks to
// the --target it is given (a loopback address in every documented run).
//
//   grpc_load_generator --target=127.0.0.1:50051 --rpc=recommend
//       --data_dir=scale-data/shop-1m-100k --concurrency=16
//
// --rpc: echo (recommender.v1.Diagnostics/Echo, the floor: same server,
// channel and threads), recommend, similar_items, record_events
// (--events_per_call view events per call; the server needs
// --event_log_dir, and each acknowledged call is an fdatasync'ed group
// commit shared with the calls beside it) and batch_recommend
// (--batch_customers drawn customers per streamed call; each in-flight call
// is a client thread reading its stream; the result line adds
// customers_per_s). Customer and item ids are drawn (seeded) from the
// shop's customers.csv and catalog.csv, uniformly.
//
// --traffic=sessions models a storefront instead (benchmarks/traffic_model.h):
// each of --concurrency visitors runs sessions of --session_pages page views
// (mean) with --think_time_ms between them, customers drawn from a Zipf law
// (--zipf_exponent), --anonymous_share of sessions without a customer (their
// Recommend carries the session's viewed items; their views are not
// recorded), and each page view one call from --mix. One result line per RPC.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "benchmarks/traffic_model.h"
#include "grpcpp/grpcpp.h"
#include "proto/diagnostics.grpc.pb.h"
#include "proto/recommender.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "Server address.");
ABSL_FLAG(std::string, rpc, "echo",
          "echo, recommend, similar_items, record_events or batch_recommend.");
ABSL_FLAG(std::string, data_dir, "",
          "Shop folder whose customers.csv / catalog.csv give the ids to "
          "ask for (needed by recommend and similar_items).");
ABSL_FLAG(int32_t, concurrency, 8, "Calls in flight at any time.");
ABSL_FLAG(double, duration_seconds, 10, "Measured time.");
ABSL_FLAG(double, warmup_seconds, 2, "Unmeasured time before it.");
ABSL_FLAG(int32_t, count, 10, "Items asked for per call.");
ABSL_FLAG(bool, exclude_purchased, false,
          "Recommend and BatchRecommend calls ask for exclude_purchased (a "
          "\"new to you\" shelf; a snapshot may serve it other blocks).");
ABSL_FLAG(int32_t, events_per_call, 1,
          "For record_events: view events per call, 1 to 1000.");
ABSL_FLAG(int32_t, batch_customers, 1000,
          "For batch_recommend: customers per call, 1 to 100000.");
ABSL_FLAG(int32_t, max_ids, 200000, "Ids read from each CSV at most.");
ABSL_FLAG(uint64_t, seed, 1, "Seed of the id draws.");
ABSL_FLAG(double, deadline_seconds, 5, "Per-call deadline.");
ABSL_FLAG(std::string, label, "", "Printed in the result line.");
ABSL_FLAG(std::string, traffic, "uniform",
          "uniform (one --rpc, uniformly drawn ids, calls back to back) or "
          "sessions (storefront visitors: Zipf customers, sessions, think "
          "time, a mix of calls).");
ABSL_FLAG(double, zipf_exponent, 1.0,
          "sessions: customer and item popularity exponent (0 = uniform).");
ABSL_FLAG(double, session_pages, 5, "sessions: mean page views per session.");
ABSL_FLAG(double, think_time_ms, 0,
          "sessions: mean think time between page views (0: none, saturating).");
ABSL_FLAG(double, anonymous_share, 0.2,
          "sessions: share of sessions by anonymous visitors.");
ABSL_FLAG(std::string, mix, "recommend:0.6,similar_items:0.3,record_events:0.1",
          "sessions: share of page views making each call.");

namespace recommender::benchmarks {
namespace {

using Clock = std::chrono::steady_clock;

// The first column of a CSV file after its header: ids never hold commas.
std::vector<std::string> ReadIds(const std::string& path, int32_t limit) {
  std::vector<std::string> ids;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (static_cast<int32_t>(ids.size()) < limit && std::getline(in, line)) {
    ids.push_back(line.substr(0, line.find(',')));
  }
  return ids;
}

double CpuSeconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         1e-6 * (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

struct Shared {
  std::unique_ptr<v1::Recommender::Stub> recommender;
  std::unique_ptr<v1::Diagnostics::Stub> diagnostics;
  std::string rpc;
  std::vector<std::string> customers;
  std::vector<std::string> items;
  int32_t count = 10;
  bool exclude_purchased = false;
  int32_t events_per_call = 1;
  int32_t batch_customers = 1000;
  std::chrono::milliseconds deadline{5000};
  Clock::time_point measure_from;
  Clock::time_point stop_at;

  std::mutex mu;
  std::condition_variable done;
  int active = 0;
  std::vector<double> latencies_us;  // Measured calls only.
  int64_t customers_answered = 0;     // batch_recommend, measured calls.
  int64_t errors = 0;
  std::string first_error;
  // --traffic=sessions: measured latencies and errors per RPC name.
  std::map<std::string, std::vector<double>> session_latencies_us;
  std::map<std::string, int64_t> session_errors;
};

// One in-flight slot: issues a call, and from its completion the next one,
// until the stop time.
class Slot {
 public:
  Slot(Shared* shared, uint64_t seed) : shared_(shared), rng_(seed) {}

  void Start() { Issue(); }

 private:
  void Issue() {
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(std::chrono::system_clock::now() + shared_->deadline);
    started_ = Clock::now();
    auto on_done = [this](grpc::Status status) { Done(status); };
    if (shared_->rpc == "echo") {
      shared_->diagnostics->async()->Echo(context_.get(), &echo_request_,
                                          &echo_response_, on_done);
    } else if (shared_->rpc == "recommend") {
      recommend_request_.set_customer_id(Pick(shared_->customers));
      recommend_request_.set_count(shared_->count);
      recommend_request_.set_exclude_purchased(shared_->exclude_purchased);
      shared_->recommender->async()->Recommend(
          context_.get(), &recommend_request_, &recommend_response_, on_done);
    } else if (shared_->rpc == "record_events") {
      events_request_.clear_events();
      for (int32_t i = 0; i < shared_->events_per_call; ++i) {
        v1::Event* event = events_request_.add_events();
        event->set_customer_id(Pick(shared_->customers));
        event->set_item_id(Pick(shared_->items));
        event->set_type(v1::VIEW);
      }
      shared_->recommender->async()->RecordEvents(
          context_.get(), &events_request_, &events_response_, on_done);
    } else {
      similar_request_.set_item_id(Pick(shared_->items));
      similar_request_.set_count(shared_->count);
      shared_->recommender->async()->SimilarItems(
          context_.get(), &similar_request_, &similar_response_, on_done);
    }
  }

  const std::string& Pick(const std::vector<std::string>& ids) {
    return ids[std::uniform_int_distribution<size_t>(0, ids.size() - 1)(rng_)];
  }

  void Done(const grpc::Status& status) {
    const Clock::time_point now = Clock::now();
    const double micros =
        std::chrono::duration<double, std::micro>(now - started_).count();
    {
      std::lock_guard<std::mutex> lock(shared_->mu);
      if (started_ >= shared_->measure_from && now <= shared_->stop_at) {
        if (status.ok()) {
          shared_->latencies_us.push_back(micros);
        } else {
          if (shared_->errors++ == 0) {
            shared_->first_error = status.error_message();
          }
        }
      }
      if (now >= shared_->stop_at) {
        if (--shared_->active == 0) shared_->done.notify_all();
        return;
      }
    }
    Issue();
  }

  Shared* shared_;
  std::mt19937_64 rng_;
  std::unique_ptr<grpc::ClientContext> context_;
  Clock::time_point started_;
  v1::EchoRequest echo_request_;
  v1::EchoResponse echo_response_;
  v1::RecommendRequest recommend_request_;
  v1::RecommendResponse recommend_response_;
  v1::SimilarItemsRequest similar_request_;
  v1::SimilarItemsResponse similar_response_;
  v1::RecordEventsRequest events_request_;
  v1::RecordEventsResponse events_response_;
};

// One in-flight BatchRecommend stream: a client thread that asks for
// --batch_customers drawn customers, reads every answer, and starts the
// next call until the stop time. Counts the customers answered by calls
// that started and ended inside the measured window.
void RunBatchStreams(Shared* shared, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> pick(0, shared->customers.size() - 1);
  while (Clock::now() < shared->stop_at) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + shared->deadline);
    v1::BatchRecommendRequest request;
    request.set_count(shared->count);
    request.set_exclude_purchased(shared->exclude_purchased);
    for (int32_t i = 0; i < shared->batch_customers; ++i) {
      request.mutable_customer_list()->add_customer_ids(
          shared->customers[pick(rng)]);
    }
    const Clock::time_point started = Clock::now();
    std::unique_ptr<grpc::ClientReader<v1::BatchRecommendResponse>> reader =
        shared->recommender->BatchRecommend(&context, request);
    v1::BatchRecommendResponse response;
    int64_t answered = 0;
    while (reader->Read(&response)) ++answered;
    const grpc::Status status = reader->Finish();
    const Clock::time_point now = Clock::now();
    std::lock_guard<std::mutex> lock(shared->mu);
    if (started >= shared->measure_from && now <= shared->stop_at) {
      if (status.ok()) {
        shared->latencies_us.push_back(
            std::chrono::duration<double, std::micro>(now - started).count());
        shared->customers_answered += answered;
      } else if (shared->errors++ == 0) {
        shared->first_error = status.error_message();
      }
    }
  }
  std::lock_guard<std::mutex> lock(shared->mu);
  if (--shared->active == 0) shared->done.notify_all();
}

// One storefront visitor (--traffic=sessions): runs sessions drawn from
// `traffic` with blocking calls, sleeping the think time between page views,
// until the stop time.
void RunVisitor(Shared* shared, const TrafficModel* traffic, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto record = [shared](PageCall call, Clock::time_point started,
                         const grpc::Status& status) {
    const Clock::time_point now = Clock::now();
    std::lock_guard<std::mutex> lock(shared->mu);
    if (started < shared->measure_from || now > shared->stop_at) return;
    const std::string name(PageCallName(call));
    if (status.ok()) {
      shared->session_latencies_us[name].push_back(
          std::chrono::duration<double, std::micro>(now - started).count());
    } else {
      ++shared->session_errors[name];
      if (shared->errors++ == 0) shared->first_error = status.error_message();
    }
  };
  while (Clock::now() < shared->stop_at) {
    std::vector<std::string> viewed;
    for (const PageView& page : traffic->NextSession(rng)) {
      if (page.think_time_ms > 0) {
        std::this_thread::sleep_for(std::chrono::microseconds(
            static_cast<int64_t>(page.think_time_ms * 1000)));
      }
      if (Clock::now() >= shared->stop_at) break;
      const std::string& item = shared->items[page.item];
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + shared->deadline);
      PageCall call = page.call;
      // Anonymous visitors' views stay in their browser, not in the log.
      if (page.customer < 0 && call == PageCall::kRecordView) {
        call = PageCall::kSimilarItems;
      }
      const Clock::time_point started = Clock::now();
      grpc::Status status;
      if (call == PageCall::kRecommend) {
        v1::RecommendRequest request;
        v1::RecommendResponse response;
        request.set_count(shared->count);
        request.set_exclude_purchased(shared->exclude_purchased);
        if (page.customer >= 0) {
          request.set_customer_id(shared->customers[page.customer]);
        } else {
          if (viewed.empty()) viewed.push_back(item);
          for (const std::string& id : viewed) {
            request.add_recently_viewed_item_ids(id);
          }
        }
        status = shared->recommender->Recommend(&context, request, &response);
      } else if (call == PageCall::kSimilarItems) {
        v1::SimilarItemsRequest request;
        v1::SimilarItemsResponse response;
        request.set_item_id(item);
        request.set_count(shared->count);
        status = shared->recommender->SimilarItems(&context, request, &response);
      } else {
        v1::RecordEventsRequest request;
        v1::RecordEventsResponse response;
        v1::Event* event = request.add_events();
        event->set_customer_id(shared->customers[page.customer]);
        event->set_item_id(item);
        event->set_type(v1::VIEW);
        status = shared->recommender->RecordEvents(&context, request, &response);
      }
      record(call, started, status);
      if (viewed.size() < 10) viewed.push_back(item);
    }
  }
  std::lock_guard<std::mutex> lock(shared->mu);
  if (--shared->active == 0) shared->done.notify_all();
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t i = std::min(sorted.size() - 1,
                            static_cast<size_t>(p * sorted.size()));
  return sorted[i];
}

// Prints one line per RPC of a --traffic=sessions run and a total line;
// returns the exit code.
int ReportSessions(Shared* shared, int32_t concurrency, double duration,
                   double client_cpu) {
  int64_t calls = 0;
  for (auto& [name, lat] : shared->session_latencies_us) {
    std::sort(lat.begin(), lat.end());
    calls += lat.size();
    std::cout << absl::StrFormat(
        "rpc=%s traffic=sessions%s concurrency=%d duration_s=%.1f calls=%d "
        "errors=%d qps=%.0f p50_us=%.0f p99_us=%.0f p999_us=%.0f max_us=%.0f\n",
        name,
        absl::GetFlag(FLAGS_label).empty()
            ? ""
            : " label=" + absl::GetFlag(FLAGS_label),
        concurrency, duration, lat.size(), shared->session_errors[name],
        lat.size() / duration, Percentile(lat, 0.50), Percentile(lat, 0.99),
        Percentile(lat, 0.999), lat.empty() ? 0.0 : lat.back());
  }
  std::cout << absl::StrFormat(
      "rpc=all traffic=sessions concurrency=%d duration_s=%.1f calls=%d "
      "errors=%d qps=%.0f client_cpu_us_per_call=%.0f zipf_exponent=%.2f "
      "think_time_ms=%.0f anonymous_share=%.2f\n",
      concurrency, duration, calls, shared->errors, calls / duration,
      calls == 0 ? 0.0 : 1e6 * client_cpu / calls,
      absl::GetFlag(FLAGS_zipf_exponent), absl::GetFlag(FLAGS_think_time_ms),
      absl::GetFlag(FLAGS_anonymous_share));
  if (shared->errors > 0) {
    std::cerr << "first error: " << shared->first_error << "\n";
  }
  return calls == 0 || shared->errors > 0 ? 1 : 0;
}

int Run() {
  Shared shared;
  shared.rpc = absl::GetFlag(FLAGS_rpc);
  if (shared.rpc != "echo" && shared.rpc != "recommend" &&
      shared.rpc != "similar_items" && shared.rpc != "record_events" &&
      shared.rpc != "batch_recommend") {
    std::cerr << "grpc_load_generator: --rpc must be echo, recommend, "
                 "similar_items, record_events or batch_recommend, got \""
              << shared.rpc << "\"\n";
    return 2;
  }
  const int32_t concurrency = absl::GetFlag(FLAGS_concurrency);
  const double duration = absl::GetFlag(FLAGS_duration_seconds);
  const double warmup = absl::GetFlag(FLAGS_warmup_seconds);
  if (concurrency < 1 || concurrency > 1024 || duration <= 0 ||
      duration > 600 || warmup < 0 || warmup > 600) {
    std::cerr << "grpc_load_generator: need 1 <= --concurrency <= 1024, "
                 "0 < --duration_seconds <= 600, 0 <= --warmup_seconds <= 600\n";
    return 2;
  }
  const std::string traffic_mode = absl::GetFlag(FLAGS_traffic);
  if (traffic_mode != "uniform" && traffic_mode != "sessions") {
    std::cerr << "grpc_load_generator: --traffic must be uniform or sessions, "
                 "got \"" << traffic_mode << "\"\n";
    return 2;
  }
  const bool sessions = traffic_mode == "sessions";
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (shared.rpc != "echo" || sessions) {
    if (data_dir.empty()) {
      std::cerr << "grpc_load_generator: --data_dir is required for "
                << shared.rpc << "\n";
      return 2;
    }
    const int32_t max_ids = absl::GetFlag(FLAGS_max_ids);
    shared.customers = ReadIds(data_dir + "/customers.csv", max_ids);
    shared.items = ReadIds(data_dir + "/catalog.csv", max_ids);
    if (shared.customers.empty() || shared.items.empty()) {
      std::cerr << "grpc_load_generator: no ids in " << data_dir
                << "/customers.csv or catalog.csv\n";
      return 2;
    }
  }
  shared.count = absl::GetFlag(FLAGS_count);
  shared.exclude_purchased = absl::GetFlag(FLAGS_exclude_purchased);
  shared.events_per_call = absl::GetFlag(FLAGS_events_per_call);
  if (shared.events_per_call < 1 || shared.events_per_call > 1000) {
    std::cerr << "grpc_load_generator: --events_per_call must be 1 to 1000\n";
    return 2;
  }
  shared.batch_customers = absl::GetFlag(FLAGS_batch_customers);
  if (shared.batch_customers < 1 || shared.batch_customers > 100000) {
    std::cerr << "grpc_load_generator: --batch_customers must be 1 to 100000\n";
    return 2;
  }
  std::optional<TrafficModel> traffic;
  if (sessions) {
    TrafficOptions options;
    options.zipf_exponent = absl::GetFlag(FLAGS_zipf_exponent);
    options.mean_pages_per_session = absl::GetFlag(FLAGS_session_pages);
    options.mean_think_time_ms = absl::GetFlag(FLAGS_think_time_ms);
    options.anonymous_share = absl::GetFlag(FLAGS_anonymous_share);
    absl::StatusOr<CallMix> mix = ParseCallMix(absl::GetFlag(FLAGS_mix));
    if (!mix.ok()) {
      std::cerr << "grpc_load_generator: --" << mix.status().message() << "\n";
      return 2;
    }
    options.mix = *mix;
    absl::StatusOr<TrafficModel> model =
        TrafficModel::Create(options, shared.customers.size(),
                             shared.items.size(), absl::GetFlag(FLAGS_seed));
    if (!model.ok()) {
      std::cerr << "grpc_load_generator: --" << model.status().message()
                << "\n";
      return 2;
    }
    traffic.emplace(*std::move(model));
  }
  shared.deadline = std::chrono::milliseconds(
      static_cast<int64_t>(1000 * absl::GetFlag(FLAGS_deadline_seconds)));

  grpc::ChannelArguments args;
  std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
      absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                 std::chrono::seconds(10))) {
    std::cerr << "grpc_load_generator: cannot connect to "
              << absl::GetFlag(FLAGS_target) << "\n";
    return 1;
  }
  shared.recommender = v1::Recommender::NewStub(channel);
  shared.diagnostics = v1::Diagnostics::NewStub(channel);

  const Clock::time_point start = Clock::now();
  shared.measure_from =
      start + std::chrono::microseconds(static_cast<int64_t>(warmup * 1e6));
  shared.stop_at = shared.measure_from +
                   std::chrono::microseconds(static_cast<int64_t>(duration * 1e6));
  std::vector<std::unique_ptr<Slot>> slots;
  std::vector<std::thread> streams;
  shared.active = concurrency;
  for (int32_t i = 0; i < concurrency; ++i) {
    const uint64_t seed = absl::GetFlag(FLAGS_seed) * 1000003 + i;
    if (sessions) {
      streams.emplace_back(RunVisitor, &shared, &*traffic, seed);
    } else if (shared.rpc == "batch_recommend") {
      streams.emplace_back(RunBatchStreams, &shared, seed);
    } else {
      slots.push_back(std::make_unique<Slot>(&shared, seed));
      slots.back()->Start();
    }
  }
  double cpu_at_measure = -1;
  std::this_thread::sleep_until(shared.measure_from);
  cpu_at_measure = CpuSeconds();
  {
    std::unique_lock<std::mutex> lock(shared.mu);
    shared.done.wait(lock, [&] { return shared.active == 0; });
  }
  const double client_cpu = CpuSeconds() - cpu_at_measure;
  for (std::thread& stream : streams) stream.join();

  if (sessions) return ReportSessions(&shared, concurrency, duration, client_cpu);
  std::vector<double>& lat = shared.latencies_us;
  std::sort(lat.begin(), lat.end());
  const double qps = lat.size() / duration;
  std::cout << absl::StrFormat(
      "rpc=%s%s concurrency=%d duration_s=%.1f calls=%d errors=%d qps=%.0f "
      "p50_us=%.0f p99_us=%.0f p999_us=%.0f max_us=%.0f "
      "client_cpu_us_per_call=%.0f%s\n",
      shared.rpc,
      absl::GetFlag(FLAGS_label).empty() ? ""
                                          : " label=" + absl::GetFlag(FLAGS_label),
      concurrency, duration, lat.size(), shared.errors, qps,
      Percentile(lat, 0.50), Percentile(lat, 0.99), Percentile(lat, 0.999),
      lat.empty() ? 0.0 : lat.back(),
      lat.empty() ? 0.0 : 1e6 * client_cpu / lat.size(),
      shared.rpc == "record_events"
          ? absl::StrFormat(" events_per_call=%d events_per_s=%.0f",
                            shared.events_per_call,
                            qps * shared.events_per_call)
      : shared.rpc == "batch_recommend"
          ? absl::StrFormat(" batch_customers=%d customers_per_s=%.0f",
                            shared.batch_customers,
                            shared.customers_answered / duration)
          : "");
  if (shared.errors > 0) {
    std::cerr << "first error: " << shared.first_error << "\n";
  }
  return lat.empty() || shared.errors > 0 ? 1 : 0;
}

}  // namespace
}  // namespace recommender::benchmarks

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Drives a recommender server with concurrent gRPC calls and prints QPS "
      "and latency percentiles.");
  absl::ParseCommandLine(argc, argv);
  return recommender::benchmarks::Run();
}
