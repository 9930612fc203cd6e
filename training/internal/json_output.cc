#include "training/internal/json_output.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/str_format.h"

namespace recommender {
namespace {

// Whole numbers as integers (printed without a fraction), others as doubles
// (printed as the shortest text that reads back the same).
nlohmann::ordered_json Number(double value) {
  if (!std::isfinite(value)) return nullptr;
  if (value == std::floor(value) && std::abs(value) < 1e15) {
    return static_cast<int64_t>(value);
  }
  return value;
}

// `text` read back as a double: the value nearest to what printf printed.
double ReadBack(const std::string& text) {
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace

nlohmann::ordered_json JsonSignificant(double value, int digits) {
  if (!std::isfinite(value)) return nullptr;
  if (value == std::floor(value) && std::abs(value) < 1e15) {
    return Number(value);
  }
  return Number(ReadBack(absl::StrFormat("%.*g", digits, value)));
}

nlohmann::ordered_json JsonDecimals(double value, int decimals) {
  if (!std::isfinite(value)) return nullptr;
  return Number(ReadBack(absl::StrFormat("%.*f", decimals, value)));
}

std::string PrintJson(const nlohmann::ordered_json& json) {
  return json.dump(2, ' ', /*ensure_ascii=*/false,
                   nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

}  // namespace recommender
