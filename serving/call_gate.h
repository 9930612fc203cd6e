// CallGate: admission and drain for the recommender's calls, so that no
// kind of client can take the whole server.
//
// - Campaign streams (BatchRecommend) are the only calls whose length a
//   client decides (the server writes only as fast as it reads), and with
//   gRPC's synchronous server each holds a request thread. At most
//   Options::max_streams run at once; one more is refused at once with
//   RESOURCE_EXHAUSTED, so the other request threads stay free for unary
//   calls (the reserve). A write the client does not take within
//   Options::stream_write_timeout ends that stream (DEADLINE_EXCEEDED), so
//   a reader that stopped reading frees its thread.
// - Calls in flight are counted (by CallGateInterceptorFactory, for every
//   method of the recommender.v1 services), so that a drain can wait for
//   exactly them: StartDraining() makes new calls fail with UNAVAILABLE,
//   WaitUntilIdle() returns once the calls in flight are done, and
//   StopStreams() asks streams still running to end at their next customer.
//
// Thread-safe. The gate must outlive the server it guards.
#ifndef SERVING_CALL_GATE_H_
#define SERVING_CALL_GATE_H_

#include <cstdint>
#include <functional>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"

namespace recommender::serving {

class CallGate {
 public:
  struct Options {
    // Campaign streams running at once; more are RESOURCE_EXHAUSTED.
    int max_streams = 16;
    // How long one message of a stream may wait for the client to read.
    absl::Duration stream_write_timeout = absl::Seconds(30);
  };

  explicit CallGate(Options options);
  ~CallGate();
  CallGate(const CallGate&) = delete;
  CallGate& operator=(const CallGate&) = delete;

  // A campaign stream's place, held for the stream's whole life.
  class StreamSlot {
   public:
    StreamSlot(StreamSlot&& other) noexcept : gate_(other.gate_) {
      other.gate_ = nullptr;
    }
    StreamSlot& operator=(StreamSlot&&) = delete;
    ~StreamSlot();

   private:
    friend class CallGate;
    explicit StreamSlot(CallGate* gate) : gate_(gate) {}
    CallGate* gate_;
  };

  // A slot, or RESOURCE_EXHAUSTED when max_streams are running, or
  // UNAVAILABLE while draining.
  absl::StatusOr<StreamSlot> AcquireStream();

  // Runs `write` (one blocking write of a stream), calling `cancel` (which
  // ends the call, so that the write returns; may be empty) if it has not
  // returned within stream_write_timeout. Returns what `write` returned;
  // *timed_out says whether the timeout was reached.
  template <typename Write>
  bool WriteWithDeadline(const std::function<void()>& cancel, Write write,
                         bool* timed_out) {
    const int64_t id = WatchWrite(&cancel);
    const bool written = write();
    *timed_out = UnwatchWrite(id);
    return written;
  }

  // UNAVAILABLE once draining, else OK: the first thing every call asks.
  absl::Status Admit() const;

  void StartDraining();
  // Asks running streams to stop at their next customer.
  void StopStreams();
  bool streams_stopping() const;
  // Blocks until no call is in flight or `timeout` has passed; true if idle.
  bool WaitUntilIdle(absl::Duration timeout);

  // Called by the interceptor at the start and the end of each call.
  void CallStarted();
  void CallFinished();

  struct Stats {
    int64_t calls_in_flight = 0;
    int64_t streams_running = 0;
    int64_t streams_refused = 0;
    int64_t stream_write_timeouts = 0;
  };
  Stats stats() const;
  const Options& options() const { return options_; }

 private:
  struct Watched {
    const std::function<void()>* cancel;
    absl::Time since;
    bool cancelled = false;
  };
  int64_t WatchWrite(const std::function<void()>* cancel);
  // True if the watchdog cancelled this write.
  bool UnwatchWrite(int64_t id);
  void ReleaseStream();
  void Watchdog();

  const Options options_;
  mutable absl::Mutex mu_;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  bool streams_stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  int64_t calls_in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t streams_running_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t streams_refused_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t stream_write_timeouts_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t next_write_id_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<int64_t, Watched> writes_ ABSL_GUARDED_BY(mu_);
  std::thread watchdog_;
};

// Counts every call of a recommender.v1 service (not health or reflection)
// in the gate from its start until it is over (its status sent).
class CallGateInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallGateInterceptorFactory(CallGate* gate) : gate_(gate) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  CallGate* gate_;
};

}  // namespace recommender::serving

#endif  // SERVING_CALL_GATE_H_
