#include "serving/auth/key_store.h"

#include <unistd.h>

#include <cstdlib>

#include "gtest/gtest.h"
#include "recommender/util/file_util.h"

namespace recommender::serving::auth {
namespace {

std::string KeysPath(const std::string& name) {
  return JoinPath(std::getenv("TEST_TMPDIR"), name);
}

TEST(KeyStoreTest, AuthenticatesKeysOfTheFileOnly) {
  const std::string path = KeysPath("keys1");
  NewApiKey web = *MakeApiKey("web", {Role::kStorefront});
  NewApiKey ops = *MakeApiKey("ops", {Role::kAdmin});
  ASSERT_TRUE(WriteFileDurably(path, FormatKeyLine(web.key) + FormatKeyLine(ops.key)).ok());
  absl::StatusOr<std::unique_ptr<KeyStore>> store = KeyStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->size(), 2u);

  absl::StatusOr<Principal> caller = (*store)->Authenticate(web.token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->key_id, "web");
  EXPECT_EQ(caller->roles, RoleSet({Role::kStorefront}));

  // A wrong secret and an unknown id get the same answer.
  const std::string wrong_secret = "web." + ops.token.substr(4);
  const absl::Status wrong = (*store)->Authenticate(wrong_secret).status();
  const absl::Status unknown = (*store)->Authenticate("nobody.abc").status();
  EXPECT_EQ(wrong.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong, unknown);
  EXPECT_EQ(wrong.message().find(ops.token.substr(4)), std::string::npos);
  EXPECT_EQ((*store)->Authenticate("garbage").status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(KeyStoreTest, ReloadsWhenTheFileChangesAndKeepsKeysIfItBreaks) {
  const std::string path = KeysPath("keys2");
  NewApiKey old_key = *MakeApiKey("old", {Role::kCampaign});
  NewApiKey new_key = *MakeApiKey("new", {Role::kCampaign});
  ASSERT_TRUE(WriteFileDurably(path, FormatKeyLine(old_key.key)).ok());
  std::unique_ptr<KeyStore> store = *KeyStore::Open(path);
  EXPECT_FALSE(*store->ReloadIfChanged());

  // Rotation: the new key replaces the old one, written aside and renamed.
  ASSERT_TRUE(WriteFileDurably(path + ".tmp", FormatKeyLine(new_key.key)).ok());
  ASSERT_TRUE(RenamePath(path + ".tmp", path).ok());
  EXPECT_TRUE(*store->ReloadIfChanged());
  EXPECT_TRUE(store->Authenticate(new_key.token).ok());
  EXPECT_FALSE(store->Authenticate(old_key.token).ok());

  ASSERT_TRUE(WriteFileDurably(path, "new admin not-a-hash\n").ok());
  absl::StatusOr<bool> broken = store->ReloadIfChanged();
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(store->Authenticate(new_key.token).ok());
}

TEST(KeyStoreTest, TheWatcherPicksUpChanges) {
  const std::string path = KeysPath("keys3");
  NewApiKey first = *MakeApiKey("first", {Role::kOrders});
  NewApiKey second = *MakeApiKey("second", {Role::kOrders});
  ASSERT_TRUE(WriteFileDurably(path, FormatKeyLine(first.key)).ok());
  std::unique_ptr<KeyStore> store = *KeyStore::Open(path);
  std::atomic<int> reloads{0};
  store->StartWatching(absl::Milliseconds(20),
                       [&reloads](const absl::Status& status, size_t) {
                         if (status.ok()) ++reloads;
                       });
  ASSERT_TRUE(WriteFileDurably(path, FormatKeyLine(first.key) +
                                         FormatKeyLine(second.key)).ok());
  for (int i = 0; i < 200 && !store->Authenticate(second.token).ok(); ++i) {
    ::usleep(10000);
  }
  EXPECT_TRUE(store->Authenticate(second.token).ok());
  EXPECT_GE(reloads.load(), 1);
}

TEST(KeyStoreTest, MissingFileIsNotFound) {
  EXPECT_EQ(KeyStore::Open(KeysPath("none")).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace recommender::serving::auth
