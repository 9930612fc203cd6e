#include "serving/auth/roles.h"

#include "gtest/gtest.h"

namespace recommender::serving::auth {
namespace {

TEST(RolesTest, NamesRoundTrip) {
  for (Role role : kAllRoles) EXPECT_EQ(ParseRole(RoleName(role)), role);
  EXPECT_EQ(ParseRole("root"), std::nullopt);
  EXPECT_EQ(ParseRole("Admin"), std::nullopt);
}

TEST(RolesTest, SetsParseAndPrint) {
  absl::StatusOr<RoleSet> roles = RoleSet::Parse("orders,storefront");
  ASSERT_TRUE(roles.ok());
  EXPECT_TRUE(roles->Contains(Role::kOrders));
  EXPECT_TRUE(roles->Contains(Role::kStorefront));
  EXPECT_FALSE(roles->Contains(Role::kAdmin));
  EXPECT_EQ(roles->ToString(), "storefront,orders");
  EXPECT_TRUE(roles->Intersects({Role::kOrders, Role::kAdmin}));
  EXPECT_FALSE(roles->Intersects({Role::kCampaign}));
  EXPECT_EQ(RoleSet::All().ToString(", "),
            "storefront, orders, campaign, monitoring, admin");
}

TEST(RolesTest, BadListsNameTheProblem) {
  EXPECT_EQ(RoleSet::Parse("").status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::Status bad = RoleSet::Parse("storefront,root").status();
  EXPECT_NE(bad.message().find("unknown role \"root\""), std::string::npos);
  EXPECT_EQ(RoleSet::Parse("storefront, orders").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recommender::serving::auth
