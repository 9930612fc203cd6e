#include "serving/request_parse_errors.h"

#include <atomic>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/logging.h"
#include "serving/grpc_status.h"
#include "serving/json_log.h"

namespace recommender::serving {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using grpc::experimental::InterceptionHookPoints;

// The field of the last UTF-8 complaint protobuf made on this thread.
thread_local std::string last_invalid_utf8_field;

constexpr absl::string_view kUtf8Complaint = "String field '";
constexpr absl::string_view kUtf8ComplaintEnd =
    "' contains invalid UTF-8 data when parsing";

void OnProtobufLog(google::protobuf::LogLevel level, const char* filename,
                   int line, const std::string& message) {
  absl::string_view text = message;
  if (absl::ConsumePrefix(&text, kUtf8Complaint)) {
    const size_t end = text.find(kUtf8ComplaintEnd);
    if (end != absl::string_view::npos) {
      // Answered to the client as INVALID_ARGUMENT and counted in the
      // metrics; a log line per bad request would let clients flood it.
      last_invalid_utf8_field = std::string(text.substr(0, end));
      return;
    }
  }
  const std::string where = absl::StrCat(filename, ":", line);
  if (level >= google::protobuf::LOGLEVEL_ERROR) {
    LogError("protobuf", {{"error", message}, {"source", where}});
  } else {
    LogInfo("protobuf", {{"message", message}, {"source", where}});
  }
}

// The dotted path of `field_name` (a full field name) within `message`,
// depth first; empty if it is not there.
std::string PathOf(const Descriptor& message, absl::string_view field_name,
                   int depth) {
  if (depth > 8) return "";
  for (int i = 0; i < message.field_count(); ++i) {
    const FieldDescriptor& field = *message.field(i);
    if (field.full_name() == field_name) return field.name();
    if (field.type() == FieldDescriptor::TYPE_MESSAGE) {
      const std::string inner =
          PathOf(*field.message_type(), field_name, depth + 1);
      if (!inner.empty()) return absl::StrCat(field.name(), ".", inner);
    }
  }
  return "";
}

class RequestParseErrorInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit RequestParseErrorInterceptor(std::string method)
      : method_(std::move(method)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      if (methods->GetRecvMessage() == nullptr) {
        error_ = RequestParseErrorMessage(method_, last_invalid_utf8_field);
      }
      last_invalid_utf8_field.clear();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS) &&
        !error_.empty() &&
        methods->GetSendStatus().error_code() == grpc::StatusCode::INTERNAL) {
      methods->ModifySendStatus(
          ToGrpcStatus(absl::InvalidArgumentError(error_)));
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  std::string error_;
};

}  // namespace

void InstallProtobufLogHandler() {
  static std::atomic<bool> installed{false};
  if (!installed.exchange(true)) google::protobuf::SetLogHandler(&OnProtobufLog);
}

std::string RequestParseErrorMessage(absl::string_view full_method,
                                     absl::string_view utf8_field) {
  // "/recommender.v1.Recommender/Recommend" -> its descriptor.
  absl::string_view name = full_method;
  absl::ConsumePrefix(&name, "/");
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          absl::StrReplaceAll(name, {{"/", "."}}));
  if (method != nullptr && !utf8_field.empty()) {
    const std::string path = PathOf(*method->input_type(), utf8_field, 0);
    if (!path.empty()) {
      return absl::StrCat(path,
                          ": not valid UTF-8 (string fields must be UTF-8 "
                          "text; ids too)");
    }
  }
  return absl::StrCat(
      "request: the bytes received do not parse as ",
      method == nullptr ? "the request message"
                        : absl::StrCat("a ", method->input_type()->full_name()));
}

grpc::experimental::Interceptor*
RequestParseErrorInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RequestParseErrorInterceptor(info->method());
}

}  // namespace recommender::serving
