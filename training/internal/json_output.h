// How the training tools print JSON: documents are nlohmann::ordered_json
// (keys in insertion order) printed by PrintJson, and numbers are rounded
// to the precision a figure deserves before they go in, so that printed
// figures read "0.0528135" or "10.44", not every digit of a double.
//
// Thread-safe: pure functions.
#ifndef TRAINING_INTERNAL_JSON_OUTPUT_H_
#define TRAINING_INTERNAL_JSON_OUTPUT_H_

#include <string>

#include "nlohmann/json.hpp"

namespace recommender {

// `value` rounded to `digits` significant digits (printf's %.*g), printed
// as the shortest text that reads back as that rounded value: 0.0528135,
// 1e-05. Whole numbers below 1e15 stay exact (1234567); NaN and infinities
// are null.
nlohmann::ordered_json JsonSignificant(double value, int digits = 6);

// `value` rounded to `decimals` places (printf's %.*f), printed without
// trailing zeros: 10.44 for 10.440, 67 for 67.000. NaN and infinities are
// null.
nlohmann::ordered_json JsonDecimals(double value, int decimals);

// The document indented by two spaces per level, with a final newline.
// Invalid UTF-8 in strings (e.g. a file name) is replaced by U+FFFD rather
// than failing.
std::string PrintJson(const nlohmann::ordered_json& json);

}  // namespace recommender

#endif  // TRAINING_INTERNAL_JSON_OUTPUT_H_
