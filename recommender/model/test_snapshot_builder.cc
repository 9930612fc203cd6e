#include "recommender/model/test_snapshot_builder.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <iostream>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "recommender/index/faiss_item_index.h"
#include "recommender/ltr/ranking_features.h"

namespace recommender {
namespace {

void Require(bool condition, const char* what) {
  if (!condition) {
    std::cerr << "TestSnapshotBuilder misuse: " << what << std::endl;
    std::abort();
  }
}

}  // namespace

TestSnapshotBuilder::TestSnapshotBuilder(int32_t dimension)
    : dimension_(dimension) {}

TestSnapshotBuilder& TestSnapshotBuilder::AddItem(
    const std::string& id, const std::string& category,
    std::vector<float> vector, snapshot::Durability durability, double price,
    int32_t recent_purchases, bool in_stock) {
  Require(static_cast<int32_t>(vector.size()) == dimension_,
          "item vector size");
  snapshot::Item* item = items_.add_items();
  item->set_id(id);
  item->set_title(id);
  item->set_category(category);
  item->set_price(price);
  item->set_in_stock(in_stock);
  item->set_durability(durability);
  item->set_durability_source(snapshot::CATALOG);
  item->set_durability_confidence(1);
  item->set_recent_purchases(recent_purchases);
  item_values_.insert(item_values_.end(), vector.begin(), vector.end());
  return *this;
}

TestSnapshotBuilder& TestSnapshotBuilder::AddCustomer(
    const std::string& id, std::vector<float> vector,
    std::vector<std::pair<std::string, int64_t>> purchases) {
  snapshot::Customer* customer = customers_.add_customers();
  customer->set_id(id);
  if (vector.empty()) {
    customer->set_factor_row(-1);
  } else {
    Require(static_cast<int32_t>(vector.size()) == dimension_,
            "customer vector size");
    customer->set_factor_row(
        static_cast<int32_t>(customer_values_.size() / dimension_));
    customer_values_.insert(customer_values_.end(), vector.begin(),
                            vector.end());
  }
  purchases_.push_back(std::move(purchases));
  touches_.emplace_back();
  return *this;
}

TestSnapshotBuilder& TestSnapshotBuilder::AddTouch(const std::string& item_id,
                                                   int64_t time, bool cart) {
  Require(!touches_.empty(), "a touch before a customer");
  touches_.back().emplace_back(item_id, time, cart);
  return *this;
}

TestSnapshotBuilder& TestSnapshotBuilder::SetNeighbors(
    const std::string& name,
    std::vector<std::tuple<std::string, std::string, float>> edges) {
  neighbors_.emplace_back(name, std::move(edges));
  return *this;
}

TestSnapshotBuilder& TestSnapshotBuilder::SetRanker(std::string model) {
  ranker_ = std::move(model);
  return *this;
}

TestSnapshotBuilder& TestSnapshotBuilder::AddFactorBlock(
    int32_t factors, snapshot::ServedRequests requests) {
  blocks_.emplace_back(factors, requests);
  return *this;
}

TestSnapshotBuilder& TestSnapshotBuilder::SetRepurchaseCycle(
    const std::string& item_id, double days, double log_sd) {
  cycles_.emplace_back(item_id, days, log_sd);
  return *this;
}

TestSnapshotBuilder& TestSnapshotBuilder::SetDataEnd(int64_t unix_seconds) {
  data_end_ = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                               absl::FromUnixSeconds(unix_seconds),
                               absl::UTCTimeZone());
  return *this;
}

TestSnapshotBuilder& TestSnapshotBuilder::WithAttributes(
    const std::string& age_band, const std::string& gender,
    const std::string& region) {
  Require(customers_.customers_size() > 0, "attributes before a customer");
  snapshot::Customer* customer =
      customers_.mutable_customers(customers_.customers_size() - 1);
  customer->set_age_band(age_band);
  customer->set_gender(gender);
  customer->set_region(region);
  return *this;
}

