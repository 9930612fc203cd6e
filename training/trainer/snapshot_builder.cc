#include "training/trainer/snapshot_builder.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "recommender/index/faiss_item_index.h"
#include "recommender/index/item_index_factory.h"
#include "recommender/util/status_macros.h"
#include "recommender/util/time_util.h"
#include "training/durability/durability_inference.h"

namespace recommender {
namespace {

constexpr size_t kMaxTouchesPerCustomer = 100;

snapshot::Durability ToSnapshot(Durability durability) {
  switch (durability) {
    case Durability::kDurable:
      return snapshot::DURABLE;
    case Durability::kConsumable:
      return snapshot::CONSUMABLE;
    case Durability::kUnknown:
      break;
  }
  return snapshot::DURABILITY_UNKNOWN;
}

absl::string_view KindName(IndexKind kind) {
  switch (kind) {
    case IndexKind::kAuto:
      return "auto";
    case IndexKind::kExact:
      return "exact";
    case IndexKind::kHnsw:
      return "hnsw";
    case IndexKind::kIvf:
      return "ivf";
  }
  return "";
}

// Up to `limit` learned customer vectors, evenly spaced over the customers.
EmbeddingMatrix RecallQueries(const SnapshotContents& contents, int32_t limit) {
  std::vector<int32_t> rows;
  for (const snapshot::Customer& c : contents.customers.customers()) {
    if (c.factor_row() >= 0) rows.push_back(c.factor_row());
  }
  EmbeddingMatrix queries;
  queries.dimension = contents.customer_factors.dimension;
  const int64_t n = std::min<int64_t>(limit, rows.size());
  for (int64_t q = 0; q < n; ++q) {
    const auto row =
        contents.customer_factors.row(rows[q * rows.size() / n]);
    queries.values.insert(queries.values.end(), row.begin(), row.end());
  }
  queries.rows = n;
  return queries;
}

// Builds the item index and records what it is and its recall@10.
absl::Status BuildIndex(const SnapshotMetadata& metadata,
                        SnapshotContents& contents) {
  const absl::Time start = absl::Now();
  ASSIGN_OR_RETURN(contents.index,
                   BuildItemIndex(contents.item_factors, metadata.index));
  snapshot::IndexReport& report = *contents.manifest.mutable_index();
  report.set_build_seconds(absl::ToDoubleSeconds(absl::Now() - start));
  report.set_requested(std::string(KindName(metadata.index.kind)));
  auto& parameters = *report.mutable_parameters();
  parameters["exact_max_items"] = absl::StrCat(metadata.index.exact_max_items);
  const std::string type = contents.index->type();
  if (type == "hnsw_flat") {
    parameters["hnsw_m"] = absl::StrCat(metadata.index.hnsw.m);
    parameters["ef_construction"] =
        absl::StrCat(metadata.index.hnsw.ef_construction);
    parameters["ef_search"] = absl::StrCat(metadata.index.hnsw.ef_search);
  } else if (type == "ivf_flat") {
    parameters["nlist"] = absl::StrCat(
        metadata.index.ivf.nlist > 0
            ? metadata.index.ivf.nlist
            : static_cast<int>(4 * std::sqrt(static_cast<double>(
                                       contents.item_factors.rows))));
    parameters["nprobe"] = absl::StrCat(metadata.index.ivf.nprobe);
  }
  const EmbeddingMatrix queries =
      RecallQueries(contents, metadata.recall_queries);
  report.set_recall_queries(static_cast<int32_t>(queries.rows));
  if (queries.rows == 0) return absl::OkStatus();
  auto* approximate = dynamic_cast<FaissItemIndex*>(contents.index.get());
  if (approximate != nullptr && (type == "hnsw_flat" || type == "ivf_flat") &&
      metadata.index.recall_target > 0) {
    // The smallest breadth that keeps recall on these customers: the
    // serving cost of an approximate index grows with it.
    ASSIGN_OR_RETURN(const BreadthChoice choice,
                     TuneSearchBreadth(*approximate, contents.item_factors,
                                       queries, 10, metadata.index.recall_target));
    parameters[type == "hnsw_flat" ? "ef_search" : "nprobe"] =
        absl::StrCat(choice.breadth);
    parameters["recall_target"] = absl::StrCat(metadata.index.recall_target);
    report.set_recall_at_10(choice.recall);
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(const double recall,
                   MeasureRecall(*contents.index, contents.item_factors,
                                 queries, 10));
  report.set_recall_at_10(recall);
  return absl::OkStatus();
}

// Each customer's newest views and cart additions (at most
// kMaxTouchesPerCustomer), oldest first.
void AddRecentTouches(const ShopData& data, snapshot::CustomerTable& customers) {
  std::vector<std::vector<const Event*>> touches(data.customers.size());
  for (const Event& e : data.events) {
    if (e.type != EventType::kPurchase) touches[e.customer].push_back(&e);
  }
  for (size_t c = 0; c < touches.size(); ++c) {
    std::vector<const Event*>& events = touches[c];
    std::stable_sort(events.begin(), events.end(),
                     [](const Event* a, const Event* b) {
                       return a->unix_seconds < b->unix_seconds;
                     });
    const size_t first = events.size() > kMaxTouchesPerCustomer
                             ? events.size() - kMaxTouchesPerCustomer
                             : 0;
    snapshot::Customer* customer = customers.mutable_customers(c);
    for (size_t i = first; i < events.size(); ++i) {
      customer->add_touched_items(events[i]->item);
      customer->add_touch_times(events[i]->unix_seconds);
      customer->add_touch_kinds(events[i]->type == EventType::kCart ? 2 : 1);
    }
  }
}

}  // namespace

EmbeddingMatrix ToEmbeddings(const FactorMatrix& factors) {
  EmbeddingMatrix matrix;
  matrix.rows = factors.rows();
  matrix.dimension = static_cast<int32_t>(factors.cols());
  matrix.values.assign(factors.data(), factors.data() + factors.size());
  return matrix;
}

absl::Status SetFactorBlocks(
    absl::Span<const IalsOptions> blocks, int32_t dimension,
    snapshot::Manifest* manifest,
    absl::Span<const snapshot::ServedRequests> requests) {
  if (!requests.empty() && requests.size() != blocks.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(requests.size(), " kinds of request for ", blocks.size(),
                     " factor blocks"));
  }
  int64_t total = 0;
  for (const IalsOptions& block : blocks) total += block.factors;
  if (total != dimension) {
    return absl::InvalidArgumentError(
        absl::StrCat("factor blocks add up to ", total,
                     " factors; the model has ", dimension));
  }
  manifest->clear_factor_blocks();
  for (size_t b = 0; b < blocks.size(); ++b) {
    const IalsOptions& options = blocks[b];
    snapshot::FactorBlock* block = manifest->add_factor_blocks();
    if (!requests.empty()) block->set_requests(requests[b]);
    block->set_factors(options.factors);
    block->set_regularization(options.regularization);
    block->set_regularization_exponent(options.regularization_exponent);
    block->set_alpha(options.alpha);
  }
  return absl::OkStatus();
}

absl::StatusOr<SnapshotContents> WithFactors(
    const SnapshotContents& base, const IalsModel& factors,
    absl::Span<const IalsOptions> blocks, const IndexOptions& index,
    absl::Span<const snapshot::ServedRequests> requests) {
  SnapshotContents contents;
  contents.manifest = base.manifest;
  contents.items = base.items;
  contents.customers = base.customers;
  contents.timing = base.timing;
  contents.similarities = base.similarities;
  contents.ranker_model = base.ranker_model;
  contents.item_factors = ToEmbeddings(factors.item_factors);
  contents.customer_factors = ToEmbeddings(factors.user_factors);
  contents.manifest.set_embedding_dimension(contents.item_factors.dimension);
  RETURN_IF_ERROR(SetFactorBlocks(blocks, contents.item_factors.dimension,
                                  &contents.manifest, requests));
  ASSIGN_OR_RETURN(contents.index, BuildItemIndex(contents.item_factors, index));
  return contents;
}

absl::StatusOr<SnapshotContents> BuildSnapshotContents(
    const ShopData& data, const InteractionMatrix& matrix,
    const IalsModel& model, const SnapshotMetadata& metadata) {
  if (matrix.num_rows() != static_cast<int32_t>(data.customers.size()) ||
      matrix.num_columns() != static_cast<int32_t>(data.items.size()) ||
      model.item_factors.rows() != matrix.num_columns() ||
      model.user_factors.rows() != matrix.num_rows()) {
    return absl::InvalidArgumentError(
        "factors and interaction matrix do not match the shop data");
  }
  SnapshotContents contents;
  int64_t data_end = 0;
  int64_t num_purchases = 0;
  for (const Event& e : data.events) {
    data_end = std::max(data_end, e.unix_seconds);
    num_purchases += e.type == EventType::kPurchase;
  }
  const int64_t recent_from =
      data_end - int64_t{metadata.popularity_window_days} * kSecondsPerDay;

  const std::vector<InferredDurability> durability =
      InferDurability(data.items, data.events, metadata.durability);
  for (size_t i = 0; i < data.items.size(); ++i) {
    const CatalogItem& source = data.items[i];
    snapshot::Item* item = contents.items.add_items();
    item->set_id(source.id);
    item->set_title(source.title);
    item->set_category(source.category);
    item->set_price(source.price);
    item->set_in_stock(source.in_stock);
    item->set_durability(ToSnapshot(durability[i].durability));
    item->set_durability_confidence(durability[i].confidence);
    if (source.durability != Durability::kUnknown) {
      item->set_durability_source(snapshot::CATALOG);
    } else if (durability[i].durability != Durability::kUnknown) {
      item->set_durability_source(snapshot::INFERRED);
    }
  }
  for (size_t c = 0; c < data.customers.size(); ++c) {
    const CustomerRecord& source = data.customers[c];
    snapshot::Customer* customer = contents.customers.add_customers();
    customer->set_id(source.id);
    customer->set_age_band(source.age_band);
    customer->set_gender(source.gender);
    customer->set_region(source.region);
    const absl::Span<const int32_t> interacted =
        matrix.RowIndices(static_cast<int32_t>(c));
    const absl::Span<const float> strengths =
        matrix.RowValues(static_cast<int32_t>(c));
    customer->set_factor_row(interacted.empty() ? -1 : static_cast<int32_t>(c));
    customer->mutable_interaction_items()->Add(interacted.begin(),
                                               interacted.end());
    customer->mutable_interaction_strengths()->Add(strengths.begin(),
                                                   strengths.end());
  }
  for (const Event& e : data.events) {
    snapshot::Customer* customer = contents.customers.mutable_customers(e.customer);
    customer->set_last_event_time(
        std::max(customer->last_event_time(), e.unix_seconds));
  }
  // Events are sorted by customer, then time: purchases arrive in order.
  const int64_t previous_from =
      recent_from - int64_t{metadata.popularity_window_days} * kSecondsPerDay;
  absl::flat_hash_set<std::pair<int32_t, int32_t>> buyers;
  for (const Event& e : data.events) {
    if (e.type != EventType::kPurchase) continue;
    snapshot::Customer* customer = contents.customers.mutable_customers(e.customer);
    customer->add_purchased_items(e.item);
    customer->add_purchase_times(e.unix_seconds);
    customer->add_purchase_quantities(e.quantity);
    customer->add_purchase_unit_prices(e.unit_price);
    snapshot::Item* item = contents.items.mutable_items(e.item);
    if (e.unix_seconds > recent_from) {
      item->set_recent_purchases(item->recent_purchases() + 1);
    } else if (e.unix_seconds > previous_from) {
      item->set_previous_purchases(item->previous_purchases() + 1);
    }
    if (buyers.insert({e.customer, e.item}).second) {
      item->set_buyers(item->buyers() + 1);
    }
  }
  AddRecentTouches(data, contents.customers);

  contents.item_factors = ToEmbeddings(model.item_factors);
  contents.customer_factors = ToEmbeddings(model.user_factors);
  RETURN_IF_ERROR(BuildIndex(metadata, contents));

  snapshot::Manifest& manifest = contents.manifest;
  manifest.set_version(metadata.version);
  manifest.set_trained_at(FormatRfc3339Utc(metadata.trained_at));
  manifest.set_num_items(static_cast<int32_t>(data.items.size()));
  manifest.set_num_customers(static_cast<int32_t>(data.customers.size()));
  manifest.set_num_events(static_cast<int64_t>(data.events.size()));
  manifest.set_num_purchases(num_purchases);
  manifest.set_embedding_dimension(contents.item_factors.dimension);
  if (!metadata.factor_blocks.empty()) {
    RETURN_IF_ERROR(SetFactorBlocks(metadata.factor_blocks,
                                    contents.item_factors.dimension, &manifest,
                                    metadata.factor_block_requests));
  }
  manifest.set_data_end(FormatRfc3339Utc(absl::FromUnixSeconds(data_end)));
  for (const auto& [name, value] : metadata.parameters) {
    (*manifest.mutable_parameters())[name] = value;
  }
  for (const auto& [name, value] : metadata.metrics) {
    (*manifest.mutable_metrics())[name] = value;
  }
  for (const FileLoadReport& report : data.reports) {
    snapshot::InputFileReport* input = manifest.add_inputs();
    input->set_path(report.path);
    input->set_rows_read(report.rows_read);
    input->set_rows_loaded(report.rows_loaded);
    input->set_rows_skipped(report.rows_skipped);
    for (const std::string& error : report.sample_errors) {
      input->add_sample_errors(error);
    }
  }
  return contents;
}

}  // namespace recommender
