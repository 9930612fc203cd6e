#include "training/evaluation/movielens_loader.h"

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

class MovieLensLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = JoinPath(std::getenv("TEST_TMPDIR"),
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(RemoveAll(dir_).ok());
    ASSERT_TRUE(CreateDirectories(dir_).ok());
    Write(kMovieLensItems,
          "item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq\n"
          "1\tToy Story\t1995\tAnimation Children's Comedy\n"
          "2\tGoldenEye\t1995\tAction Adventure Thriller\n"
          "3\tFour Rooms\t1995\t\n");
    Write(kMovieLensUsers,
          "user_id:token\tage:token\tgender:token\toccupation:token\tzip_code:token\n"
          "1\t24\tM\ttechnician\t85711\n"
          "2\t53\tF\tother\t94043\n");
    Write(kMovieLensInteractions,
          "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
          "2\t1\t4\t881250949\n"
          "1\t2\t3\t881250000\n"
          "1\t1\t5\t881240000\n");
  }

  void Write(const std::string& name, const std::string& text) {
    ASSERT_TRUE(WriteFileDurably(JoinPath(dir_, name), text).ok());
  }

  std::string dir_;
};

TEST_F(MovieLensLoaderTest, EveryRatingIsAPurchaseSortedByCustomerThenTime) {
  absl::StatusOr<ShopData> data = LoadMovieLens(dir_);
  ASSERT_TRUE(data.ok()) << data.status();
  ASSERT_EQ(data->items.size(), 3u);
  EXPECT_EQ(data->items[0].title, "Toy Story");
  EXPECT_EQ(data->items[0].category, "animation");
  EXPECT_EQ(data->items[2].category, "unknown");
  EXPECT_EQ(data->items[0].durability, Durability::kUnknown);
  ASSERT_EQ(data->customers.size(), 2u);
  EXPECT_EQ(data->customers[0].age_band, "18-24");
  EXPECT_EQ(data->customers[1].gender, "F");
  ASSERT_EQ(data->events.size(), 3u);
  // Customer "1" (row 0): item 1 first (earlier), then item 2.
  EXPECT_EQ(data->events[0].customer, 0);
  EXPECT_EQ(data->events[0].item, 0);
  EXPECT_EQ(data->events[0].unix_seconds, 881240000);
  EXPECT_EQ(data->events[1].item, 1);
  EXPECT_EQ(data->events[2].customer, 1);
  for (const Event& e : data->events) EXPECT_EQ(e.type, EventType::kPurchase);
  EXPECT_EQ(data->customers[0].signup_date, absl::CivilDay(1997, 12, 4));
}

TEST_F(MovieLensLoaderTest, UnknownItemNamesFileAndLine) {
  Write(kMovieLensInteractions,
        "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        "1\t1\t5\t881240000\n"
        "1\t99\t5\t881240000\n");
  absl::StatusOr<ShopData> data = LoadMovieLens(dir_);
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.status().message().find("ml-100k.inter:3: column item_id: unknown item \"99\""),
            std::string::npos)
      << data.status();
}

TEST_F(MovieLensLoaderTest, BadTimestampAndFieldCountNameTheLine) {
  Write(kMovieLensInteractions,
        "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        "1\t1\t5\tyesterday\n");
  absl::StatusOr<ShopData> data = LoadMovieLens(dir_);
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.status().message().find("ml-100k.inter:2: column timestamp"),
            std::string::npos)
      << data.status();
  Write(kMovieLensUsers, "user_id:token\tage:token\tgender:token\n1\t24\n");
  data = LoadMovieLens(dir_);
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.status().message().find("ml-100k.user:2: expected 3"),
            std::string::npos)
      << data.status();
}

TEST_F(MovieLensLoaderTest, MissingFilesAndColumnsAreNamed) {
  Write(kMovieLensItems, "item_id:token\ttitle:token_seq\n1\tToy Story\n");
  absl::StatusOr<ShopData> data = LoadMovieLens(dir_);
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.status().message().find("ml-100k.item:1: missing column \"movie_title\""),
            std::string::npos)
      << data.status();
  EXPECT_FALSE(LoadMovieLens(JoinPath(dir_, "absent")).ok());
}

TEST_F(MovieLensLoaderTest, WithoutUserFileUsersComeFromRatings) {
  ASSERT_TRUE(RemoveAll(JoinPath(dir_, kMovieLensUsers)).ok());
  absl::StatusOr<ShopData> data = LoadMovieLens(dir_);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->customers.size(), 2u);
  EXPECT_EQ(data->events.size(), 3u);
}

}  // namespace
}  // namespace recommender
