// TestSnapshotBuilder: assembles small SnapshotContents by hand for tests,
// with chosen vectors so that expected rankings are known.
//
//   SnapshotContents contents = TestSnapshotBuilder(2)
//       .AddItem("microwave", "kitchen/appliances", {1, 0}, Durability::DURABLE)
//       .AddCustomer("alice", {1, 0}, {{"microwave", 1700000000}})
//       .Build();
#ifndef RECOMMENDER_MODEL_TEST_SNAPSHOT_BUILDER_H_
#define RECOMMENDER_MODEL_TEST_SNAPSHOT_BUILDER_H_

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "recommender/model/snapshot_contents.h"

namespace recommender {

class TestSnapshotBuilder {
 public:
  explicit TestSnapshotBuilder(int32_t dimension);

  TestSnapshotBuilder& AddItem(
      const std::string& id, const std::string& category,
      std::vector<float> vector,
      snapshot::Durability durability = snapshot::CONSUMABLE,
      double price = 1000, int32_t recent_purchases = 0, bool in_stock = true);

  // An empty `vector` gives the customer no factor row.
  TestSnapshotBuilder& AddCustomer(
      const std::string& id, std::vector<float> vector,
      std::vector<std::pair<std::string, int64_t>> purchases = {});

  // Makes `item_id` (added before) a consumable that customers re-buy about
  // every `days` days, in the snapshot's timing model (customer effects
  // with prior spread 0.1, no customer-lifetime model).
  TestSnapshotBuilder& SetRepurchaseCycle(const std::string& item_id,
                                          double days, double log_sd = 0.15);

  // The customer added last viewed (or carted) `item_id` at that time.
  TestSnapshotBuilder& AddTouch(const std::string& item_id, int64_t time,
                                bool cart = false);

  // An item-to-item neighbour list ("item_knn", "ease"): edges from an item
  // to a neighbour with a weight, listed per item in the order given.
  TestSnapshotBuilder& SetNeighbors(
      const std::string& name,
      std::vector<std::tuple<std::string, std::string, float>> edges);

  // A learned ranker (e.g. recommender/ltr/testing_ranker.h's) over the
  // ranking features, with the default candidate settings.
  TestSnapshotBuilder& SetRanker(std::string model);

  // Appends a block of `factors` dimensions to the manifest's factor
  // blocks (with the fold-in parameters Build records), serving `requests`.
  // Without any, the manifest has none (one block of every dimension); with
  // some, their factors must add up to the dimension.
  TestSnapshotBuilder& AddFactorBlock(
      int32_t factors,
      snapshot::ServedRequests requests = snapshot::SERVED_REQUESTS_EVERY);

  // The manifest's data_end, RFC 3339 of these Unix seconds.
  TestSnapshotBuilder& SetDataEnd(int64_t unix_seconds);

  // Gives the customer added last these attributes.
  TestSnapshotBuilder& WithAttributes(const std::string& age_band,
                                      const std::string& gender,
                                      const std::string& region);

  // Builds the contents with an exact FAISS index. Each purchase is also an
  // interaction of strength 10 (the default purchase weight), and the
  // manifest records the default iALS fold-in parameters. CHECK-fails on misuse
  // (unknown item ids, wrong vector sizes): it is for tests only.
  SnapshotContents Build(int64_t version = 1) const;

 private:
  int32_t dimension_;
  snapshot::ItemTable items_;
  std::vector<float> item_values_;
  snapshot::CustomerTable customers_;
  std::vector<float> customer_values_;
  std::vector<std::vector<std::pair<std::string, int64_t>>> purchases_;
  std::vector<std::pair<int32_t, snapshot::ServedRequests>> blocks_;
  std::vector<std::tuple<std::string, double, double>> cycles_;
  std::vector<std::vector<std::tuple<std::string, int64_t, bool>>> touches_;
  std::vector<std::pair<std::string,
                        std::vector<std::tuple<std::string, std::string, float>>>>
      neighbors_;
  std::string ranker_;
  std::string data_end_;
};

}  // namespace recommender

#endif  // RECOMMENDER_MODEL_TEST_SNAPSHOT_BUILDER_H_
