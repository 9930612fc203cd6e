#include "training/tuning/self_tuning/self_tuning.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "recommender/ltr/ranking_features.h"
#include "recommender/ltr/xgboost_ranker_model.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/recommend.h"
#include "recommender/util/status_macros.h"
#include "tools/progress_bar.h"
#include "training/evaluation/protocol/served_model_ranker.h"
#include "training/ials/interaction_matrix.h"
#include "training/ranker/ranker_examples.h"
#include "training/ranker/xgboost_ranker_trainer.h"
#include "training/trainer/snapshot_builder.h"
#include "training/tuning/self_tuning/pattern_search.h"
#include "training/tuning/self_tuning/tuning_deadline.h"

namespace recommender {
namespace {

// Stage 1 starts no trial that would end past this share of the budget,
// stage 2 none past the second; the rest is for stage 3.
constexpr double kIalsBudgetShare = 0.6;
constexpr double kRepurchaseBudgetShare = 0.7;
// Stage 1's pattern searches: the first from the given settings, then
// from seeded random points while they end before the second share of the
// budget (less than the first search's, so that restarts never starve the
// learned ranker's stage).
constexpr int kMaxIalsSearches = 6;
// Settings along the ridge next to the best one that the validation slice
// rates within this many standard errors of the best are served together.
constexpr double kEnsembleStandardErrors = 2;
// More factors than the slice's best setting has are served while the
// slice rates them within this many standard errors of it (the
// one-standard-error rule, turned towards capacity).
constexpr double kCapacityStandardErrors = 1;
constexpr double kIalsRestartShare = 0.45;
// Of what is left when stage 3 starts, building its examples may take this
// share; of what is left after them (less their scoring), each
// configuration's cross-validated training this share.
constexpr double kRankerExamplesShare = 0.3;
constexpr double kCrossValidationShare = 0.6;
// Examples are built for the validation customers in a seeded order, in
// chunks (of at least kMinExampleChunk customers), until their share is spent.
constexpr size_t kExampleChunks = 8;
constexpr size_t kMinExampleChunk = 50;
// Candidates each source proposes to the ranker.
constexpr int32_t kCandidatesPerSource = 50;
// Folds stop once their held-out ndcg has not improved for this many rounds.
constexpr int32_t kRankerEarlyStopping = 25;
// A ranker is kept only if its gain over the model without one, paired
// over the held-out customers, exceeds this many standard errors.
constexpr double kRankerMinStandardErrors = 2;
// A kept ranker is left out of one kind of request only if that kind's
// held-out lists gain less than this many standard errors while the
// other's gain more: dropping it where it helps costs far more than
// keeping it where it does not.
constexpr double kRankerKindMinStandardErrors = 1;
// Fewer example groups than this: no ranker is tried.
constexpr int64_t kMinRankerGroups = 30;

const char* const kHeadline[] = {"precision", "recall", "ndcg", "map", "hit_rate"};

// A setting's metrics on the validation slice ("all/ndcg@10", ...) and the
// objective (ndcg@k averaged over the tasks).
struct Scores {
  std::map<std::string, double> metrics;
  double objective = 0;
  // Per task, each scored customer's (row's) ndcg@k.
  std::map<EvalTask, std::map<int32_t, double>> customer_ndcg;
};

// How much `a` beats `b` on the objective over the customers both scored,
// and the standard error of that difference (per task the paired
// differences' variance over their count, the tasks' terms added as if
// independent).
struct Gain {
  double mean = 0;
  double standard_error = 0;
};

Gain PairedGain(const Scores& a, const Scores& b) {
  Gain gain;
  double variance = 0;
  int tasks = 0;
  for (const auto& [task, ours] : a.customer_ndcg) {
    const auto theirs = b.customer_ndcg.find(task);
    if (theirs == b.customer_ndcg.end()) continue;
    double sum = 0;
    double sum_sq = 0;
    int64_t n = 0;
    for (const auto& [customer, value] : ours) {
      const auto other = theirs->second.find(customer);
      if (other == theirs->second.end()) continue;
      const double d = value - other->second;
      sum += d;
      sum_sq += d * d;
      ++n;
    }
    ++tasks;
    if (n == 0) continue;
    const double mean = sum / static_cast<double>(n);
    gain.mean += mean;
    if (n > 1) {
      variance += (sum_sq - static_cast<double>(n) * mean * mean) /
                  static_cast<double>(n - 1) / static_cast<double>(n);
    }
  }
  if (tasks > 0) {
    gain.mean /= tasks;
    gain.standard_error = std::sqrt(std::max(0.0, variance)) / tasks;
  }
  return gain;
}

// `scores` on `task` alone (its per-customer ndcg), for a gain on it.
Scores OnTask(const Scores& scores, EvalTask task) {
  Scores one;
  if (const auto it = scores.customer_ndcg.find(task);
      it != scores.customer_ndcg.end()) {
    one.customer_ndcg[task] = it->second;
  }
  return one;
}

// `ranked` on `task` and `unranked` on every other task: what serving the
// ranker to `task`'s kind of request alone scores.
Scores Combined(const Scores& ranked, const Scores& unranked, EvalTask task) {
  Scores out = unranked;
  const std::string prefix = absl::StrCat(EvalTaskName(task), "/");
  int tasks = 0;
  out.objective = 0;
  for (const auto& [name, value] : ranked.metrics) {
    if (absl::StartsWith(name, prefix)) out.metrics[name] = value;
  }
  out.customer_ndcg[task] = ranked.customer_ndcg.at(task);
  for (const auto& [name, value] : out.metrics) {
    if (name.find("/ndcg@") != std::string::npos) {
      out.objective += value;
      ++tasks;
    }
  }
  if (tasks > 0) out.objective /= tasks;
  out.metrics["objective"] = out.objective;
  return out;
}

// Per task, headline metrics weighted by customers, for pooling folds.
class ScorePool {
 public:
  ScorePool(const std::vector<EvalTask>& tasks, int k) : tasks_(tasks), k_(k) {}

  // `metrics` of `cases` on `task` (EvaluateRanker's, which adds the
  // customers with a relevant item in the cases' order).
  void Add(EvalTask task, const RankingMetrics& metrics,
           const EvaluationCases& cases) {
    const double n = static_cast<double>(metrics.customers());
    for (const char* name : kHeadline) {
      sums_[Key(task, name)] += n * metrics.Value(absl::StrCat(name, "@", k_));
    }
    customers_[EvalTaskName(task)] += n;
    const std::vector<double>& ndcg = metrics.CustomerNdcg(k_);
    size_t next = 0;
    for (const EvaluationCases::Case& c : cases.cases()) {
      const auto& relevant = task == EvalTask::kAll ? c.relevant_all : c.relevant_new;
      if (relevant.empty() || next >= ndcg.size()) continue;
      customer_ndcg_[task][c.customer] = ndcg[next++];
    }
  }

  Scores Take() const {
    Scores scores;
    for (EvalTask task : tasks_) {
      const double n = customers_.count(EvalTaskName(task)) > 0
                           ? customers_.at(EvalTaskName(task))
                           : 0;
      for (const char* name : kHeadline) {
        const auto it = sums_.find(Key(task, name));
        scores.metrics[Key(task, name)] =
            n > 0 && it != sums_.end() ? it->second / n : 0;
      }
      scores.objective += scores.metrics[Key(task, "ndcg")] /
                          static_cast<double>(tasks_.size());
    }
    scores.metrics["objective"] = scores.objective;
    scores.customer_ndcg = customer_ndcg_;
    return scores;
  }

 private:
  std::string Key(EvalTask task, const char* name) const {
    return absl::StrCat(EvalTaskName(task), "/", name, "@", k_);
  }

