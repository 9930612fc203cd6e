#include "recommender/segments/quantile_scores.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace recommender::segments {

std::vector<uint8_t> QuantileScores(absl::Span<const double> values,
                                    int groups) {
  groups = std::clamp(groups, 1, 255);
  std::vector<uint8_t> scores(values.size(), 0);
  std::vector<uint32_t> order;
  order.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isnan(values[i])) order.push_back(static_cast<uint32_t>(i));
  }
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return values[a] < values[b];
  });
  const int64_t known = static_cast<int64_t>(order.size());
  size_t begin = 0;
  while (begin < order.size()) {
    size_t end = begin + 1;
    while (end < order.size() && values[order[end]] == values[order[begin]]) {
      ++end;
    }
    // 1 + floor(groups * (below + equal / 2) / known), in integers.
    const int64_t below = static_cast<int64_t>(begin);
    const int64_t equal = static_cast<int64_t>(end - begin);
    const int64_t score =
        std::min<int64_t>(groups, 1 + groups * (2 * below + equal) / (2 * known));
    for (size_t k = begin; k < end; ++k) {
      scores[order[k]] = static_cast<uint8_t>(score);
    }
    begin = end;
  }
  return scores;
}

}  // namespace recommender::segments
