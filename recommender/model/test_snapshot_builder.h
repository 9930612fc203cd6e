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
};

}  // namespace recommender

#endif  // RECOMMENDER_MODEL_TEST_SNAPSHOT_BUILDER_H_
