#include "recommender/campaigns/experiment_store.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace recommender::campaigns {
namespace {

ExperimentDefinitionRecord ToRecord(const ExperimentDefinition& e,
                                    absl::Time created) {
  ExperimentDefinitionRecord r;
  r.set_id(e.id);
  r.set_name(e.name);
  for (const ExperimentArm& arm : e.arms) {
    ExperimentArmRecord* a = r.add_arms();
    a->set_name(arm.name);
    a->set_share(arm.share);
    for (const auto& [k, v] : arm.settings) (*a->mutable_settings())[k] = v;
  }
  r.set_control_arm(e.control_arm);
  r.set_attribution_window_days(e.attribution_window_days);
  r.set_duration_days(e.duration_days);
  r.set_created_unix_seconds(absl::ToUnixSeconds(created));
  return r;
}

ExperimentDefinition FromRecord(const ExperimentDefinitionRecord& r) {
  ExperimentDefinition e;
  e.id = r.id();
  e.name = r.name();
  for (const ExperimentArmRecord& a : r.arms()) {
    ExperimentArm arm;
    arm.name = a.name();
    arm.share = a.share();
    arm.settings.insert(a.settings().begin(), a.settings().end());
    e.arms.push_back(std::move(arm));
  }
  e.control_arm = r.control_arm();
  e.attribution_window_days = r.attribution_window_days();
  e.duration_days = r.duration_days();
  return e;
}

// The running form of a validated experiment.
absl::StatusOr<std::shared_ptr<const RunningExperiment>> MakeRunning(
    const ExperimentDefinition& e, absl::Time created, size_t index) {
  StoredExperiment stored;
  stored.definition = e;
  stored.created = created;
  stored.ends = created + absl::Hours(24) * e.duration_days;
  std::vector<ArmSettings> settings;
  for (const ExperimentArm& arm : e.arms) {
    absl::StatusOr<ArmSettings> s = ParseArmSettings(arm.settings, "settings");
    if (!s.ok()) return s.status();
    settings.push_back(*s);
  }
  auto running = std::make_shared<RunningExperiment>(RunningExperiment{
      std::move(stored), ExperimentAssigner(e), std::move(settings), index});
  return std::shared_ptr<const RunningExperiment>(std::move(running));
}

std::string PendingKey(size_t experiment, absl::string_view customer) {
  return absl::StrCat(experiment, ":", customer);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ExperimentStore>> ExperimentStore::Open(
    const std::string& dir, const CampaignLogWriter::Options& options,
    ErasedCustomerTest erased) {
  std::unique_ptr<ExperimentStore> store(new ExperimentStore());
  store->erased_ = std::move(erased);
  ExperimentStore* raw = store.get();
  absl::StatusOr<std::unique_ptr<CampaignLogWriter>> writer =
      OpenCampaignLogForStore(dir, options, store->erased_,
                              [raw](const CampaignLogRecord& record) {
                                absl::MutexLock lock(&raw->mu_);
                                return raw->Apply(record);
                              });
  if (!writer.ok()) return writer.status();
  store->writer_ = *std::move(writer);
  return store;
}

absl::Status ExperimentStore::Apply(const CampaignLogRecord& record) {
  if (record.has_experiment()) {
    const ExperimentDefinition e = FromRecord(record.experiment());
    if (index_.contains(e.id)) {
      return absl::DataLossError(
          absl::StrCat("experiment log record ", record.sequence(),
                       ": experiment \"", e.id, "\" created twice"));
    }
    if (absl::Status valid = ValidateExperiment(e); !valid.ok()) {
      return absl::DataLossError(absl::StrCat("experiment log record ",
                                              record.sequence(), ": ",
                                              valid.message()));
    }
    absl::StatusOr<std::shared_ptr<const RunningExperiment>> running =
        MakeRunning(e,
                    absl::FromUnixSeconds(record.experiment().created_unix_seconds()),
                    experiments_.size());
    if (!running.ok()) return running.status();
    index_[e.id] = experiments_.size();
    ExperimentState state;
    state.running = *std::move(running);
    experiments_.push_back(std::move(state));
    return absl::OkStatus();
  }
  if (record.has_exposures()) {
    auto it = index_.find(record.exposures().experiment_id());
    if (it == index_.end()) {
      return absl::DataLossError(absl::StrCat(
          "experiment log record ", record.sequence(),
          ": exposures of unknown experiment \"",
          record.exposures().experiment_id(), "\""));
    }
    const ExperimentDefinition& e =
        experiments_[it->second].running->stored.definition;
    for (const Exposure& x : record.exposures().exposures()) {
      int arm = -1;
      for (size_t a = 0; a < e.arms.size(); ++a) {
        if (e.arms[a].name == x.arm()) arm = static_cast<int>(a);
      }
      if (arm < 0) {
        return absl::DataLossError(absl::StrCat(
            "experiment log record ", record.sequence(), ": unknown arm \"",
            x.arm(), "\" of experiment \"", e.id, "\""));
      }
      Send send;
      send.customer_id = x.customer_id();
      send.arm = arm;
      send.unix_seconds = x.unix_seconds();
      send.item_ids.assign(x.item_ids().begin(), x.item_ids().end());
      AddExposure(it->second, std::move(send));
    }
    return absl::OkStatus();
  }
  return absl::DataLossError(absl::StrCat(
      "experiment log record ", record.sequence(),
      ": not an experiment or exposure record"));
}

void ExperimentStore::AddExposure(size_t experiment, Send send) {
  ExperimentState& state = experiments_[experiment];
  if (state.by_customer.contains(send.customer_id)) return;
  state.by_customer.emplace(send.customer_id, state.exposures.size());
  state.exposures.push_back(std::move(send));
}

absl::StatusOr<StoredExperiment> ExperimentStore::Create(
    const ExperimentDefinition& experiment, absl::Time now) {
  if (absl::Status valid = ValidateExperiment(experiment); !valid.ok()) {
    return valid;
  }
  const absl::Time created = absl::FromUnixSeconds(absl::ToUnixSeconds(now));
  absl::MutexLock lock(&mu_);
  if (index_.contains(experiment.id)) {
    return absl::AlreadyExistsError(absl::StrCat(
        "experiment.id: \"", experiment.id, "\" is taken"));
  }
  for (const ExperimentState& state : experiments_) {
    const StoredExperiment& s = state.running->stored;
    if (s.created <= created && created < s.ends) {
      return absl::FailedPreconditionError(absl::StrCat(
          "experiment \"", s.definition.id, "\" runs until ",
          absl::FormatTime(absl::RFC3339_sec, s.ends, absl::UTCTimeZone()),
          ": one experiment at a time"));
    }
  }
  CampaignLogRecord record;
  *record.mutable_experiment() = ToRecord(experiment, created);
  absl::StatusOr<uint64_t> appended = writer_->Append(record);
  if (!appended.ok()) return appended.status();
  ++appends_;
  record.set_sequence(*appended);
  if (absl::Status s = Apply(record); !s.ok()) return s;
  return experiments_.back().running->stored;
}

std::optional<StoredExperiment> ExperimentStore::Find(absl::string_view id) const {
  absl::MutexLock lock(&mu_);
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  StoredExperiment out = experiments_[it->second].running->stored;
  out.exposed_customers =
      static_cast<int64_t>(experiments_[it->second].exposures.size());
  return out;
}

std::vector<StoredExperiment> ExperimentStore::List() const {
  absl::MutexLock lock(&mu_);
  std::vector<StoredExperiment> out;
  for (const ExperimentState& state : experiments_) {
    out.push_back(state.running->stored);
    out.back().exposed_customers = static_cast<int64_t>(state.exposures.size());
  }
  return out;
}

std::shared_ptr<const RunningExperiment> ExperimentStore::RunningAt(
    absl::Time now) const {
  absl::ReaderMutexLock lock(&mu_);
  for (const ExperimentState& state : experiments_) {
    const StoredExperiment& s = state.running->stored;
    if (s.created <= now && now < s.ends) return state.running;
  }
  return nullptr;
}

absl::Status ExperimentStore::RecordExposure(const RunningExperiment& experiment,
                                             absl::string_view customer_id,
                                             int arm, absl::Time now,
                                             std::vector<std::string> item_ids) {
  const size_t e = experiment.index;
  {
    // The common case, a customer already exposed, under a shared lock.
    absl::ReaderMutexLock read(&mu_);
    if (e < experiments_.size() &&
        experiments_[e].by_customer.contains(customer_id)) {
      return absl::OkStatus();
    }
  }
  // Erased customers were forgotten, so only a first exposure asks.
  if (erased_ && erased_(customer_id)) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  if (e >= experiments_.size() || arm < 0 ||
      arm >= static_cast<int>(experiment.stored.definition.arms.size())) {
    return absl::InvalidArgumentError("exposure: unknown experiment or arm");
  }
  if (experiments_[e].by_customer.contains(customer_id)) return absl::OkStatus();
  if (!broken_.ok()) return broken_;
  const std::string key = PendingKey(e, customer_id);
  uint64_t ticket = 0;
  if (auto it = pending_tickets_.find(key); it != pending_tickets_.end()) {
    ticket = it->second;  // Another call is recording it: wait for that.
  } else {
    ticket = ++next_ticket_;
    Send send;
    send.customer_id = std::string(customer_id);
    send.arm = arm;
    send.unix_seconds = absl::ToUnixSeconds(now);
    send.item_ids = std::move(item_ids);
    pending_.push_back(PendingExposure{e, std::move(send)});
    pending_tickets_.emplace(key, ticket);
  }
  while (durable_ticket_ < ticket) {
    if (!writing_) {
      CommitPending();
    } else {
      committed_.Wait(&mu_);
    }
  }
  return broken_;
}

void ExperimentStore::CommitPending() {
  writing_ = true;
  std::vector<PendingExposure> batch;
  batch.swap(pending_);
  const uint64_t last_ticket = next_ticket_;
  // One record per experiment of the batch (almost always one).
  std::vector<CampaignLogRecord> records;
  absl::flat_hash_map<size_t, size_t> record_of;
  for (const PendingExposure& p : batch) {
    auto [it, added] = record_of.emplace(p.experiment, records.size());
    if (added) {
      records.emplace_back().mutable_exposures()->set_experiment_id(
          experiments_[p.experiment].running->stored.definition.id);
    }
    ExposureBatch* exposures = records[it->second].mutable_exposures();
    Exposure* x = exposures->add_exposures();
    x->set_customer_id(p.send.customer_id);
    x->set_arm(experiments_[p.experiment]
                   .running->stored.definition.arms[p.send.arm]
                   .name);
    x->set_unix_seconds(p.send.unix_seconds);
    for (const std::string& item : p.send.item_ids) x->add_item_ids(item);
  }
  mu_.Unlock();
  absl::Status written;
  int64_t appends = 0;
  for (CampaignLogRecord& record : records) {
    absl::StatusOr<uint64_t> appended = writer_->Append(std::move(record));
    if (!appended.ok()) {
      written = appended.status();
      break;
    }
    ++appends;
  }
  mu_.Lock();
  appends_ += appends;
  for (const PendingExposure& p : batch) {
    pending_tickets_.erase(PendingKey(p.experiment, p.send.customer_id));
  }
  if (written.ok()) {
    for (PendingExposure& p : batch) AddExposure(p.experiment, std::move(p.send));
  } else {
    broken_ = written;
  }
  durable_ticket_ = last_ticket;
  writing_ = false;
  committed_.SignalAll();
}

absl::StatusOr<std::vector<Send>> ExperimentStore::ExposuresOf(
    absl::string_view id) const {
  absl::MutexLock lock(&mu_);
  auto it = index_.find(id);
  if (it == index_.end()) {
    return absl::NotFoundError(
        absl::StrCat("experiment_id: no experiment \"", id, "\""));
  }
  return experiments_[it->second].exposures;
}

int64_t ExperimentStore::appends() const {
  absl::MutexLock lock(&mu_);
  return appends_;
}

void ExperimentStore::ForgetCustomer(absl::string_view customer_id) {
  absl::MutexLock lock(&mu_);
  for (ExperimentState& state : experiments_) {
    auto found = state.by_customer.find(customer_id);
    if (found == state.by_customer.end()) continue;
    state.exposures.erase(state.exposures.begin() +
                          static_cast<std::ptrdiff_t>(found->second));
    state.by_customer.clear();
    for (size_t i = 0; i < state.exposures.size(); ++i) {
      state.by_customer.emplace(state.exposures[i].customer_id, i);
    }
  }
}

absl::StatusOr<CampaignLogCompactionStats> ExperimentStore::CompactErased() {
  if (!erased_) return CampaignLogCompactionStats();
  return writer_->Compact(erased_);
}

}  // namespace recommender::campaigns
