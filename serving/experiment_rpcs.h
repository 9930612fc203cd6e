// The storefront-experiment calls of recommender.v1.Recommender
// (CreateExperiment, ListExperiments, GetExperimentReport) and what an
// experiment does to a Recommend call: the customer's arm, its settings
// applied to the query, the first exposure recorded durably, and the
// response marked with the experiment, the arm and a recommendation id
// naming both. The core is recommender/campaigns/experiment*.h behind the
// campaign manager; this file converts and maps.
//
// Ownership: borrows the manager (may be null: experiment calls are then
// FailedPrecondition and Recommend is untouched). Thread-safe.
#ifndef SERVING_EXPERIMENT_RPCS_H_
#define SERVING_EXPERIMENT_RPCS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "proto/recommender.pb.h"
#include "recommender/campaigns/campaign_manager.h"
#include "recommender/campaigns/experiment.h"
#include "recommender/campaigns/experiment_report.h"
#include "recommender/campaigns/experiment_store.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/recommend.h"

namespace recommender::serving {

// API defaults: attribution_window_days and duration_days 0 mean 14, an
// empty control_arm the first arm. Values out of range pass through for
// ValidateExperiment to name.
campaigns::ExperimentDefinition FromProto(const v1::Experiment& experiment);
void ToProto(const campaigns::StoredExperiment& experiment, v1::Experiment* out);
void ToProto(const campaigns::ExperimentReport& report,
             v1::ExperimentReport* out);

class ExperimentRpcs {
 public:
  explicit ExperimentRpcs(campaigns::CampaignManager* manager)
      : manager_(manager) {}

  // `now` is the server's clock (the creation time; the experiment serves
  // from then for duration_days).
  absl::Status CreateExperiment(const v1::CreateExperimentRequest& request,
                                absl::Time now, v1::Experiment* response) const;
  absl::Status ListExperiments(v1::ListExperimentsResponse* response) const;
  absl::Status GetExperimentReport(const ModelSnapshot& model,
                                   const v1::GetExperimentReportRequest& request,
                                   absl::Time now,
                                   v1::ExperimentReport* response) const;

  // The arm an experiment running at `now` serves `customer_id`, its
  // settings applied to `query` (repurchase settings over `model`'s
  // options; may be null: the defaults'); nullopt (query untouched) with no
  // running experiment or an anonymous visitor (empty customer id).
  struct Served {
    std::shared_ptr<const campaigns::RunningExperiment> experiment;
    int arm = 0;
  };
  std::optional<Served> Assign(const std::string& customer_id, absl::Time now,
                               RecommendQuery* query,
                               const ModelSnapshot* model = nullptr) const;
  // Records the customer's first exposure (durable before it returns) and
  // marks the response with the experiment, the arm and a recommendation
  // id naming both. If the exposure cannot be recorded the error is
  // logged and the response keeps a plain id: an experiment never fails a
  // storefront's call.
  void Expose(const Served& served, const std::string& customer_id,
              absl::Time now, v1::RecommendResponse* response) const;

 private:
  absl::Status RequireManager() const;
  campaigns::CampaignManager* manager_;
};

}  // namespace recommender::serving

#endif  // SERVING_EXPERIMENT_RPCS_H_
