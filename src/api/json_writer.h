// JsonWriter: writes JSON text straight into a string, for the responses that are large or hot
// (lists of people and appointments): several times faster than building nlohmann::json objects
// and dumping them. Commas are placed automatically; strings are escaped per RFC 8259 and
// invalid UTF-8 is replaced by U+FFFD, so the output is always valid JSON.
//
//   JsonWriter w;
//   w.BeginObject().Field("id", 42).Field("name", "李明").Key("tags").BeginArray();
//   w.String("a").EndArray().EndObject();
//   std::string body = w.Take();   // {"id":42,"name":"李明","tags":["a"]}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jiandu::api {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // Inserts already-serialised JSON as one value (e.g. a cached document).
  JsonWriter& Raw(std::string_view json);

  // Key plus value; an empty optional writes null.
  JsonWriter& Field(std::string_view key, std::string_view v) { return Key(key).String(v); }
  JsonWriter& Field(std::string_view key, const char* v) { return Key(key).String(v); }
  JsonWriter& Field(std::string_view key, const std::string& v) { return Key(key).String(v); }
  JsonWriter& Field(std::string_view key, int64_t v) { return Key(key).Int(v); }
  JsonWriter& Field(std::string_view key, int v) { return Key(key).Int(v); }
  JsonWriter& Field(std::string_view key, bool v) { return Key(key).Bool(v); }
  template <typename T>
  JsonWriter& Field(std::string_view key, const std::optional<T>& v) {
    return v ? Field(key, *v) : Key(key).Null();
  }

  // Reserves room for about `bytes` of output (a page of records knows its rough size).
  void Reserve(size_t bytes) { out_.reserve(bytes); }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();
  std::string out_;
  std::vector<char> first_;  // per open container: 1 while no element has been written
  bool after_key_ = false;
};

}  // namespace jiandu::api
