#include "recommender/live/live_events.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "recommender/data/field_parsers.h"
#include "recommender/util/status_macros.h"

namespace recommender {

LiveEvents::LiveEvents(const Options& options,
                       std::optional<uint64_t> model_sequence)
    : erased_(options.erased != nullptr ? options.erased
                                        : std::make_shared<ErasedCustomers>()),
      state_(options.max_events_per_customer, options.max_live_customers),
      model_sequence_(model_sequence) {}

void LiveEvents::DropErased(events::LogRecord* record) const {
  if (erased_->empty()) return;
  auto* events = record->mutable_events();
  events->erase(std::remove_if(events->begin(), events->end(),
                               [this](const events::LoggedEvent& event) {
                                 return erased_->Contains(event.customer_id());
                               }),
                events->end());
}

absl::StatusOr<std::unique_ptr<LiveEvents>> LiveEvents::Open(
    const std::string& dir, const Options& options,
    std::optional<uint64_t> model_in_service,
    events::EventLogReadSummary* recovered) {
  std::unique_ptr<LiveEvents> live(new LiveEvents(options, model_in_service));
  const uint64_t replay_after = model_in_service.value_or(0);
  LiveEvents* self = live.get();
  ASSIGN_OR_RETURN(
      live->writer_,
      events::EventLogWriter::Open(
          dir, options.log,
          [self, replay_after](const events::LogRecord& record) {
            for (const std::string& key : record.erased_customers()) {
              self->erased_->AddKey(key);
            }
            // Items stay known until a model trained with them replaces
            // this one; the trainer reads them from the log as well.
            self->catalog_.Apply(record);
            if (record.sequence() > replay_after) {
              events::LogRecord kept = record;
              self->DropErased(&kept);
              self->state_.Apply(kept);
            }
            return absl::OkStatus();
          },
          recovered));
  // Events replayed before their customer's tombstone came up.
  if (!live->erased_->empty()) {
    live->state_.EraseIf([self](absl::string_view customer_id) {
      return self->erased_->Contains(customer_id);
    });
  }
  return live;
}

absl::StatusOr<uint64_t> LiveEvents::Record(events::LogRecord record) {
  // Apply reads the sequence the writer assigns, so keep a copy of the
  // events: Append consumes the record.
  events::LogRecord applied = record;
  ASSIGN_OR_RETURN(const uint64_t sequence, writer_->Append(std::move(record)));
  applied.set_sequence(sequence);
  catalog_.Apply(applied);
  // A customer erased while these events were checked and written: their
  // events are in the log but count as never recorded.
  DropErased(&applied);
  state_.Apply(applied);
  return sequence;
}

absl::StatusOr<LiveEvents::ErasureResult> LiveEvents::Erase(
    absl::string_view customer_id) {
  if (absl::Status valid = ValidateId(customer_id); !valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("customer_id: ", valid.message()));
  }
  ErasureResult result;
  std::string key = ErasureKey(customer_id);
  // Erased before the append, so that no event recorded meanwhile is
  // applied; undone if the tombstone cannot be written.
  if (!erased_->AddKey(key)) {
    result.already_erased = true;
    result.live_events_removed = state_.Erase(customer_id);
    return result;
  }
  events::LogRecord tombstone;
  tombstone.add_erased_customers(key);
  absl::StatusOr<uint64_t> sequence = writer_->Append(std::move(tombstone));
  if (!sequence.ok()) {
    erased_->RemoveKey(key);
    return sequence.status();
  }
  result.sequence = *sequence;
  result.live_events_removed = state_.Erase(customer_id);
  return result;
}

absl::StatusOr<events::CompactionStats> LiveEvents::Compact(
    Retention retention) {
  events::CompactionRules rules;
  if (retention == Retention::kUntrained) {
    absl::MutexLock lock(&mu_);
    rules.drop_through_sequence = model_sequence_.value_or(0);
  }
  if (!erased_->empty()) {
    rules.drop_event = [this](const events::LoggedEvent& event) {
      return erased_->Contains(event.customer_id());
    };
  }
  if (!rules.drop_event && rules.drop_through_sequence == 0) {
    return events::CompactionStats();
  }
  return writer_->Compact(rules);
}

void LiveEvents::ModelLoaded(uint64_t event_log_sequence) {
  uint64_t forget_through = event_log_sequence;
  {
    absl::MutexLock lock(&mu_);
    if (model_sequence_.has_value()) {
      forget_through = std::min(forget_through, *model_sequence_);
    }
    model_sequence_ = event_log_sequence;
  }
  state_.DropThrough(forget_through);
}

}  // namespace recommender
