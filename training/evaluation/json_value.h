// JsonValue: a small ordered JSON document for the evaluation tool's output,
// built in code and printed once. Object keys keep their insertion order,
// so the printed document reads in the order it was assembled.
//
// Not thread-safe; a plain value type.
#ifndef TRAINING_EVALUATION_JSON_VALUE_H_
#define TRAINING_EVALUATION_JSON_VALUE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "recommender/util/json_quote.h"

namespace recommender {

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  JsonValue() = default;
  static JsonValue Bool(bool value);
  // NaN and infinities print as null.
  static JsonValue Number(double value);
  static JsonValue String(absl::string_view value);
  static JsonValue Array();
  static JsonValue Object();

  Kind kind() const { return kind_; }
  double number() const { return number_; }
  bool boolean() const { return number_ != 0; }
  const std::string& string() const { return string_; }

  // Objects: sets `key` (replacing an earlier value, keeping its place) and
  // returns the stored value.
  JsonValue& Set(absl::string_view key, JsonValue value);
  // The value of `key`, or nullptr if absent or not an object.
  const JsonValue* Find(absl::string_view key) const;
  JsonValue* FindMutable(absl::string_view key);
  const std::vector<std::pair<std::string, JsonValue>>& members() const {
    return members_;
  }

  // Arrays: appends and returns the stored value.
  JsonValue& Append(JsonValue value);
  const std::vector<JsonValue>& elements() const { return elements_; }

  // Objects and arrays one member per line, indented by two spaces per
  // level; an object or array whose members are all scalars on one line.
  // Numbers with up to 6 significant digits (integers exactly).
  std::string Dump() const;

 private:
  void DumpTo(int depth, std::string* out) const;

  Kind kind_ = Kind::kNull;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> elements_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

}  // namespace recommender

#endif  // TRAINING_EVALUATION_JSON_VALUE_H_
