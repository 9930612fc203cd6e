#include "recommender/data/field_parsers.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "recommender/util/quote.h"

namespace recommender {
namespace {

absl::Status Expected(absl::string_view what, absl::string_view text) {
  return absl::InvalidArgumentError(
      absl::StrCat("expected ", what, ", got ", Quote(text)));
}

}  // namespace

absl::StatusOr<double> ParseNonNegativeDecimal(absl::string_view text) {
  double value;
  if (text.empty() || text != absl::StripAsciiWhitespace(text) ||
      !absl::SimpleAtod(text, &value) || !std::isfinite(value)) {
    return Expected("a decimal number", text);
  }
  if (value < 0) return Expected("a number >= 0", text);
  return value;
}

absl::StatusOr<int32_t> ParsePositiveInteger(absl::string_view text) {
  int32_t value;
  if (text.empty() || text != absl::StripAsciiWhitespace(text) ||
      !absl::SimpleAtoi(text, &value)) {
    return Expected("a whole number", text);
  }
  if (value < 1) return Expected("a whole number >= 1", text);
  return value;
}

absl::StatusOr<bool> ParseBoolean(absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "true" || lower == "1" || lower == "yes") return true;
  if (lower == "false" || lower == "0" || lower == "no") return false;
  return Expected("true or false", text);
}

absl::Status ValidateText(absl::string_view what, absl::string_view text,
                          size_t max_bytes) {
  if (text.size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is longer than ", max_bytes, " bytes (",
                     text.size(), "): ", Quote(text)));
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7F) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " contains a control character at byte ", i,
                       ": ", Quote(text)));
    }
  }
  if (!IsValidUtf8(text)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is not valid UTF-8: ", Quote(text)));
  }
  return absl::OkStatus();
}

absl::Status ValidateId(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("id is empty");
  if (absl::Status valid = ValidateText("id", text, kMaxIdBytes); !valid.ok()) {
    return valid;
  }
  if (absl::ascii_isspace(static_cast<unsigned char>(text.front())) ||
      absl::ascii_isspace(static_cast<unsigned char>(text.back()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("id has leading or trailing space: ", Quote(text)));
  }
  return absl::OkStatus();
}

absl::Status ValidateCategoryPath(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("category is empty");
  if (absl::Status valid = ValidateText("category", text, kMaxCategoryBytes);
      !valid.ok()) {
    return valid;
  }
  for (absl::string_view segment : absl::StrSplit(text, '/')) {
    if (segment.empty()) {
      return Expected("a category path like kitchen/appliances", text);
    }
  }
  return absl::OkStatus();
}

}  // namespace recommender
