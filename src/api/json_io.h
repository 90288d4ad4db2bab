// Reading request bodies strictly and writing responses, with nlohmann::json.
//
//   JIANDU_ASSIGN_OR_RETURN(JsonReader body, JsonReader::Parse(req.body));
//   JIANDU_ASSIGN_OR_RETURN(std::string name, body.String("name"));
//   JIANDU_ASSIGN_OR_RETURN(std::optional<int> score, body.OptInt("exam_score", 0, 100));
//   JIANDU_RETURN_IF_ERROR(body.Finish());   // an unknown field is a 400 naming it
//
// Every error is invalid_argument naming the (dotted) field and what was wrong with it.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/civil_date.h"
#include "core/result.h"

namespace jiandu::api {

using Json = nlohmann::json;

class JsonReader {
 public:
  // The body must be one JSON object.
  static Result<JsonReader> Parse(std::string_view body);

  Result<std::string> String(std::string_view key);
  // Absent or null → nullopt.
  Result<std::optional<std::string>> OptString(std::string_view key);
  Result<int64_t> Int(std::string_view key);
  Result<std::optional<int64_t>> OptInt64(std::string_view key);
  Result<std::optional<int>> OptInt(std::string_view key, int min, int max);
  Result<std::optional<JsonReader>> OptObject(std::string_view key);
  Result<std::vector<std::string>> StringArray(std::string_view key);
  Result<std::optional<bool>> OptBool(std::string_view key);
  // Required arrays; items are named "key[i]" in errors. At most `max_items` items.
  Result<std::vector<int64_t>> IntArray(std::string_view key, size_t max_items = 1000);
  // Absent or null → empty.
  Result<std::vector<int64_t>> OptIntArray(std::string_view key, size_t max_items = 1000);
  Result<std::vector<JsonReader>> ObjectArray(std::string_view key, size_t max_items = 1000);

  // invalid_argument naming the first field that no getter asked for.
  Status Finish() const;

 private:
  JsonReader(std::shared_ptr<const Json> root, const Json* object, std::string prefix)
      : root_(std::move(root)), object_(object), prefix_(std::move(prefix)) {}
  const Json* Find(std::string_view key);
  std::string FieldName(std::string_view key) const;

  std::shared_ptr<const Json> root_;  // shared: nested readers point into the same document
  const Json* object_;
  std::string prefix_;
  std::set<std::string, std::less<>> seen_;
};

// An optional "YYYY-MM-DD" field: absent or null → nullopt; invalid_argument naming `key` for
// a malformed or impossible date.
Result<std::optional<core::CivilDate>> OptDate(JsonReader& body, std::string_view key);

// {"error":{"code":…,"message":…,"field":…}}
std::string ErrorBody(std::string_view code, std::string_view message, std::string_view field);


}  // namespace jiandu::api

namespace jiandu::api {
// Serialises with invalid UTF-8 replaced (never throws).
std::string DumpJson(const Json& j);
}  // namespace jiandu::api
