#include "recommender/erasure/erased_customers.h"

#include <openssl/evp.h>

#include <utility>

#include "absl/strings/str_cat.h"

namespace recommender {
namespace {

// Changing it would forget every erasure already logged.
constexpr absl::string_view kKeyPrefix = "recommender erased customer v1\n";

}  // namespace

std::string ErasureKey(absl::string_view customer_id) {
  const std::string input = absl::StrCat(kKeyPrefix, customer_id);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // EVP_Digest with SHA-256 cannot fail on a valid buffer.
  EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(),
             nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

bool ErasedCustomers::AddKey(std::string key) {
  absl::MutexLock lock(&mu_);
  const bool added = keys_.insert(std::move(key)).second;
  size_.store(static_cast<int64_t>(keys_.size()), std::memory_order_release);
  return added;
}

void ErasedCustomers::RemoveKey(const std::string& key) {
  absl::MutexLock lock(&mu_);
  keys_.erase(key);
  size_.store(static_cast<int64_t>(keys_.size()), std::memory_order_release);
}

bool ErasedCustomers::ContainsKey(absl::string_view key) const {
  if (empty()) return false;
  absl::ReaderMutexLock lock(&mu_);
  return keys_.contains(key);
}

bool ErasedCustomers::Contains(absl::string_view customer_id) const {
  if (empty()) return false;
  return ContainsKey(ErasureKey(customer_id));
}

}  // namespace recommender
