#include "recommender/segments/segment_expression.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "recommender/util/time_util.h"

namespace recommender::segments {
namespace {

constexpr int32_t kMaxDays = 3650;
constexpr int32_t kMaxDueSpanDays = 366;

enum class TokenKind { kWord, kString, kComma, kOpen, kClose, kOp, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  // 1-based character position in the text.
  size_t position = 0;
};

bool IsWordChar(char c) {
  return !absl::ascii_isspace(static_cast<unsigned char>(c)) && c != ',' &&
         c != '(' && c != ')' && c != '=' && c != '!' && c != '<' &&
         c != '>' && c != '"';
}

std::string Describe(const Token& token) {
  if (token.kind == TokenKind::kEnd) return "the end";
  return absl::StrCat("\"", token.text, "\"");
}

class Parser {
 public:
  Parser(absl::string_view text, absl::string_view field,
         const SegmentResolver& resolver)
      : text_(text), field_(field), resolver_(resolver) {}

  absl::StatusOr<SegmentExpression> Parse() {
    if (absl::Status s = Tokenize(); !s.ok()) return s;
    SegmentExpression expression;
    if (Peek().kind == TokenKind::kEnd) {
      return Error(Peek(), "empty segment (write \"all\" for everyone)");
    }
    while (true) {
      if (absl::Status s = ParseTerm(&expression); !s.ok()) return s;
      const Token& next = Peek();
      if (next.kind == TokenKind::kEnd) break;
      if (next.kind != TokenKind::kWord || Lower(next.text) != "and") {
        return Error(next,
                     absl::StrCat("expected \"and\" or the end, got ",
                                  Describe(next)));
      }
      Next();
    }
    return expression;
  }

 private:
  static std::string Lower(absl::string_view s) {
    return absl::AsciiStrToLower(s);
  }

  absl::Status Error(const Token& at, absl::string_view message) const {
    return absl::InvalidArgumentError(
        absl::StrCat(field_, ": at ", at.position, ": ", message));
  }

  const Token& Peek() const { return tokens_[next_]; }
  const Token& Next() {
    const Token& t = tokens_[next_];
    if (next_ + 1 < tokens_.size()) ++next_;
    return t;
  }

