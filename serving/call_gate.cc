#include "serving/call_gate.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace recommender::serving {
namespace {

// How often the watchdog looks at the writes in progress.
constexpr absl::Duration kWatchdogPeriod = absl::Milliseconds(100);

// Lives as long as the call: gRPC destroys it with the call's context,
// once the status has gone out, so a drain that waits for the count to
// reach 0 cancels no answer in transit.
class CallGateInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit CallGateInterceptor(CallGate* gate) : gate_(gate) {
    gate_->CallStarted();
  }
  ~CallGateInterceptor() override { gate_->CallFinished(); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    methods->Proceed();
  }

 private:
  CallGate* gate_;
};

// Only the recommender's own calls: a health Watch lasts as long as its
// client likes and must not hold up a drain.
class PassThrough : public grpc::experimental::Interceptor {
 public:
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    methods->Proceed();
  }
};

}  // namespace

CallGate::CallGate(Options options)
    : options_(options), watchdog_([this] { Watchdog(); }) {}

CallGate::~CallGate() {
  {
    absl::MutexLock lock(&mu_);
    stopped_ = true;
  }
  watchdog_.join();
}

CallGate::StreamSlot::~StreamSlot() {
  if (gate_ != nullptr) gate_->ReleaseStream();
}

absl::StatusOr<CallGate::StreamSlot> CallGate::AcquireStream() {
  absl::MutexLock lock(&mu_);
  if (draining_) {
    return absl::UnavailableError("the server is shutting down");
  }
  if (streams_running_ >= options_.max_streams) {
    ++streams_refused_;
    return absl::ResourceExhaustedError(absl::StrCat(
        "too many campaign streams at once (", options_.max_streams,
        ", the server's --max_streams); retry when one has finished"));
  }
  ++streams_running_;
  return StreamSlot(this);
}

void CallGate::ReleaseStream() {
  absl::MutexLock lock(&mu_);
  --streams_running_;
}

absl::Status CallGate::Admit() const {
  absl::MutexLock lock(&mu_);
  if (draining_) return absl::UnavailableError("the server is shutting down");
  return absl::OkStatus();
}

void CallGate::StartDraining() {
  absl::MutexLock lock(&mu_);
  draining_ = true;
}

void CallGate::StopStreams() {
  absl::MutexLock lock(&mu_);
  streams_stopping_ = true;
}

bool CallGate::streams_stopping() const {
  absl::MutexLock lock(&mu_);
  return streams_stopping_;
}

bool CallGate::WaitUntilIdle(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return calls_in_flight_ == 0;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&idle), timeout);
}

void CallGate::CallStarted() {
  absl::MutexLock lock(&mu_);
  ++calls_in_flight_;
}

void CallGate::CallFinished() {
  absl::MutexLock lock(&mu_);
  --calls_in_flight_;
}

int64_t CallGate::WatchWrite(const std::function<void()>* cancel) {
  absl::MutexLock lock(&mu_);
  const int64_t id = next_write_id_++;
  writes_.emplace(id, Watched{cancel, absl::Now()});
  return id;
}

bool CallGate::UnwatchWrite(int64_t id) {
  absl::MutexLock lock(&mu_);
  auto it = writes_.find(id);
  const bool cancelled = it->second.cancelled;
  writes_.erase(it);
  return cancelled;
}

void CallGate::Watchdog() {
  absl::MutexLock lock(&mu_);
  auto stopped = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopped_; };
  while (!mu_.AwaitWithTimeout(absl::Condition(&stopped), kWatchdogPeriod)) {
    const absl::Time now = absl::Now();
    for (auto& [id, write] : writes_) {
      if (write.cancelled || now - write.since < options_.stream_write_timeout) {
        continue;
      }
      // The writer is still blocked in its write: `cancel` is alive until
      // it returns and unwatches (under mu_).
      if (*write.cancel) (*write.cancel)();
      write.cancelled = true;
      ++stream_write_timeouts_;
    }
  }
}

CallGate::Stats CallGate::stats() const {
  absl::MutexLock lock(&mu_);
  return {calls_in_flight_, streams_running_, streams_refused_,
          stream_write_timeouts_};
}

grpc::experimental::Interceptor* CallGateInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  if (!absl::StartsWith(info->method(), "/recommender.v1.")) {
    return new PassThrough();
  }
  return new CallGateInterceptor(gate_);
}

}  // namespace recommender::serving
