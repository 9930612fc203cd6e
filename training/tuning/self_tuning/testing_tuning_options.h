// For the self-tuning's tests: small, fast settings for tuning a small
// generated shop.
#ifndef TRAINING_TUNING_SELF_TUNING_TESTING_TUNING_OPTIONS_H_
#define TRAINING_TUNING_SELF_TUNING_TESTING_TUNING_OPTIONS_H_

#include "training/trainer/trainer.h"
#include "training/tuning/self_tuning/self_tuning.h"

namespace recommender::testing {

// 8 factors, 3 epochs, seed 7; the timing model fitted on 200 customers.
inline TrainerOptions SmallTrainer() {
  TrainerOptions trainer;
  trainer.ials.factors = 8;
  trainer.ials.epochs = 3;
  trainer.ials.seed = 7;
  trainer.timing.fit_max_customers = 200;
  return trainer;
}

// Three iALS trials, a ranker of at most 15 rounds, a slice of at least 20
// customers.
inline SelfTuningOptions FewTrials() {
  SelfTuningOptions options;
  options.enabled = true;
  options.max_ials_trials = 3;
  options.ranker_max_rounds = 15;
  options.validation.min_customers = 20;
  return options;
}

// Stage 1 only, its searches run until they settle (no budget, no ranker).
inline SelfTuningOptions SettledIalsSearch() {
  SelfTuningOptions options = FewTrials();
  options.max_ials_trials = 1000;
  options.ranker = false;
  return options;
}

}  // namespace recommender::testing

#endif  // TRAINING_TUNING_SELF_TUNING_TESTING_TUNING_OPTIONS_H_
