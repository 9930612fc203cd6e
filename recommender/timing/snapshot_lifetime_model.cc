#include "recommender/timing/snapshot_lifetime_model.h"

namespace recommender {

std::optional<CustomerLifetimeModel> LifetimeModelOf(
    const ModelSnapshot& snapshot) {
  const snapshot::CustomerLifetimeModel& m = snapshot.timing().lifetime();
  CustomerLifetimeModel model;
  model.bg_nbd = {m.bgnbd_r(), m.bgnbd_alpha(), m.bgnbd_a(), m.bgnbd_b()};
  model.gamma_gamma = {m.gamma_gamma_p(), m.gamma_gamma_q(),
                       m.gamma_gamma_gamma()};
  model.days_per_unit = m.days_per_unit();
  if (!IsValid(model.bg_nbd) || !(model.days_per_unit > 0)) return std::nullopt;
  return model;
}

}  // namespace recommender
