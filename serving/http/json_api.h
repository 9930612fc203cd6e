// The JSON face of the server's gRPC services (recommender.v1 Recommender,
// Operations and Diagnostics): one JsonMethod per RPC, mapping a path of
// the HTTP gateway to the service object's own handler, called in process.
// Requests and responses use protobuf's canonical JSON mapping
// (JsonStringToMessage / MessageToJsonString): field names in lowerCamelCase
// (the proto names are accepted too), enums by name, int64 as strings.
// Server-streaming calls answer JSON Lines, one message per line.
//
//   POST /v1/recommend        Recommend
//   POST /v1/similar-items    SimilarItems
//   POST /v1/customer-history GetCustomerHistory
//   GET  /v1/model            GetModelInfo (POST too)
//   POST /v1/events           RecordEvents
//   POST /v1/items            UpsertItems
//   POST /v1/batch-recommend  BatchRecommend (JSON Lines)
//   POST /v1/next-purchase    PredictNextPurchase
//   POST /v1/due-customers    ListDueCustomers
//   GET  /v1/segments         ListSegments (POST too)
//   POST /v1/segment-summary  GetSegmentSummary
//   POST /v1/create-campaign  CreateCampaign
//   GET  /v1/campaigns        ListCampaigns (POST too)
//   POST /v1/campaign-report  GetCampaignReport
//   POST /v1/opt-outs         UpdateOptOuts
//   GET  /v1/status           Operations.GetServerStatus (POST too)
//   POST /v1/echo             Diagnostics.Echo
//
// Thread-safe: the handlers are the services' own, which are.
#ifndef SERVING_HTTP_JSON_API_H_
#define SERVING_HTTP_JSON_API_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "serving/call_context.h"
#include "serving/diagnostics_service.h"
#include "serving/operations_service.h"
#include "serving/recommender_service.h"

namespace recommender::serving {

// Receives one line of a stream (no newline); false once the reader has gone.
using LineWriter = std::function<bool(const std::string& line)>;
// The rest of a streaming call, once its request has been accepted.
using JsonStream = std::function<absl::Status(const CallContext& call,
                                              const LineWriter& write)>;

struct JsonMethod {
  // The gateway's path, e.g. "/v1/recommend".
  std::string path;
  // gRPC's name of the method, e.g. "/recommender.v1.Recommender/Recommend"
  // (metrics and authorization use it for both transports).
  std::string full_method;
  // Takes no input: GET is allowed besides POST.
  bool read_only = false;
  // Exactly one of these is set. A unary call: the request's JSON in, the
  // response's JSON out.
  std::function<absl::Status(const CallContext& call, absl::string_view json,
                             std::string* response)>
      unary;
  // A server-streaming call: checks the request (errors before any line is
  // written) and returns the stream.
  std::function<absl::StatusOr<JsonStream>(const CallContext& call,
                                           absl::string_view json)>
      stream;
};

// Every RPC of the three services; none of them is owned and all must
// outlive the methods.
std::vector<JsonMethod> JsonApi(RecommenderService* recommender,
                                OperationsService* operations,
                                DiagnosticsService* diagnostics);

// Parses `json` (empty means {}) into `message`; InvalidArgument naming what
// is wrong, e.g. an unknown field or a value of the wrong type.
absl::Status ParseJson(absl::string_view json,
                       google::protobuf::Message* message);

// The canonical JSON of `message` on one line, every field included (also
// those at their default value).
std::string ToJson(const google::protobuf::Message& message);

}  // namespace recommender::serving

#endif  // SERVING_HTTP_JSON_API_H_
