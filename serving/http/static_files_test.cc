#include "serving/http/static_files.h"

#include "gtest/gtest.h"

namespace recommender::serving {
namespace {

TEST(StaticFilesTest, FindsFilesAndFolderIndexes) {
  const StaticFiles files({{"/admin/index.html", "<!doctype html>"},
                           {"/admin/dashboard.js", "export {};"},
                           {"/widget/shop-recommendations.js", "(()=>{})()"}});
  const StaticFile* index = files.Find("/admin/");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->body, "<!doctype html>");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(files.Find("/admin/index.html"), index);
  const StaticFile* script = files.Find("/admin/dashboard.js");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(script->etag, index->etag);
  EXPECT_EQ(script->etag.front(), '"');
  EXPECT_EQ(files.Find("/admin"), nullptr);
  EXPECT_TRUE(files.IsFolder("/admin"));
  EXPECT_FALSE(files.IsFolder("/admin/"));
  EXPECT_FALSE(files.IsFolder("/widget"));
  EXPECT_EQ(files.Find("/nothing.html"), nullptr);
}

TEST(StaticFilesTest, ContentTypesByExtension) {
  EXPECT_EQ(StaticFiles::ContentTypeOf("/a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentTypeOf("/a.svg"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::ContentTypeOf("/a.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace recommender::serving
