#include "training/evaluation/dataset_input.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "recommender/data/shop_data_loader.h"
#include "recommender/util/file_util.h"
#include "training/evaluation/movielens_loader.h"
#include "training/sample_data/sample_shop.h"

namespace recommender {
namespace {

class DatasetInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = JoinPath(std::getenv("TEST_TMPDIR"),
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(RemoveAll(dir_).ok());
    ASSERT_TRUE(CreateDirectories(dir_).ok());
  }

  void Write(const std::string& name, const std::string& text) {
    ASSERT_TRUE(WriteFileDurably(JoinPath(dir_, name), text).ok());
  }

  // Three items (I3 unlabeled), two customers, three events; one event is
  // dated 2099: the evaluation reads past data, nothing is "from the future".
  void WriteShop() {
    Write(kCatalogFile,
          "item_id,title,category,price,in_stock,durability\n"
          "I1,Microwave,kitchen/appliances,19800,true,durable\n"
          "I2,Beans,food/coffee,1200,true,consumable\n"
          "I3,Kettle,kitchen/appliances,4980,true,\n");
    Write(kCustomersFile, "customer_id,signup_date\nC1,2025-01-10\nC2,2025-03-02\n");
    Write(kEventsFile,
          "customer_id,item_id,type,timestamp,quantity,unit_price\n"
          "C1,I2,purchase,2025-06-01T10:00:00+09:00,1,1100\n"
          "C1,I1,view,2025-05-01T10:00:00Z,,\n"
          "C2,I3,cart,2099-05-02T10:00:00Z,1,\n");
  }

  std::string dir_;
};

TEST_F(DatasetInputTest, AShopDirectory) {
  WriteShop();
  const absl::StatusOr<EvalDataset> dataset = LoadEvalDataset("shop:" + dir_);
  ASSERT_TRUE(dataset.ok()) << dataset.status();
  EXPECT_EQ(dataset->kind, DatasetKind::kShop);
  EXPECT_EQ(dataset->spec, "shop:" + dir_);
  EXPECT_EQ(dataset->data.items.size(), 3u);
  EXPECT_EQ(dataset->data.customers.size(), 2u);
  EXPECT_EQ(dataset->data.events.size(), 3u);
  EXPECT_EQ(dataset->data.items[2].durability, Durability::kUnknown);
  EXPECT_FALSE(dataset->true_durability.has_value());
}

// The generator's truth, read back in catalog order whatever the file's.
TEST_F(DatasetInputTest, AGeneratedShopsTrueDurability) {
  WriteShop();
  Write(kItemTruthFile,
        "item_id,durability,cycle_days\n"
        "I3,durable,0\nI1,durable,0\nI2,consumable,30\n");
  Write(kCustomerTruthFile,
        "customer_id,cycle_multiplier,churn_day\nC1,1.0,\nC2,0.8,2026-01-01\n");
  const absl::StatusOr<EvalDataset> dataset = LoadEvalDataset("shop:" + dir_);
  ASSERT_TRUE(dataset.ok()) << dataset.status();
  ASSERT_TRUE(dataset->true_durability.has_value());
  EXPECT_EQ(*dataset->true_durability,
            (std::vector<Durability>{Durability::kDurable, Durability::kConsumable,
                                     Durability::kDurable}));
}

// A truth file that is there but wrong is an error, not "no truth".
TEST_F(DatasetInputTest, ABadTruthFileIsAnError) {
  WriteShop();
  Write(kItemTruthFile, "item_id,durability,cycle_days\nI9,durable,0\n");
  Write(kCustomerTruthFile, "customer_id,cycle_multiplier,churn_day\n");
  const absl::StatusOr<EvalDataset> dataset = LoadEvalDataset("shop:" + dir_);
  ASSERT_FALSE(dataset.ok());
  EXPECT_EQ(dataset.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(dataset.status().message().find(kItemTruthFile), absl::string_view::npos)
      << dataset.status();
}

TEST_F(DatasetInputTest, AMovieLensDirectory) {
  Write(kMovieLensItems,
        "item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq\n"
        "1\tToy Story\t1995\tAnimation\n"
        "2\tGoldenEye\t1995\tAction\n");
  Write(kMovieLensUsers,
        "user_id:token\tage:token\tgender:token\toccupation:token\tzip_code:token\n"
        "1\t24\tM\ttechnician\t85711\n");
  Write(kMovieLensInteractions,
        "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        "1\t2\t3\t881250000\n"
        "1\t1\t5\t881240000\n");
  const absl::StatusOr<EvalDataset> dataset = LoadEvalDataset("movielens:" + dir_);
  ASSERT_TRUE(dataset.ok()) << dataset.status();
  EXPECT_EQ(dataset->kind, DatasetKind::kMovieLens);
  EXPECT_EQ(dataset->data.items.size(), 2u);
  EXPECT_EQ(dataset->data.customers.size(), 1u);
  EXPECT_EQ(dataset->data.events.size(), 2u);
  EXPECT_FALSE(dataset->true_durability.has_value());
}

TEST_F(DatasetInputTest, LoadErrorsNameTheFile) {
  const absl::StatusOr<EvalDataset> dataset = LoadEvalDataset("shop:" + dir_);
  ASSERT_FALSE(dataset.ok());
  EXPECT_NE(dataset.status().message().find(kCatalogFile), absl::string_view::npos)
      << dataset.status();
}

TEST(LoadEvalDatasetTest, UnknownSpecsNameTheFlagAndTheForms) {
  for (const std::string spec : {"csv:/data", "shop:", "movielens:", "", "/data"}) {
    const absl::StatusOr<EvalDataset> dataset = LoadEvalDataset(spec);
    EXPECT_EQ(dataset.status(),
              absl::InvalidArgumentError(
                  "--dataset: expected shop:DIR or movielens:DIR, got \"" + spec +
                  "\""));
  }
}

}  // namespace
}  // namespace recommender
