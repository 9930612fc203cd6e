// The self-tuning's command-line flags (--tune, --tune_budget, ...), shared
// by the trainer (//training:train) and the evaluation tool
// (//training/evaluation:evaluate), so that the model evaluated is tuned
// exactly as the model trained.
//
// Not thread-safe: reads process-wide flags; call from main after parsing.
#ifndef TRAINING_TUNING_SELF_TUNING_TUNING_FLAGS_H_
#define TRAINING_TUNING_SELF_TUNING_TUNING_FLAGS_H_

#include "absl/status/statusor.h"
#include "training/tuning/self_tuning/self_tuning.h"

namespace recommender {

// The SelfTuningOptions the flags describe (time validation, both tasks, k
// 10; the evaluation tool adapts those to its split). InvalidArgument
// naming the flag for a bad value.
absl::StatusOr<SelfTuningOptions> SelfTuningOptionsFromFlags();

}  // namespace recommender

#endif  // TRAINING_TUNING_SELF_TUNING_TUNING_FLAGS_H_
