#include "recommender/model/snapshot_writer.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/util/crc32c.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

std::string TestDir() {
  const std::string dir =
      JoinPath(std::getenv("TEST_TMPDIR"),
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  EXPECT_TRUE(RemoveAll(dir).ok());
  return dir;
}

SnapshotContents Contents(int64_t version = 3) {
  return TestSnapshotBuilder(2)
      .AddItem("a", "x", {1, 0})
      .AddItem("b", "x", {0, 1})
      .AddCustomer("c", {1, 1}, {{"a", 1700000000}})
      .Build(version);
}

snapshot::Manifest ReadManifest(const std::string& dir) {
  const absl::StatusOr<std::string> text = ReadFileToString(JoinPath(dir, kManifestFile));
  EXPECT_TRUE(text.ok()) << text.status();
  snapshot::Manifest manifest;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(*text, &manifest));
  return manifest;
}

TEST(WriteSnapshotTest, EveryFileWithItsSizeAndChecksumUnderTheVersion) {
  const std::string model_dir = JoinPath(TestDir(), "models");  // Created.
  const absl::StatusOr<std::string> written = WriteSnapshot(Contents(), model_dir);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, JoinPath(model_dir, "3"));

  const snapshot::Manifest manifest = ReadManifest(*written);
  EXPECT_EQ(manifest.version(), 3);
  EXPECT_FALSE(manifest.index_type().empty());
  std::vector<std::string> names;
  for (const snapshot::FileEntry& entry : manifest.files()) {
    names.push_back(entry.name());
    const absl::StatusOr<std::string> bytes =
        ReadFileToString(JoinPath(*written, entry.name()));
    ASSERT_TRUE(bytes.ok()) << entry.name();
    EXPECT_EQ(entry.size_bytes(), bytes->size()) << entry.name();
    EXPECT_EQ(entry.crc32c(), Crc32c(*bytes)) << entry.name();
  }
  // No neighbour lists and no ranker: their files are left out.
  EXPECT_EQ(names, (std::vector<std::string>{kItemTableFile, kCustomerTableFile,
                                             kItemFactorsFile, kCustomerFactorsFile,
                                             kItemIndexFile, kTimingFile}));
  // Nothing but the version's folder is left behind.
  EXPECT_EQ(*ListDirectory(model_dir), (std::vector<std::string>{"3"}));
}

TEST(WriteSnapshotTest, OptionalPartsGetTheirFiles) {
  SnapshotContents contents =
      TestSnapshotBuilder(1)
          .AddItem("a", "x", {1})
          .AddItem("b", "x", {1})
          .SetNeighbors("item_knn", {{"a", "b", 0.5f}})
          .Build(1);
  contents.ranker_model = "model bytes";
  contents.manifest.mutable_ranker()->add_features("ials_score");
  const absl::StatusOr<std::string> written = WriteSnapshot(contents, TestDir());
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_TRUE(PathExists(JoinPath(*written, kItemSimilarityFile)));
  EXPECT_EQ(*ReadFileToString(JoinPath(*written, kRankerFile)), "model bytes");
}

TEST(WriteSnapshotTest, AVersionIsWrittenOnce) {
  const std::string model_dir = TestDir();
  ASSERT_TRUE(WriteSnapshot(Contents(), model_dir).ok());
  EXPECT_EQ(WriteSnapshot(Contents(), model_dir).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(WriteSnapshot(Contents(0), model_dir).status(),
            absl::InvalidArgumentError("snapshot version must be positive"));
}

// Each broken part is named.
TEST(ValidateSnapshotContentsTest, PartsThatDoNotFitAreRefused) {
  EXPECT_TRUE(ValidateSnapshotContents(Contents()).ok());
  struct Case {
    void (*spoil)(SnapshotContents&);
    std::string message;
  };
  const Case cases[] = {
      {[](SnapshotContents& c) { c.items.clear_items(); }, "snapshot has no items"},
      {[](SnapshotContents& c) { c.item_factors.rows = 3; },
       "item factors are 3 x 2, expected 2 x 2"},
      {[](SnapshotContents& c) { c.customer_factors.dimension = 3; },
       "customer factors have dimension 3, expected 2"},
      {[](SnapshotContents& c) { c.index.reset(); },
       "item index is missing or does not match the item factors"},
      {[](SnapshotContents& c) {
         c.customers.mutable_customers(0)->set_factor_row(5);
       },
       "customer c has factor row 5 out of range"},
      {[](SnapshotContents& c) {
         c.customers.mutable_customers(0)->add_purchase_times(1);
       },
       "customer c has mismatched purchase lists"},
      {[](SnapshotContents& c) {
         c.customers.mutable_customers(0)->set_purchased_items(0, 7);
       },
       "customer c bought unknown item row 7"},
      {[](SnapshotContents& c) {
         c.customers.mutable_customers(0)->set_interaction_strengths(0, 0);
       },
       "customer c has a bad interaction with item row 0"},
      {[](SnapshotContents& c) { c.ranker_model = "bytes"; },
       "the ranker model and its feature list must come together"},
      {[](SnapshotContents& c) {
         c.timing.mutable_repurchase()->add_items();
       },
       "timing model has 1 items, expected 2"},
  };
  for (const Case& c : cases) {
    SnapshotContents contents = Contents();
    c.spoil(contents);
    EXPECT_EQ(ValidateSnapshotContents(contents), absl::InvalidArgumentError(c.message));
  }
  SnapshotContents lists = Contents();
  snapshot::ItemNeighborList* list = lists.similarities.add_lists();
  list->set_name("ease");
  list->add_offsets(0);
  EXPECT_EQ(ValidateSnapshotContents(lists),
            absl::InvalidArgumentError(
                "item neighbour list \"ease\" does not match the item table"));
}

}  // namespace
}  // namespace recommender
