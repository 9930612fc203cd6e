#include "recommender/model/snapshot_retention.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

std::string ModelDir(const std::string& name, std::vector<int64_t> versions) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), name);
  EXPECT_TRUE(RemoveAll(dir).ok());
  for (int64_t version : versions) {
    const std::string folder = JoinPath(dir, absl::StrCat(version));
    EXPECT_TRUE(CreateDirectories(folder).ok());
    EXPECT_TRUE(WriteFileDurably(JoinPath(folder, "manifest.pbtxt"), "x").ok());
  }
  EXPECT_TRUE(CreateDirectories(JoinPath(dir, ".tmp-7")).ok());
  return dir;
}

TEST(SnapshotRetentionTest, KeepsTheServingVersionAndTheNewestBeforeIt) {
  const std::string dir = ModelDir("keep2", {1, 2, 3, 4, 5});
  absl::StatusOr<std::vector<int64_t>> removed = RemoveOldSnapshots(dir, 4, 2);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, (std::vector<int64_t>{1, 2}));
  // 5 is newer than the one in service: never touched; nor other folders.
  EXPECT_EQ(*ListSnapshotVersions(dir), (std::vector<int64_t>{3, 4, 5}));
  EXPECT_TRUE(PathExists(JoinPath(dir, ".tmp-7")));
}

TEST(SnapshotRetentionTest, KeepOneLeavesOnlyTheServingVersion) {
  const std::string dir = ModelDir("keep1", {10, 20});
  EXPECT_EQ(*RemoveOldSnapshots(dir, 20, 1), (std::vector<int64_t>{10}));
  EXPECT_EQ(*ListSnapshotVersions(dir), (std::vector<int64_t>{20}));
  EXPECT_TRUE(RemoveOldSnapshots(dir, 20, 1)->empty());
}

TEST(SnapshotRetentionTest, KeepMustBePositive) {
  const std::string dir = ModelDir("bad", {1});
  EXPECT_EQ(RemoveOldSnapshots(dir, 1, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recommender