  absl::Status Tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      const char c = text_[i];
      Token token;
      token.position = i + 1;
      if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
        ++i;
        continue;
      }
      if (c == ',' || c == '(' || c == ')') {
        token.kind = c == ',' ? TokenKind::kComma
                              : (c == '(' ? TokenKind::kOpen : TokenKind::kClose);
        token.text = std::string(1, c);
        ++i;
      } else if (c == '=' || c == '!' || c == '<' || c == '>') {
        token.kind = TokenKind::kOp;
        token.text = std::string(1, c);
        ++i;
        if (i < text_.size() && text_[i] == '=' && c != '=') {
          token.text += '=';
          ++i;
        }
        if (token.text == "!") {
          return Error(token, "\"!\" must be followed by \"=\"");
        }
      } else if (c == '"') {
        token.kind = TokenKind::kString;
        ++i;
        bool closed = false;
        while (i < text_.size()) {
          if (text_[i] == '\\' && i + 1 < text_.size()) {
            token.text += text_[i + 1];
            i += 2;
          } else if (text_[i] == '"') {
            closed = true;
            ++i;
            break;
          } else {
            token.text += text_[i++];
          }
        }
        if (!closed) return Error(token, "unterminated quoted value");
      } else {
        token.kind = TokenKind::kWord;
        while (i < text_.size() && IsWordChar(text_[i])) token.text += text_[i++];
      }
      tokens_.push_back(std::move(token));
    }
    Token end;
    end.position = text_.size() + 1;
    tokens_.push_back(end);
    return absl::OkStatus();
  }

  absl::Status ParseTerm(SegmentExpression* expression) {
    const Token word = Next();
    if (word.kind != TokenKind::kWord) {
      return Error(word, absl::StrCat("expected a segment name or a field, got ",
                                      Describe(word)));
    }
    const std::string name = Lower(word.text);
    if (Peek().kind == TokenKind::kOp) return ParseComparison(word, expression);
    if (Peek().kind == TokenKind::kOpen) return ParseCall(word, expression);
    if (name == "all") return absl::OkStatus();
    if (std::optional<RfmSegment> rfm = ParseRfmSegment(name)) {
      SegmentTerm term;
      term.kind = SegmentTerm::Kind::kRfm;
      term.rfm = {*rfm};
      expression->terms.push_back(std::move(term));
      return absl::OkStatus();
    }
    if (resolver_) {
      if (const SegmentExpression* saved = resolver_(word.text)) {
        expression->terms.insert(expression->terms.end(), saved->terms.begin(),
                                 saved->terms.end());
        return absl::OkStatus();
      }
    }
    return Error(word, absl::StrCat("unknown segment \"", word.text,
                                    "\" (not an RFM segment or a saved one)"));
  }

  // Reads VALUE { "," VALUE }.
  absl::StatusOr<std::vector<Token>> ParseValues() {
    std::vector<Token> values;
    while (true) {
      const Token value = Next();
      if (value.kind != TokenKind::kWord && value.kind != TokenKind::kString) {
        return Error(value, absl::StrCat("expected a value, got ", Describe(value)));
      }
      values.push_back(value);
      if (Peek().kind != TokenKind::kComma) return values;
      Next();
    }
  }

  absl::Status ParseComparison(const Token& word, SegmentExpression* expression) {
    const std::string name = Lower(word.text);
    const Token op = Next();
    SegmentTerm term;
    if (name == "rfm" || name == "age_band" || name == "gender" ||
        name == "region") {
      if (op.text != "=" && op.text != "!=") {
        return Error(op, absl::StrCat(name, ": use = or != (got ", op.text, ")"));
      }
      term.negated = op.text == "!=";
      absl::StatusOr<std::vector<Token>> values = ParseValues();
      if (!values.ok()) return values.status();
      if (name == "rfm") {
        term.kind = SegmentTerm::Kind::kRfm;
        for (const Token& value : *values) {
          std::optional<RfmSegment> segment = ParseRfmSegment(Lower(value.text));
          if (!segment.has_value()) {
            std::vector<std::string> names;
            for (int k = 1; k < kNumRfmSegments; ++k) {
              names.emplace_back(RfmSegmentName(static_cast<RfmSegment>(k)));
            }
            return Error(value, absl::StrCat("rfm: unknown RFM segment \"",
                                             value.text, "\" (one of ",
                                             absl::StrJoin(names, ", "), ")"));
          }
          term.rfm.push_back(*segment);
        }
      } else {
        term.kind = SegmentTerm::Kind::kAttribute;
        term.attribute = name == "age_band" ? Attribute::kAgeBand
                         : name == "gender" ? Attribute::kGender
                                            : Attribute::kRegion;
        for (const Token& value : *values) {
          if (value.text.empty()) {
            return Error(value, absl::StrCat(name, ": empty value"));
          }
          term.values.push_back(value.text);
        }
      }
      expression->terms.push_back(std::move(term));
      return absl::OkStatus();
    }
    std::optional<ScoreField> score;
    int64_t lo = 1, hi = 5;
    if (name == "r") {
      score = ScoreField::kRecency;
    } else if (name == "f") {
      score = ScoreField::kFrequency;
    } else if (name == "m") {
      score = ScoreField::kMonetary;
    } else if (name == "ltv_decile") {
      score = ScoreField::kLtvDecile;
      hi = 10;
    } else if (name == "orders") {
      score = ScoreField::kOrders;
      lo = 0;
      hi = std::numeric_limits<int32_t>::max();
    }
    if (!score.has_value()) {
      return Error(word, absl::StrCat("unknown field \"", word.text,
                                      "\" (one of rfm, r, f, m, ltv_decile, "
                                      "orders, age_band, gender, region, "
                                      "lapsed(), active(), due())"));
    }
    term.kind = SegmentTerm::Kind::kScore;
    term.score = *score;
    const Token value = Next();
    if (value.kind != TokenKind::kWord) {
      return Error(value, absl::StrCat(name, ": expected a number, got ",
                                       Describe(value)));
    }
    const std::string range_hint =
        absl::StrCat(name, " is ", lo, " to ",
                     hi == std::numeric_limits<int32_t>::max()
                         ? std::string("any count")
                         : absl::StrCat(hi));
    auto number = [&](absl::string_view text) -> absl::StatusOr<int64_t> {
      int64_t v = 0;
      if (!absl::SimpleAtoi(text, &v) || v < lo || v > hi) {
        return Error(value, absl::StrCat(range_hint, ", got \"", text, "\""));
      }
      return v;
    };
    if (const size_t dots = value.text.find(".."); dots != std::string::npos) {
      if (op.text != "=") {
        return Error(op, absl::StrCat(name, ": a range takes \"=\""));
      }
      absl::StatusOr<int64_t> a = number(value.text.substr(0, dots));
      if (!a.ok()) return a.status();
      absl::StatusOr<int64_t> b = number(value.text.substr(dots + 2));
      if (!b.ok()) return b.status();
      term.min = *a;
      term.max = *b;
    } else {
      int64_t v = 0;
      if (!absl::SimpleAtoi(value.text, &v)) {
        return Error(value, absl::StrCat(name, ": \"", value.text,
                                         "\" is not a whole number"));
      }
      term.min = lo;
      term.max = hi;
      if (op.text == "=") {
        term.min = term.max = v;
      } else if (op.text == ">=") {
        term.min = v;
      } else if (op.text == ">") {
        term.min = v + 1;
      } else if (op.text == "<=") {
        term.max = v;
      } else if (op.text == "<") {
        term.max = v - 1;
      } else {
        return Error(op, absl::StrCat(name, ": use =, <, <=, >, >= or a range "
                                            "a..b (got !=)"));
      }
      if (op.text == "=" && (v < lo || v > hi)) {
        return Error(value, absl::StrCat(range_hint, ", got ", v));
      }
      term.min = std::max(term.min, lo);
      term.max = std::min(term.max, hi);
    }
    if (term.min > term.max) {
      return Error(value, absl::StrCat(name, ": matches nobody (", range_hint,
                                       ")"));
    }
    expression->terms.push_back(std::move(term));
    return absl::OkStatus();
  }

  absl::Status ParseCall(const Token& word, SegmentExpression* expression) {
    const std::string name = Lower(word.text);
    if (name != "lapsed" && name != "active" && name != "due") {
      return Error(word, absl::StrCat("unknown function \"", word.text,
                                      "\" (one of lapsed(DAYS), active(DAYS), "
                                      "due(FROM..TO))"));
    }
    Next();  // "("
    const Token argument = Next();
    if (argument.kind != TokenKind::kWord) {
      return Error(argument, absl::StrCat(name, ": expected ",
                                          name == "due" ? "FROM..TO" : "DAYS",
                                          ", got ", Describe(argument)));
    }
    const Token close = Next();
    if (close.kind != TokenKind::kClose) {
      return Error(close, absl::StrCat(name, ": expected \")\", got ",
                                       Describe(close)));
    }
    SegmentTerm term;
    if (name != "due") {
      term.kind = name == "lapsed" ? SegmentTerm::Kind::kLapsed
                                   : SegmentTerm::Kind::kActive;
      int32_t days = 0;
      if (!absl::SimpleAtoi(argument.text, &days) || days < 1 ||
          days > kMaxDays) {
        return Error(argument, absl::StrCat(name, ": days must be 1 to ",
                                            kMaxDays, ", got \"",
                                            argument.text, "\""));
      }
      term.days = days;
      expression->terms.push_back(std::move(term));
      return absl::OkStatus();
    }
    term.kind = SegmentTerm::Kind::kDue;
    const size_t dots = argument.text.find("..");
    if (dots == std::string::npos) {
      return Error(argument, absl::StrCat("due: expected FROM..TO, got \"",
                                          argument.text, "\""));
    }
    const std::string from = argument.text.substr(0, dots);
    const std::string to = argument.text.substr(dots + 2);
    int32_t a = 0, b = 0;
    if (absl::SimpleAtoi(from, &a) && absl::SimpleAtoi(to, &b)) {
      if (a < -kMaxDays || a > kMaxDays || b < -kMaxDays || b > kMaxDays) {
        return Error(argument, absl::StrCat("due: days must be within ",
                                            kMaxDays, " of the date"));
      }
      term.dates_are_offsets = true;
      term.from_offset = a;
      term.to_offset = b;
    } else {
      absl::StatusOr<absl::CivilDay> first = ParseIsoDate(from);
      absl::StatusOr<absl::CivilDay> last = ParseIsoDate(to);
      if (!first.ok() || !last.ok()) {
        return Error(argument,
                     absl::StrCat("due: FROM and TO must both be day offsets "
                                  "(0..7) or dates (2026-03-01..2026-03-07), "
                                  "got \"",
                                  argument.text, "\""));
      }
      term.dates_are_offsets = false;
      term.from_day = *first;
      term.to_day = *last;
      a = 0;
      b = static_cast<int32_t>(*last - *first);
    }
    if (b < a) return Error(argument, "due: TO is before FROM");
    if (b - a >= kMaxDueSpanDays) {
      return Error(argument, absl::StrCat("due: at most ", kMaxDueSpanDays,
                                          " days"));
    }
    expression->terms.push_back(std::move(term));
    return absl::OkStatus();
  }

  absl::string_view text_;
  absl::string_view field_;
  const SegmentResolver& resolver_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
};

