#include "serving/grpc_auth.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "serving/grpc_status.h"

namespace recommender::serving {
namespace {

constexpr char kKeyIdProperty[] = "recommender.key_id";
constexpr char kRolesProperty[] = "recommender.roles";

std::optional<absl::string_view> Find(
    const grpc::AuthMetadataProcessor::InputMetadata& metadata,
    absl::string_view key) {
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return std::nullopt;
  return absl::string_view(it->second.data(), it->second.size());
}

}  // namespace

absl::string_view MethodTypeName(absl::string_view full_method) {
  // "/package.Service/Method" -> "package.Service.Method".
  std::string name(full_method.substr(full_method.empty() ? 0 : 1));
  const size_t slash = name.find('/');
  if (slash == std::string::npos) return "unary";
  name[slash] = '.';
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
  if (method == nullptr) return "unary";
  if (method->client_streaming()) {
    return method->server_streaming() ? "bidi_stream" : "client_stream";
  }
  return method->server_streaming() ? "server_stream" : "unary";
}

grpc::Status GrpcAuthProcessor::Process(const InputMetadata& metadata,
                                        grpc::AuthContext* context,
                                        OutputMetadata* consumed_metadata,
                                        OutputMetadata* /*response_metadata*/) {
  const absl::string_view method = Find(metadata, ":path").value_or("");
  auth::Authorizer::Request request;
  request.method = method;
  request.authorization = Find(metadata, "authorization");
  const absl::Time now = absl::Now();
  absl::StatusOr<auth::Principal> caller = authorizer_->Authorize(request, now);
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    consumed_metadata->insert(std::make_pair(
        std::string(it->first.data(), it->first.size()),
        std::string(it->second.data(), it->second.size())));
  }
  if (!caller.ok()) {
    if (metrics_ != nullptr) {
      const absl::string_view type = MethodTypeName(method);
      metrics_->RecordStart(method, type);
      metrics_->RecordRpc(method, type,
                          auth::StatusCodeName(caller.status().code()),
                          absl::ToDoubleSeconds(absl::Now() - now));
    }
    return ToGrpcStatus(caller.status());
  }
  context->AddProperty(kKeyIdProperty, caller->key_id);
  context->AddProperty(kRolesProperty, caller->roles.ToString());
  return grpc::Status::OK;
}

auth::Principal CallerOf(const grpc::ServerContextBase& context,
                         const auth::Authorizer& authorizer) {
  if (!authorizer.keys_enabled()) return auth::Authorizer::Unrestricted();
  auth::Principal caller;
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr) return caller;
  for (const grpc::string_ref& id : auth->FindPropertyValues(kKeyIdProperty)) {
    caller.key_id.assign(id.data(), id.size());
  }
  for (const grpc::string_ref& roles : auth->FindPropertyValues(kRolesProperty)) {
    if (absl::StatusOr<auth::RoleSet> parsed =
            auth::RoleSet::Parse(absl::string_view(roles.data(), roles.size()));
        parsed.ok()) {
      caller.roles = *parsed;
    }
  }
  return caller;
}

}  // namespace recommender::serving
