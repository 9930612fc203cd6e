#include "training/evaluation/json_value.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace recommender {
namespace {

bool IsScalar(const JsonValue& value) {
  return value.kind() != JsonValue::Kind::kArray &&
         value.kind() != JsonValue::Kind::kObject;
}

std::string FormatNumber(double value) {
  if (!std::isfinite(value)) return "null";
  if (value == std::floor(value) && std::abs(value) < 1e15) {
    return absl::StrFormat("%.0f", value);
  }
  return absl::StrFormat("%.6g", value);
}

}  // namespace

JsonValue JsonValue::Bool(bool value) {
  JsonValue v;
  v.kind_ = Kind::kBool;
  v.number_ = value ? 1 : 0;
  return v;
}

JsonValue JsonValue::Number(double value) {
  JsonValue v;
  v.kind_ = Kind::kNumber;
  v.number_ = value;
  return v;
}

JsonValue JsonValue::String(absl::string_view value) {
  JsonValue v;
  v.kind_ = Kind::kString;
  v.string_ = std::string(value);
  return v;
}

JsonValue JsonValue::Array() {
  JsonValue v;
  v.kind_ = Kind::kArray;
  return v;
}

JsonValue JsonValue::Object() {
  JsonValue v;
  v.kind_ = Kind::kObject;
  return v;
}

JsonValue& JsonValue::Set(absl::string_view key, JsonValue value) {
  kind_ = Kind::kObject;
  for (auto& [name, member] : members_) {
    if (name == key) return member = std::move(value);
  }
  members_.emplace_back(std::string(key), std::move(value));
  return members_.back().second;
}

const JsonValue* JsonValue::Find(absl::string_view key) const {
  for (const auto& [name, member] : members_) {
    if (name == key) return &member;
  }
  return nullptr;
}

JsonValue* JsonValue::FindMutable(absl::string_view key) {
  for (auto& [name, member] : members_) {
    if (name == key) return &member;
  }
  return nullptr;
}

JsonValue& JsonValue::Append(JsonValue value) {
  kind_ = Kind::kArray;
  elements_.push_back(std::move(value));
  return elements_.back();
}

std::string JsonValue::Dump() const {
  std::string out;
  DumpTo(0, &out);
  return out;
}

void JsonValue::DumpTo(int depth, std::string* out) const {
  switch (kind_) {
    case Kind::kNull:
      *out += "null";
      return;
    case Kind::kBool:
      *out += number_ != 0 ? "true" : "false";
      return;
    case Kind::kNumber:
      *out += FormatNumber(number_);
      return;
    case Kind::kString:
      *out += JsonQuote(string_);
      return;
    case Kind::kArray:
    case Kind::kObject:
      break;
  }
  const bool object = kind_ == Kind::kObject;
  const size_t size = object ? members_.size() : elements_.size();
  bool flat = true;
  for (size_t i = 0; i < size; ++i) {
    flat &= IsScalar(object ? members_[i].second : elements_[i]);
  }
  const std::string indent(2 * (depth + 1), ' ');
  *out += object ? "{" : "[";
  for (size_t i = 0; i < size; ++i) {
    if (i > 0) *out += flat ? ", " : ",";
    if (!flat) absl::StrAppend(out, "\n", indent);
    if (object) absl::StrAppend(out, JsonQuote(members_[i].first), ": ");
    (object ? members_[i].second : elements_[i]).DumpTo(depth + 1, out);
  }
  if (!flat && size > 0) absl::StrAppend(out, "\n", std::string(2 * depth, ' '));
  *out += object ? "}" : "]";
}

}  // namespace recommender
