#include "api/json_writer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/json_io.h"

namespace jiandu::api {
namespace {

TEST(JsonWriterTest, WritesNestedStructuresWithCommas) {
  JsonWriter w;
  w.BeginObject().Field("id", 42).Field("name", "李明").Key("tags").BeginArray();
  w.String("a").Int(-7).Bool(true).Null().BeginObject().EndObject().EndArray();
  w.Field("none", std::optional<int>()).Field("some", std::optional<int64_t>(5)).EndObject();
  EXPECT_EQ(w.Take(),
            R"({"id":42,"name":"李明","tags":["a",-7,true,null,{}],"none":null,"some":5})");
}

TEST(JsonWriterTest, EscapesAndRepairsStrings) {
  JsonWriter w;
  w.String(std::string("q\"b\\n\n\t\x01 \xff end", 14));
  EXPECT_EQ(w.Take(), "\"q\\\"b\\\\n\\n\\t\\u0001 \xEF\xBF\xBD end\"");
  // Whatever the bytes, the output parses as JSON and keeps valid UTF-8 text intact.
  for (std::string s : {std::string("\xe6\x9d\x8e\xe6\x98\x8e"), std::string("\xe6\x9d"),
                        std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80"),
                        std::string("a\0b", 3)}) {
    JsonWriter v;
    v.BeginArray().String(s).EndArray();
    nlohmann::json parsed = nlohmann::json::parse(v.Take(), nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << s;
    if (s == "\xe6\x9d\x8e\xe6\x98\x8e") {
      EXPECT_EQ(parsed[0], s);
    }
  }
}

TEST(JsonWriterTest, ErrorBodiesAreValidJson) {
  nlohmann::json e = nlohmann::json::parse(ErrorBody("invalid_argument", "bad \xff", "name"));
  EXPECT_EQ(e["error"]["code"], "invalid_argument");
  EXPECT_EQ(e["error"]["field"], "name");
  EXPECT_FALSE(nlohmann::json::parse(ErrorBody("not_found", "x", ""))["error"].contains("field"));
}

}  // namespace
}  // namespace jiandu::api
