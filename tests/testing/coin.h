// A deterministic coin per customer, for end-to-end tests that simulate who
// buys: the same id always lands on the same side, with no random state.
#ifndef TESTS_TESTING_COIN_H_
#define TESTS_TESTING_COIN_H_

#include "absl/strings/string_view.h"

namespace recommender::testing {

// A number uniform in [0, 1) fixed by `id` (FNV-1a, then a MurmurHash3
// finalizer step); `Coin(id) < p` is true for a share p of ids.
double Coin(absl::string_view id);

}  // namespace recommender::testing

#endif  // TESTS_TESTING_COIN_H_
