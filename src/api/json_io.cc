#include "api/json_io.h"

#include "api/json_writer.h"

namespace jiandu::api {

Result<JsonReader> JsonReader::Parse(std::string_view body) {
  auto root = std::make_shared<Json>(Json::parse(body, nullptr, /*allow_exceptions=*/false));
  if (root->is_discarded()) {
    return Status::InvalidArgument("body", "is not valid JSON");
  }
  if (!root->is_object()) {
    return Status::InvalidArgument("body", "must be a JSON object");
  }
  const Json* obj = root.get();
  return JsonReader(std::move(root), obj, "");
}

std::string JsonReader::FieldName(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

const Json* JsonReader::Find(std::string_view key) {
  seen_.emplace(key);
  auto it = object_->find(key);
  if (it == object_->end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

Result<std::string> JsonReader::String(std::string_view key) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> v, OptString(key));
  if (!v) {
    return Status::InvalidArgument(FieldName(key), "is required");
  }
  return *v;
}

Result<std::optional<std::string>> JsonReader::OptString(std::string_view key) {
  const Json* v = Find(key);
  if (v == nullptr) {
    return std::optional<std::string>();
  }
  if (!v->is_string()) {
    return Status::InvalidArgument(FieldName(key), "must be a string");
  }
  return std::optional<std::string>(v->get<std::string>());
}

Result<int64_t> JsonReader::Int(std::string_view key) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> v, OptInt64(key));
  if (!v) {
    return Status::InvalidArgument(FieldName(key), "is required");
  }
  return *v;
}

Result<std::optional<int64_t>> JsonReader::OptInt64(std::string_view key) {
  const Json* v = Find(key);
  if (v == nullptr) {
    return std::optional<int64_t>();
  }
  if (!v->is_number_integer()) {
    return Status::InvalidArgument(FieldName(key), "must be an integer");
  }
  return std::optional<int64_t>(v->get<int64_t>());
}

Result<std::optional<int>> JsonReader::OptInt(std::string_view key, int min, int max) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> v, OptInt64(key));
  if (!v) {
    return std::optional<int>();
  }
  if (*v < min || *v > max) {
    return Status::InvalidArgument(FieldName(key), "must be between " + std::to_string(min) +
                                                       " and " + std::to_string(max));
  }
  return std::optional<int>(static_cast<int>(*v));
}

Result<std::optional<bool>> JsonReader::OptBool(std::string_view key) {
  const Json* v = Find(key);
  if (v == nullptr) {
    return std::optional<bool>();
  }
  if (!v->is_boolean()) {
    return Status::InvalidArgument(FieldName(key), "must be true or false");
  }
  return std::optional<bool>(v->get<bool>());
}

Result<std::optional<JsonReader>> JsonReader::OptObject(std::string_view key) {
  const Json* v = Find(key);
  if (v == nullptr) {
    return std::optional<JsonReader>();
  }
  if (!v->is_object()) {
    return Status::InvalidArgument(FieldName(key), "must be an object");
  }
  return std::optional<JsonReader>(JsonReader(root_, v, FieldName(key)));
}

Result<std::vector<std::string>> JsonReader::StringArray(std::string_view key) {
  const Json* v = Find(key);
  if (v == nullptr) {
    return Status::InvalidArgument(FieldName(key), "is required");
  }
  if (!v->is_array()) {
    return Status::InvalidArgument(FieldName(key), "must be an array of strings");
  }
  std::vector<std::string> out;
  for (const Json& item : *v) {
    if (!item.is_string()) {
      return Status::InvalidArgument(FieldName(key), "must be an array of strings");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::vector<int64_t>> JsonReader::IntArray(std::string_view key, size_t max_items) {
  const Json* v = Find(key);
  if (v == nullptr) {
    return Status::InvalidArgument(FieldName(key), "is required");
  }
  if (!v->is_array()) {
    return Status::InvalidArgument(FieldName(key), "must be an array of integers");
  }
  if (v->size() > max_items) {
    return Status::InvalidArgument(FieldName(key),
                                   "has more than " + std::to_string(max_items) + " items");
  }
  std::vector<int64_t> out;
  for (size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    if (!item.is_number_integer()) {
      return Status::InvalidArgument(FieldName(key) + "[" + std::to_string(i) + "]",
                                     "must be an integer");
    }
    out.push_back(item.get<int64_t>());
  }
  return out;
}

Result<std::vector<int64_t>> JsonReader::OptIntArray(std::string_view key, size_t max_items) {
  if (Find(key) == nullptr) {
    return std::vector<int64_t>();
  }
  return IntArray(key, max_items);
}

Result<std::vector<JsonReader>> JsonReader::ObjectArray(std::string_view key, size_t max_items) {
  const Json* v = Find(key);
  if (v == nullptr) {
    return Status::InvalidArgument(FieldName(key), "is required");
  }
  if (!v->is_array()) {
    return Status::InvalidArgument(FieldName(key), "must be an array of objects");
  }
  if (v->size() > max_items) {
    return Status::InvalidArgument(FieldName(key),
                                   "has more than " + std::to_string(max_items) + " items");
  }
  std::vector<JsonReader> out;
  for (size_t i = 0; i < v->size(); ++i) {
    const std::string name = FieldName(key) + "[" + std::to_string(i) + "]";
    if (!(*v)[i].is_object()) {
      return Status::InvalidArgument(name, "must be an object");
    }
    out.push_back(JsonReader(root_, &(*v)[i], name));
  }
  return out;
}

Result<std::optional<core::CivilDate>> OptDate(JsonReader& body, std::string_view key) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> text, body.OptString(key));
  if (!text) {
    return std::optional<core::CivilDate>();
  }
  JIANDU_ASSIGN_OR_RETURN(core::CivilDate d, core::CivilDate::Parse(*text, key));
  return std::optional<core::CivilDate>(d);
}

Status JsonReader::Finish() const {
  for (auto it = object_->begin(); it != object_->end(); ++it) {
    if (seen_.find(it.key()) == seen_.end()) {
      return Status::InvalidArgument(FieldName(it.key()), "is not a known field");
    }
  }
  return Status::Ok();
}

std::string ErrorBody(std::string_view code, std::string_view message, std::string_view field) {
  JsonWriter w;
  w.BeginObject().Key("error").BeginObject().Field("code", code).Field("message", message);
  if (!field.empty()) {
    w.Field("field", field);
  }
  w.EndObject().EndObject();
  return w.Take();
}


}  // namespace jiandu::api

namespace jiandu::api {
std::string DumpJson(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }
}  // namespace jiandu::api
