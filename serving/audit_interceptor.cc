#include "serving/audit_interceptor.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "serving/grpc_auth.h"
#include "serving/metrics_interceptor.h"

namespace recommender::serving {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

constexpr absl::string_view kCountPrefix = "recommender-count-";

class AuditInterceptor : public grpc::experimental::Interceptor {
 public:
  AuditInterceptor(auth::Authorizer* authorizer, ServerRpcInfo* info)
      : authorizer_(authorizer), info_(info), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      ++messages_in_;
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      ++messages_out_;
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      Finish(*methods);
    }
    methods->Proceed();
  }

 private:
  void Finish(grpc::experimental::InterceptorBatchMethods& methods) {
    std::vector<std::pair<std::string, int64_t>> counts = {
        {"messages_in", messages_in_}, {"messages_out", messages_out_}};
    if (std::multimap<std::string, std::string>* trailers =
            methods.GetSendTrailingMetadata()) {
      for (const auto& [key, value] : *trailers) {
        int64_t count = 0;
        if (absl::StartsWith(key, kCountPrefix) &&
            absl::SimpleAtoi(value, &count)) {
          counts.emplace_back(key.substr(kCountPrefix.size()), count);
        }
      }
    }
    const grpc::ServerContextBase* context = info_->server_context();
    authorizer_->CallFinished(
        CallerOf(*context, *authorizer_), info_->method(),
        StatusCodeName(methods.GetSendStatus().error_code()), context->peer(),
        start_, absl::Now(), std::move(counts));
  }

  auth::Authorizer* authorizer_;
  ServerRpcInfo* info_;
  const absl::Time start_;
  int64_t messages_in_ = 0;
  int64_t messages_out_ = 0;
};

}  // namespace

grpc::experimental::Interceptor* AuditInterceptorFactory::CreateServerInterceptor(
    ServerRpcInfo* info) {
  const std::optional<auth::MethodAccess> access =
      auth::FindMethodAccess(info->method());
  if (!access.has_value() || !access->audited) return nullptr;
  return new AuditInterceptor(authorizer_, info);
}

void ReportCount(grpc::ServerContext* context, absl::string_view name,
                 int64_t value) {
  context->AddTrailingMetadata(absl::StrCat(kCountPrefix, name),
                               absl::StrCat(value));
}

}  // namespace recommender::serving
