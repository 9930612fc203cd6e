#include "recommender/model/snapshot_writer.h"

#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "recommender/util/crc32c.h"
#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"

namespace recommender {

absl::Status ValidateSnapshotContents(const SnapshotContents& contents) {
  const snapshot::Manifest& manifest = contents.manifest;
  const int64_t num_items = contents.items.items_size();
  const int32_t dimension = manifest.embedding_dimension();
  if (num_items == 0) return absl::InvalidArgumentError("snapshot has no items");
  if (contents.item_factors.rows != num_items ||
      contents.item_factors.dimension != dimension) {
    return absl::InvalidArgumentError(absl::StrCat(
        "item factors are ", contents.item_factors.rows, " x ",
        contents.item_factors.dimension, ", expected ", num_items, " x ",
        dimension));
  }
  if (contents.customer_factors.rows > 0 &&
      contents.customer_factors.dimension != dimension) {
    return absl::InvalidArgumentError(absl::StrCat(
        "customer factors have dimension ",
        contents.customer_factors.dimension, ", expected ", dimension));
  }
  if (manifest.factor_blocks_size() > 0) {
    int64_t total = 0;
    bool scores_excluding = false;
    bool scores_including = false;
    for (const snapshot::FactorBlock& block : manifest.factor_blocks()) {
      if (block.factors() <= 0 || !(block.alpha() > 0) ||
          !(block.regularization() > 0) ||
          !(block.regularization_exponent() >= 0)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "factor block with ", block.factors(), " factors, alpha ",
            block.alpha(), ", regularization ", block.regularization(),
            ": factors, alpha and regularization must be > 0"));
      }
      if (!snapshot::ServedRequests_IsValid(block.requests())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "factor block requests: unknown kind ", block.requests()));
      }
      scores_excluding |=
          block.requests() != snapshot::SERVED_REQUESTS_INCLUDING_PURCHASED;
      scores_including |=
          block.requests() != snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED;
      total += block.factors();
    }
    if (total != dimension) {
      return absl::InvalidArgumentError(
          absl::StrCat("factor blocks add up to ", total,
                       " factors, expected the dimension ", dimension));
    }
    if (!scores_excluding || !scores_including) {
      return absl::InvalidArgumentError(absl::StrCat(
          "factor block requests: no block scores requests ",
          scores_excluding ? "without" : "with", " exclude_purchased"));
    }
  }
  if (!snapshot::ServedRequests_IsValid(manifest.ranker().requests())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ranker requests: unknown kind ", manifest.ranker().requests()));
  }
  if (contents.index == nullptr || contents.index->size() != num_items ||
      contents.index->dimension() != dimension) {
    return absl::InvalidArgumentError(
        "item index is missing or does not match the item factors");
  }
  for (const snapshot::Customer& customer : contents.customers.customers()) {
    if (customer.factor_row() < -1 ||
        customer.factor_row() >= contents.customer_factors.rows) {
      return absl::InvalidArgumentError(
          absl::StrCat("customer ", customer.id(), " has factor row ",
                       customer.factor_row(), " out of range"));
    }
    if (customer.purchased_items_size() != customer.purchase_times_size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "customer ", customer.id(), " has mismatched purchase lists"));
    }
    const int purchases = customer.purchased_items_size();
    if ((customer.purchase_quantities_size() != 0 &&
         customer.purchase_quantities_size() != purchases) ||
        (customer.purchase_unit_prices_size() != 0 &&
         customer.purchase_unit_prices_size() != purchases)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "customer ", customer.id(),
          " has purchase quantities or prices for some purchases only"));
    }
    for (int32_t item : customer.purchased_items()) {
      if (item < 0 || item >= num_items) {
        return absl::InvalidArgumentError(absl::StrCat(
            "customer ", customer.id(), " bought unknown item row ", item));
      }
    }
    if (customer.interaction_items_size() !=
        customer.interaction_strengths_size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "customer ", customer.id(), " has mismatched interaction lists"));
    }
    for (int k = 0; k < customer.interaction_items_size(); ++k) {
      const int32_t item = customer.interaction_items(k);
      if (item < 0 || item >= num_items ||
          !(customer.interaction_strengths(k) > 0)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "customer ", customer.id(), " has a bad interaction with item row ",
            item));
      }
    }
  }
  for (const snapshot::ItemNeighborList& list : contents.similarities.lists()) {
    const auto& offsets = list.offsets();
    bool valid = offsets.size() == num_items + 1 && offsets[0] == 0 &&
                 offsets[num_items] == list.neighbors_size() &&
                 list.weights_size() == list.neighbors_size();
    for (int64_t i = 0; valid && i < num_items; ++i) {
      valid = offsets[i] <= offsets[i + 1];
    }
    for (int32_t item : list.neighbors()) {
      valid = valid && item >= 0 && item < num_items;
    }
    if (!valid) {
      return absl::InvalidArgumentError(absl::StrCat(
          "item neighbour list \"", list.name(),
          "\" does not match the item table"));
    }
  }
  if (contents.ranker_model.empty() != (manifest.ranker().features_size() == 0)) {
    return absl::InvalidArgumentError(
        "the ranker model and its feature list must come together");
  }
  const snapshot::RepurchaseModel& repurchase = contents.timing.repurchase();
  if (repurchase.items_size() != 0 && repurchase.items_size() != num_items) {
    return absl::InvalidArgumentError(
        absl::StrCat("timing model has ", repurchase.items_size(),
                     " items, expected ", num_items));
  }
  for (const snapshot::ItemRepurchase& item : repurchase.items()) {
    if (item.consumable() &&
        (item.category_group() < 0 ||
         item.category_group() >= repurchase.categories_size() ||
         !(item.log_sd() > 0))) {
      return absl::InvalidArgumentError(
          "timing model has an item with a bad category group or spread");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> WriteSnapshot(const SnapshotContents& contents,
                                          const std::string& model_dir) {
  RETURN_IF_ERROR(ValidateSnapshotContents(contents));
  const int64_t version = contents.manifest.version();
  if (version <= 0) {
    return absl::InvalidArgumentError("snapshot version must be positive");
  }
  const std::string final_dir = JoinPath(model_dir, absl::StrCat(version));
  if (PathExists(final_dir)) {
    return absl::AlreadyExistsError(
        absl::StrCat("model version ", version, " exists: ", final_dir));
  }
  RETURN_IF_ERROR(CreateDirectories(model_dir));
  const std::string temp_dir = JoinPath(
      model_dir, absl::StrCat(".tmp-", version, "-", ::getpid()));
  RETURN_IF_ERROR(RemoveAll(temp_dir));
  RETURN_IF_ERROR(CreateDirectories(temp_dir));

  ASSIGN_OR_RETURN(std::string index_bytes, contents.index->Serialize());
  std::vector<std::pair<std::string, std::string>> files;
  files.emplace_back(kItemTableFile, contents.items.SerializeAsString());
  files.emplace_back(kCustomerTableFile, contents.customers.SerializeAsString());
  files.emplace_back(kItemFactorsFile,
                     SerializeEmbeddings(contents.item_factors));
  files.emplace_back(kCustomerFactorsFile,
                     SerializeEmbeddings(contents.customer_factors));
  files.emplace_back(kItemIndexFile, std::move(index_bytes));
  files.emplace_back(kTimingFile, contents.timing.SerializeAsString());
  if (contents.similarities.lists_size() > 0) {
    files.emplace_back(kItemSimilarityFile,
                       contents.similarities.SerializeAsString());
  }
  if (!contents.ranker_model.empty()) {
    files.emplace_back(kRankerFile, contents.ranker_model);
  }

  snapshot::Manifest manifest = contents.manifest;
  manifest.set_index_type(contents.index->type());
  manifest.clear_files();
  for (const auto& [name, bytes] : files) {
    RETURN_IF_ERROR(WriteFileDurably(JoinPath(temp_dir, name), bytes));
    snapshot::FileEntry* entry = manifest.add_files();
    entry->set_name(name);
    entry->set_size_bytes(bytes.size());
    entry->set_crc32c(Crc32c(bytes));
  }
  std::string manifest_text;
  if (!google::protobuf::TextFormat::PrintToString(manifest, &manifest_text)) {
    return absl::InternalError("cannot print the manifest");
  }
  RETURN_IF_ERROR(
      WriteFileDurably(JoinPath(temp_dir, kManifestFile), manifest_text));
  RETURN_IF_ERROR(SyncDirectory(temp_dir));
  RETURN_IF_ERROR(RenamePath(temp_dir, final_dir));
  RETURN_IF_ERROR(SyncDirectory(model_dir));
  return final_dir;
}

}  // namespace recommender
