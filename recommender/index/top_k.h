// TopK: keeps the k best (highest-scoring) items offered to it, for the
// exact scans. Ties are broken by the smaller item row, so results do not
// depend on scan order.
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
  explicit TopK(int k) : k_(k) { heap_.reserve(k); }

  // Scores at or below this cannot enter (they may tie with the worst kept
  // item; Offer resolves ties exactly). -inf until k items are kept.
  float threshold() const { return threshold_; }

  void Offer(int32_t item, float score) {
    if (static_cast<int>(heap_.size()) < k_) {
      heap_.push_back({item, score});
      std::push_heap(heap_.begin(), heap_.end(), Better());
      if (static_cast<int>(heap_.size()) == k_) threshold_ = heap_[0].score;
      return;
    }
    if (!Better()({item, score}, heap_[0])) return;
    std::pop_heap(heap_.begin(), heap_.end(), Better());
    heap_.back() = {item, score};
    std::push_heap(heap_.begin(), heap_.end(), Better());
    threshold_ = heap_[0].score;
  }

  // The kept items, best first. Leaves the TopK empty.
  std::vector<ScoredItem> Take() {
    std::sort_heap(heap_.begin(), heap_.end(), Better());
    threshold_ = -std::numeric_limits<float>::infinity();
    return std::move(heap_);
  }

 private:
  // Heap order: the worst kept item on top. A function object, not a
  // function, so that the heap algorithms inline it.
  struct Better {
    bool operator()(const ScoredItem& a, const ScoredItem& b) const {
      return a.score > b.score || (a.score == b.score && a.item < b.item);
    }
  };

  int k_;
  std::vector<ScoredItem> heap_;
  float threshold_ = -std::numeric_limits<float>::infinity();
};

}  // namespace recommender

#endif  // RECOMMENDER_INDEX_TOP_K_H_
