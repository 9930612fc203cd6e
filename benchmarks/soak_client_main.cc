// The soak test's client (benchmarks/soak.sh runs it; not CI): mixed
// traffic against one server for a while, surviving the server's restarts,
// then a check that every acknowledged event is in the event log.
//
//   soak_client --target=127.0.0.1:50051 --data_dir=SHOP --seconds=600
//       --acks=acks.tsv --report=codes.tsv  (one command line)
//   soak_client --verify_log=EVENT_LOG_DIR --acks=acks.tsv
//
// Traffic, each on threads of its own: Recommend (known, unknown and
// anonymous customers), RecordEvents (acknowledged ones written to --acks:
// sequence and each event's customer and item), campaign streams read to
// the end, slow campaign readers (one message a second), stalled streams
// (opened, never read) and bad input of every kind (huge or escaped ids,
// bad timestamps, bytes that are not UTF-8). Every 30 s and at the end it
// prints the calls by RPC and status code.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "proto/recommender.grpc.pb.h"
#include "recommender/events/event_log_reader.h"
#include "recommender/util/file_util.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "Server address.");
ABSL_FLAG(std::string, data_dir, "", "The shop the model was trained on.");
ABSL_FLAG(double, seconds, 600, "How long to run.");
ABSL_FLAG(std::string, acks, "acks.tsv",
          "Acknowledged events are appended here (sequence, customer, item).");
ABSL_FLAG(std::string, report, "", "If set, the final counts go here too.");
ABSL_FLAG(int, new_customers, 1000,
          "New customer ids each RecordEvents thread cycles through. Small: "
          "the shop's population stops growing within the first minute, so "
          "the server's memory over time shows leaks, not growth.");
ABSL_FLAG(std::string, verify_log, "",
          "Instead of traffic: check that every event in --acks is in this "
          "event log folder.");

namespace recommender::soak {
namespace {

using Clock = std::chrono::system_clock;

class Counts {
 public:
  void Add(const std::string& rpc, grpc::StatusCode code) {
    std::lock_guard<std::mutex> lock(mu_);
    ++counts_[{rpc, code}];
  }
  std::string Render() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (const auto& [key, count] : counts_) {
      absl::StrAppend(&out, key.first, "\t", CodeName(key.second), "\t", count,
                      "\n");
    }
    return out;
  }
  static std::string CodeName(grpc::StatusCode code) {
    static const char* names[] = {
        "OK",          "CANCELLED",         "UNKNOWN",        "INVALID_ARGUMENT",
        "DEADLINE_EXCEEDED", "NOT_FOUND",   "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL",        "UNAVAILABLE",    "DATA_LOSS",
        "UNAUTHENTICATED"};
    const int i = static_cast<int>(code);
    return i >= 0 && i < 17 ? names[i] : "?";
  }

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, grpc::StatusCode>, int64_t> counts_;
};

struct Shop {
  std::vector<std::string> customers;
  std::vector<std::string> items;
};

std::vector<std::string> FirstColumn(const std::string& path, size_t limit) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // Header.
  while (out.size() < limit && std::getline(in, line)) {
    out.push_back(line.substr(0, line.find(',')));
  }
  return out;
}

void SetDeadline(grpc::ClientContext* context, int seconds) {
  context->set_deadline(Clock::now() + std::chrono::seconds(seconds));
}

class Soak {
 public:
  Soak(const std::string& target, Shop shop, const std::string& acks_path)
      : target_(target), shop_(std::move(shop)), acks_(acks_path, std::ios::app) {}

