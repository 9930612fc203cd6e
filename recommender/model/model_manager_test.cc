#include "recommender/model/model_manager.h"

#include <atomic>
#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/model/snapshot_writer.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

SnapshotContents Contents(int64_t version) {
  return TestSnapshotBuilder(2)
      .AddItem("a", "x", {1, 0})
      .AddItem("b", "x", {0, 1})
      .AddCustomer("c", {1, 1})
      .Build(version);
}

class ModelManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = JoinPath(
        std::getenv("TEST_TMPDIR"),
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(RemoveAll(dir_).ok());
    ASSERT_TRUE(CreateDirectories(dir_).ok());
    listener_.on_loaded = [this](const ModelSnapshot& s) {
      loaded_version_ = s.version();
    };
    listener_.on_failed = [this](int64_t version, const absl::Status&) {
      failed_version_ = version;
    };
  }

  void Corrupt(int64_t version) {
    const std::string path =
        JoinPath(JoinPath(dir_, std::to_string(version)), kItemTableFile);
    ASSERT_TRUE(WriteFileDurably(path, "garbage").ok());
  }

  std::string dir_;
  ModelManager::Listener listener_;
  std::atomic<int64_t> loaded_version_{0};
  std::atomic<int64_t> failed_version_{0};
};

TEST_F(ModelManagerTest, NoModelYetThenLoadsTheNewest) {
  ModelManager manager(dir_, listener_);
  EXPECT_TRUE(manager.PollOnce().ok());
  EXPECT_EQ(manager.Current(), nullptr);
  ASSERT_TRUE(WriteSnapshot(Contents(1), dir_).ok());
  ASSERT_TRUE(WriteSnapshot(Contents(3), dir_).ok());
  EXPECT_TRUE(manager.PollOnce().ok());
  ASSERT_NE(manager.Current(), nullptr);
  EXPECT_EQ(manager.Current()->version(), 3);
  EXPECT_EQ(loaded_version_, 3);
}

TEST_F(ModelManagerTest, KeepsServingWhenANewerVersionIsCorrupt) {
  ASSERT_TRUE(WriteSnapshot(Contents(1), dir_).ok());
  ModelManager manager(dir_, listener_);
  ASSERT_TRUE(manager.PollOnce().ok());
  std::shared_ptr<const ModelSnapshot> held = manager.Current();

  ASSERT_TRUE(WriteSnapshot(Contents(2), dir_).ok());
  Corrupt(2);
  absl::Status status = manager.PollOnce();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(manager.Current()->version(), 1);
  EXPECT_EQ(failed_version_, 2);
  EXPECT_EQ(manager.load_failures(), 1);
  // A bad version is not retried on every poll.
  EXPECT_TRUE(manager.PollOnce().ok());
  EXPECT_EQ(manager.load_failures(), 1);

  ASSERT_TRUE(WriteSnapshot(Contents(4), dir_).ok());
  EXPECT_TRUE(manager.PollOnce().ok());
  EXPECT_EQ(manager.Current()->version(), 4);
  // A reader that took the old model still has it, intact.
  EXPECT_EQ(held->version(), 1);
  EXPECT_EQ(held->num_items(), 2);
}

TEST_F(ModelManagerTest, FallsBackToAnOlderGoodVersionAtStart) {
  ASSERT_TRUE(WriteSnapshot(Contents(5), dir_).ok());
  ASSERT_TRUE(WriteSnapshot(Contents(6), dir_).ok());
  Corrupt(6);
  ModelManager manager(dir_, listener_);
  EXPECT_TRUE(manager.PollOnce().ok());
  EXPECT_EQ(manager.Current()->version(), 5);
}

