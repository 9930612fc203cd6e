// Send: one customer of one campaign export, the unit that attribution and
// the report work on and the campaign store keeps.
//
// Thread-safe: plain data.
#ifndef RECOMMENDER_CAMPAIGNS_SEND_H_
#define RECOMMENDER_CAMPAIGNS_SEND_H_

#include <cstdint>
#include <string>
#include <vector>

namespace recommender::campaigns {

struct Send {
  std::string customer_id;
  // Index into the campaign's arms, or ArmAssigner::kControl (-1) for the
  // held-back group.
  int arm = -1;
  // Mailed items, best first; for control, what the first arm would have
  // sent (may be empty).
  std::vector<std::string> item_ids;
  // When it was sent (or held back), Unix seconds.
  int64_t unix_seconds = 0;
};

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_SEND_H_
