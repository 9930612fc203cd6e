#include "serving/model_load_history.h"

#include "gtest/gtest.h"

namespace recommender::serving {
namespace {

TEST(ModelLoadHistoryTest, NewestFirstAndBounded) {
  ModelLoadHistory history(2);
  EXPECT_TRUE(history.Attempts().empty());
  history.Loaded(1, absl::FromUnixSeconds(10));
  history.Refused(2, absl::FromUnixSeconds(20), "items.binpb: bad checksum");
  std::vector<ModelLoadHistory::Attempt> attempts = history.Attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].version, 2);
  EXPECT_FALSE(attempts[0].loaded);
  EXPECT_EQ(attempts[0].error, "items.binpb: bad checksum");
  EXPECT_EQ(attempts[1].version, 1);
  EXPECT_TRUE(attempts[1].loaded);
  EXPECT_EQ(attempts[1].at, absl::FromUnixSeconds(10));

  history.Loaded(3, absl::FromUnixSeconds(30));
  attempts = history.Attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].version, 3);
  EXPECT_EQ(attempts[1].version, 2);
}

}  // namespace
}  // namespace recommender::serving
