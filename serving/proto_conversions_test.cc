#include "serving/proto_conversions.h"

#include <memory>

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender::serving {
namespace {

TEST(ProtoConversionsTest, SelectorKinds) {
  EXPECT_EQ(*FromProto(v1::CustomerSelector::ALL),
            CustomerSelection::Kind::kAll);
  EXPECT_EQ(*FromProto(v1::CustomerSelector::LAPSED),
            CustomerSelection::Kind::kLapsed);
  EXPECT_EQ(*FromProto(v1::CustomerSelector::ACTIVE),
            CustomerSelection::Kind::kActive);
  const absl::Status unset =
      FromProto(static_cast<v1::CustomerSelector::Kind>(0)).status();
  EXPECT_EQ(unset.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(unset.message().rfind("selector.kind: ", 0), 0u) << unset;
}

TEST(ProtoConversionsTest, BatchAndSimilarItemsQueries) {
  v1::BatchRecommendRequest batch;
  batch.set_count(7);
  batch.set_max_per_category(2);
  batch.mutable_filter()->add_include_categories("food");
  batch.mutable_filter()->set_max_price(10);
  const RecommendQuery query = FromProto(batch);
  EXPECT_EQ(query.customer_id, "");
  EXPECT_EQ(query.count, 7);
  EXPECT_EQ(query.max_per_category, 2);
  EXPECT_EQ(query.filter.include_categories, std::vector<std::string>{"food"});
  EXPECT_EQ(query.filter.max_price, 10);
  EXPECT_FALSE(query.exclude_purchased);
  batch.set_exclude_purchased(true);
  EXPECT_TRUE(FromProto(batch).exclude_purchased);
  v1::RecommendRequest single;
  single.set_exclude_purchased(true);
  EXPECT_TRUE(FromProto(single).exclude_purchased);

  v1::SimilarItemsRequest similar;
  similar.set_item_id("P1");
  similar.set_count(3);
  similar.mutable_filter()->set_in_stock_only(true);
  const SimilarItemsQuery similar_query = FromProto(similar);
  EXPECT_EQ(similar_query.item_id, "P1");
  EXPECT_EQ(similar_query.count, 3);
  EXPECT_TRUE(similar_query.filter.in_stock_only);
}

TEST(ProtoConversionsTest, PurchasesCarryTheirItemsCatalogFields) {
  auto model = ModelSnapshot::FromContents(
      TestSnapshotBuilder(2)
          .AddItem("kettle", "kitchen/appliances", {1, 0}, snapshot::DURABLE)
          .AddItem("coffee", "food/coffee", {0, 1})
          .Build());
  ASSERT_TRUE(model.ok()) << model.status();
  google::protobuf::RepeatedPtrField<v1::Purchase> out;
  ToProto(**model,
          {{*(*model)->FindItem("coffee"), absl::FromUnixSeconds(1767225600)},
           {*(*model)->FindItem("kettle"), absl::FromUnixSeconds(0)}},
          &out);
  ASSERT_EQ(out.size(), 2);
  EXPECT_EQ(out[0].item_id(), "coffee");
  EXPECT_EQ(out[0].category(), "food/coffee");
  EXPECT_EQ(out[0].durability(), v1::CONSUMABLE);
  EXPECT_EQ(out[0].purchased_at(), "2026-01-01T00:00:00Z");
  EXPECT_EQ(out[1].item_id(), "kettle");
  EXPECT_EQ(out[1].durability(), v1::DURABLE);
}

TEST(ProtoConversionsTest, ManifestBecomesModelInfo) {
  snapshot::Manifest manifest;
  manifest.set_version(42);
  manifest.set_num_items(3);
  manifest.set_embedding_dimension(16);
  manifest.set_data_end("2026-01-31T00:00:00Z");
  (*manifest.mutable_metrics())["recall_at_10"] = 0.25;
  (*manifest.mutable_parameters())["factors"] = "16";
  v1::ModelInfo info;
  ToProto(manifest, &info);
  EXPECT_FALSE(info.has_index());
  manifest.mutable_index()->set_requested("auto");
  (*manifest.mutable_index()->mutable_parameters())["ef_search"] = "128";
  manifest.mutable_index()->set_recall_at_10(0.97);
  manifest.mutable_index()->set_recall_queries(500);
  info.Clear();
  ToProto(manifest, &info);
  EXPECT_EQ(info.index().requested(), "auto");
  EXPECT_EQ(info.index().parameters().at("ef_search"), "128");
  EXPECT_EQ(info.index().recall_at_10(), 0.97);
  EXPECT_EQ(info.index().recall_queries(), 500);
  EXPECT_EQ(info.model_version(), 42);
  EXPECT_EQ(info.num_items(), 3);
  EXPECT_EQ(info.embedding_dimension(), 16);
  EXPECT_EQ(info.data_end(), "2026-01-31T00:00:00Z");
  EXPECT_EQ(info.training_metrics().at("recall_at_10"), 0.25);
  EXPECT_EQ(info.parameters().at("factors"), "16");
}

}  // namespace
}  // namespace recommender::serving