TEST_F(ModelManagerTest, BackgroundPollingPicksUpNewVersions) {
  ModelManager manager(dir_, listener_);
  manager.StartPolling(absl::Milliseconds(10));
  ASSERT_TRUE(WriteSnapshot(Contents(8), dir_).ok());
  for (int i = 0; i < 500 && manager.Current() == nullptr; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_NE(manager.Current(), nullptr);
  EXPECT_EQ(manager.Current()->version(), 8);
  manager.Stop();
}

// A folder named 7 holding a manifest of version 5 used to be loaded on
// every poll (version 5 < 7, so 7 always looked new). It is refused once,
// loudly, and left alone until the folder changes.
TEST_F(ModelManagerTest, FolderNameAndManifestVersionMustAgreeRefusedOnce) {
  const std::string staging = dir_ + "-staging";
  ASSERT_TRUE(RemoveAll(staging).ok());
  ASSERT_TRUE(WriteSnapshot(Contents(5), staging).ok());
  ASSERT_TRUE(
      RenamePath(JoinPath(staging, "5"), JoinPath(dir_, "7")).ok());
  int loads = 0;
  std::vector<std::string> errors;
  listener_.on_loaded = [&loads](const ModelSnapshot&) { ++loads; };
  listener_.on_failed = [&errors](int64_t, const absl::Status& error) {
    errors.push_back(std::string(error.message()));
  };
  ModelManager manager(dir_, listener_);
  EXPECT_EQ(manager.PollOnce().code(), absl::StatusCode::kFailedPrecondition);
  for (int i = 0; i < 3; ++i) manager.PollOnce().IgnoreError();
  EXPECT_EQ(loads, 0);
  EXPECT_EQ(manager.Current(), nullptr);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(manager.load_failures(), 1);
  EXPECT_NE(errors[0].find("named 7 but its manifest says version 5"),
            std::string::npos)
      << errors[0];
  // Renamed to what the manifest says, it loads.
  ASSERT_TRUE(RenamePath(JoinPath(dir_, "7"), JoinPath(dir_, "5")).ok());
  EXPECT_TRUE(manager.PollOnce().ok());
  ASSERT_NE(manager.Current(), nullptr);
  EXPECT_EQ(manager.Current()->version(), 5);
  EXPECT_EQ(loads, 1);
}

// A snapshot copied in file by file (cp -r, rsync) without the rename: the
// first poll may see the manifest without the files. It is refused, and
// tried again once its files change, instead of never.
TEST_F(ModelManagerTest, IncompleteSnapshotIsRetriedWhenItsFilesChange) {
  const std::string staging = dir_ + "-staging";
  ASSERT_TRUE(RemoveAll(staging).ok());
  ASSERT_TRUE(WriteSnapshot(Contents(9), staging).ok());
  const std::string from = JoinPath(staging, "9");
  const std::string to = JoinPath(dir_, "9");
  ASSERT_TRUE(CreateDirectories(to).ok());
  auto copy = [&](const std::string& name) {
    ASSERT_TRUE(WriteFileDurably(JoinPath(to, name),
                                 *ReadFileToString(JoinPath(from, name)))
                    .ok());
  };
  copy(kManifestFile);
  ModelManager manager(dir_, listener_);
  EXPECT_FALSE(manager.PollOnce().ok());
  EXPECT_EQ(manager.load_failures(), 1);
  // Nothing changed: not tried again.
  manager.PollOnce().IgnoreError();
  EXPECT_EQ(manager.load_failures(), 1);
  absl::StatusOr<std::vector<std::string>> names = ListDirectory(from);
  ASSERT_TRUE(names.ok());
  for (const std::string& name : *names) {
    if (name != kManifestFile) copy(name);
  }
  EXPECT_TRUE(manager.PollOnce().ok());
  ASSERT_NE(manager.Current(), nullptr);
  EXPECT_EQ(manager.Current()->version(), 9);
}

TEST_F(ModelManagerTest, VersionFoldersAreNamedInPlainDecimal) {
  ASSERT_TRUE(CreateDirectories(JoinPath(dir_, "007")).ok());
  ASSERT_TRUE(CreateDirectories(JoinPath(dir_, "12")).ok());
  ASSERT_TRUE(CreateDirectories(JoinPath(dir_, "12.tmp")).ok());
  EXPECT_EQ(*ListSnapshotVersions(dir_), std::vector<int64_t>{12});
}

TEST_F(ModelManagerTest, MissingDirectoryIsAnError) {
  ModelManager manager(JoinPath(dir_, "nope"), listener_);
  EXPECT_EQ(manager.PollOnce().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace recommender
