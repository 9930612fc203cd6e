// StaticFiles: the pages the HTTP gateway serves besides the API (the
// storefront widget, the demo storefront, the operators' dashboard), held
// in memory by URL path with their content type and an entity tag.
//
// Thread-safe: immutable after construction.
#ifndef SERVING_HTTP_STATIC_FILES_H_
#define SERVING_HTTP_STATIC_FILES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace recommender::serving {

struct StaticFile {
  std::string body;
  std::string content_type;
  // Changes when the body does (a hash of it, quoted).
  std::string etag;
};

class StaticFiles {
 public:
  StaticFiles() = default;
  // (URL path, contents) pairs, e.g. {"/admin/index.html", "<!doctype ..."}.
  explicit StaticFiles(
      const std::vector<std::pair<std::string, std::string>>& files);

  // The file at `path`; a path ending in "/" means its index.html. Null if
  // there is none.
  const StaticFile* Find(absl::string_view path) const;

  // True if `path` (no trailing "/") is a folder with an index.html, which
  // a browser should be sent to with the "/" added.
  bool IsFolder(absl::string_view path) const;

  // "text/html; charset=utf-8", "text/javascript; charset=utf-8", ... by
  // the path's extension; application/octet-stream if unknown.
  static std::string ContentTypeOf(absl::string_view path);

 private:
  absl::flat_hash_map<std::string, StaticFile> files_;
};

}  // namespace recommender::serving

#endif  // SERVING_HTTP_STATIC_FILES_H_