  std::shared_ptr<grpc::Channel> NewChannel() const {
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    arguments.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 16 * 1024);
    arguments.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    return grpc::CreateCustomChannel(target_, grpc::InsecureChannelCredentials(),
                                     arguments);
  }

  void Recommender(int seed) {
    auto stub = v1::Recommender::NewStub(NewChannel());
    std::mt19937 random(seed);
    while (!stop_) {
      grpc::ClientContext context;
      SetDeadline(&context, 5);
      v1::RecommendRequest request;
      request.set_count(10);
      const int kind = random() % 10;
      if (kind < 7) {
        request.set_customer_id(shop_.customers[random() % shop_.customers.size()]);
      } else if (kind < 9) {
        request.set_customer_id(absl::StrCat("soak-new-", random() % 100000));
      } else {
        request.add_recently_viewed_item_ids(shop_.items[random() % shop_.items.size()]);
      }
      v1::RecommendResponse response;
      const absl::Time start = absl::Now();
      const grpc::Status status = stub->Recommend(&context, request, &response);
      counts_.Add("Recommend", status.error_code());
      if (status.ok()) {
        std::lock_guard<std::mutex> lock(latency_mu_);
        latencies_.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
      } else {
        absl::SleepFor(absl::Milliseconds(50));
      }
    }
  }

  void Recorder(int thread) {
    auto stub = v1::Recommender::NewStub(NewChannel());
    std::mt19937 random(thread);
    for (int64_t n = 0; !stop_; ++n) {
      grpc::ClientContext context;
      SetDeadline(&context, 10);
      v1::RecordEventsRequest request;
      for (int e = 0; e < 5; ++e) {
        v1::Event* event = request.add_events();
        event->set_customer_id(
            absl::StrCat("soak-", thread, "-", n % new_customers_));
        event->set_item_id(shop_.items[random() % shop_.items.size()]);
        event->set_type(e == 4 ? v1::PURCHASE : v1::VIEW);
      }
      v1::RecordEventsResponse response;
      const grpc::Status status = stub->RecordEvents(&context, request, &response);
      counts_.Add("RecordEvents", status.error_code());
      if (status.ok() && response.accepted() > 0) {
        std::lock_guard<std::mutex> lock(acks_mu_);
        int rejected_at = response.rejected_size() > 0 ? response.rejected(0).index() : -1;
        for (int e = 0; e < request.events_size(); ++e) {
          if (e == rejected_at) continue;
          acks_ << response.sequence() << "\t" << request.events(e).customer_id()
                << "\t" << request.events(e).item_id() << "\n";
        }
        acks_.flush();
        acknowledged_ += response.accepted();
      }
      if (!status.ok()) absl::SleepFor(absl::Milliseconds(100));
      absl::SleepFor(absl::Milliseconds(5));
    }
  }

  // Campaigns read at full speed, or one message a second.
  void Campaigns(bool slow) {
    while (!stop_) {
      auto stub = v1::Recommender::NewStub(NewChannel());
      grpc::ClientContext context;
      SetDeadline(&context, 120);
      v1::BatchRecommendRequest request;
      request.mutable_selector()->set_kind(v1::CustomerSelector::ALL);
      request.set_count(10);
      auto reader = stub->BatchRecommend(&context, request);
      v1::BatchRecommendResponse message;
      int read = 0;
      while (!stop_ && reader->Read(&message)) {
        if (slow) absl::SleepFor(absl::Seconds(1));
        if (slow && ++read >= 20) {
          context.TryCancel();
          break;
        }
      }
      if (stop_) context.TryCancel();
      const grpc::Status status = reader->Finish();
      counts_.Add(slow ? "BatchRecommend(slow)" : "BatchRecommend",
                  status.error_code());
      if (!status.ok()) absl::SleepFor(absl::Milliseconds(500));
    }
  }

  // Opens streams and never reads them; the server must end them.
  void Stalled() {
    while (!stop_) {
      struct Open {
        std::unique_ptr<v1::Recommender::Stub> stub;
        std::unique_ptr<grpc::ClientContext> context;
        std::unique_ptr<grpc::ClientReader<v1::BatchRecommendResponse>> reader;
      };
      std::vector<Open> open;
      for (int i = 0; i < 20; ++i) {
        Open o;
        o.stub = v1::Recommender::NewStub(NewChannel());
        o.context = std::make_unique<grpc::ClientContext>();
        SetDeadline(o.context.get(), 300);
        v1::BatchRecommendRequest request;
        request.mutable_selector()->set_kind(v1::CustomerSelector::ALL);
        request.set_count(100);
        o.reader = o.stub->BatchRecommend(o.context.get(), request);
        open.push_back(std::move(o));
      }
      for (int s = 0; s < 60 && !stop_; ++s) absl::SleepFor(absl::Seconds(1));
      for (Open& o : open) {
        v1::BatchRecommendResponse message;
        if (stop_) o.context->TryCancel();
        while (o.reader->Read(&message)) {
        }
        counts_.Add("BatchRecommend(stalled)", o.reader->Finish().error_code());
      }
    }
  }

  void BadInput(int seed) {
    auto channel = NewChannel();
    auto stub = v1::Recommender::NewStub(channel);
    grpc::GenericStub generic(channel);
    std::mt19937 random(seed);
    const std::vector<std::string> ids = {
        std::string(10240, 'x'), std::string("a\0b", 3), "line\nbreak",
        " padded ", "\x1b[2J\x1b[31mred", ""};
    while (!stop_) {
      const std::string& id = ids[random() % ids.size()];
      grpc::ClientContext context;
      SetDeadline(&context, 5);
      switch (random() % 5) {
        case 0: {
          v1::RecommendRequest request;
          request.set_customer_id(id);
          request.set_count(5);
          v1::RecommendResponse response;
          counts_.Add("Recommend(bad)",
                      stub->Recommend(&context, request, &response).error_code());
          break;
        }
        case 1: {
          v1::RecordEventsRequest request;
          v1::Event* event = request.add_events();
          event->set_customer_id("soak-bad");
          event->set_item_id(shop_.items[0]);
          event->set_type(v1::VIEW);
          event->set_timestamp(random() % 2 ? "2026-03-01T09:30:00" : "1900-01-01T00:00:00Z");
          v1::RecordEventsResponse response;
          const grpc::Status status = stub->RecordEvents(&context, request, &response);
          counts_.Add("RecordEvents(bad)", status.ok() && response.accepted() == 0
                                               ? grpc::StatusCode::INVALID_ARGUMENT
                                               : status.error_code());
          break;
        }
        case 2: {
          v1::PredictNextPurchaseRequest request;
          request.set_customer_id(shop_.customers[0]);
          request.set_as_of("9999-12-31T00:00:00Z");
          v1::PredictNextPurchaseResponse response;
          counts_.Add("PredictNextPurchase(bad)",
                      stub->PredictNextPurchase(&context, request, &response)
                          .error_code());
          break;
        }
        default: {
          // Not UTF-8: does not even parse.
          grpc::CompletionQueue queue;
          const std::string bytes("\x0a\x03" "C\xff" "1\x10\x02", 7);
          grpc::Slice slice(bytes);
          grpc::ByteBuffer request(&slice, 1);
          auto call = generic.PrepareUnaryCall(
              &context, "/recommender.v1.Recommender/Recommend", request, &queue);
          call->StartCall();
          grpc::ByteBuffer response;
          grpc::Status status;
          call->Finish(&response, &status, reinterpret_cast<void*>(1));
          void* tag;
          bool ok;
          queue.Next(&tag, &ok);
          queue.Shutdown();
          while (queue.Next(&tag, &ok)) {
          }
          counts_.Add("Recommend(not UTF-8)", status.error_code());
        }
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
  }

  void Run(absl::Duration duration) {
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) threads.emplace_back([this, i] { Recommender(i); });
    for (int i = 0; i < 2; ++i) threads.emplace_back([this, i] { Recorder(i); });
    threads.emplace_back([this] { Campaigns(false); });
    for (int i = 0; i < 2; ++i) threads.emplace_back([this] { Campaigns(true); });
    threads.emplace_back([this] { Stalled(); });
    threads.emplace_back([this] { BadInput(7); });
    const absl::Time end = absl::Now() + duration;
    while (absl::Now() < end) {
      absl::SleepFor(std::min(absl::Seconds(30), end - absl::Now()));
      PrintInterval();
    }
    stop_ = true;
    for (std::thread& thread : threads) thread.join();
  }

  void PrintInterval() {
    std::vector<double> latencies;
    {
      std::lock_guard<std::mutex> lock(latency_mu_);
      latencies.swap(latencies_);
    }
    std::sort(latencies.begin(), latencies.end());
    auto at = [&](double q) {
      return latencies.empty() ? 0.0 : latencies[static_cast<size_t>(q * (latencies.size() - 1))];
    };
    std::cout << absl::FormatTime("%H:%M:%S", absl::Now(), absl::LocalTimeZone())
              << " Recommend ok " << latencies.size() << " p50 "
              << absl::StrFormat("%.2f", at(0.5)) << " ms p99 "
              << absl::StrFormat("%.2f", at(0.99)) << " ms; events acknowledged "
              << acknowledged_.load() << std::endl;
  }

  const Counts& counts() const { return counts_; }
  int64_t acknowledged() const { return acknowledged_; }

 private:
  const std::string target_;
  const Shop shop_;
  const int new_customers_ = std::max(1, absl::GetFlag(FLAGS_new_customers));
  std::atomic<bool> stop_{false};
  Counts counts_;
  std::mutex acks_mu_;
  std::ofstream acks_;
  std::atomic<int64_t> acknowledged_{0};
  std::mutex latency_mu_;
  std::vector<double> latencies_;
};