std::string Quote(absl::string_view value) {
  bool plain = !value.empty();
  for (char c : value) plain = plain && IsWordChar(c);
  if (plain) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string FormatTerm(const SegmentTerm& term) {
  switch (term.kind) {
    case SegmentTerm::Kind::kRfm: {
      if (term.rfm.size() == 1 && !term.negated) {
        return std::string(RfmSegmentName(term.rfm[0]));
      }
      std::vector<std::string> names;
      for (RfmSegment s : term.rfm) names.emplace_back(RfmSegmentName(s));
      return absl::StrCat("rfm ", term.negated ? "!=" : "=", " ",
                          absl::StrJoin(names, ","));
    }
    case SegmentTerm::Kind::kAttribute: {
      std::vector<std::string> values;
      for (const std::string& v : term.values) values.push_back(Quote(v));
      return absl::StrCat(AttributeName(term.attribute), " ",
                          term.negated ? "!=" : "=", " ",
                          absl::StrJoin(values, ","));
    }
    case SegmentTerm::Kind::kScore: {
      const absl::string_view name = ScoreFieldName(term.score);
      const int64_t lo = term.score == ScoreField::kOrders ? 0 : 1;
      const int64_t hi = term.score == ScoreField::kLtvDecile ? 10
                         : term.score == ScoreField::kOrders
                             ? std::numeric_limits<int32_t>::max()
                             : 5;
      if (term.min == term.max) return absl::StrCat(name, " = ", term.min);
      if (term.max == hi) return absl::StrCat(name, " >= ", term.min);
      if (term.min == lo) return absl::StrCat(name, " <= ", term.max);
      return absl::StrCat(name, " = ", term.min, "..", term.max);
    }
    case SegmentTerm::Kind::kLapsed:
      return absl::StrCat("lapsed(", term.days, ")");
    case SegmentTerm::Kind::kActive:
      return absl::StrCat("active(", term.days, ")");
    case SegmentTerm::Kind::kDue:
      if (term.dates_are_offsets) {
        return absl::StrCat("due(", term.from_offset, "..", term.to_offset, ")");
      }
      return absl::StrCat("due(", absl::FormatCivilTime(term.from_day), "..",
                          absl::FormatCivilTime(term.to_day), ")");
  }
  return "";
}

}  // namespace