SnapshotContents TestSnapshotBuilder::Build(int64_t version) const {
  SnapshotContents contents;
  contents.manifest.set_version(version);
  contents.manifest.set_trained_at("2026-01-01T00:00:00Z");
  contents.manifest.set_embedding_dimension(dimension_);
  contents.manifest.set_num_items(items_.items_size());
  contents.manifest.set_num_customers(customers_.customers_size());
  auto& parameters = *contents.manifest.mutable_parameters();
  parameters["alpha"] = "1";
  parameters["regularization"] = "0.1";
  parameters["view_weight"] = "1";
  parameters["cart_weight"] = "4";
  parameters["purchase_weight"] = "10";
  int32_t block_dimensions = 0;
  for (const auto& [factors, requests] : blocks_) {
    snapshot::FactorBlock* block = contents.manifest.add_factor_blocks();
    block->set_factors(factors);
    block->set_alpha(1);
    block->set_regularization(0.1f);
    block->set_requests(requests);
    block_dimensions += factors;
  }
  Require(blocks_.empty() || block_dimensions == dimension_,
          "factor blocks adding up to the dimension");
  contents.items = items_;
  contents.customers = customers_;
  absl::flat_hash_map<std::string, int32_t> rows;
  for (int32_t row = 0; row < items_.items_size(); ++row) {
    rows[items_.items(row).id()] = row;
  }
  for (size_t c = 0; c < purchases_.size(); ++c) {
    snapshot::Customer* customer = contents.customers.mutable_customers(c);
    absl::flat_hash_map<int32_t, float> strengths;
    for (const auto& [item_id, time, cart] : touches_[c]) {
      Require(rows.contains(item_id), "touch of an unknown item");
      customer->add_touched_items(rows[item_id]);
      customer->add_touch_times(time);
      customer->add_touch_kinds(cart ? 2 : 1);
      customer->set_last_event_time(std::max(customer->last_event_time(), time));
      strengths[rows[item_id]] += cart ? 4 : 1;
    }
    for (const auto& [item_id, time] : purchases_[c]) {
      Require(rows.contains(item_id), "purchase of an unknown item");
      customer->add_purchased_items(rows[item_id]);
      customer->add_purchase_times(time);
      customer->set_last_event_time(std::max(customer->last_event_time(), time));
      strengths[rows[item_id]] += 10;
    }
    std::map<int32_t, float> ordered(strengths.begin(), strengths.end());
    for (const auto& [item, strength] : ordered) {
      customer->add_interaction_items(item);
      customer->add_interaction_strengths(strength);
    }
  }
  contents.item_factors.rows = items_.items_size();
  contents.item_factors.dimension = dimension_;
  contents.item_factors.values = item_values_;
  contents.customer_factors.rows =
      static_cast<int64_t>(customer_values_.size() / dimension_);
  contents.customer_factors.dimension = dimension_;
  contents.customer_factors.values = customer_values_;
  auto index = FaissItemIndex::BuildExact(contents.item_factors);
  Require(index.ok(), "index build");
  contents.index = *std::move(index);
  contents.manifest.set_data_end(data_end_);
  for (const auto& [name, edges] : neighbors_) {
    std::vector<std::vector<std::pair<int32_t, float>>> lists(items_.items_size());
    for (const auto& [from, to, weight] : edges) {
      Require(rows.contains(from) && rows.contains(to), "neighbour of an unknown item");
      lists[rows[from]].emplace_back(rows[to], weight);
    }
    snapshot::ItemNeighborList* list = contents.similarities.add_lists();
    list->set_name(name);
    list->add_offsets(0);
    for (const auto& row : lists) {
      for (const auto& [item, weight] : row) {
        list->add_neighbors(item);
        list->add_weights(weight);
      }
      list->add_offsets(list->neighbors_size());
    }
  }
  if (!ranker_.empty()) {
    contents.ranker_model = ranker_;
    snapshot::RankerInfo* ranker = contents.manifest.mutable_ranker();
    ranker->set_format("xgboost");
    for (const std::string& name : RankingFeatureNames()) ranker->add_features(name);
  }
  if (!cycles_.empty()) {
    snapshot::RepurchaseModel* model = contents.timing.mutable_repurchase();
    absl::flat_hash_map<std::string, int32_t> groups;
    for (int32_t row = 0; row < items_.items_size(); ++row) {
      snapshot::ItemRepurchase* item = model->add_items();
      auto [it, inserted] = groups.emplace(items_.items(row).category(),
                                           static_cast<int32_t>(groups.size()));
      if (inserted) {
        model->add_categories()->set_category(items_.items(row).category());
      }
      item->set_category_group(it->second);
    }
    for (const auto& [item_id, days, log_sd] : cycles_) {
      Require(rows.contains(item_id), "repurchase cycle of an unknown item");
      snapshot::ItemRepurchase* item = model->mutable_items(rows[item_id]);
      item->set_consumable(true);
      item->set_log_mean(std::log(days));
      item->set_log_sd(log_sd);
      item->set_basis(snapshot::ITEM);
    }
    model->set_customer_sd(0.1);
    model->set_customer_category_sd(0.1);
    model->set_customer_item_sd(0.1);
    model->set_quantity_exponent(1);
  }
  return contents;
}

}  // namespace recommender
