#include "monitor/table_builder.h"

#include <unordered_map>

#include "core/text.h"
#include "monitor/value_parse.h"

namespace jiandu::monitor {
namespace {

// A header cell or schema name as compared: width-folded, trimmed, inner spaces removed,
// ASCII lower-cased (a BOM, if a reader left one, is dropped).
std::string HeaderKey(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::string folded = core::NormalizeWidth(text);
  std::string key;
  key.reserve(folded.size());
  for (char c : folded) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return key;
}

}  // namespace

void HeaderMap::Select(std::span<const std::string_view> record,
                       std::vector<std::string_view>* out) const {
  out->resize(source_index.size());
  for (size_t i = 0; i < source_index.size(); ++i) {
    int s = source_index[i];
    (*out)[i] = s >= 0 && static_cast<size_t>(s) < record.size() ? record[static_cast<size_t>(s)]
                                                                   : std::string_view();
  }
}

Result<HeaderMap> MapHeader(const DatasetSchema& schema, std::span<const std::string_view> header) {
  std::unordered_map<std::string, size_t> by_key;  // header key → schema column
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    const ColumnSpec& spec = schema.columns[c];
    by_key.emplace(HeaderKey(spec.name), c);
    if (!spec.title.empty()) by_key.emplace(HeaderKey(spec.title), c);
    for (const std::string& alias : spec.aliases) by_key.emplace(HeaderKey(alias), c);
  }
  HeaderMap map;
  map.source_index.assign(schema.columns.size(), -1);
  map.record_width = header.size();
  std::unordered_map<std::string, size_t> seen;  // header key → position
  for (size_t i = 0; i < header.size(); ++i) {
    std::string key = HeaderKey(header[i]);
    std::string where = "header column " + std::to_string(i + 1) + " '" +
                        std::string(core::Trim(header[i])) + "'";
    if (key.empty()) return Status::InvalidArgument("header", where + ": empty header name");
    if (auto [it, fresh] = seen.emplace(key, i); !fresh) {
      return Status::InvalidArgument("header", where + ": duplicated (also column " +
                                                   std::to_string(it->second + 1) + ")");
    }
    auto it = by_key.find(key);
    if (it == by_key.end()) {
      std::string known;
      for (const ColumnSpec& spec : schema.columns) {
        known += (known.empty() ? "" : ", ") + spec.name;
      }
      return Status::InvalidArgument(
          "header", where + ": not a column of dataset " + schema.name + " (" + known + ")");
    }
    if (map.source_index[it->second] >= 0) {
      return Status::InvalidArgument(
          "header", where + ": names column " + schema.columns[it->second].name +
                        " again (also header column " +
                        std::to_string(map.source_index[it->second] + 1) + ")");
    }
    map.source_index[it->second] = static_cast<int>(i);
  }
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    if (map.source_index[c] < 0 && schema.columns[c].required) {
      return Status::InvalidArgument("header", "required column " + schema.columns[c].name +
                                                   " is missing from the header");
    }
  }
  return map;
}

TableBuilder::TableBuilder(const DatasetSchema& schema)
    : table_(Table::Empty(schema)),
      row_i64_(schema.columns.size()),
      row_i32_(schema.columns.size()),
      row_text_(schema.columns.size()) {}

void TableBuilder::RejectRecord(int64_t line, std::string reason) {
  errors_.push_back(RowError{line, "", std::move(reason)});
  ++bad_rows_;
}

bool TableBuilder::Append(std::span<const std::string_view> cells, int64_t line) {
  const size_t width = table_.columns.size();
  if (cells.size() != width) {
    RejectRecord(line, "expected " + std::to_string(width) + " cells, found " +
                           std::to_string(cells.size()));
    return false;
  }
  size_t errors_before = errors_.size();
  std::vector<bool> null(width, false);
  for (size_t c = 0; c < width; ++c) {
    const ColumnSpec& spec = table_.columns[c].spec;
    std::string_view cell = cells[c];
    auto fail = [&](std::string_view reason) {
      errors_.push_back(RowError{line, spec.name, std::string(reason)});
    };
    if (IsBlankCell(cell)) {
      if (spec.required) fail("required value is missing");
      null[c] = true;
      continue;
    }
    switch (spec.type) {
      case ColumnType::kIdNumber: {
        Result<int64_t> v = ParseIdNumberCell(cell);
        if (v.ok()) row_i64_[c] = *v; else fail(v.status().message());
        break;
      }
      case ColumnType::kMoney: {
        Result<int64_t> v = ParseMoneyCell(cell);
        if (v.ok()) row_i64_[c] = *v; else fail(v.status().message());
        break;
      }
      case ColumnType::kInt: {
        Result<int64_t> v = ParseIntCell(cell);
        if (v.ok()) row_i64_[c] = *v; else fail(v.status().message());
        break;
      }
      case ColumnType::kDate: {
        Result<int32_t> v = ParseDateCell(cell);
        if (v.ok()) row_i32_[c] = *v; else fail(v.status().message());
        break;
      }
      case ColumnType::kCreditCode: {
        Result<std::string> v = ParseCreditCodeCell(cell);
        if (v.ok()) row_text_[c] = std::move(*v); else fail(v.status().message());
        break;
      }
      case ColumnType::kText:
      case ColumnType::kEnum: {
        Result<std::string> v = NormaliseTextCell(cell);
        if (!v.ok()) {
          fail(v.status().message());
        } else if (spec.type == ColumnType::kEnum) {
          const int code = EnumCode(spec, *v);
          if (code < 0) {
            fail("'" + *v + "' is not one of: " + EnumAllowed(spec));
          } else {
            row_text_[c] = spec.enum_values[static_cast<size_t>(code)];
          }
        } else {
          row_text_[c] = std::move(*v);
        }
        break;
      }
    }
  }
  if (errors_.size() != errors_before) {
    ++bad_rows_;
    return false;
  }
  for (size_t c = 0; c < width; ++c) {
    Column& col = table_.columns[c];
    switch (col.spec.type) {
      case ColumnType::kIdNumber:
      case ColumnType::kMoney:
      case ColumnType::kInt:
        col.i64.push_back(null[c] ? kNullI64 : row_i64_[c]);
        break;
      case ColumnType::kDate:
        col.i32.push_back(null[c] ? kNullI32 : row_i32_[c]);
        break;
      default:
        col.codes.push_back(null[c] ? kNullCode : col.dict->Intern(row_text_[c]));
        break;
    }
  }
  ++table_.rows;
  return true;
}

}  // namespace jiandu::monitor