// Every acknowledged (sequence, customer, item) must be in the log.
int Verify(const std::string& log_dir, const std::string& acks_path) {
  absl::flat_hash_set<std::string> logged;
  events::EventLogReadSummary summary;
  const absl::Status read = events::ReadEventLog(
      log_dir,
      [&logged](const events::LogRecord& record) {
        for (const events::LoggedEvent& event : record.events()) {
          logged.insert(absl::StrCat(record.sequence(), "\t", event.customer_id(),
                                     "\t", event.item_id()));
        }
        return absl::OkStatus();
      },
      &summary);
  if (!read.ok()) {
    std::cerr << "cannot read the log: " << read.message() << "\n";
    return 1;
  }
  std::ifstream in(acks_path);
  std::string line;
  int64_t acknowledged = 0;
  int64_t lost = 0;
  while (std::getline(in, line)) {
    ++acknowledged;
    if (!logged.contains(line)) ++lost;
  }
  std::cout << "acknowledged events: " << acknowledged << ", in the log: "
            << acknowledged - lost << ", lost: " << lost << " (log: "
            << summary.records << " records, " << summary.events
            << " events, torn tail dropped: " << summary.torn_tail_bytes
            << " bytes)\n";
  return lost == 0 && acknowledged > 0 ? 0 : 1;
}

}  // namespace
}  // namespace recommender::soak

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using namespace recommender::soak;  // NOLINT
  if (!absl::GetFlag(FLAGS_verify_log).empty()) {
    return Verify(absl::GetFlag(FLAGS_verify_log), absl::GetFlag(FLAGS_acks));
  }
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  Shop shop{FirstColumn(recommender::JoinPath(data_dir, "customers.csv"), 5000),
            FirstColumn(recommender::JoinPath(data_dir, "catalog.csv"), 5000)};
  if (shop.customers.empty() || shop.items.empty()) {
    std::cerr << "no customers or items in " << data_dir << "\n";
    return 2;
  }
  Soak soak(absl::GetFlag(FLAGS_target), shop, absl::GetFlag(FLAGS_acks));
  soak.Run(absl::Seconds(absl::GetFlag(FLAGS_seconds)));
  const std::string report = soak.counts().Render();
  std::cout << "calls by RPC and status code:\n" << report;
  if (!absl::GetFlag(FLAGS_report).empty()) {
    std::ofstream(absl::GetFlag(FLAGS_report)) << report;
  }
  return 0;
}
