#include "serving/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace recommender::serving {
namespace {

std::string LabelValue(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}});
}

// Exact for whole numbers up to 2^53 (model versions such as
// 20261206093000 must not print as 2.0261206e+13); otherwise the shortest
// form that reads back as the same double.
std::string Number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (value == std::trunc(value) && std::fabs(value) <= kExactIntegers) {
    return absl::StrFormat("%.0f", value);
  }
  for (int digits = 6; digits < 17; ++digits) {
    std::string text = absl::StrFormat("%.*g", digits, value);
    if (std::strtod(text.c_str(), nullptr) == value) return text;
  }
  return absl::StrFormat("%.17g", value);
}

}  // namespace

Metrics::MethodKey Metrics::KeyOf(absl::string_view full_method,
                                  absl::string_view type, Transport transport) {
  // "/recommender.v1.Recommender/Recommend" -> service, method.
  absl::string_view path = full_method;
  if (!path.empty() && path[0] == '/') path.remove_prefix(1);
  const size_t slash = path.find('/');
  MethodKey key;
  key.transport = transport;
  key.service = std::string(path.substr(0, slash));
  key.method =
      slash == absl::string_view::npos ? "" : std::string(path.substr(slash + 1));
  key.type = std::string(type);
  return key;
}

void Metrics::RecordStart(absl::string_view full_method, absl::string_view type,
                          Transport transport) {
  MethodKey key = KeyOf(full_method, type, transport);
  absl::MutexLock lock(&mu_);
  ++started_[std::move(key)];
}

void Metrics::RecordRpc(absl::string_view full_method, absl::string_view type,
                        absl::string_view code, double seconds,
                        Transport transport) {
  const MethodKey key = KeyOf(full_method, type, transport);
  absl::MutexLock lock(&mu_);
  ++handled_[{key, std::string(code)}];
  Latency& latency = latency_[{key, std::string(code)}];
  for (size_t b = 0; b < kLatencyBuckets.size(); ++b) {
    if (seconds <= kLatencyBuckets[b]) ++latency.buckets[b];
  }
  ++latency.count;
  latency.sum += seconds;
}

void Metrics::AddCallback(std::string name, std::string help, Kind kind,
                          std::function<double()> value) {
  absl::MutexLock lock(&mu_);
  callbacks_.push_back(
      {std::move(name), std::move(help), kind, std::move(value)});
}

Metrics::Values Metrics::Snapshot() const {
  Values values;
  absl::MutexLock lock(&mu_);
  values.started.assign(started_.begin(), started_.end());
  for (const auto& [key, latency] : latency_) {
    values.handled.push_back({key.first, key.second, latency});
  }
  for (const Callback& callback : callbacks_) {
    values.values.emplace_back(callback.name, callback.value());
  }
  return values;
}

void Metrics::RenderCalls(Transport transport, std::string* out) const {
  const std::string prefix =
      transport == Transport::kGrpc ? "grpc_server_" : "http_server_";
  const absl::string_view via =
      transport == Transport::kGrpc ? "" : " through the HTTP gateway";
  auto labels = [](const MethodKey& key) {
    return absl::StrCat("grpc_service=\"", LabelValue(key.service),
                        "\",grpc_method=\"", LabelValue(key.method),
                        "\",grpc_type=\"", LabelValue(key.type), "\"");
  };
  absl::StrAppend(out, "# HELP ", prefix, "started_total Calls started", via,
                  ", by method.\n", "# TYPE ", prefix,
                  "started_total counter\n");
  for (const auto& [key, count] : started_) {
    if (key.transport != transport) continue;
    absl::StrAppend(out, prefix, "started_total{", labels(key), "} ", count,
                    "\n");
  }
  absl::StrAppend(out, "# HELP ", prefix, "handled_total Calls completed", via,
                  ", by method and status code.\n", "# TYPE ", prefix,
                  "handled_total counter\n");
  for (const auto& [key, count] : handled_) {
    if (key.first.transport != transport) continue;
    absl::StrAppend(out, prefix, "handled_total{", labels(key.first),
                    ",grpc_code=\"", LabelValue(key.second), "\"} ", count,
                    "\n");
  }
  absl::StrAppend(out, "# HELP ", prefix,
                  "handling_seconds Time from the call's arrival to its "
                  "status",
                  via, ", by method and status code.\n", "# TYPE ", prefix,
                  "handling_seconds histogram\n");
  for (const auto& [key, latency] : latency_) {
    if (key.first.transport != transport) continue;
    const std::string common = absl::StrCat(labels(key.first), ",grpc_code=\"",
                                            LabelValue(key.second), "\"");
    for (size_t b = 0; b < kLatencyBuckets.size(); ++b) {
      absl::StrAppend(out, prefix, "handling_seconds_bucket{", common, ",le=\"",
                      Number(kLatencyBuckets[b]), "\"} ", latency.buckets[b],
                      "\n");
    }
    absl::StrAppend(out, prefix, "handling_seconds_bucket{", common,
                    ",le=\"+Inf\"} ", latency.count, "\n", prefix,
                    "handling_seconds_sum{", common, "} ", Number(latency.sum),
                    "\n", prefix, "handling_seconds_count{", common, "} ",
                    latency.count, "\n");
  }
}

std::string Metrics::Render() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  RenderCalls(Transport::kGrpc, &out);
  const bool http =
      std::any_of(started_.begin(), started_.end(), [](const auto& entry) {
        return entry.first.transport == Transport::kHttp;
      });
  if (http) RenderCalls(Transport::kHttp, &out);
  for (const Callback& callback : callbacks_) {
    absl::StrAppend(&out, "# HELP ", callback.name, " ", callback.help, "\n",
                    "# TYPE ", callback.name, " ",
                    callback.kind == Kind::kCounter ? "counter" : "gauge", "\n",
                    callback.name, " ", Number(callback.value()), "\n");
  }
  return out;
}

}  // namespace recommender::serving
