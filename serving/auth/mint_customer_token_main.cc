// Mints a customer token for the browser path (customer_token.h), as a
// shop's backend does for each logged-in page view, or creates a token-keys
// file to share with the server.
//
//   bazel run //serving/auth:mint_customer_token --
//       --new_key_file=/srv/token-keys.txt --key_id=shop-2026
//   bazel run //serving/auth:mint_customer_token --
//       --key_file=/srv/token-keys.txt --customer_id=C00042 --ttl_seconds=900
#include <sys/stat.h>

#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/clock.h"
#include "recommender/util/file_util.h"
#include "serving/auth/customer_token.h"

ABSL_FLAG(std::string, key_file, "", "Token-keys file to sign with.");
ABSL_FLAG(std::string, key_id, "",
          "Key to sign with (default: the file's first); with "
          "--new_key_file, the new key's id.");
ABSL_FLAG(std::string, customer_id, "", "The customer the token speaks for.");
ABSL_FLAG(int64_t, ttl_seconds, 900,
          "How long the token is valid: 1 to 3600 (the verifier refuses "
          "tokens that live longer than an hour).");
ABSL_FLAG(std::string, new_key_file, "",
          "Instead of minting: write a new token-keys file here (mode 0600) "
          "with one random key named --key_id. Refuses an existing file.");

namespace recommender::serving::auth {
namespace {

int CreateKeyFile(const std::string& path) {
  if (PathExists(path)) {
    std::cerr << "mint_customer_token: " << path << " exists; not replaced\n";
    return 1;
  }
  absl::StatusOr<std::string> text =
      CustomerTokenKeys::NewKeyFile(absl::GetFlag(FLAGS_key_id));
  if (!text.ok()) {
    std::cerr << "mint_customer_token: --key_id: " << text.status().message() << "\n";
    return 2;
  }
  if (absl::Status written = WriteFileDurably(path, *text); !written.ok()) {
    std::cerr << "mint_customer_token: " << written.message() << "\n";
    return 1;
  }
  ::chmod(path.c_str(), 0600);
  std::cerr << "mint_customer_token: wrote " << path << "\n";
  return 0;
}

int Run() {
  if (!absl::GetFlag(FLAGS_new_key_file).empty()) {
    return CreateKeyFile(absl::GetFlag(FLAGS_new_key_file));
  }
  const int64_t ttl = absl::GetFlag(FLAGS_ttl_seconds);
  if (ttl < 1 || ttl > 3600) {
    std::cerr << "mint_customer_token: --ttl_seconds: must be 1 to 3600\n";
    return 2;
  }
  absl::StatusOr<CustomerTokenKeys> keys =
      CustomerTokenKeys::ReadFile(absl::GetFlag(FLAGS_key_file));
  if (!keys.ok()) {
    std::cerr << "mint_customer_token: --key_file: " << keys.status().message() << "\n";
    return 2;
  }
  const std::string key_id = absl::GetFlag(FLAGS_key_id).empty()
                                 ? keys->first_id()
                                 : absl::GetFlag(FLAGS_key_id);
  absl::StatusOr<std::string> token =
      MintCustomerToken(*keys, key_id, absl::GetFlag(FLAGS_customer_id),
                        absl::Now() + absl::Seconds(ttl));
  if (!token.ok()) {
    std::cerr << "mint_customer_token: " << token.status().message() << "\n";
    return 2;
  }
  std::cout << *token << "\n";
  return 0;
}

}  // namespace
}  // namespace recommender::serving::auth

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Mints a short-lived customer token, or creates a token-keys file.");
  absl::ParseCommandLine(argc, argv);
  return recommender::serving::auth::Run();
}
