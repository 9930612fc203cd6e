#include "serving/operations_service.h"

#include <memory>

#include "absl/time/clock.h"
#include "recommender/util/time_util.h"
#include "serving/grpc_status.h"

namespace recommender::serving {
namespace {

void AddMethods(const Metrics::Values& values, v1::ServerStatus* out) {
  for (double bound : Metrics::kLatencyBuckets) {
    out->add_latency_bucket_bounds_seconds(bound);
  }
  for (const Metrics::MethodCode& handled : values.handled) {
    v1::MethodStats* stats = out->add_methods();
    stats->set_transport(handled.key.transport == Metrics::Transport::kGrpc
                             ? "grpc"
                             : "http");
    stats->set_service(handled.key.service);
    stats->set_method(handled.key.method);
    stats->set_code(handled.code);
    stats->set_count(handled.latency.count);
    for (int64_t bucket : handled.latency.buckets) {
      stats->add_latency_buckets(bucket);
    }
    stats->set_latency_seconds_sum(handled.latency.sum);
  }
  for (const auto& [name, value] : values.values) {
    (*out->mutable_metrics())[name] = value;
  }
}

}  // namespace

absl::Status OperationsService::GetServerStatus(
    const CallContext& /*call*/, const v1::GetServerStatusRequest& /*request*/,
    v1::ServerStatus* response) {
  response->set_now(FormatRfc3339Utc(absl::Now()));
  response->set_started_at(FormatRfc3339Utc(sources_.started_at));
  response->set_serving(sources_.health->serving());
  const std::shared_ptr<const ModelSnapshot> model = sources_.models->Current();
  response->set_model_version(model == nullptr ? 0 : model->version());
  for (const ModelLoadHistory::Attempt& attempt :
       sources_.loads->Attempts()) {
    v1::ModelLoadAttempt* out = response->add_model_loads();
    out->set_version(attempt.version);
    out->set_at(FormatRfc3339Utc(attempt.at));
    out->set_loaded(attempt.loaded);
    out->set_error(attempt.error);
  }
  AddMethods(sources_.metrics->Snapshot(), response);
  return absl::OkStatus();
}

grpc::Status OperationsService::GetServerStatus(
    grpc::ServerContext* context, const v1::GetServerStatusRequest* request,
    v1::ServerStatus* response) {
  return ToGrpcStatus(GetServerStatus(FromGrpc(*context), *request, response));
}

}  // namespace recommender::serving
