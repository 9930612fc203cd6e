// Fuzzes the snapshot loader. Each input replaces one file of a small valid
// snapshot (its first byte says which): the manifest as given, or another
// file with the manifest's size and CRC-32C made to match, as a trainer
// with a bug might write it. Load must refuse what is inconsistent (an
// error naming a file or part), never crash, and what loads must answer.
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/model/snapshot_writer.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/ranking/recommend.h"
#include "recommender/util/crc32c.h"
#include "recommender/util/file_util.h"
#include "tests/fuzz/fuzz_target.h"

namespace recommender::fuzz {
namespace {

constexpr const char* kFiles[] = {kManifestFile,      kItemTableFile,
                                  kCustomerTableFile, kItemFactorsFile,
                                  kCustomerFactorsFile, kItemIndexFile,
                                  kTimingFile};

struct Base {
  std::string dir;      // The valid snapshot.
  std::string scratch;  // Where each input's copy goes.
};

const Base& TheBase() {
  static const Base* base = [] {
    auto* out = new Base;
    const std::string root = ScratchDir("snapshot");
    SnapshotContents contents =
        TestSnapshotBuilder(2)
            .AddItem("kettle", "kitchen/appliances", {1, 0}, snapshot::DURABLE)
            .AddItem("coffee", "food/coffee", {0.5f, 1})
            .AddItem("tea", "food/tea", {0.2f, 1})
            .AddCustomer("bob", {1, 0.5f}, {{"coffee", 1767225600}})
            .SetRepurchaseCycle("coffee", 30)
            .SetDataEnd(1767225600 + 86400)
            .Build(3);
    absl::StatusOr<std::string> written =
        WriteSnapshot(contents, JoinPath(root, "models"));
    FuzzCheck(written.ok(), "the base snapshot is written");
    out->dir = *written;
    out->scratch = JoinPath(root, "3");
    return out;
  }();
  return *base;
}

}  // namespace
}  // namespace recommender::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace recommender;  // NOLINT
  if (size == 0) return 0;
  const fuzz::Base& base = fuzz::TheBase();
  const char* replaced =
      fuzz::kFiles[data[0] % (sizeof(fuzz::kFiles) / sizeof(fuzz::kFiles[0]))];
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  RemoveAll(base.scratch).IgnoreError();
  CreateDirectories(base.scratch).IgnoreError();
  std::string manifest_text =
      ReadFileToString(JoinPath(base.dir, kManifestFile)).value_or("");
  if (std::string(replaced) == kManifestFile) {
    manifest_text = bytes;
  } else {
    snapshot::Manifest manifest;
    google::protobuf::TextFormat::ParseFromString(manifest_text, &manifest);
    for (snapshot::FileEntry& file : *manifest.mutable_files()) {
      if (file.name() != replaced) continue;
      file.set_size_bytes(bytes.size());
      file.set_crc32c(Crc32c(bytes));
    }
    manifest_text.clear();
    google::protobuf::TextFormat::PrintToString(manifest, &manifest_text);
  }
  for (const char* name : fuzz::kFiles) {
    const std::string content =
        std::string(name) == kManifestFile
            ? manifest_text
            : (name == replaced ? bytes
                                : ReadFileToString(JoinPath(base.dir, name))
                                      .value_or(""));
    WriteFileDurably(JoinPath(base.scratch, name), content).IgnoreError();
  }
  absl::StatusOr<std::unique_ptr<const ModelSnapshot>> loaded =
      ModelSnapshot::Load(base.scratch);
  if (!loaded.ok()) {
    fuzz::FuzzCheck(!loaded.status().message().empty(), "errors say why");
    return 0;
  }
  // What loads is consistent enough to answer from.
  const ModelSnapshot& model = **loaded;
  RecommendQuery query;
  query.customer_id = model.num_customers() > 0 ? model.customer(0).id() : "x";
  query.count = 3;
  Recommend(model, query).IgnoreError();
  if (model.num_items() > 0) {
    SimilarItemsQuery similar;
    similar.item_id = model.item(0).id();
    similar.count = 3;
    SimilarItems(model, similar).IgnoreError();
  }
  return 0;
}
