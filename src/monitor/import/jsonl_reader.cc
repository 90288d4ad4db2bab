#include "monitor/import/jsonl_reader.h"

#include <charconv>
#include <unordered_map>

#include <simdjson.h>

#include "monitor/import/internal/record_sink.h"

namespace jiandu::monitor {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

struct Line {
  std::string_view text;
  int64_t number;
};

// Splits on LF (a CR before it is dropped); blank lines are left out.
std::vector<Line> SplitLines(std::string_view text, size_t* blank) {
  std::vector<Line> lines;
  int64_t number = 1;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      ++*blank;
    } else {
      lines.push_back(Line{line, number});
    }
    ++number;
    pos = end + 1;
  }
  return lines;
}

// The cell text of a scalar; false for an object or array.
bool ScalarText(simdjson::dom::element value, std::string* out) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      *out = std::string_view(value.get_string().value_unsafe());
      return true;
    case simdjson::dom::element_type::INT64:
      *out = std::to_string(value.get_int64().value_unsafe());
      return true;
    case simdjson::dom::element_type::UINT64:
      *out = std::to_string(value.get_uint64().value_unsafe());
      return true;
    case simdjson::dom::element_type::DOUBLE: {
      char buf[64];
      auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value.get_double().value_unsafe());
      out->assign(buf, ptr);
      return true;
    }
    case simdjson::dom::element_type::BOOL:
      *out = value.get_bool().value_unsafe() ? "true" : "false";
      return true;
    case simdjson::dom::element_type::NULL_VALUE:
      out->clear();
      return true;
    default:
      return false;
  }
}

}  // namespace

Result<LoadResult> LoadJsonLines(const DatasetSchema& schema, std::string_view text,
                                 const JsonLinesOptions& options) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  size_t blank_lines = 0;
  std::vector<Line> lines = SplitLines(text, &blank_lines);
  simdjson::dom::parser parser;

  // Pass 1: the union of keys, in order of first appearance.
  std::vector<std::string> keys;
  std::unordered_map<std::string, size_t> key_index;
  for (const Line& line : lines) {
    simdjson::dom::object object;
    if (parser.parse(line.text.data(), line.text.size()).get_object().get(object) !=
        simdjson::SUCCESS) {
      continue;
    }
    for (auto field : object) {
      std::string key(field.key);
      if (key_index.emplace(key, keys.size()).second) keys.push_back(std::move(key));
    }
  }
  if (keys.empty()) {
    return Status::InvalidArgument("file", "no line of the file holds a JSON object with keys");
  }
  std::vector<std::string_view> header(keys.begin(), keys.end());
  Result<HeaderMap> map = MapHeader(schema, header);
  if (!map.ok()) return map.status().WithContext("JSON keys");

  // Pass 2: one record per line.
  internal::RecordSink sink(schema, std::move(*map));
  std::vector<std::string> values(keys.size());
  std::vector<bool> seen(keys.size());
  std::vector<std::string_view> cells(keys.size());
  for (const Line& line : lines) {
    simdjson::dom::element doc;
    if (auto error = parser.parse(line.text.data(), line.text.size()).get(doc)) {
      sink.Reject(line.number, "",
                  std::string("not valid JSON: ") + simdjson::error_message(error));
      continue;
    }
    simdjson::dom::object object;
    if (doc.get_object().get(object) != simdjson::SUCCESS) {
      sink.Reject(line.number, "", "not a JSON object");
      continue;
    }
    std::fill(seen.begin(), seen.end(), false);
    for (std::string& v : values) v.clear();
    std::string problem;
    for (auto field : object) {
      size_t k = key_index.at(std::string(field.key));
      if (seen[k]) {
        problem = "key '" + keys[k] + "' appears twice";
        break;
      }
      seen[k] = true;
      if (!ScalarText(field.value, &values[k])) {
        problem = "key '" + keys[k] + "' holds an object or array; only text, numbers and null";
        break;
      }
    }
    if (!problem.empty()) {
      sink.Reject(line.number, "", problem);
      continue;
    }
    for (size_t k = 0; k < keys.size(); ++k) cells[k] = values[k];
    sink.Add(cells, line.number);
  }
  LoadResult result = sink.Finish(options.mode, options.max_stored_errors);
  result.blank_records += blank_lines;
  return result;
}

}  // namespace jiandu::monitor
