#include "serving/server_metrics.h"

#include "absl/time/clock.h"
#include "recommender/util/time_util.h"

namespace recommender::serving {

void RegisterServerMetrics(const ModelManager* models, const LiveEvents* live,
                           const std::atomic<int64_t>* model_loads,
                           Metrics* metrics) {
  using Kind = Metrics::Kind;
  metrics->AddCallback(
      "recommender_model_version", "Version of the model in service (0: none).",
      Kind::kGauge, [models] {
        auto model = models->Current();
        return model == nullptr ? 0.0 : static_cast<double>(model->version());
      });
  metrics->AddCallback(
      "recommender_model_age_seconds",
      "Seconds since the model in service was trained (0: none).",
      Kind::kGauge, [models] {
        auto model = models->Current();
        if (model == nullptr) return 0.0;
        absl::StatusOr<absl::Time> trained =
            ParseIsoTimestamp(model->manifest().trained_at());
        return trained.ok() ? absl::ToDoubleSeconds(absl::Now() - *trained)
                            : 0.0;
      });
  metrics->AddCallback("recommender_model_loads_total",
                       "Model versions loaded and put in service.",
                       Kind::kCounter,
                       [model_loads] { return double(model_loads->load()); });
  metrics->AddCallback(
      "recommender_model_load_failures_total",
      "Model versions refused (bad checksum, sizes, ids); the previous one "
      "kept serving.",
      Kind::kCounter,
      [models] { return static_cast<double>(models->load_failures()); });
  if (live == nullptr) return;
  metrics->AddCallback("recommender_events_appended_total",
                       "Live events acknowledged (durable in the event log) "
                       "since start.",
                       Kind::kCounter, [live] {
                         return double(live->log_stats().events_appended);
                       });
  metrics->AddCallback("recommender_event_log_group_commits_total",
                       "Writes + fdatasyncs of the event log since start.",
                       Kind::kCounter, [live] {
                         return double(live->log_stats().group_commits);
                       });
  metrics->AddCallback("recommender_event_log_bytes",
                       "Size of the event log on disk.", Kind::kGauge,
                       [live] { return double(live->log_stats().bytes); });
  metrics->AddCallback("recommender_event_log_last_sequence",
                       "Sequence of the newest event-log record.",
                       Kind::kGauge, [live] {
                         return double(live->log_stats().last_sequence);
                       });
  metrics->AddCallback(
      "recommender_live_customers",
      "Customers with events newer than the model (live state).",
      Kind::kGauge,
      [live] { return double(live->state().stats().customers); });
  metrics->AddCallback("recommender_live_events",
                       "Events held in the live state.", Kind::kGauge,
                       [live] { return double(live->state().stats().events); });
  metrics->AddCallback(
      "recommender_live_state_bytes",
      "Estimated memory held by the live state (ids, events, tables).",
      Kind::kGauge, [live] { return double(live->state().stats().bytes); });
  metrics->AddCallback(
      "recommender_live_customers_evicted_total",
      "Customers forgotten by the live state to stay within "
      "--max_live_customers (their events wait in the log for training).",
      Kind::kCounter,
      [live] { return double(live->state().stats().evicted_customers); });
}

void RegisterCallGateMetrics(const CallGate* gate, Metrics* metrics) {
  using Kind = Metrics::Kind;
  metrics->AddCallback(
      "recommender_calls_in_flight",
      "Calls of the recommender services in progress (streams included).",
      Kind::kGauge, [gate] { return double(gate->stats().calls_in_flight); });
  metrics->AddCallback(
      "recommender_streams_running",
      "Campaign streams (BatchRecommend) in progress; at most --max_streams.",
      Kind::kGauge, [gate] { return double(gate->stats().streams_running); });
  metrics->AddCallback(
      "recommender_streams_refused_total",
      "Campaign streams refused with RESOURCE_EXHAUSTED (--max_streams "
      "running).",
      Kind::kCounter,
      [gate] { return double(gate->stats().streams_refused); });
  metrics->AddCallback(
      "recommender_stream_write_timeouts_total",
      "Campaign streams ended because the client read nothing for "
      "--stream_write_timeout_seconds.",
      Kind::kCounter,
      [gate] { return double(gate->stats().stream_write_timeouts); });
}

void RegisterCandidateCacheMetrics(const CandidateCache* cache,
                                   Metrics* metrics) {
  using Kind = Metrics::Kind;
  metrics->AddCallback(
      "recommender_candidate_cache_hits_total",
      "Recommend calls answered from the customer's cached candidates.",
      Kind::kCounter, [cache] { return double(cache->stats().hits); });
  metrics->AddCallback(
      "recommender_candidate_cache_misses_total",
      "Recommend calls of known customers that searched the index.",
      Kind::kCounter, [cache] { return double(cache->stats().misses); });
  metrics->AddCallback(
      "recommender_candidate_cache_evictions_total",
      "Entries dropped to stay under --candidate_cache_entries.",
      Kind::kCounter, [cache] { return double(cache->stats().evictions); });
  metrics->AddCallback(
      "recommender_candidate_cache_invalidations_total",
      "Entries dropped because the model, the customer's vector or live "
      "purchases changed.",
      Kind::kCounter,
      [cache] { return double(cache->stats().invalidations); });
  metrics->AddCallback("recommender_candidate_cache_entries",
                       "Customers with cached candidates.", Kind::kGauge,
                       [cache] { return double(cache->stats().entries); });
}

}  // namespace recommender::serving
