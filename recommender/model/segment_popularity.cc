#include "recommender/model/segment_popularity.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace recommender {
namespace {

// Which attributes a segment keeps: bit 0 age band, 1 gender, 2 region;
// most specific first (the order Find tries them in).
constexpr int kMasks[] = {7, 3, 5, 6, 1, 2, 4};

// The attributes kept by `mask`, or nullopt if one of them is unknown.
std::optional<CustomerAttributes> Project(const CustomerAttributes& attributes,
                                          int mask) {
  CustomerAttributes key;
  if (mask & 1) {
    if (attributes.age_band.empty()) return std::nullopt;
    key.age_band = attributes.age_band;
  }
  if (mask & 2) {
    if (attributes.gender.empty()) return std::nullopt;
    key.gender = attributes.gender;
  }
  if (mask & 4) {
    if (attributes.region.empty()) return std::nullopt;
    key.region = attributes.region;
  }
  return key;
}

std::string KeyString(const CustomerAttributes& key) {
  return absl::StrCat(key.age_band, "\x1f", key.gender, "\x1f", key.region);
}

}  // namespace

SegmentPopularity SegmentPopularity::Build(
    const snapshot::CustomerTable& customers, int64_t since,
    int32_t min_buyers) {
  struct Counts {
    CustomerAttributes key;
    int32_t buyers = 0;
    absl::flat_hash_map<int32_t, int32_t> purchases;
  };
  absl::flat_hash_map<std::string, Counts> counts;
  for (const snapshot::Customer& customer : customers.customers()) {
    const CustomerAttributes attributes{customer.age_band(), customer.gender(),
                                        customer.region()};
    if (attributes.empty()) continue;
    std::vector<int32_t> bought;
    for (int k = 0; k < customer.purchased_items_size(); ++k) {
      if (customer.purchase_times(k) >= since) {
        bought.push_back(customer.purchased_items(k));
      }
    }
    if (bought.empty()) continue;
    for (int mask : kMasks) {
      std::optional<CustomerAttributes> key = Project(attributes, mask);
      if (!key.has_value()) continue;
      Counts& segment = counts[KeyString(*key)];
      segment.key = *key;
      ++segment.buyers;
      for (int32_t item : bought) ++segment.purchases[item];
    }
  }
  SegmentPopularity out;
  for (auto& [name, segment_counts] : counts) {
    if (segment_counts.buyers < min_buyers) continue;
    std::vector<std::pair<int32_t, int32_t>> ranked(
        segment_counts.purchases.begin(), segment_counts.purchases.end());
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& a, const auto& b) {
                return a.second != b.second ? a.second > b.second
                                            : a.first < b.first;
              });
    if (ranked.size() > kMaxItemsPerSegment) ranked.resize(kMaxItemsPerSegment);
    Segment segment;
    segment.key = segment_counts.key;
    segment.buyers = segment_counts.buyers;
    for (const auto& [item, purchases] : ranked) {
      segment.items.push_back(item);
      segment.purchases.push_back(purchases);
    }
    out.segments_.emplace(name, std::move(segment));
  }
  return out;
}

const SegmentPopularity::Segment* SegmentPopularity::Find(
    const CustomerAttributes& attributes) const {
  for (int mask : kMasks) {
    std::optional<CustomerAttributes> key = Project(attributes, mask);
    if (!key.has_value()) continue;
    auto it = segments_.find(KeyString(*key));
    if (it != segments_.end()) return &it->second;
  }
  return nullptr;
}

std::string DescribeSegment(const CustomerAttributes& key) {
  std::vector<std::string> parts;
  for (const std::string* part : {&key.age_band, &key.gender, &key.region}) {
    if (!part->empty()) parts.push_back(*part);
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace recommender
