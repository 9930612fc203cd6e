// The command-line flags that choose how a model is trained (iALS, event
// weights, recency, item index), shared by the trainer (//training:train)
// and the evaluation tools (//training/evaluation:evaluate,
// //training/tuning:tune), so that a setting evaluated is spelled exactly as
// the setting trained.
//
// Not thread-safe: reads process-wide flags; call from main after parsing.
#ifndef TRAINING_TRAINER_TRAINER_FLAGS_H_
#define TRAINING_TRAINER_TRAINER_FLAGS_H_

#include "absl/status/statusor.h"
#include "training/trainer/trainer.h"

namespace recommender {

// The TrainerOptions the model flags describe (on_bad_row included; the
// caller sets data_dir, model_dir and version; config_file names the
// files the flags were read from). InvalidArgument naming the flag for a bad
// choice.
absl::StatusOr<TrainerOptions> TrainerOptionsFromFlags();

}  // namespace recommender

#endif  // TRAINING_TRAINER_TRAINER_FLAGS_H_
