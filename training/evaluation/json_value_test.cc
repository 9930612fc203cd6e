#include "training/evaluation/json_value.h"

#include <cmath>

#include "gtest/gtest.h"

namespace recommender {
namespace {

TEST(JsonValueTest, DumpsObjectsInInsertionOrderWithScalarsOnOneLine) {
  JsonValue json = JsonValue::Object();
  json.Set("b", JsonValue::Number(1));
  json.Set("a", JsonValue::String("x"));
  EXPECT_EQ(json.Dump(), "{\"b\": 1, \"a\": \"x\"}");
}

TEST(JsonValueTest, NestsAndIndents) {
  JsonValue json = JsonValue::Object();
  JsonValue& inner = json.Set("models", JsonValue::Object());
  inner.Set("pop", JsonValue::Object()).Set("ndcg@10", JsonValue::Number(0.25));
  EXPECT_EQ(json.Dump(),
            "{\n  \"models\": {\n    \"pop\": {\"ndcg@10\": 0.25}\n  }\n}");
}

TEST(JsonValueTest, SetReplacesInPlace) {
  JsonValue json = JsonValue::Object();
  json.Set("a", JsonValue::Number(1));
  json.Set("b", JsonValue::Number(2));
  json.Set("a", JsonValue::Number(3));
  EXPECT_EQ(json.Dump(), "{\"a\": 3, \"b\": 2}");
  ASSERT_NE(json.Find("b"), nullptr);
  EXPECT_EQ(json.Find("b")->number(), 2);
  EXPECT_EQ(json.Find("c"), nullptr);
}

TEST(JsonValueTest, FormatsNumbersAndSpecialValues) {
  JsonValue array = JsonValue::Array();
  array.Append(JsonValue::Number(943));
  array.Append(JsonValue::Number(0.123456789));
  array.Append(JsonValue::Number(std::nan("")));
  array.Append(JsonValue::Bool(true));
  array.Append(JsonValue());
  EXPECT_EQ(array.Dump(), "[943, 0.123457, null, true, null]");
}

TEST(JsonValueTest, EscapesStringsAndKeys) {
  JsonValue json = JsonValue::Object();
  json.Set("k\"", JsonValue::String("a\nb"));
  EXPECT_EQ(json.Dump(), "{\"k\\\"\": \"a\\nb\"}");
}

TEST(JsonValueTest, EmptyContainers) {
  EXPECT_EQ(JsonValue::Object().Dump(), "{}");
  EXPECT_EQ(JsonValue::Array().Dump(), "[]");
}

}  // namespace
}  // namespace recommender
