#include "serving/http/static_files.h"

#include "absl/hash/hash.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace recommender::serving {

StaticFiles::StaticFiles(
    const std::vector<std::pair<std::string, std::string>>& files) {
  for (const auto& [path, body] : files) {
    StaticFile& file = files_[path];
    file.body = body;
    file.content_type = ContentTypeOf(path);
    file.etag = absl::StrFormat("\"%016x\"", absl::HashOf(body));
  }
}

const StaticFile* StaticFiles::Find(absl::string_view path) const {
  const std::string key = absl::EndsWith(path, "/")
                              ? absl::StrCat(path, "index.html")
                              : std::string(path);
  auto it = files_.find(key);
  return it == files_.end() ? nullptr : &it->second;
}

bool StaticFiles::IsFolder(absl::string_view path) const {
  return !absl::EndsWith(path, "/") &&
         files_.contains(absl::StrCat(path, "/index.html"));
}

std::string StaticFiles::ContentTypeOf(absl::string_view path) {
  static constexpr std::pair<absl::string_view, absl::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (absl::EndsWith(path, extension)) return std::string(type);
  }
  return "application/octet-stream";
}

}  // namespace recommender::serving
