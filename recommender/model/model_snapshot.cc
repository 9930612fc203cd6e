#include "recommender/model/model_snapshot.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "recommender/factorization/ials_row_solver.h"
#include "recommender/index/item_index_factory.h"
#include "recommender/ltr/ranking_features.h"
#include "recommender/ltr/xgboost_ranker_model.h"
#include "recommender/model/snapshot_writer.h"
#include "recommender/util/crc32c.h"
#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"
#include "recommender/util/time_util.h"

namespace recommender {
namespace {

// Reads one file of the snapshot and checks it against its manifest entry.
absl::StatusOr<std::string> ReadVerifiedFile(const std::string& dir,
                                             const snapshot::Manifest& manifest,
                                             absl::string_view name) {
  const snapshot::FileEntry* entry = nullptr;
  for (const snapshot::FileEntry& file : manifest.files()) {
    if (file.name() == name) entry = &file;
  }
  const std::string path = JoinPath(dir, name);
  if (entry == nullptr) {
    return absl::DataLossError(
        absl::StrCat(path, ": not listed in the manifest"));
  }
  absl::StatusOr<std::string> bytes = ReadFileToString(path);
  if (!bytes.ok()) return absl::DataLossError(bytes.status().message());
  if (bytes->size() != entry->size_bytes()) {
    return absl::DataLossError(absl::StrCat(path, ": size ", bytes->size(),
                                            " bytes, manifest says ",
                                            entry->size_bytes()));
  }
  if (Crc32c(*bytes) != entry->crc32c()) {
    return absl::DataLossError(
        absl::StrCat(path, ": checksum does not match the manifest"));
  }
  return bytes;
}

template <typename Message>
absl::Status ParseBinary(const std::string& bytes, absl::string_view name,
                         Message* message) {
  if (!message->ParseFromString(bytes)) {
    return absl::DataLossError(absl::StrCat(name, ": cannot parse"));
  }
  return absl::OkStatus();
}

// Segment popularity counts purchases this long before the newest training
// event, in segments of at least this many buyers.
constexpr int64_t kSegmentWindowDays = 90;
constexpr int32_t kMinSegmentBuyers = 10;

// The fold-in settings from the manifest: the factor blocks (or, for a
// snapshot from before blocks, one block from the trainer's parameters)
// and the event weights. Nullopt if a parameter is missing (the
// regularization exponent and log epsilon default to 0, as before the
// trainer had them) or not a number >= 0, or alpha or the regularization
// is 0.
std::optional<FoldInParameters> ParseFoldInParameters(
    const snapshot::Manifest& manifest) {
  const auto& parameters = manifest.parameters();
  auto get = [&parameters](const char* name, float* out,
                           bool optional = false) {
    auto it = parameters.find(name);
    if (it == parameters.end()) return optional;
    return absl::SimpleAtof(it->second, out) && std::isfinite(*out) &&
           *out >= 0;
  };
  FoldInParameters fold_in;
  if (!get("log_strength_epsilon", &fold_in.log_strength_epsilon,
           /*optional=*/true) ||
      !get("view_weight", &fold_in.weights.view) ||
      !get("cart_weight", &fold_in.weights.cart) ||
      !get("purchase_weight", &fold_in.weights.purchase)) {
    return std::nullopt;
  }
  if (manifest.factor_blocks_size() == 0) {
    FoldInParameters::Block block;
    block.factors = manifest.embedding_dimension();
    if (!get("regularization_exponent", &block.regularization_exponent,
             /*optional=*/true) ||
        !get("alpha", &block.alpha) ||
        !get("regularization", &block.regularization) ||
        !(block.alpha > 0) || !(block.regularization > 0)) {
      return std::nullopt;
    }
    fold_in.blocks.push_back(block);
  }
  // Stored blocks were checked with the rest of the contents
  // (ValidateSnapshotContents).
  int32_t offset = 0;
  for (const snapshot::FactorBlock& stored : manifest.factor_blocks()) {
    FoldInParameters::Block block;
    block.offset = offset;
    block.factors = stored.factors();
    block.alpha = stored.alpha();
    block.regularization = stored.regularization();
    block.regularization_exponent = stored.regularization_exponent();
    fold_in.blocks.push_back(block);
    offset += stored.factors();
  }
  return fold_in;
}

}  // namespace

ModelSnapshot::ModelSnapshot(SnapshotContents contents,
                             std::unique_ptr<const RankerModel> ranker,
                             std::shared_ptr<const ErasedCustomers> erased)
    : contents_(std::move(contents)),
      erased_(std::move(erased)),
      ranker_(std::move(ranker)) {
  item_rows_.reserve(contents_.items.items_size());
  for (int32_t row = 0; row < contents_.items.items_size(); ++row) {
    item_rows_.emplace(contents_.items.items(row).id(), row);
    if (contents_.items.items(row).recent_purchases() > 0) {
      popular_items_.push_back(row);
    }
  }
  std::stable_sort(popular_items_.begin(), popular_items_.end(),
                   [this](int32_t a, int32_t b) {
                     return item(a).recent_purchases() >
                            item(b).recent_purchases();
                   });
  customer_rows_.reserve(contents_.customers.customers_size());
  for (int32_t row = 0; row < contents_.customers.customers_size(); ++row) {
    customer_rows_.emplace(contents_.customers.customers(row).id(), row);
  }
  int64_t segments_since = 0;
  if (absl::StatusOr<absl::Time> data_end =
          ParseIsoTimestamp(contents_.manifest.data_end());
      data_end.ok()) {
    segments_since = absl::ToUnixSeconds(*data_end) -
                     kSegmentWindowDays * kSecondsPerDay;
  }
  segments_ = SegmentPopularity::Build(contents_.customers, segments_since,
                                       kMinSegmentBuyers);
  const auto& blocks = contents_.manifest.factor_blocks();
  if (std::any_of(blocks.begin(), blocks.end(),
                  [](const snapshot::FactorBlock& block) {
                    return block.requests() != snapshot::SERVED_REQUESTS_EVERY;
                  })) {
    for (const snapshot::FactorBlock& block : blocks) {
      const bool only_excluding =
          block.requests() == snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED;
      const bool only_including =
          block.requests() == snapshot::SERVED_REQUESTS_INCLUDING_PURCHASED;
      request_masks_[0].insert(request_masks_[0].end(), block.factors(),
                               only_excluding ? 0.0f : 1.0f);
      request_masks_[1].insert(request_masks_[1].end(), block.factors(),
                               only_including ? 0.0f : 1.0f);
    }
  }
  fold_in_ = ParseFoldInParameters(contents_.manifest);
  if (fold_in_.has_value()) {
    const EmbeddingMatrix& items = contents_.item_factors;
    for (const FoldInParameters::Block& block : fold_in_->blocks) {
      const Eigen::MatrixXf gram =
          Gram(FactorColumns(items.values.data(), items.rows, items.dimension,
                             block.offset, block.factors));
      block_grams_.emplace_back(gram.data(), gram.data() + gram.size());
    }
  }
}

absl::StatusOr<std::unique_ptr<const ModelSnapshot>> ModelSnapshot::Create(
    SnapshotContents contents, std::shared_ptr<const ErasedCustomers> erased) {
  RETURN_IF_ERROR(ValidateSnapshotContents(contents));
  std::unique_ptr<const RankerModel> ranker;
  if (!contents.ranker_model.empty()) {
    const snapshot::RankerInfo& info = contents.manifest.ranker();
    const std::vector<std::string>& expected = RankingFeatureNames();
    if (info.format() != "xgboost" ||
        !std::equal(info.features().begin(), info.features().end(),
                    expected.begin(), expected.end())) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the ranker (", info.format(), ", ", info.features_size(),
          " features) is not one this build can score (xgboost, ",
          expected.size(), " features in the order of ranking_features.h)"));
    }
    ASSIGN_OR_RETURN(ranker, LoadXgboostRanker(contents.ranker_model,
                                               info.features_size()));
  }
  return std::unique_ptr<const ModelSnapshot>(
      new ModelSnapshot(std::move(contents), std::move(ranker), std::move(erased)));
}

