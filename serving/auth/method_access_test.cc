#include "serving/auth/method_access.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "proto/diagnostics.grpc.pb.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "proto/operations.grpc.pb.h"
#include "proto/recommender.grpc.pb.h"

namespace recommender::serving::auth {
namespace {

const google::protobuf::ServiceDescriptor* Service(const std::string& name) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
  EXPECT_NE(service, nullptr) << name;
  return service;
}

std::string FullName(const google::protobuf::MethodDescriptor& method) {
  return absl::StrCat("/", method.service()->full_name(), "/", method.name());
}

// A new RPC without a role fails here (and in tests/security_e2e_test).
TEST(MethodAccessTest, EveryRpcOfTheApiHasRoles) {
  for (const char* name : {"recommender.v1.Recommender", "recommender.v1.Diagnostics",
                           "recommender.v1.Operations"}) {
    const google::protobuf::ServiceDescriptor* service = Service(name);
    ASSERT_NE(service, nullptr);
    ASSERT_GT(service->method_count(), 0);
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string method = FullName(*service->method(i));
      const std::optional<MethodAccess> access = FindMethodAccess(method);
      ASSERT_TRUE(access.has_value()) << method << " has no entry in the role table";
      EXPECT_EQ(access->kind, MethodAccess::Kind::kRoles) << method;
      EXPECT_FALSE(access->roles.empty()) << method;
      EXPECT_TRUE(access->roles.Contains(Role::kAdmin)) << method;
    }
  }
}

// And the table names no method that does not exist.
TEST(MethodAccessTest, EveryGrpcEntryIsARealMethod) {
  for (const std::string& method : MethodsWithAccess()) {
    if (method == "/metrics" || method == "/healthz") continue;
    if (method.rfind("/grpc.reflection.", 0) == 0) continue;  // Not linked here.
    const size_t slash = method.rfind('/');
    const google::protobuf::ServiceDescriptor* service =
        Service(method.substr(1, slash - 1));
    ASSERT_NE(service, nullptr) << method;
    EXPECT_NE(service->FindMethodByName(method.substr(slash + 1)), nullptr)
        << method;
  }
}

TEST(MethodAccessTest, HealthIsPublicAndTheRolesFollowTheIssue) {
  for (const char* health : {"/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch",
                             "/healthz"}) {
    EXPECT_EQ(FindMethodAccess(health)->kind, MethodAccess::Kind::kPublic);
  }
  auto roles = [](const std::string& method) {
    return FindMethodAccess(absl::StrCat("/recommender.v1.Recommender/", method))->roles;
  };
  EXPECT_TRUE(roles("Recommend").Contains(Role::kStorefront));
  EXPECT_FALSE(roles("Recommend").Contains(Role::kOrders));
  EXPECT_TRUE(roles("RecordEvents").Contains(Role::kOrders));
  EXPECT_TRUE(roles("BatchRecommend").Contains(Role::kCampaign));
  EXPECT_FALSE(roles("BatchRecommend").Contains(Role::kStorefront));
  EXPECT_EQ(roles("DeleteCustomer"), RoleSet({Role::kAdmin}));
  EXPECT_EQ(roles("GetCustomerHistory"), RoleSet({Role::kAdmin}));
  EXPECT_TRUE(FindMethodAccess("/recommender.v1.Recommender/DeleteCustomer")->audited);
  EXPECT_TRUE(FindMethodAccess("/recommender.v1.Recommender/ListDueCustomers")->audited);
  EXPECT_FALSE(FindMethodAccess("/recommender.v1.Recommender/Recommend")->audited);
  EXPECT_FALSE(FindMethodAccess("/recommender.v1.Recommender/Nope").has_value());
  EXPECT_FALSE(FindMethodAccess("").has_value());
}

TEST(MethodAccessTest, ShortNames) {
  EXPECT_EQ(ShortMethodName("/recommender.v1.Recommender/Recommend"), "Recommend");
  EXPECT_EQ(ShortMethodName("/metrics"), "/metrics");
}

TEST(MethodAccessTest, AStorefrontKeyCannotRecordPurchases) {
  const RoleSet storefront = {Role::kStorefront};
  const RoleSet orders = {Role::kOrders};
  EXPECT_TRUE(CheckEventTypes(storefront, {EventType::kView, EventType::kCart}).ok());
  const absl::Status refused = CheckEventTypes(
      storefront, {EventType::kView, EventType::kPurchase});
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.message(),
            "events[1].type: recording a purchase needs the orders role; this "
            "key has storefront");
  EXPECT_TRUE(CheckEventTypes(orders, {EventType::kPurchase}).ok());
  EXPECT_EQ(CheckEventTypes(orders, {EventType::kView}).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(CheckEventTypes({Role::kAdmin}, {EventType::kPurchase, EventType::kView}).ok());
}

}  // namespace
}  // namespace recommender::serving::auth
