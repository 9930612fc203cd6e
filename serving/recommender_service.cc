#include "serving/recommender_service.h"

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "recommender/ranking/recommend.h"
#include "recommender/util/time_util.h"
#include "serving/grpc_status.h"
#include "serving/proto_conversions.h"

namespace recommender::serving {

std::string NewRecommendationId() {
  thread_local absl::BitGen generator;
  return absl::StrFormat("r-%016x%016x", absl::Uniform<uint64_t>(generator),
                         absl::Uniform<uint64_t>(generator));
}

RecommenderService::RecommenderService(const ModelManager* models)
    : models_(models) {}

absl::StatusOr<std::shared_ptr<const ModelSnapshot>>
RecommenderService::ModelFor(const grpc::ServerContext& context) const {
  if (context.deadline() < std::chrono::system_clock::now()) {
    return absl::DeadlineExceededError("deadline passed before the search");
  }
  std::shared_ptr<const ModelSnapshot> model = models_->Current();
  if (model == nullptr) {
    return absl::UnavailableError("no model loaded yet");
  }
  return model;
}

grpc::Status RecommenderService::Recommend(grpc::ServerContext* context,
                                           const v1::RecommendRequest* request,
                                           v1::RecommendResponse* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(*context);
  if (!model.ok()) return ToGrpcStatus(model.status());
  const RecommendQuery query{request->customer_id(), request->count(),
                             FromProto(request->filter())};
  absl::StatusOr<std::vector<Recommendation>> picks =
      recommender::Recommend(**model, query);
  if (!picks.ok()) return ToGrpcStatus(picks.status());
  for (const Recommendation& pick : *picks) {
    ToProto(**model, pick, response->add_items());
  }
  response->set_model_version((*model)->version());
  response->set_recommendation_id(NewRecommendationId());
  return grpc::Status::OK;
}

grpc::Status RecommenderService::SimilarItems(
    grpc::ServerContext* context, const v1::SimilarItemsRequest* request,
    v1::SimilarItemsResponse* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(*context);
  if (!model.ok()) return ToGrpcStatus(model.status());
  const SimilarItemsQuery query{request->item_id(), request->count(),
                                FromProto(request->filter())};
  absl::StatusOr<std::vector<Recommendation>> picks =
      recommender::SimilarItems(**model, query);
  if (!picks.ok()) return ToGrpcStatus(picks.status());
  for (const Recommendation& pick : *picks) {
    ToProto(**model, pick, response->add_items());
  }
  response->set_model_version((*model)->version());
  response->set_recommendation_id(NewRecommendationId());
  return grpc::Status::OK;
}

grpc::Status RecommenderService::GetCustomerHistory(
    grpc::ServerContext* context, const v1::GetCustomerHistoryRequest* request,
    v1::GetCustomerHistoryResponse* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(*context);
  if (!model.ok()) return ToGrpcStatus(model.status());
  if (request->customer_id().empty()) {
    return ToGrpcStatus(
        absl::InvalidArgumentError("customer_id: must not be empty"));
  }
  if (request->max_purchases() < 0) {
    return ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
        "max_purchases: must be >= 0, got ", request->max_purchases())));
  }
  const std::optional<int32_t> row =
      (*model)->FindCustomer(request->customer_id());
  if (!row.has_value()) {
    return ToGrpcStatus(absl::NotFoundError(absl::StrCat(
        "customer_id: unknown customer \"", request->customer_id(), "\"")));
  }
  const snapshot::Customer& customer = (*model)->customer(*row);
  const int total = customer.purchased_items_size();
  const int wanted = request->max_purchases() == 0
                         ? total
                         : std::min(total, request->max_purchases());
  for (int k = total - 1; k >= total - wanted; --k) {
    const snapshot::Item& item = (*model)->item(customer.purchased_items(k));
    v1::Purchase* purchase = response->add_purchases();
    purchase->set_item_id(item.id());
    purchase->set_title(item.title());
    purchase->set_category(item.category());
    purchase->set_durability(ToProto(item.durability()));
    purchase->set_purchased_at(
        FormatRfc3339Utc(absl::FromUnixSeconds(customer.purchase_times(k))));
  }
  response->set_customer_id(customer.id());
  response->set_model_version((*model)->version());
  return grpc::Status::OK;
}

grpc::Status RecommenderService::GetModelInfo(
    grpc::ServerContext* context, const v1::GetModelInfoRequest* /*request*/,
    v1::ModelInfo* response) {
  absl::StatusOr<std::shared_ptr<const ModelSnapshot>> model = ModelFor(*context);
  if (!model.ok()) return ToGrpcStatus(model.status());
  const snapshot::Manifest& manifest = (*model)->manifest();
  response->set_model_version(manifest.version());
  response->set_trained_at(manifest.trained_at());
  response->set_num_items(manifest.num_items());
  response->set_num_customers(manifest.num_customers());
  response->set_num_events(manifest.num_events());
  response->set_embedding_dimension(manifest.embedding_dimension());
  response->set_index_type(manifest.index_type());
  response->set_data_end(manifest.data_end());
  response->mutable_training_metrics()->insert(manifest.metrics().begin(),
                                               manifest.metrics().end());
  response->mutable_parameters()->insert(manifest.parameters().begin(),
                                         manifest.parameters().end());
  return grpc::Status::OK;
}

}  // namespace recommender::serving
