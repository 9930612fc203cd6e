#include "serving/auth/audit_log.h"

#include <sys/stat.h>

#include <cstdlib>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "recommender/util/file_util.h"

namespace recommender::serving::auth {
namespace {

TEST(AuditLogTest, AppendsOneJsonObjectPerLineToAPrivateFile) {
  const std::string path = JoinPath(std::getenv("TEST_TMPDIR"), "audit.jsonl");
  RemoveAll(path).IgnoreError();
  {
    std::unique_ptr<AuditLog> log = *AuditLog::Open(path);
    AuditEntry entry;
    entry.time = absl::FromUnixSeconds(1795000000);
    entry.key_id = "ops";
    entry.roles = "admin";
    entry.method = "/recommender.v1.Recommender/DeleteCustomer";
    entry.outcome = "OK";
    entry.peer = "ipv4:127.0.0.1:5000";
    entry.seconds = 0.25;
    entry.counts = {{"messages_out", 1}};
    log->Record(entry);
    entry.outcome = "PERMISSION_DENIED";
    entry.reason = "needs admin";
    entry.counts.clear();
    log->Record(entry);
  }
  std::unique_ptr<AuditLog> reopened = *AuditLog::Open(path);  // Appends.
  AuditEntry third;
  third.method = "\xff bad utf-8";
  reopened->Record(third);

  const std::string text = *ReadFileToString(path);
  std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  const nlohmann::json first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(first["time"], "2026-11-18T11:06:40.000Z");
  EXPECT_EQ(first["key_id"], "ops");
  EXPECT_EQ(first["outcome"], "OK");
  EXPECT_EQ(first["counts"]["messages_out"], 1);
  EXPECT_FALSE(first.contains("reason"));
  EXPECT_EQ(nlohmann::json::parse(lines[1])["reason"], "needs admin");
  EXPECT_TRUE(nlohmann::json::accept(lines[2]));
  struct stat info;
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(AuditLogTest, AnUnwritablePathIsAnError) {
  EXPECT_EQ(AuditLog::Open("/nonexistent-dir/audit.jsonl").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recommender::serving::auth