  std::vector<EvalTask> tasks_;
  int k_;
  std::map<std::string, double> sums_;
  std::map<std::string, double> customers_;
  std::map<EvalTask, std::map<int32_t, double>> customer_ndcg_;
};

// One searchable setting: its values in order and where it goes.
struct Dimension {
  std::string name;
  std::vector<double> values;
  std::function<void(double, TrainerOptions&)> apply;
};

// `values` with `base` added if missing (sorted ascending, a trailing 0
// meaning "none" kept last), and the index of `base`.
std::pair<std::vector<double>, int> WithBase(std::vector<double> values,
                                             double base, bool zero_last) {
  if (std::find(values.begin(), values.end(), base) == values.end()) {
    values.push_back(base);
    std::sort(values.begin(), values.end(), [&](double a, double b) {
      if (zero_last && (a == 0 || b == 0)) return b == 0 && a != 0;
      return a < b;
    });
  }
  const int index = static_cast<int>(
      std::find(values.begin(), values.end(), base) - values.begin());
  return {values, index};
}

uint64_t Mix(uint64_t x) {
  // splitmix64's finaliser.
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string Number(double value) { return absl::StrFormat("%g", value); }

class Tuner {
 public:
  Tuner(const ShopData& data, const TrainerOptions& base,
        const SelfTuningOptions& options, std::ostream& log)
      : data_(data),
        options_(options),
        log_(log),
        deadline_(options.max_ials_trials > 0 ? absl::InfiniteDuration()
                                              : options.budget,
                  options.clock),
        progress_(log, "tuning seconds",
                  std::max<int64_t>(1, absl::ToInt64Seconds(options.budget)),
                  options.terminal_progress, absl::Now()) {
    outcome_.trainer = base;
  }

  absl::StatusOr<TuningOutcome> Run();

 private:
  double Elapsed() const { return absl::ToDoubleSeconds(deadline_.Elapsed()); }
  // Notes in the report (and the log) what the budget cut.
  void Cut(const std::string& what) {
    outcome_.report.add_budget_cuts(what);
    log_ << "self-tuning: budget: " << what << "\n";
  }
  double Budget() const { return absl::ToDoubleSeconds(options_.budget); }

  // Scores `snapshot` ranked as served on `cases`, on the tuned tasks or
  // on `tasks` alone.
  absl::StatusOr<Scores> ScoreServed(
      std::shared_ptr<const ModelSnapshot> snapshot,
      const LearnedRanking& ranking,
      const std::optional<RepurchaseRankingOptions>& repurchase,
      const EvaluationCases& cases,
      std::optional<std::vector<EvalTask>> tasks = std::nullopt) const;
  void AddScores(ScorePool& pool, const RankingMetrics& metrics, EvalTask task) const;
  absl::Status ScoreInto(
      ScorePool& pool, std::shared_ptr<const ModelSnapshot> snapshot,
      const LearnedRanking& ranking,
      const std::optional<RepurchaseRankingOptions>& repurchase,
      const EvaluationCases& cases, const std::vector<EvalTask>& tasks) const;

  void Record(const std::string& stage, std::map<std::string, std::string> settings,
              const Scores& scores, double seconds);

  // The validation's training part as iALS's input under `interactions`.
  InteractionMatrix ValidationMatrix(const InteractionOptions& interactions) const;
  std::vector<Dimension> IalsDimensions() const;
  absl::Status TuneIals();
  // Serves `members` (stage-1 settings differing only in iALS's own
  // settings, the first the best) as one model of several factor blocks:
  // trains each on the validation's training part, scores the joined model
  // and makes it the stage's outcome.
  absl::Status EnsembleIals(const std::vector<TrainerOptions>& members,
                            double seconds_per_member);
  // Offers requests with exclude_purchased the block `block` (trained on
  // the stage's interactions), either beside the served blocks or in their
  // place, and serves the better of the two if it beats the served model
  // on those requests by kEnsembleStandardErrors (the other requests score
  // as before).
  absl::Status ServeNewRequestBlock(const IalsOptions& block,
                                    double seconds_per_training);
  absl::Status TuneRepurchase();
  absl::Status TuneRanker();
  // The ranker's examples from the validation customers, in a seeded
  // order, a chunk at a time while the next chunk is expected to end by
  // `end`; `used` marks the cases they came from (indexes into cases_),
  // `per_case` is the measured time per customer.
  absl::StatusOr<RankerExamples> BuildExamplesWithinBudget(
      const CandidateOptions& candidates, absl::Time end,
      std::vector<bool>& used, absl::Duration& per_case);

  const ShopData& data_;
  const SelfTuningOptions& options_;
  std::ostream& log_;
  TuningDeadline deadline_;
  ProgressBar progress_;
  TuningOutcome outcome_;

  ValidationSplit validation_;
  // The newest event of the validation's training part (recency decay is
  // measured back from it).
  int64_t validation_newest_ = 0;
  std::unique_ptr<EvaluationCases> cases_;
  // The stage-1 base: every part trained on the validation's training part.
  SnapshotContents base_contents_;
  std::shared_ptr<const ModelSnapshot> best_;
  Scores best_scores_;
  // The served blocks' models on the validation's training part, when
  // EnsembleIals joined several (for ServeNewRequestBlock).
  std::vector<IalsModel> served_models_;
  std::optional<RepurchaseRankingOptions> repurchase_;
};

InteractionMatrix Tuner::ValidationMatrix(
    const InteractionOptions& interactions) const {
  const ShopData& train = validation_.split.train;
  return InteractionMatrix::FromEvents(
      static_cast<int32_t>(train.customers.size()),
      static_cast<int32_t>(train.items.size()), train.events, interactions,
      validation_newest_);
}

absl::Status Tuner::EnsembleIals(const std::vector<TrainerOptions>& members,
                                 double seconds_per_member) {
  if (members.size() < 2) return absl::OkStatus();
  if (options_.max_ials_trials == 0 &&
      !deadline_.Fits(absl::Seconds(seconds_per_member * members.size()),
                      kIalsBudgetShare)) {
    Cut(absl::StrFormat("ials: the ensemble of %d settings was not trained",
                        members.size()));
    return absl::OkStatus();
  }
  const absl::Time begin = deadline_.Now();
  const InteractionMatrix matrix = ValidationMatrix(members[0].interactions);
  std::vector<IalsModel> models;
  std::vector<IalsOptions> blocks;
  std::map<std::string, std::string> settings;
  for (const TrainerOptions& member : members) {
    ASSIGN_OR_RETURN(IalsModel model, TrainIals(matrix, member.ials));
    models.push_back(std::move(model));
    blocks.push_back(member.ials);
    settings[absl::StrCat("block_", blocks.size())] = absl::StrFormat(
        "factors %d, regularization %g, alpha %g", member.ials.factors,
        member.ials.regularization, member.ials.alpha);
  }
  ASSIGN_OR_RETURN(SnapshotContents contents,
                   WithFactors(base_contents_, ConcatenateIalsModels(models),
                               blocks, members[0].index));
  ASSIGN_OR_RETURN(std::unique_ptr<const ModelSnapshot> snapshot,
                   ModelSnapshot::FromContents(std::move(contents)));
  std::shared_ptr<const ModelSnapshot> joined = std::move(snapshot);
  ASSIGN_OR_RETURN(Scores scores, ScoreServed(joined, LearnedRanking(),
                                              std::nullopt, *cases_));
  Record("ials", settings, scores,
         absl::ToDoubleSeconds(deadline_.Now() - begin));
  log_ << absl::StrFormat(
      "self-tuning: iALS ensemble of %d settings: ndcg %.4f (best single "
      "%.4f)\n",
      members.size(), scores.objective, best_scores_.objective);
  best_ = std::move(joined);
  best_scores_ = std::move(scores);
  outcome_.trainer = members[0];
  outcome_.trainer.extra_ials_blocks.assign(blocks.begin() + 1, blocks.end());
  served_models_ = std::move(models);
  return absl::OkStatus();
}

void Tuner::Record(const std::string& stage,
                   std::map<std::string, std::string> settings,
                   const Scores& scores, double seconds) {
  snapshot::TuningReport& report = outcome_.report;
  snapshot::TuningTrial* trial = report.add_trials();
  trial->set_number(report.trials_size());
  trial->set_stage(stage);
  trial->set_seconds(seconds);
  for (auto& [name, value] : settings) (*trial->mutable_settings())[name] = value;
  for (const auto& [name, value] : scores.metrics) {
    (*trial->mutable_metrics())[name] = value;
  }
  const int64_t done = std::min<int64_t>(
      static_cast<int64_t>(Elapsed()), std::max<int64_t>(1, Budget()) - 1);
  progress_.Update(std::max<int64_t>(done, 0),
                   absl::StrFormat("trial %d (%s): ndcg %.4f, best %.4f",
                                   trial->number(), stage, scores.objective,
                                   std::max(scores.objective, best_scores_.objective)));
}

absl::Status Tuner::ScoreInto(
    ScorePool& pool, std::shared_ptr<const ModelSnapshot> snapshot,
    const LearnedRanking& ranking,
    const std::optional<RepurchaseRankingOptions>& repurchase,
    const EvaluationCases& cases, const std::vector<EvalTask>& tasks) const {
  const ServedModelRanker ranker(std::move(snapshot), ranking, repurchase);
  for (EvalTask task : tasks) {
    ASSIGN_OR_RETURN(const RankingMetrics metrics,
                     EvaluateRanker(ranker, cases, task, {options_.k},
                                    outcome_.trainer.ials.threads));
    pool.Add(task, metrics, cases);
  }
  return absl::OkStatus();
}

absl::StatusOr<Scores> Tuner::ScoreServed(
    std::shared_ptr<const ModelSnapshot> snapshot,
    const LearnedRanking& ranking,
    const std::optional<RepurchaseRankingOptions>& repurchase,
    const EvaluationCases& cases,
    std::optional<std::vector<EvalTask>> tasks) const {
  const std::vector<EvalTask> scored = tasks.value_or(options_.tasks);
  ScorePool pool(scored, options_.k);
  RETURN_IF_ERROR(
      ScoreInto(pool, std::move(snapshot), ranking, repurchase, cases, scored));
  return pool.Take();
}

std::vector<Dimension> Tuner::IalsDimensions() const {
  bool views = false;
  bool carts = false;
  for (const Event& e : validation_.split.train.events) {
    views |= e.type == EventType::kView;
    carts |= e.type == EventType::kCart;
  }
  std::vector<Dimension> dims = {
      {"alpha", {0.05, 0.1, 0.2, 0.5, 1, 2, 4, 8},
       [](double v, TrainerOptions& o) { o.ials.alpha = static_cast<float>(v); }},
      {"regularization", {1, 3, 7, 15, 30, 60, 120},
       [](double v, TrainerOptions& o) {
         o.ials.regularization = static_cast<float>(v);
       }},
      {"recency_half_life_days", {7, 15, 30, 60, 120, 240, 0},
       [](double v, TrainerOptions& o) { o.interactions.recency_half_life_days = v; }},
      {"factors", {32, 64, 128},
       [](double v, TrainerOptions& o) { o.ials.factors = static_cast<int32_t>(v); }},
  };
  // A random slice cannot judge a decay (Run fixes it at none).
  if (options_.validation.kind == ValidationKind::kRandom) {
    dims.erase(std::remove_if(dims.begin(), dims.end(),
                              [](const Dimension& d) {
                                return d.name == "recency_half_life_days";
                              }),
               dims.end());
  }
  if (views) {
    dims.push_back({"view_weight", {0.25, 0.5, 1, 2, 4},
                    [](double v, TrainerOptions& o) {
                      o.interactions.weights.view = static_cast<float>(v);
                    }});
  }
  if (carts) {
    dims.push_back({"cart_weight", {1, 2, 4, 8}, [](double v, TrainerOptions& o) {
                      o.interactions.weights.cart = static_cast<float>(v);
                    }});
  }
  return dims;
}

absl::Status Tuner::TuneIals() {
  const TrainerOptions& base = outcome_.trainer;
  std::vector<Dimension> dims = IalsDimensions();
  std::vector<int> sizes;
  std::vector<int> start;
  for (Dimension& d : dims) {
    TrainerOptions probe = base;
    double current = 0;
    if (d.name == "alpha") current = base.ials.alpha;
    if (d.name == "regularization") current = base.ials.regularization;
    if (d.name == "recency_half_life_days") {
      current = base.interactions.recency_half_life_days;
    }
    if (d.name == "factors") current = base.ials.factors;
    if (d.name == "view_weight") current = base.interactions.weights.view;
    if (d.name == "cart_weight") current = base.interactions.weights.cart;
    auto [values, index] =
        WithBase(d.values, current, d.name == "recency_half_life_days");
    d.values = std::move(values);
    sizes.push_back(static_cast<int>(d.values.size()));
    start.push_back(index);
  }
  absl::Status failure;
  int trials = 0;
  double last_seconds = 0;
  // Every scored point's scores and settings; the point the slice rates
  // highest and its model.
  std::map<std::vector<int>, Scores> point_scores;
  std::map<std::vector<int>, TrainerOptions> point_trainer;
  std::vector<int> top_point;
  std::shared_ptr<const ModelSnapshot> top_snapshot;
  // The validation model of `trial`'s iALS settings.
  auto train = [&](const TrainerOptions& trial)
      -> absl::StatusOr<std::shared_ptr<const ModelSnapshot>> {
    const InteractionMatrix matrix = ValidationMatrix(trial.interactions);
    ASSIGN_OR_RETURN(IalsModel model, TrainIals(matrix, trial.ials));
    ASSIGN_OR_RETURN(
        SnapshotContents contents,
        WithFactors(base_contents_, model, {trial.ials}, trial.index));
    ASSIGN_OR_RETURN(std::unique_ptr<const ModelSnapshot> snapshot,
                     ModelSnapshot::FromContents(std::move(contents)));
    return std::shared_ptr<const ModelSnapshot>(std::move(snapshot));
  };
  // The share of the budget the current search may use.
  double share = kIalsBudgetShare;
  auto objective = [&](const std::vector<int>& point) -> std::optional<double> {
    if (options_.max_ials_trials > 0
            ? trials >= options_.max_ials_trials
            : trials > 0 && !deadline_.Fits(absl::Seconds(last_seconds), share)) {
      return std::nullopt;
    }
    const absl::Time begin = deadline_.Now();
    TrainerOptions trial = base;
    std::map<std::string, std::string> settings;
    for (size_t d = 0; d < dims.size(); ++d) {
      dims[d].apply(dims[d].values[point[d]], trial);
      settings[dims[d].name] = Number(dims[d].values[point[d]]);
    }
    absl::StatusOr<std::shared_ptr<const ModelSnapshot>> snapshot =
        train(trial);
    if (!snapshot.ok()) {
      failure = snapshot.status();
      return std::nullopt;
    }
    std::shared_ptr<const ModelSnapshot> shared = *std::move(snapshot);
    absl::StatusOr<Scores> scores =
        ScoreServed(shared, LearnedRanking(), std::nullopt, *cases_);
    if (!scores.ok()) {
      failure = scores.status();
      return std::nullopt;
    }
    ++trials;
    last_seconds = absl::ToDoubleSeconds(deadline_.Now() - begin);
    Record("ials", settings, *scores, last_seconds);
    point_scores[point] = *scores;
    point_trainer[point] = trial;
    if (top_point.empty() ||
        scores->objective > point_scores[top_point].objective) {
      top_point = point;
      top_snapshot = shared;
      best_scores_ = *scores;  // For the progress bar until one is chosen.
    }
    return scores->objective;
  };
  // More confidence in the observed events (alpha) wants more
  // regularization and the reverse (Hu, Koren & Volinsky 2008's loss): the
  // two are also moved together.
  std::vector<std::pair<int, int>> coupled;
  int alpha = -1;
  int regularization = -1;
  for (size_t d = 0; d < dims.size(); ++d) {
    if (dims[d].name == "alpha") alpha = static_cast<int>(d);
    if (dims[d].name == "regularization") regularization = static_cast<int>(d);
  }
  if (alpha >= 0 && regularization >= 0) coupled.push_back({alpha, regularization});
  // Each point is trained once, whichever search reaches it.
  std::map<std::vector<int>, double> scored;
  auto once = [&](const std::vector<int>& point) -> std::optional<double> {
    if (const auto it = scored.find(point); it != scored.end()) return it->second;
    const std::optional<double> value = objective(point);
    if (value.has_value()) scored.emplace(point, *value);
    return value;
  };
  PatternSearchResult result = PatternSearch(sizes, start, once, coupled);
  RETURN_IF_ERROR(failure);
  if (!result.converged && options_.max_ials_trials == 0) {
    Cut(absl::StrFormat("ials: stopped after %d trials, before the search settled",
                        result.evaluations));
  }
  // With time (or trials) left once the search settles, it starts again
  // from seeded random points of the grid: the settings' surface can hold
  // more than one hill (recency decay, alpha and regularization move it
  // together), and one search climbs only the nearest.
  int searches = 1;
  share = kIalsRestartShare;
  uint64_t state = Mix(outcome_.trainer.ials.seed ^ 0x1a15ULL);
  for (int draw = 0; result.converged && searches < kMaxIalsSearches &&
                     draw < 8 * kMaxIalsSearches;
       ++draw) {
    std::vector<int> restart(sizes.size());
    for (size_t d = 0; d < sizes.size(); ++d) {
      state = Mix(state);
      restart[d] = static_cast<int>(state % static_cast<uint64_t>(sizes[d]));
    }
    if (scored.count(restart) > 0) continue;
    ++searches;
    result = PatternSearch(sizes, restart, once, coupled);
    RETURN_IF_ERROR(failure);
  }
  log_ << absl::StrFormat("self-tuning: iALS stage: %d trials from %d starting points\n",
                          trials, searches);
  if (top_point.empty()) {
    return absl::InternalError("no iALS setting was scored");
  }
  // Along the alpha/regularization ridge the slice often rates several
  // settings alike while the test prefers one of them, not always the
  // slice's best (docs/evaluation.md, "How far iALS goes on MovieLens").
  // So the ridge next to the best setting is followed: at each
  // regularization value next to the best's, the best alpha (everything
  // else as the best's). Of these settings and the best, those within
  // kEnsembleStandardErrors of the top one on the slice are served
  // together, a block of factors each: the joined scores are about as good
  // as its best member's, whichever that turns out to be.
  std::vector<TrainerOptions> members;
  std::vector<std::vector<int>> served_points;
  if (alpha >= 0 && regularization >= 0) {
    std::vector<std::vector<int>> ridge = {top_point};
    for (int step : {-1, +1}) {
      std::vector<int> point = ridge[0];
      point[regularization] += step;
      if (point[regularization] < 0 ||
          point[regularization] >= sizes[regularization]) {
        continue;
      }
      std::optional<std::vector<int>> top;
      for (int a = 0; a < sizes[alpha]; ++a) {
        point[alpha] = a;
        if (!once(point).has_value()) break;
        if (!top.has_value() ||
            point_scores[point].objective > point_scores[*top].objective) {
          top = point;
        }
      }
      RETURN_IF_ERROR(failure);
      if (top.has_value()) ridge.push_back(*top);
    }
    std::stable_sort(ridge.begin(), ridge.end(),
                     [&](const std::vector<int>& a, const std::vector<int>& b) {
                       return point_scores[a].objective >
                              point_scores[b].objective;
                     });
    for (const std::vector<int>& point : ridge) {
      const Gain behind =
          PairedGain(point_scores[ridge[0]], point_scores[point]);
      const bool joins =
          behind.mean <= kEnsembleStandardErrors * behind.standard_error;
      if (joins) {
        members.push_back(point_trainer[point]);
        served_points.push_back(point);
      }
      log_ << absl::StrFormat(
          "self-tuning: ridge: regularization %g, alpha %g: ndcg %.4f "
          "(%.4f below the top, standard error %.4f)%s\n",
          dims[regularization].values[point[regularization]],
          dims[alpha].values[point[alpha]], point_scores[point].objective,
          behind.mean, behind.standard_error, joins ? "" : ", left out");
    }
  }
  if (served_points.empty()) {
    members = {point_trainer[top_point]};
    served_points = {top_point};
  }
  // The final model learns from more events than the slice's models (the
  // held-out ones too), so it can use at least the capacity the slice
  // supports: while the slice cannot tell the top served setting with more
  // factors from itself (within kCapacityStandardErrors), every served
  // setting gets more.
  for (size_t d = 0; d < dims.size(); ++d) {
    if (dims[d].name != "factors") continue;
    const std::vector<int> slice_best = served_points[0];
    int steps = 0;
    for (std::vector<int> point = slice_best; point[d] + 1 < sizes[d];) {
      ++point[d];
      if (!once(point).has_value()) break;
      const Gain behind =
          PairedGain(point_scores[slice_best], point_scores[point]);
      const bool kept =
          behind.mean <= kCapacityStandardErrors * behind.standard_error;
      log_ << absl::StrFormat(
          "self-tuning: factors %g: ndcg %.4f (%.4f below %g factors, "
          "standard error %.4f)%s\n",
          dims[d].values[point[d]], point_scores[point].objective, behind.mean,
          dims[d].values[slice_best[d]], behind.standard_error,
          kept ? "" : ", left out");
      if (!kept) break;
      steps = point[d] - slice_best[d];
    }
    RETURN_IF_ERROR(failure);
    for (size_t m = 0; m < members.size(); ++m) {
      served_points[m][d] += steps;
      dims[d].apply(dims[d].values[served_points[m][d]], members[m]);
    }
  }
  // The first served setting alone unless several join.
  const std::vector<int> best_point = served_points[0];
  best_scores_ = point_scores[best_point];
  outcome_.trainer = point_trainer[best_point];
  log_ << absl::StrFormat(
      "self-tuning: iALS stage %s after %d trials: %s\n",
      result.converged ? "settled" : "stopped by the budget", trials,
      absl::StrFormat("factors %d, regularization %g, alpha %g, half-life %g "
                      "days, view/cart/purchase weights %g/%g/%g, ndcg %.4f",
                      outcome_.trainer.ials.factors,
                      outcome_.trainer.ials.regularization,
                      outcome_.trainer.ials.alpha,
                      outcome_.trainer.interactions.recency_half_life_days,
                      outcome_.trainer.interactions.weights.view,
                      outcome_.trainer.interactions.weights.cart,
                      outcome_.trainer.interactions.weights.purchase,
                      best_scores_.objective));
  RETURN_IF_ERROR(EnsembleIals(members, last_seconds));
  if (outcome_.trainer.extra_ials_blocks.empty()) {
    served_points = {best_point};
    // The search keeps only the top point's model.
    if (best_point == top_point) {
      best_ = top_snapshot;
    } else {
      ASSIGN_OR_RETURN(best_, train(point_trainer[best_point]));
    }
  }

  // Requests with exclude_purchased ("new to you") can want other iALS
  // settings than the rest: on a wholesaler's slice, where customers
  // re-buy many items, a far lower alpha than the one the joint objective
  // picks. So the search goes on over alpha, regularization and factors
  // (the interactions stay the served model's: blocks share them) for
  // those requests' ndcg alone, from the best such setting scored so far;
  // the setting it ends at is offered to them as a block of their own.
  const bool tunes_both =
      std::find(options_.tasks.begin(), options_.tasks.end(), EvalTask::kAll) !=
          options_.tasks.end() &&
      std::find(options_.tasks.begin(), options_.tasks.end(), EvalTask::kNew) !=
          options_.tasks.end();
  if (!tunes_both || alpha < 0 || regularization < 0 || best_point.empty()) {
    return absl::OkStatus();
  }
  const std::string new_ndcg =
      absl::StrCat(EvalTaskName(EvalTask::kNew), "/ndcg@", options_.k);
  std::vector<int> free = {alpha, regularization};
  for (size_t d = 0; d < dims.size(); ++d) {
    if (dims[d].name == "factors") free.push_back(static_cast<int>(d));
  }
  auto shares_interactions = [&](const std::vector<int>& point) {
    for (size_t d = 0; d < point.size(); ++d) {
      if (std::find(free.begin(), free.end(), static_cast<int>(d)) ==
              free.end() &&
          point[d] != best_point[d]) {
        return false;
      }
    }
    return true;
  };
  auto best_for_new = [&]() {
    std::vector<int> top = best_point;
    for (const auto& [point, scores] : point_scores) {
      if (shares_interactions(point) &&
          scores.metrics.at(new_ndcg) >
              point_scores[top].metrics.at(new_ndcg)) {
        top = point;
      }
    }
    return top;
  };
  std::vector<int> sub_sizes;
  std::vector<int> sub_start;
  const std::vector<int> start_point = best_for_new();
  for (int d : free) {
    sub_sizes.push_back(sizes[d]);
    sub_start.push_back(start_point[d]);
  }
  const int trials_before = trials;
  PatternSearch(sub_sizes, sub_start,
                [&](const std::vector<int>& sub) -> std::optional<double> {
                  std::vector<int> point = best_point;
                  for (size_t i = 0; i < free.size(); ++i)
                    point[free[i]] = sub[i];
                  if (!once(point).has_value()) return std::nullopt;
                  return point_scores[point].metrics.at(new_ndcg);
                },
                {{0, 1}});
  RETURN_IF_ERROR(failure);
  const std::vector<int> for_new = best_for_new();
  const IalsOptions& new_block = point_trainer[for_new].ials;
  log_ << absl::StrFormat(
      "self-tuning: requests with exclude_purchased: after %d more trials, "
      "factors %d, regularization %g, alpha %g: their ndcg %.4f (served "
      "model's %.4f)\n",
      trials - trials_before, new_block.factors, new_block.regularization,
      new_block.alpha, point_scores[for_new].metrics.at(new_ndcg),
      best_scores_.metrics.at(new_ndcg));
  if (std::find(served_points.begin(), served_points.end(), for_new) !=
      served_points.end()) {
    return absl::OkStatus();
  }
  return ServeNewRequestBlock(new_block, last_seconds);
}

absl::Status Tuner::ServeNewRequestBlock(const IalsOptions& block,
                                         double seconds_per_training) {
  const TrainerOptions& served = outcome_.trainer;
  std::vector<IalsOptions> blocks = {served.ials};
  blocks.insert(blocks.end(), served.extra_ials_blocks.begin(),
                served.extra_ials_blocks.end());
  if (options_.max_ials_trials == 0 &&
      !deadline_.Fits(absl::Seconds(seconds_per_training *
                                    (served_models_.empty() ? 3 : 2)),
                      kIalsBudgetShare)) {
    Cut("ials: no block of their own was tried for requests with "
        "exclude_purchased");
    return absl::OkStatus();
  }
  const absl::Time begin = deadline_.Now();
  const InteractionMatrix matrix = ValidationMatrix(served.interactions);
  // The ensemble's members as it trained them; a single setting is trained
  // again (the search keeps no model).
  std::vector<IalsModel> models = std::move(served_models_);
  served_models_.clear();
  if (models.empty()) {
    ASSIGN_OR_RETURN(IalsModel model, TrainIals(matrix, served.ials));
    models.push_back(std::move(model));
  }
  ASSIGN_OR_RETURN(IalsModel model, TrainIals(matrix, block));
  models.push_back(std::move(model));
  blocks.push_back(block);
  const IalsModel joined = ConcatenateIalsModels(models);
  // Beside the served blocks, or in their place.
  std::optional<std::vector<snapshot::ServedRequests>> chosen;
  std::shared_ptr<const ModelSnapshot> chosen_snapshot;
  Gain chosen_gain;
  for (const snapshot::ServedRequests served_kind :
       {snapshot::SERVED_REQUESTS_EVERY,
        snapshot::SERVED_REQUESTS_INCLUDING_PURCHASED}) {
    std::vector<snapshot::ServedRequests> requests(blocks.size() - 1,
                                                   served_kind);
    requests.push_back(snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED);
    ASSIGN_OR_RETURN(
        SnapshotContents contents,
        WithFactors(base_contents_, joined, blocks, served.index, requests));
    ASSIGN_OR_RETURN(std::unique_ptr<const ModelSnapshot> snapshot,
                     ModelSnapshot::FromContents(std::move(contents)));
    std::shared_ptr<const ModelSnapshot> shared = std::move(snapshot);
    ASSIGN_OR_RETURN(
        const Scores scores,
        ScoreServed(shared, LearnedRanking(), std::nullopt, *cases_,
                    std::vector<EvalTask>{EvalTask::kNew}));
    // Paired on those requests alone: the others score as before.
    const Gain gain = PairedGain(scores, best_scores_);
    const std::string how = served_kind == snapshot::SERVED_REQUESTS_EVERY
                                ? "beside the served blocks"
                                : "in place of the served blocks";
    log_ << absl::StrFormat(
        "self-tuning: requests with exclude_purchased, their own block %s: "
        "their ndcg %+.4f (standard error %.4f)\n",
        how, gain.mean, gain.standard_error);
    if (gain.mean > kEnsembleStandardErrors * gain.standard_error &&
        (!chosen.has_value() || gain.mean > chosen_gain.mean)) {
      chosen = requests;
      chosen_snapshot = shared;
      chosen_gain = gain;
    }
  }
  if (!chosen.has_value()) return absl::OkStatus();
  ASSIGN_OR_RETURN(Scores scores, ScoreServed(chosen_snapshot, LearnedRanking(),
                                              std::nullopt, *cases_));
  std::map<std::string, std::string> settings;
  for (size_t b = 0; b < blocks.size(); ++b) {
    settings[absl::StrCat("block_", b + 1)] = absl::StrFormat(
        "factors %d, regularization %g, alpha %g, requests %s",
        blocks[b].factors, blocks[b].regularization, blocks[b].alpha,
        snapshot::ServedRequests_Name((*chosen)[b]));
  }
  Record("ials", settings, scores,
         absl::ToDoubleSeconds(deadline_.Now() - begin));
  best_ = std::move(chosen_snapshot);
  best_scores_ = std::move(scores);
  outcome_.trainer.extra_ials_blocks.assign(blocks.begin() + 1, blocks.end());
  outcome_.trainer.block_requests = *std::move(chosen);
  return absl::OkStatus();
}

absl::Status Tuner::TuneRepurchase() {
  const bool scores_rebuys =
      std::find(options_.tasks.begin(), options_.tasks.end(), EvalTask::kAll) !=
      options_.tasks.end();
  bool consumables = false;
  for (const snapshot::ItemRepurchase& item : best_->timing().repurchase().items()) {
    consumables |= item.consumable();
  }
  if (!scores_rebuys || !consumables) return absl::OkStatus();
  const RepurchaseRankingOptions defaults;
  std::vector<std::vector<double>> values = {
      {0, 0.125, 0.25, 0.5, 0.75},
      {3, 7, 14, 30, 60},
      {0.25, 0.5, 1, 2, 4},
      {0, 1},
  };
  std::vector<int> sizes;
  std::vector<int> start;
  const double base[] = {defaults.suppress_before_fraction,
                         defaults.boost_window_days, defaults.boost_weight,
                         defaults.boost_not_yet_due ? 1.0 : 0.0};
  for (size_t d = 0; d < values.size(); ++d) {
    auto [with_base, index] = WithBase(values[d], base[d], false);
    values[d] = std::move(with_base);
    sizes.push_back(static_cast<int>(values[d].size()));
    start.push_back(index);
  }
  absl::Status failure;
  double best = -1;
  int trials = 0;
  absl::Duration last;
  auto objective = [&](const std::vector<int>& point) -> std::optional<double> {
    if (trials > 0 && !deadline_.Fits(last, kRepurchaseBudgetShare)) {
      return std::nullopt;
    }
    ++trials;
    const absl::Time begin = deadline_.Now();
    RepurchaseRankingOptions trial;
    trial.suppress_before_fraction = values[0][point[0]];
    trial.boost_window_days = values[1][point[1]];
    trial.boost_weight = values[2][point[2]];
    trial.boost_not_yet_due = values[3][point[3]] > 0;
    absl::StatusOr<Scores> scores =
        ScoreServed(best_, LearnedRanking(), trial, *cases_);
    if (!scores.ok()) {
      failure = scores.status();
      return std::nullopt;
    }
    Record("repurchase",
           {{"repurchase_suppress_before_fraction", Number(trial.suppress_before_fraction)},
            {"repurchase_boost_window_days", Number(trial.boost_window_days)},
            {"repurchase_boost_weight", Number(trial.boost_weight)},
            {"repurchase_boost_not_yet_due", trial.boost_not_yet_due ? "true" : "false"}},
           *scores, absl::ToDoubleSeconds(deadline_.Now() - begin));
    last = deadline_.Now() - begin;
    if (scores->objective > best) {
      best = scores->objective;
      repurchase_ = trial;
      best_scores_ = *scores;
    }
    return scores->objective;
  };
  const PatternSearchResult result = PatternSearch(sizes, start, objective);
  RETURN_IF_ERROR(failure);
  if (!result.converged) {
    Cut(absl::StrFormat("repurchase: stopped after %d trials",
                        result.evaluations));
  }
  outcome_.repurchase = repurchase_;
  log_ << absl::StrFormat(
      "self-tuning: repurchase stage after %d trials: suppress before %g of "
      "the interval, window %g days, weight %g, not-yet-due %s, ndcg %.4f\n",
      result.evaluations, repurchase_->suppress_before_fraction,
      repurchase_->boost_window_days, repurchase_->boost_weight,
      repurchase_->boost_not_yet_due ? "boosted" : "not boosted",
      best_scores_.objective);
  return absl::OkStatus();
}

absl::StatusOr<RankerExamples> Tuner::BuildExamplesWithinBudget(
    const CandidateOptions& candidates, absl::Time end, std::vector<bool>& used,
    absl::Duration& per_case) {
  const std::vector<EvaluationCases::Case>& all = cases_->cases();
  const uint64_t seed = Mix(outcome_.trainer.ials.seed ^ 0x5eedULL);
  std::vector<size_t> order(all.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const uint64_t ha = Mix(seed ^ static_cast<uint64_t>(all[a].customer));
    const uint64_t hb = Mix(seed ^ static_cast<uint64_t>(all[b].customer));
    return ha != hb ? ha < hb : a < b;
  });
  const size_t chunk = std::max<size_t>(
      kMinExampleChunk, (order.size() + kExampleChunks - 1) / kExampleChunks);
  used.assign(all.size(), false);
  RankerExamples examples;
  absl::Duration spent;
  size_t done = 0;
  for (size_t begin = 0; begin < order.size(); begin += chunk) {
    const size_t end_index = std::min(order.size(), begin + chunk);
    const int64_t size = static_cast<int64_t>(end_index - begin);
    if (begin > 0 && deadline_.Now() + per_case * size > end) break;
    std::vector<bool> in_chunk(all.size(), false);
    for (size_t i = begin; i < end_index; ++i) in_chunk[order[i]] = true;
    std::vector<int32_t> original;
    for (size_t i = 0; i < all.size(); ++i) {
      if (in_chunk[i]) original.push_back(static_cast<int32_t>(i));
    }
    const EvaluationCases chunk_cases =
        cases_->Select([&](size_t i) { return in_chunk[i]; });
    const absl::Time chunk_start = deadline_.Now();
    ASSIGN_OR_RETURN(RankerExamples part,
                     BuildRankerExamples(*best_, candidates, chunk_cases,
                                         options_.tasks, options_.k,
                                         outcome_.trainer.ials.threads));
    spent += deadline_.Now() - chunk_start;
    done = end_index;
    per_case = spent / static_cast<int64_t>(done);
    for (int32_t& c : part.group_case) c = original[c];
    examples.features.insert(examples.features.end(), part.features.begin(),
                             part.features.end());
    examples.labels.insert(examples.labels.end(), part.labels.begin(),
                           part.labels.end());
    examples.group_sizes.insert(examples.group_sizes.end(),
                                part.group_sizes.begin(), part.group_sizes.end());
    examples.group_case.insert(examples.group_case.end(), part.group_case.begin(),
                               part.group_case.end());
    for (size_t i = begin; i < end_index; ++i) used[order[i]] = true;
  }
  if (done < order.size()) {
    Cut(absl::StrFormat("ranker: examples from %d of %d validation customers",
                        done, order.size()));
  }
  return examples;
}

absl::Status Tuner::TuneRanker() {
  if (deadline_.Passed()) {
    Cut("ranker: not tried, the budget was spent before its stage");
    return absl::OkStatus();
  }
  const absl::Time stage_start = deadline_.Now();
  const absl::Duration stage_time = deadline_.Remaining();
  CandidateOptions candidates;
  candidates.per_source = kCandidatesPerSource;
  if (repurchase_.has_value()) candidates.horizon_days = repurchase_->boost_window_days;
  const int32_t threads = outcome_.trainer.ials.threads;
  std::vector<bool> used;
  absl::Duration per_case;
  ASSIGN_OR_RETURN(
      const RankerExamples examples,
      BuildExamplesWithinBudget(
          candidates,
          deadline_.bounded() ? stage_start + kRankerExamplesShare * stage_time
                              : absl::InfiniteFuture(),
          used, per_case));
  const int64_t used_count = std::count(used.begin(), used.end(), true);
  log_ << absl::StrFormat(
      "self-tuning: ranker examples: %d candidates in %d lists from %d "
      "customers, built in %s\n",
      examples.rows(), examples.groups(), used_count,
      FormatSeconds(absl::ToDoubleSeconds(deadline_.Now() - stage_start)));
  if (examples.groups() < kMinRankerGroups) {
    log_ << "self-tuning: too few validation customers for a ranker ("
         << examples.groups() << " groups)\n";
    return absl::OkStatus();
  }
  // Scoring the held-out folds generates every used customer's candidates
  // again: about what building the examples took.
  const absl::Duration scoring = per_case * used_count;
  if (deadline_.bounded() && !deadline_.Fits(scoring)) {
    Cut(absl::StrFormat(
        "ranker: not trained, %s left after its examples and scoring them "
        "takes about %s",
        FormatSeconds(absl::ToDoubleSeconds(deadline_.Remaining())),
        FormatSeconds(absl::ToDoubleSeconds(scoring))));
    return absl::OkStatus();
  }
  // The model without a ranker on the same customers, to compare with.
  Scores without = best_scores_;
  if (used_count < static_cast<int64_t>(used.size())) {
    ASSIGN_OR_RETURN(without,
                     ScoreServed(best_, LearnedRanking(), repurchase_,
                                 cases_->Select([&](size_t i) { return used[i]; })));
  }
  const int folds = std::max(2, options_.ranker_folds);
  const uint64_t seed = outcome_.trainer.ials.seed;
  std::vector<int> fold_of(cases_->cases().size());
  for (size_t i = 0; i < fold_of.size(); ++i) {
    fold_of[i] = static_cast<int>(
        Mix(seed ^ static_cast<uint64_t>(cases_->cases()[i].customer)) % folds);
  }
  std::vector<RankerTrainingOptions> configs = options_.ranker_configs.empty()
                                                  ? DefaultRankerConfigs()
                                                  : options_.ranker_configs;
  for (RankerTrainingOptions& config : configs) {
    config.rounds = options_.ranker_max_rounds;
    config.early_stopping_rounds = kRankerEarlyStopping;
    config.eval_k = options_.k;
    config.seed = seed;
    config.threads = threads;
  }

  double best_objective = without.objective;
  std::optional<RankerTrainingOptions> chosen;
  Scores chosen_scores;
  int tried = 0;
  absl::Duration last_config;
  // The rounds the last cross-validation chose: the final training's size.
  int32_t last_rounds = options_.ranker_max_rounds;
  // Seconds per boosting round on all the examples (the folds train on
  // (folds - 1) / folds of them).
  absl::Duration per_round;
  for (const RankerTrainingOptions& config : configs) {
    if (tried > 0 &&
        !deadline_.Fits(last_config + per_round * last_rounds)) {
      Cut(absl::StrFormat("ranker: %s with depth %d not tried", config.objective,
                          config.max_depth));
      break;
    }
    ++tried;
    const absl::Time begin = deadline_.Now();
    // The folds' training shares part of what is left after their scoring.
    const absl::Duration window =
        deadline_.bounded()
            ? std::max(absl::ZeroDuration(), deadline_.Remaining() - scoring) *
                  kCrossValidationShare
            : absl::InfiniteDuration();
    // Per fold: trained on the other folds, stopped early on the held-out
    // fold; the rounds kept are the folds' best, weighted by their groups.
    std::vector<std::string> models(folds);
    std::vector<int32_t> trained_rounds(folds, 0);
    double weighted_best = 0;
    double weight = 0;
    absl::Duration training;
    int64_t rounds_trained = 0;
    bool stopped = false;
    for (int f = 0; f < folds; ++f) {
      const RankerExamples train =
          examples.Select([&](int32_t c) { return fold_of[c] != f; });
      const RankerExamples held_out =
          examples.Select([&](int32_t c) { return fold_of[c] == f; });
      if (train.groups() == 0 || held_out.groups() == 0) continue;
      RankerTrainingOptions fold_config = config;
      if (deadline_.bounded()) {
        const absl::Time fold_end = begin + window * (f + 1) / folds;
        fold_config.stop = [this, fold_end] { return deadline_.Now() >= fold_end; };
      }
      const absl::Time fold_start = deadline_.Now();
      ASSIGN_OR_RETURN(TrainedRanker trained,
                       TrainXgboostRanker(train, &held_out, fold_config));
      training += deadline_.Now() - fold_start;
      rounds_trained += trained.rounds;
      stopped |= trained.stopped;
      weighted_best += trained.best_round * static_cast<double>(held_out.groups());
      weight += static_cast<double>(held_out.groups());
      trained_rounds[f] = trained.rounds;
      models[f] = std::move(trained.model);
    }
    if (rounds_trained > 0) {
      per_round = training / rounds_trained * folds / std::max(1, folds - 1);
    }
    if (stopped) {
      Cut(absl::StrFormat("ranker: cross-validation of %s with depth %d "
                          "stopped before its early-stopping point",
                          config.objective, config.max_depth));
    }
    const int32_t rounds = std::max<int32_t>(
        1, static_cast<int32_t>(std::lround(weighted_best / std::max(1.0, weight))));
    ScorePool pool(options_.tasks, options_.k);
    for (int f = 0; f < folds; ++f) {
      if (models[f].empty()) continue;
      ASSIGN_OR_RETURN(const std::string cut,
                       TruncateXgboostRanker(models[f],
                                             std::min(rounds, trained_rounds[f])));
      ASSIGN_OR_RETURN(const std::unique_ptr<const RankerModel> model,
                       LoadXgboostRanker(cut, kNumRankingFeatures));
      const EvaluationCases fold_cases =
          cases_->Select([&](size_t i) { return used[i] && fold_of[i] == f; });
      RETURN_IF_ERROR(ScoreInto(pool, best_,
                                LearnedRanking{model.get(), candidates},
                                repurchase_, fold_cases, options_.tasks));
    }
    const Scores scores = pool.Take();
    std::map<std::string, std::string> settings = RankerTrainingParameters(config);
    settings["rounds"] = absl::StrCat(rounds);
    settings.erase("nthread");
    settings["candidates_per_source"] = absl::StrCat(candidates.per_source);
    settings["horizon_days"] = Number(candidates.horizon_days);
    last_config = deadline_.Now() - begin;
    last_rounds = rounds;
    Record("ranker", settings, scores, absl::ToDoubleSeconds(last_config));
    // Kept only if it beats the model without a ranker by more than the
    // validation slice's noise.
    const Gain gain = PairedGain(scores, without);
    log_ << absl::StrFormat(
        "self-tuning: ranker %s, depth %d: ndcg %+.4f against the model "
        "without one (standard error %.4f)\n",
        config.objective, config.max_depth, gain.mean, gain.standard_error);
    if (scores.objective > best_objective &&
        gain.mean > kRankerMinStandardErrors * gain.standard_error) {
      best_objective = scores.objective;
      chosen = config;
      chosen->rounds = rounds;
      chosen_scores = scores;
    }
  }
  // Where one kind of request's held-out lists gain and the other's show
  // no sign of it (kRankerKindMinStandardErrors), the other kind ranks
  // without it; otherwise the pooled gain above stands for both.
  snapshot::ServedRequests requests = snapshot::SERVED_REQUESTS_EVERY;
  if (chosen.has_value() && options_.tasks.size() > 1) {
    std::vector<EvalTask> gaining;
    for (EvalTask task : options_.tasks) {
      const Gain gain = PairedGain(OnTask(chosen_scores, task), without);
      const bool ranks =
          gain.mean > kRankerKindMinStandardErrors * gain.standard_error;
      if (ranks) gaining.push_back(task);
      log_ << absl::StrFormat(
          "self-tuning: ranker on \"%s\" lists: ndcg %+.4f (standard error "
          "%.4f)%s\n",
          EvalTaskName(task), gain.mean, gain.standard_error,
          ranks ? "" : " (no sign of a gain)");
    }
    if (gaining.size() == 1) {
      requests = gaining[0] == EvalTask::kNew
                     ? snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED
                     : snapshot::SERVED_REQUESTS_INCLUDING_PURCHASED;
      chosen_scores = Combined(chosen_scores, without, gaining[0]);
      log_ << absl::StrFormat(
          "self-tuning: the ranker ranks \"%s\" requests only; the others "
          "rank without it\n",
          EvalTaskName(gaining[0]));
    }
  }
  if (!chosen.has_value()) {
    log_ << absl::StrFormat(
        "self-tuning: no ranker beat the model without one on held-out "
        "customers by more than %g standard errors (ndcg %.4f); serving "
        "without a ranker\n",
        kRankerMinStandardErrors,
        without.objective);
    return absl::OkStatus();
  }
  // The final ranker on every example, cut to the rounds that fit.
  const int32_t fit =
      RoundsThatFit(chosen->rounds, per_round, deadline_.Remaining());
  if (fit < chosen->rounds) {
    Cut(absl::StrFormat("ranker: final training cut from %d to %d rounds",
                        chosen->rounds, fit));
    chosen->rounds = fit;
  }
  RankerTrainingOptions final_config = *chosen;
  if (deadline_.bounded()) {
    final_config.stop = [this] { return deadline_.Passed(); };
  }
  ASSIGN_OR_RETURN(const TrainedRanker final_ranker,
                   TrainXgboostRanker(examples, nullptr, final_config));
  if (final_ranker.stopped) {
    Cut(absl::StrFormat("ranker: final training stopped at %d of %d rounds",
                        final_ranker.rounds, chosen->rounds));
    chosen->rounds = final_ranker.rounds;
  }
  outcome_.ranker_model = final_ranker.model;
  snapshot::RankerInfo& info = outcome_.ranker_info;
  info.set_format("xgboost");
  for (const std::string& name : RankingFeatureNames()) info.add_features(name);
  info.set_candidates_per_source(candidates.per_source);
  info.set_horizon_days(candidates.horizon_days);
  info.set_requests(requests);
  for (const auto& [name, value] : RankerTrainingParameters(*chosen)) {
    if (name != "nthread") (*info.mutable_parameters())[name] = value;
  }
  (*info.mutable_parameters())["examples"] = absl::StrCat(examples.rows());
  (*info.mutable_parameters())["groups"] = absl::StrCat(examples.groups());
  log_ << absl::StrFormat(
      "self-tuning: ranker %s, depth %d, %d rounds: ndcg %.4f on held-out "
      "customers against %.4f without\n",
      chosen->objective, chosen->max_depth, chosen->rounds,
      chosen_scores.objective, without.objective);
  best_scores_ = chosen_scores;
  outcome_.trainer.similarities.item_knn = true;
  outcome_.trainer.similarities.ease = true;
  return absl::OkStatus();
}

absl::StatusOr<TuningOutcome> Tuner::Run() {
  snapshot::TuningReport& report = outcome_.report;
  report.set_budget_seconds(Budget());
  report.set_seed(outcome_.trainer.ials.seed);
  report.set_objective(absl::StrCat(
      "mean ndcg@", options_.k, " over ",
      absl::StrJoin(options_.tasks, ", ", [](std::string* out, EvalTask task) {
        out->append(EvalTaskName(task));
      })));
  ValidationOptions validation = options_.validation;
  validation.seed = outcome_.trainer.ials.seed;
  validation.utc_offset_seconds = outcome_.trainer.timing.utc_offset_seconds;
  absl::StatusOr<ValidationSplit> split = MakeValidationSplit(data_, validation);
  if (!split.ok()) {
    if (!absl::IsFailedPrecondition(split.status())) return split.status();
    log_ << split.status().message() << "; training with the given settings\n";
    report.set_validation(std::string(split.status().message()));
    return outcome_;
  }
  validation_ = *std::move(split);
  // A random slice holds out old and new events alike, so it cannot tell
  // whether recent events predict better: no decay, and none is searched.
  if (validation.kind == ValidationKind::kRandom) {
    outcome_.trainer.interactions.recency_half_life_days = 0;
  }
  for (const Event& e : validation_.split.train.events) {
    validation_newest_ = std::max(validation_newest_, e.unix_seconds);
  }
  report.set_validation(validation_.description);
  report.set_validation_days(validation_.days);
  report.set_validation_customers(static_cast<int32_t>(validation_.split.test.size()));
  std::vector<Durability> durability;
  for (const CatalogItem& item : data_.items) durability.push_back(item.durability);
  cases_ = std::make_unique<EvaluationCases>(validation_.split, durability);
  log_ << absl::StrFormat(
      "self-tuning on %s: %d customers, budget %s\n", validation_.description,
      validation_.split.test.size(), FormatSeconds(Budget()));

  // Every part of the model that does not depend on the iALS settings
  // (durability, timing, neighbour lists) is trained once.
  TrainerOptions base = outcome_.trainer;
  base.similarities.item_knn = options_.ranker;
  base.similarities.ease = options_.ranker;
  std::ostringstream quiet;
  ASSIGN_OR_RETURN(base_contents_,
                   TrainSnapshotContents(validation_.split.train, base, 1, quiet));
  RETURN_IF_ERROR(TuneIals());
  RETURN_IF_ERROR(TuneRepurchase());
  if (options_.ranker) RETURN_IF_ERROR(TuneRanker());

  for (const auto& [name, value] : best_scores_.metrics) {
    (*report.mutable_validation_metrics())[name] = value;
  }
  auto& chosen = *report.mutable_chosen();
  const TrainerOptions& t = outcome_.trainer;
  chosen["factors"] = absl::StrCat(t.ials.factors);
  chosen["regularization"] = Number(t.ials.regularization);
  chosen["alpha"] = Number(t.ials.alpha);
  chosen["recency_half_life_days"] = Number(t.interactions.recency_half_life_days);
  chosen["view_weight"] = Number(t.interactions.weights.view);
  chosen["cart_weight"] = Number(t.interactions.weights.cart);
  chosen["purchase_weight"] = Number(t.interactions.weights.purchase);
  if (!t.extra_ials_blocks.empty()) {
    // "factors/regularization/alpha" of each further block, in order.
    std::vector<std::string> blocks;
    for (const IalsOptions& block : t.extra_ials_blocks) {
      blocks.push_back(absl::StrCat(block.factors, "/",
                                    Number(block.regularization), "/",
                                    Number(block.alpha)));
    }
    chosen["extra_ials_blocks"] = absl::StrJoin(blocks, " ");
  }
  if (!t.block_requests.empty()) {
    // Which requests each block (the first one's included) serves.
    std::vector<std::string> kinds;
    for (snapshot::ServedRequests kind : t.block_requests) {
      kinds.push_back(snapshot::ServedRequests_Name(kind));
    }
    chosen["block_requests"] = absl::StrJoin(kinds, " ");
  }
  if (outcome_.repurchase.has_value()) {
    const RepurchaseRankingOptions& r = *outcome_.repurchase;
    chosen["repurchase_suppress_before_fraction"] = Number(r.suppress_before_fraction);
    chosen["repurchase_boost_window_days"] = Number(r.boost_window_days);
    chosen["repurchase_boost_weight"] = Number(r.boost_weight);
    chosen["repurchase_boost_not_yet_due"] = r.boost_not_yet_due ? "true" : "false";
  }
  chosen["ranker"] =
      outcome_.ranker_model.empty()
          ? "none"
          : absl::StrCat(
                "xgboost ", outcome_.ranker_info.parameters().at("objective"),
                ", depth ", outcome_.ranker_info.parameters().at("max_depth"),
                ", ", outcome_.ranker_info.parameters().at("rounds"), " rounds",
                outcome_.ranker_info.requests() ==
                        snapshot::SERVED_REQUESTS_EVERY
                    ? ""
                    : absl::StrCat(", for ",
                                   snapshot::ServedRequests_Name(
                                       outcome_.ranker_info.requests())));
  report.set_elapsed_seconds(Elapsed());
  progress_.Update(std::max<int64_t>(1, absl::ToInt64Seconds(options_.budget)),
                   absl::StrFormat("%d trials, best ndcg %.4f", report.trials_size(),
                                   best_scores_.objective));
  return outcome_;
}

}  // namespace

std::vector<RankerTrainingOptions> DefaultRankerConfigs() {
  std::vector<RankerTrainingOptions> configs(2);
  configs[0].objective = "rank:ndcg";
  configs[0].max_depth = 6;
  configs[1].objective = "rank:pairwise";
  configs[1].max_depth = 4;
  return configs;
}

absl::StatusOr<TuningOutcome> TuneOnRecentHistory(
    const ShopData& data, const TrainerOptions& base,
    const SelfTuningOptions& options, std::ostream& log) {
  Tuner tuner(data, base, options, log);
  return tuner.Run();
}

absl::StatusOr<SnapshotContents> TrainTunedSnapshotContents(
    const ShopData& data, const TrainerOptions& base,
    const SelfTuningOptions& options, int64_t version, std::ostream& log,
    const IalsEpochCallback& on_epoch) {
  if (!options.enabled) {
    return TrainSnapshotContents(data, base, version, log, on_epoch);
  }
  ASSIGN_OR_RETURN(TuningOutcome outcome,
                   TuneOnRecentHistory(data, base, options, log));
  log << "training on all the data with the chosen settings\n";
  ASSIGN_OR_RETURN(SnapshotContents contents,
                   TrainSnapshotContents(data, outcome.trainer, version, log,
                                         on_epoch));
  snapshot::Manifest& manifest = contents.manifest;
  if (!outcome.ranker_model.empty()) {
    contents.ranker_model = std::move(outcome.ranker_model);
    *manifest.mutable_ranker() = outcome.ranker_info;
  }
  if (outcome.repurchase.has_value()) {
    auto& parameters = *manifest.mutable_parameters();
    const RepurchaseRankingOptions& r = *outcome.repurchase;
    parameters["repurchase_suppress_before_fraction"] = Number(r.suppress_before_fraction);
    parameters["repurchase_boost_window_days"] = Number(r.boost_window_days);
    parameters["repurchase_boost_weight"] = Number(r.boost_weight);
    parameters["repurchase_boost_not_yet_due"] = r.boost_not_yet_due ? "true" : "false";
  }
  (*manifest.mutable_metrics())["tuning_seconds"] =
      outcome.report.elapsed_seconds();
  *manifest.mutable_tuning() = std::move(outcome.report);
  return contents;
}

}  // namespace recommender