absl::StatusOr<std::unique_ptr<const ModelSnapshot>>
ModelSnapshot::FromContents(SnapshotContents contents,
                            std::shared_ptr<const ErasedCustomers> erased) {
  return Create(std::move(contents), std::move(erased));
}

absl::StatusOr<std::unique_ptr<const ModelSnapshot>> ModelSnapshot::Load(
    const std::string& snapshot_dir,
    std::shared_ptr<const ErasedCustomers> erased) {
  SnapshotContents contents;
  ASSIGN_OR_RETURN(contents.manifest, ReadSnapshotManifest(snapshot_dir));
  const snapshot::Manifest& manifest = contents.manifest;
  ASSIGN_OR_RETURN(std::string items,
                   ReadVerifiedFile(snapshot_dir, manifest, kItemTableFile));
  RETURN_IF_ERROR(ParseBinary(items, kItemTableFile, &contents.items));
  ASSIGN_OR_RETURN(std::string customers,
                   ReadVerifiedFile(snapshot_dir, manifest, kCustomerTableFile));
  RETURN_IF_ERROR(ParseBinary(customers, kCustomerTableFile, &contents.customers));
  ASSIGN_OR_RETURN(std::string item_factors,
                   ReadVerifiedFile(snapshot_dir, manifest, kItemFactorsFile));
  ASSIGN_OR_RETURN(contents.item_factors,
                   ParseEmbeddings(item_factors, kItemFactorsFile));
  ASSIGN_OR_RETURN(
      std::string customer_factors,
      ReadVerifiedFile(snapshot_dir, manifest, kCustomerFactorsFile));
  ASSIGN_OR_RETURN(contents.customer_factors,
                   ParseEmbeddings(customer_factors, kCustomerFactorsFile));
  const char* index_file = kItemIndexFile;
  for (const snapshot::FileEntry& file : manifest.files()) {
    if (file.name() == kLegacyItemIndexFile) index_file = kLegacyItemIndexFile;
  }
  ASSIGN_OR_RETURN(std::string index_bytes,
                   ReadVerifiedFile(snapshot_dir, manifest, index_file));
  ASSIGN_OR_RETURN(contents.index,
                   LoadItemIndex(manifest.index_type(), index_bytes,
                                 contents.item_factors));
  // The timing model, the neighbour lists and the ranker are optional:
  // older snapshots (and ones without a ranker) do not list them.
  for (const snapshot::FileEntry& file : manifest.files()) {
    if (file.name() == kTimingFile) {
      ASSIGN_OR_RETURN(std::string timing,
                       ReadVerifiedFile(snapshot_dir, manifest, kTimingFile));
      RETURN_IF_ERROR(ParseBinary(timing, kTimingFile, &contents.timing));
    } else if (file.name() == kItemSimilarityFile) {
      ASSIGN_OR_RETURN(
          std::string similarities,
          ReadVerifiedFile(snapshot_dir, manifest, kItemSimilarityFile));
      RETURN_IF_ERROR(ParseBinary(similarities, kItemSimilarityFile,
                                  &contents.similarities));
    } else if (file.name() == kRankerFile) {
      ASSIGN_OR_RETURN(contents.ranker_model,
                       ReadVerifiedFile(snapshot_dir, manifest, kRankerFile));
    }
  }
  absl::StatusOr<std::unique_ptr<const ModelSnapshot>> snapshot =
      Create(std::move(contents), std::move(erased));
  if (!snapshot.ok()) {
    return absl::Status(
        absl::IsInvalidArgument(snapshot.status()) ? absl::StatusCode::kDataLoss
                                                   : snapshot.status().code(),
        absl::StrCat(snapshot_dir, ": inconsistent snapshot: ",
                     snapshot.status().message()));
  }
  return snapshot;
}

