#include "recommender/segments/segment_library.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "recommender/segments/rfm_scores.h"
#include "recommender/util/file_util.h"

namespace recommender::segments {
namespace {

constexpr absl::string_view kReserved[] = {
    "all",    "and",    "rfm",    "r",      "f",      "m",
    "orders", "ltv_decile", "age_band", "gender", "region",
    "lapsed", "active", "due"};

}  // namespace

absl::Status ValidateSegmentName(absl::string_view name) {
  if (name.empty() || name.size() > 64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "name: must be 1 to 64 characters, got ", name.size()));
  }
  if (!absl::ascii_islower(static_cast<unsigned char>(name[0]))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "name: \"", name, "\" must start with a letter a-z"));
  }
  for (char c : name) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '_') {
      return absl::InvalidArgumentError(absl::StrCat(
          "name: \"", name, "\" may hold only a-z, 0-9 and '_'"));
    }
  }
  for (absl::string_view reserved : kReserved) {
    if (name == reserved) {
      return absl::InvalidArgumentError(
          absl::StrCat("name: \"", name, "\" is a word of the segment grammar"));
    }
  }
  if (ParseRfmSegment(name).has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("name: \"", name, "\" is a built-in RFM segment"));
  }
  return absl::OkStatus();
}

const SegmentLibrary::Saved* SegmentLibrary::Find(absl::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &saved_[it->second];
}

absl::StatusOr<SegmentExpression> SegmentLibrary::Resolve(
    absl::string_view text, absl::string_view field) const {
  return ParseSegmentExpression(
      text, field, [this](absl::string_view name) -> const SegmentExpression* {
        const Saved* saved = Find(absl::AsciiStrToLower(name));
        return saved == nullptr ? nullptr : &saved->expression;
      });
}

absl::Status SegmentLibrary::Add(absl::string_view name,
                                 absl::string_view expression_text) {
  if (absl::Status valid = ValidateSegmentName(name); !valid.ok()) return valid;
  if (Find(name) != nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("name: segment \"", name, "\" is defined already"));
  }
  absl::StatusOr<SegmentExpression> expression =
      Resolve(expression_text, absl::StrCat("segment ", name));
  if (!expression.ok()) return expression.status();
  by_name_.emplace(std::string(name), saved_.size());
  saved_.push_back(
      {std::string(name), std::string(expression_text), *std::move(expression)});
  return absl::OkStatus();
}

absl::StatusOr<SegmentLibrary> SegmentLibrary::Parse(
    absl::string_view contents, absl::string_view file_name) {
  SegmentLibrary library;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ":", line_number,
                       ": expected \"name: expression\""));
    }
    const absl::string_view name =
        absl::StripAsciiWhitespace(line.substr(0, colon));
    const absl::string_view text = line.substr(colon + 1);
    if (absl::Status added = library.Add(name, text); !added.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          file_name, ":", line_number, ": ", added.message()));
    }
  }
  return library;
}

absl::StatusOr<SegmentLibrary> SegmentLibrary::Load(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFileToString(path);
  if (!contents.ok()) return contents.status();
  return Parse(*contents, path);
}

}  // namespace recommender::segments
