// The web pages the server's HTTP gateway serves, embedded in the binary at
// build time from web/: the storefront widget (/widget/...), the demo
// storefront (/demo/...) and the operators' dashboard (/admin/...).
#ifndef WEB_WEB_FILES_H_
#define WEB_WEB_FILES_H_

#include <string>
#include <utility>
#include <vector>

namespace recommender::web {

// (URL path, contents) of every file, e.g. ("/admin/index.html", "<!doctype
// html>...").
std::vector<std::pair<std::string, std::string>> Files();

}  // namespace recommender::web

#endif  // WEB_WEB_FILES_H_
