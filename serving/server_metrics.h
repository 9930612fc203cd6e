// The server's own gauges and counters beside the per-RPC ones: the model
// in service (version, age, loads, refused loads), the live events (log
// size, events appended, customers with live state and its memory) and the
// call gate (campaign streams running, refused, ended for a stalled reader).
#ifndef SERVING_SERVER_METRICS_H_
#define SERVING_SERVER_METRICS_H_

#include <atomic>
#include <cstdint>

#include "recommender/live/live_events.h"
#include "recommender/model/model_manager.h"
#include "recommender/ranking/candidate_cache.h"
#include "serving/call_gate.h"
#include "serving/metrics.h"

namespace recommender::serving {

// Registers the callbacks. Nothing is owned; everything must outlive
// `metrics`. `live` may be null (no event log). `model_loads` counts
// successful loads (the ModelManager listener increments it).
void RegisterServerMetrics(const ModelManager* models, const LiveEvents* live,
                           const std::atomic<int64_t>* model_loads,
                           Metrics* metrics);

// The candidate cache's hits, misses, evictions, invalidations and entries.
// `cache` is not owned and must outlive `metrics`.
void RegisterCandidateCacheMetrics(const CandidateCache* cache,
                                   Metrics* metrics);
// The gate's figures; `gate` must outlive `metrics`.
void RegisterCallGateMetrics(const CallGate* gate, Metrics* metrics);

}  // namespace recommender::serving

#endif  // SERVING_SERVER_METRICS_H_
