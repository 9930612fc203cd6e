#include "recommender/ltr/tree_ensemble.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace recommender {
namespace {

// Floats parsed as float (strtof), so that thresholds and leaf values are
// exactly the floats XGBoost printed.
using Json = nlohmann::basic_json<std::map, std::vector, std::string, bool,
                                  std::int64_t, std::uint64_t, float>;

// A split's packed feature and default direction: the feature in the low
// 31 bits, the top bit set if a missing value goes right.
constexpr int32_t kFeatureMask = 0x7fffffff;

// The heap index of the child of split `at` that `row` goes to: right if
// not (value < threshold), unless the value is missing (NaN, which
// compares false) and the default is left. No branch on the data.
inline int32_t Step(int32_t split, float threshold, const float* row,
                    int32_t at) {
  const float value = row[split & kFeatureMask];
  const int32_t right =
      static_cast<int32_t>(!(value < threshold)) &
      (static_cast<int32_t>(!std::isnan(value)) |
       static_cast<int32_t>(static_cast<uint32_t>(split) >> 31));
  return 2 * at + 1 + right;
}

// Deeper trees would be padded to 2^depth leaves; XGBoost scores them.
constexpr int32_t kMaxDepth = 14;
// Past this many splits and leaves in all (padded; ~8 bytes each), the
// ensemble is left to XGBoost too.
constexpr size_t kMaxPaddedNodes = size_t{1} << 22;

// Objectives whose normal prediction is the raw margin (no transform).
constexpr absl::string_view kMarginObjectives[] = {
    "rank:pairwise", "rank:ndcg", "rank:map", "reg:squarederror"};

absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("XGBoost JSON model: ", what));
}

// XGBoost writes its model parameters as strings ("30", "5E-1").
absl::StatusOr<int64_t> IntParameter(const Json& object, const char* key,
                                     int64_t absent) {
  if (!object.contains(key)) return absent;
  int64_t value = 0;
  if (!absl::SimpleAtoi(object.at(key).get<std::string>(), &value)) {
    return Malformed(absl::StrCat(key, " is not an integer"));
  }
  return value;
}

absl::StatusOr<float> FloatParameter(const Json& object, const char* key) {
  const std::string text = object.at(key).get<std::string>();
  char* end = nullptr;
  const float value = std::strtof(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) {
    return Malformed(absl::StrCat(key, " is not a number"));
  }
  return value;
}

// 0/1 written as integers or booleans, depending on the version.
bool Flag(const Json& value) {
  return value.is_boolean() ? value.get<bool>() : value.get<int64_t>() != 0;
}

}  // namespace

