// TopK: keeps the k best (highest-scoring) items offered to it, for the
// exact scans. Ties are broken by the smaller item row, so results do not
// depend on scan order.
//
// Offers go to a buffer of up to 2k items, cut back to the k best (a
// selection, linear time) when it fills: a constant cost per offer where
// a heap of k pays log k for each item that enters it.
//
// Not thread-safe; one per query.
#ifndef RECOMMENDER_INDEX_TOP_K_H_
#define RECOMMENDER_INDEX_TOP_K_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "recommender/index/item_index.h"

namespace recommender {

class TopK {
 public:
  // k >= 1.
  explicit TopK(int k) : k_(std::max(k, 1)) {
    kept_.reserve(std::min(2 * k_, 4096));
  }

  // Scores below this cannot enter (a score equal to it may, by the
  // tie-break; Offer decides). -inf until the buffer was first cut back; at
  // most the k-th best score offered so far.
  float threshold() const { return threshold_; }

  void Offer(int32_t item, float score) {
    if (score < threshold_) return;
    kept_.push_back({item, score});
    if (static_cast<int>(kept_.size()) >= 2 * k_) KeepBest();
  }

  // The kept items, best first. Leaves the TopK empty.
  std::vector<ScoredItem> Take() {
    if (static_cast<int>(kept_.size()) > k_) KeepBest();
    std::sort(kept_.begin(), kept_.end(), Better());
    threshold_ = -std::numeric_limits<float>::infinity();
    return std::move(kept_);
  }

 private:
  // Higher score first, then the lower row: a strict total order, so the k
  // best are one set whatever the order of the offers.
  struct Better {
    bool operator()(const ScoredItem& a, const ScoredItem& b) const {
      return a.score > b.score || (a.score == b.score && a.item < b.item);
    }
  };

  // Cuts the buffer back to its k best; the k-th best's score becomes the
  // threshold.
  void KeepBest() {
    std::nth_element(kept_.begin(), kept_.begin() + (k_ - 1), kept_.end(),
                     Better());
    kept_.resize(k_);
    threshold_ = kept_[k_ - 1].score;
  }

  int k_;
  std::vector<ScoredItem> kept_;
  float threshold_ = -std::numeric_limits<float>::infinity();
};

}  // namespace recommender

#endif  // RECOMMENDER_INDEX_TOP_K_H_