bool SegmentTerm::operator==(const SegmentTerm& o) const {
  if (kind != o.kind) return false;
  switch (kind) {
    case Kind::kRfm:
      return rfm == o.rfm && negated == o.negated;
    case Kind::kAttribute:
      return attribute == o.attribute && values == o.values &&
             negated == o.negated;
    case Kind::kScore:
      return score == o.score && min == o.min && max == o.max;
    case Kind::kLapsed:
    case Kind::kActive:
      return days == o.days;
    case Kind::kDue:
      if (dates_are_offsets != o.dates_are_offsets) return false;
      return dates_are_offsets
                 ? from_offset == o.from_offset && to_offset == o.to_offset
                 : from_day == o.from_day && to_day == o.to_day;
  }
  return false;
}

absl::string_view ScoreFieldName(ScoreField field) {
  switch (field) {
    case ScoreField::kRecency:
      return "r";
    case ScoreField::kFrequency:
      return "f";
    case ScoreField::kMonetary:
      return "m";
    case ScoreField::kLtvDecile:
      return "ltv_decile";
    case ScoreField::kOrders:
      return "orders";
  }
  return "";
}

absl::StatusOr<SegmentExpression> ParseSegmentExpression(
    absl::string_view text, absl::string_view field,
    const SegmentResolver& resolver) {
  return Parser(text, field, resolver).Parse();
}

std::string FormatSegmentExpression(const SegmentExpression& expression) {
  if (expression.terms.empty()) return "all";
  std::vector<std::string> terms;
  for (const SegmentTerm& term : expression.terms) {
    terms.push_back(FormatTerm(term));
  }
  return absl::StrJoin(terms, " and ");
}

}  // namespace recommender::segments