absl::StatusOr<TreeEnsemble> TreeEnsemble::FromXgboostJson(
    absl::string_view json) {
  const Json root = Json::parse(json.begin(), json.end(), nullptr,
                                /*allow_exceptions=*/false);
  if (root.is_discarded()) return Malformed("not JSON");
  TreeEnsemble ensemble;
  try {
    const Json& learner = root.at("learner");
    const Json& booster = learner.at("gradient_booster");
    if (booster.at("name").get<std::string>() != "gbtree") {
      return absl::UnimplementedError(absl::StrCat(
          "booster ", booster.at("name").get<std::string>(), " (gbtree only)"));
    }
    const std::string objective = learner.at("objective").at("name");
    if (std::find(std::begin(kMarginObjectives), std::end(kMarginObjectives),
                  objective) == std::end(kMarginObjectives)) {
      return absl::UnimplementedError(
          absl::StrCat("objective ", objective, " transforms the margin"));
    }
    const Json& parameters = learner.at("learner_model_param");
    auto num_features = IntParameter(parameters, "num_feature", 0);
    auto num_class = IntParameter(parameters, "num_class", 0);
    auto num_target = IntParameter(parameters, "num_target", 1);
    auto base_score = FloatParameter(parameters, "base_score");
    for (const absl::Status& status :
         {num_features.status(), num_class.status(), num_target.status(),
          base_score.status()}) {
      if (!status.ok()) return status;
    }
    if (*num_class > 1 || *num_target != 1) {
      return absl::UnimplementedError("several outputs");
    }
    if (*num_features < 1 || *num_features > INT32_MAX) {
      return Malformed("num_feature out of range");
    }
    ensemble.num_features_ = static_cast<int32_t>(*num_features);
    ensemble.base_score_ = *base_score;

    const Json& model = booster.at("model");
    const Json& trees = model.at("trees");
    const Json& tree_info = model.at("tree_info");
    if (tree_info.size() != trees.size()) {
      return Malformed("tree_info and trees differ in length");
    }
    for (const Json& group : tree_info) {
      if (group.get<int64_t>() != 0) {
        return absl::UnimplementedError("several output groups");
      }
    }
    for (const Json& tree : trees) {
      const Json& left = tree.at("left_children");
      const Json& right = tree.at("right_children");
      const Json& feature = tree.at("split_indices");
      const Json& condition = tree.at("split_conditions");
      const Json& default_left = tree.at("default_left");
      const size_t size = left.size();
      if (size == 0 || right.size() != size || feature.size() != size ||
          condition.size() != size || default_left.size() != size) {
        return Malformed("a tree's arrays differ in length");
      }
      if (tree.contains("split_type")) {
        for (const Json& type : tree.at("split_type")) {
          if (type.get<int64_t>() != 0) {
            return absl::UnimplementedError("categorical splits");
          }
        }
      }
      // Depths first: every leaf is moved down to the tree's depth (a
      // shallower leaf becomes splits whose children all hold its value),
      // so that every row takes the same number of steps through a tree.
      std::vector<int32_t> depth(size, -1);
      depth[0] = 0;
      int32_t tree_depth = 0;
      std::vector<int64_t> pending = {0};
      for (size_t p = 0; p < pending.size(); ++p) {
        const int64_t old = pending[p];
        const int64_t l = left[old].get<int64_t>();
        if (l == -1) continue;
        const int64_t r = right[old].get<int64_t>();
        const int64_t f = feature[old].get<int64_t>();
        if (l < 0 || r < 0 || l >= static_cast<int64_t>(size) ||
            r >= static_cast<int64_t>(size) || depth[l] >= 0 || depth[r] >= 0) {
          return Malformed("a child out of range or reached twice");
        }
        if (f < 0 || f >= ensemble.num_features_) {
          return Malformed("a split on a feature out of range");
        }
        depth[l] = depth[r] = depth[old] + 1;
        tree_depth = std::max(tree_depth, depth[l]);
        pending.push_back(l);
        pending.push_back(r);
      }
      if (tree_depth > kMaxDepth) {
        return absl::UnimplementedError(
            absl::StrCat("a tree deeper than ", kMaxDepth));
      }
      if (ensemble.splits_.size() + ensemble.leaves_.size() +
              (size_t{2} << tree_depth) >
          kMaxPaddedNodes) {
        return absl::UnimplementedError(
            absl::StrCat("more than ", kMaxPaddedNodes, " nodes once padded"));
      }
      ensemble.trees_.push_back({static_cast<int32_t>(ensemble.splits_.size()),
                                 static_cast<int32_t>(ensemble.leaves_.size()),
                                 tree_depth});
      // Level by level from the root, children in order: with every leaf
      // at the tree's depth this is the heap order (node i's children at
      // 2i + 1 and 2i + 2), splits first, then the leaves.
      struct Place {
        int64_t old;    // The node in XGBoost's arrays.
        int32_t depth;  // Where it is placed.
      };
      std::vector<Place> order = {{0, 0}};
      for (size_t p = 0; p < order.size(); ++p) {
        const Place place = order[p];
        const int64_t l = left[place.old].get<int64_t>();
        if (place.depth == tree_depth) {
          ensemble.leaves_.push_back(condition[place.old].get<float>());
        } else if (l != -1) {
          order.push_back({l, place.depth + 1});
          order.push_back({right[place.old].get<int64_t>(), place.depth + 1});
          const uint32_t default_right = Flag(default_left[place.old]) ? 0 : 1;
          ensemble.splits_.push_back(
              static_cast<int32_t>(feature[place.old].get<int64_t>()) |
              static_cast<int32_t>(default_right << 31));
          ensemble.thresholds_.push_back(condition[place.old].get<float>());
        } else {
          // A leaf above the tree's depth: both ways lead to its value.
          order.push_back({place.old, place.depth + 1});
          order.push_back({place.old, place.depth + 1});
          ensemble.splits_.push_back(0);
          ensemble.thresholds_.push_back(0.0f);
        }
      }
    }
  } catch (const Json::exception& e) {
    return Malformed(e.what());
  }
  return ensemble;
}

void TreeEnsemble::Predict(absl::Span<const float> rows,
                           absl::Span<float> scores) const {
  const size_t width = static_cast<size_t>(num_features_);
  size_t r = 0;
  // Sixteen rows at once through each tree in turn: independent chains of
  // loads that the CPU overlaps (one row alone waits on each load in
  // turn); the same compares and additions as one row at a time. (AVX2
  // gathers, eight rows per register, measured slower on Zen 4.)
  constexpr size_t kBlock = 16;
  for (; r + kBlock <= scores.size(); r += kBlock) {
    const float* block = rows.data() + r * width;
    float score[kBlock];
    std::fill(score, score + kBlock, base_score_);
    for (const Tree& tree : trees_) {
      const int32_t* splits = splits_.data() + tree.splits;
      const float* thresholds = thresholds_.data() + tree.splits;
      int32_t at[kBlock] = {};
      for (int32_t level = 0; level < tree.depth; ++level) {
        for (size_t j = 0; j < kBlock; ++j) {
          at[j] =
              Step(splits[at[j]], thresholds[at[j]], block + j * width, at[j]);
        }
      }
      const float* leaves =
          leaves_.data() + tree.leaves - ((int32_t{1} << tree.depth) - 1);
      for (size_t j = 0; j < kBlock; ++j) score[j] += leaves[at[j]];
    }
    std::copy(score, score + kBlock, scores.begin() + r);
  }
  for (; r < scores.size(); ++r) {
    const float* row = rows.data() + r * width;
    float score = base_score_;
    for (const Tree& tree : trees_) {
      const int32_t* splits = splits_.data() + tree.splits;
      const float* thresholds = thresholds_.data() + tree.splits;
      int32_t at = 0;
      for (int32_t level = 0; level < tree.depth; ++level) {
        at = Step(splits[at], thresholds[at], row, at);
      }
      score += leaves_[tree.leaves + at - ((int32_t{1} << tree.depth) - 1)];
    }
    scores[r] = score;
  }
}

}  // namespace recommender
