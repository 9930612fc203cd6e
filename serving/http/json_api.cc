#include "serving/http/json_api.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace recommender::serving {
namespace {

// A handler of the transport-free form every service offers.
template <typename Service, typename Request, typename Response>
using Handler = absl::Status (Service::*)(const CallContext&, const Request&,
                                          Response*);

template <typename Service, typename Request, typename Response>
JsonMethod Unary(std::string path, std::string full_method, Service* service,
                 Handler<Service, Request, Response> handler,
                 bool read_only = false) {
  JsonMethod method;
  method.path = std::move(path);
  method.full_method = std::move(full_method);
  method.read_only = read_only;
  method.unary = [service, handler](const CallContext& call,
                                    absl::string_view json,
                                    std::string* out) -> absl::Status {
    Request request;
    if (absl::Status parsed = ParseJson(json, &request); !parsed.ok()) {
      return parsed;
    }
    Response response;
    if (absl::Status status = (service->*handler)(call, request, &response);
        !status.ok()) {
      return status;
    }
    *out = ToJson(response);
    return absl::OkStatus();
  };
  return method;
}

JsonMethod BatchRecommend(RecommenderService* service) {
  JsonMethod method;
  method.path = "/v1/batch-recommend";
  method.full_method = "/recommender.v1.Recommender/BatchRecommend";
  method.stream = [service](
                      const CallContext& call,
                      absl::string_view json) -> absl::StatusOr<JsonStream> {
    v1::BatchRecommendRequest request;
    if (absl::Status parsed = ParseJson(json, &request); !parsed.ok()) {
      return parsed;
    }
    absl::StatusOr<RecommenderService::PreparedBatch> prepared =
        service->PrepareBatch(call, request);
    if (!prepared.ok()) return prepared.status();
    auto batch = std::make_shared<RecommenderService::PreparedBatch>(
        *std::move(prepared));
    // Called once: the stream takes the batch (and its stream slot).
    return JsonStream([service, batch](const CallContext& call,
                                       const LineWriter& write) {
      return service->StreamBatch(
          call, std::move(*batch), [&write](const v1::BatchRecommendResponse& message) {
            return write(ToJson(message));
          });
    });
  };
  return method;
}

}  // namespace

absl::Status ParseJson(absl::string_view json,
                       google::protobuf::Message* message) {
  if (json.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
    json = "{}";
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const google::protobuf::util::Status status =
      google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(json.data(), json.size()), message,
          options);
  if (status.ok()) return absl::OkStatus();
  // Protobuf says "(count): invalid value ..." or "cnt: Cannot find field.":
  // lead with the field, as every other error does.
  std::string text(status.message().data(), status.message().size());
  std::string field = "request body";
  const size_t colon = text.find(": ");
  if (colon != std::string::npos && colon > 0) {
    std::string candidate = text.substr(0, colon);
    if (candidate.size() > 2 && candidate.front() == '(' &&
        candidate.back() == ')') {
      candidate = candidate.substr(1, candidate.size() - 2);
    }
    if (candidate.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.[]") ==
        std::string::npos) {
      field = candidate;
      text = text.substr(colon + 2);
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": ", text, " (the body must be a ",
                   message->GetDescriptor()->full_name(), " in JSON)"));
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  // Printing a message that is in memory cannot fail.
  const google::protobuf::util::Status printed =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  (void)printed;
  return json;
}

std::vector<JsonMethod> JsonApi(RecommenderService* recommender,
                                OperationsService* operations,
                                DiagnosticsService* diagnostics) {
  const std::string r = "/recommender.v1.Recommender/";
  using S = RecommenderService;
  return {
      Unary("/v1/recommend", r + "Recommend", recommender,
            Handler<S, v1::RecommendRequest, v1::RecommendResponse>(
                &S::Recommend)),
      Unary("/v1/similar-items", r + "SimilarItems", recommender,
            Handler<S, v1::SimilarItemsRequest, v1::SimilarItemsResponse>(
                &S::SimilarItems)),
      Unary("/v1/customer-history", r + "GetCustomerHistory", recommender,
            Handler<S, v1::GetCustomerHistoryRequest,
                    v1::GetCustomerHistoryResponse>(&S::GetCustomerHistory)),
      Unary(
          "/v1/model", r + "GetModelInfo", recommender,
          Handler<S, v1::GetModelInfoRequest, v1::ModelInfo>(&S::GetModelInfo),
          /*read_only=*/true),
      Unary("/v1/events", r + "RecordEvents", recommender,
            Handler<S, v1::RecordEventsRequest, v1::RecordEventsResponse>(
                &S::RecordEvents)),
      Unary("/v1/items", r + "UpsertItems", recommender,
            Handler<S, v1::UpsertItemsRequest, v1::UpsertItemsResponse>(
                &S::UpsertItems)),
      BatchRecommend(recommender),
      Unary("/v1/next-purchase", r + "PredictNextPurchase", recommender,
            Handler<S, v1::PredictNextPurchaseRequest,
                    v1::PredictNextPurchaseResponse>(&S::PredictNextPurchase)),
      Unary(
          "/v1/due-customers", r + "ListDueCustomers", recommender,
          Handler<S, v1::ListDueCustomersRequest, v1::ListDueCustomersResponse>(
              &S::ListDueCustomers)),
      Unary("/v1/segments", r + "ListSegments", recommender,
            Handler<S, v1::ListSegmentsRequest, v1::ListSegmentsResponse>(
                &S::ListSegments),
            /*read_only=*/true),
      Unary("/v1/segment-summary", r + "GetSegmentSummary", recommender,
            Handler<S, v1::GetSegmentSummaryRequest, v1::SegmentSummary>(
                &S::GetSegmentSummary)),
      Unary("/v1/create-campaign", r + "CreateCampaign", recommender,
            Handler<S, v1::CreateCampaignRequest, v1::Campaign>(
                &S::CreateCampaign)),
      Unary("/v1/campaigns", r + "ListCampaigns", recommender,
            Handler<S, v1::ListCampaignsRequest, v1::ListCampaignsResponse>(
                &S::ListCampaigns),
            /*read_only=*/true),
      Unary("/v1/campaign-report", r + "GetCampaignReport", recommender,
            Handler<S, v1::GetCampaignReportRequest, v1::CampaignReport>(
                &S::GetCampaignReport)),
      Unary("/v1/opt-outs", r + "UpdateOptOuts", recommender,
            Handler<S, v1::UpdateOptOutsRequest, v1::UpdateOptOutsResponse>(
                &S::UpdateOptOuts)),
      Unary("/v1/delete-customer", r + "DeleteCustomer", recommender,
            Handler<S, v1::DeleteCustomerRequest, v1::DeleteCustomerResponse>(
                &S::DeleteCustomer)),
      Unary("/v1/status", "/recommender.v1.Operations/GetServerStatus",
            operations,
            Handler<OperationsService, v1::GetServerStatusRequest,
                    v1::ServerStatus>(&OperationsService::GetServerStatus),
            /*read_only=*/true),
      Unary("/v1/echo", "/recommender.v1.Diagnostics/Echo", diagnostics,
            Handler<DiagnosticsService, v1::EchoRequest, v1::EchoResponse>(
                &DiagnosticsService::Echo)),
  };
}

}  // namespace recommender::serving