std::optional<int32_t> ModelSnapshot::FindItem(absl::string_view id) const {
  auto it = item_rows_.find(id);
  if (it == item_rows_.end()) return std::nullopt;
  return it->second;
}

std::optional<int32_t> ModelSnapshot::FindCustomer(absl::string_view id) const {
  auto it = customer_rows_.find(id);
  if (it == customer_rows_.end()) return std::nullopt;
  if (erased_ != nullptr && erased_->Contains(id)) return std::nullopt;
  return it->second;
}

const snapshot::ItemNeighborList* ModelSnapshot::similarity(
    absl::string_view name) const {
  for (const snapshot::ItemNeighborList& list : contents_.similarities.lists()) {
    if (list.name() == name) return &list;
  }
  return nullptr;
}

bool ModelSnapshot::customer_erased(int32_t row) const {
  return IsErasedCustomer(customer(row).id());
}

bool ModelSnapshot::IsErasedCustomer(absl::string_view customer_id) const {
  return erased_ != nullptr && erased_->Contains(customer_id);
}

absl::Span<const float> ModelSnapshot::customer_vector(int32_t row) const {
  const int32_t factor_row = customer(row).factor_row();
  if (factor_row < 0 || customer_erased(row)) return {};
  return contents_.customer_factors.row(factor_row);
}

absl::StatusOr<snapshot::Manifest> ReadSnapshotManifest(
    const std::string& snapshot_dir) {
  const std::string manifest_path = JoinPath(snapshot_dir, kManifestFile);
  ASSIGN_OR_RETURN(std::string text, ReadFileToString(manifest_path));
  snapshot::Manifest manifest;
  if (!google::protobuf::TextFormat::ParseFromString(text, &manifest)) {
    return absl::DataLossError(
        absl::StrCat(manifest_path, ": cannot parse the manifest"));
  }
  return manifest;
}

absl::StatusOr<std::vector<int64_t>> ListSnapshotVersions(
    const std::string& model_dir) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDirectory(model_dir));
  std::vector<int64_t> versions;
  for (const std::string& name : names) {
    int64_t version;
    if (!name.empty() && absl::ascii_isdigit(name[0]) &&
        absl::SimpleAtoi(name, &version) && version > 0 &&
        absl::StrCat(version) == name) {
      versions.push_back(version);
    }
  }
  std::sort(versions.begin(), versions.end());
  return versions;
}

}  // namespace recommender
