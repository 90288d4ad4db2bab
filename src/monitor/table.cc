#include "monitor/table.h"

#include "core/resident_id.h"

namespace jiandu::monitor {
namespace {

constexpr std::pair<ColumnType, std::string_view> kTypeNames[] = {
    {ColumnType::kText, "text"},   {ColumnType::kIdNumber, "id_number"},
    {ColumnType::kCreditCode, "credit_code"}, {ColumnType::kEnum, "enum"},
    {ColumnType::kDate, "date"},   {ColumnType::kMoney, "money"},
    {ColumnType::kInt, "int"},
};

bool UsesCodes(ColumnType t) {
  return t == ColumnType::kText || t == ColumnType::kCreditCode || t == ColumnType::kEnum;
}

}  // namespace

std::string_view ColumnTypeName(ColumnType type) {
  for (const auto& [t, name] : kTypeNames) {
    if (t == type) return name;
  }
  return "?";
}

Result<ColumnType> ParseColumnType(std::string_view name, std::string_view field) {
  for (const auto& [t, n] : kTypeNames) {
    if (n == name) return t;
  }
  return Status::InvalidArgument(
      field, "unknown column type '" + std::string(name) +
                 "' (text, id_number, credit_code, enum, date, money, int)");
}

int EnumCode(const ColumnSpec& spec, std::string_view cell) {
  for (size_t i = 0; i < spec.enum_values.size(); ++i) {
    if (spec.enum_values[i] == cell) return static_cast<int>(i);
  }
  for (const auto& [alias, value] : spec.enum_aliases) {
    if (alias == cell) {
      for (size_t i = 0; i < spec.enum_values.size(); ++i) {
        if (spec.enum_values[i] == value) return static_cast<int>(i);
      }
    }
  }
  return -1;
}

std::string EnumAllowed(const ColumnSpec& spec) {
  std::string out;
  for (const std::string& v : spec.enum_values) {
    std::string aliases;
    for (const auto& [alias, value] : spec.enum_aliases) {
      if (value == v) aliases += (aliases.empty() ? "" : ", ") + alias;
    }
    out += (out.empty() ? "" : ", ") + v + (aliases.empty() ? "" : " (" + aliases + ")");
  }
  return out;
}

int DatasetSchema::Find(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  return -1;
}

uint32_t Dictionary::Intern(std::string_view text) {
  auto it = index_.find(text);
  if (it != index_.end()) return it->second;
  auto code = static_cast<uint32_t>(strings_.size());
  strings_.emplace_back(text);
  index_.emplace(strings_.back(), code);
  return code;
}

uint32_t Dictionary::Find(std::string_view text) const {
  auto it = index_.find(text);
  return it == index_.end() ? kNullCode : it->second;
}

size_t Dictionary::ByteSize() const {
  size_t bytes = strings_.capacity() * sizeof(std::string);
  for (const std::string& s : strings_) {
    if (s.capacity() > 15) bytes += s.capacity() + 1;
  }
  // The index: one node per entry (key string, value, next pointer, hash) plus the buckets.
  bytes += index_.size() * (sizeof(std::string) + 3 * sizeof(void*)) +
           index_.bucket_count() * sizeof(void*);
  return bytes;
}

size_t Column::size() const {
  switch (spec.type) {
    case ColumnType::kIdNumber:
    case ColumnType::kMoney:
    case ColumnType::kInt:
      return i64.size();
    case ColumnType::kDate:
      return i32.size();
    default:
      return codes.size();
  }
}

size_t Column::ByteSize() const {
  return i64.capacity() * sizeof(int64_t) + i32.capacity() * sizeof(int32_t) +
         codes.capacity() * sizeof(uint32_t) + (dict ? dict->ByteSize() : 0);
}

Table Table::Empty(const DatasetSchema& schema) {
  Table t;
  t.schema = schema;
  t.columns.reserve(schema.columns.size());
  for (const ColumnSpec& spec : schema.columns) {
    Column c;
    c.spec = spec;
    if (UsesCodes(spec.type)) {
      c.dict = std::make_shared<Dictionary>();
      // Enum codes are the index in enum_values, whatever order the values appear in.
      if (spec.type == ColumnType::kEnum) {
        for (const std::string& v : spec.enum_values) c.dict->Intern(v);
      }
    }
    t.columns.push_back(std::move(c));
  }
  return t;
}

const Column* Table::Find(std::string_view name) const {
  int i = schema.Find(name);
  return i < 0 ? nullptr : &columns[static_cast<size_t>(i)];
}

Column* Table::Find(std::string_view name) {
  int i = schema.Find(name);
  return i < 0 ? nullptr : &columns[static_cast<size_t>(i)];
}

size_t Table::ByteSize() const {
  size_t bytes = 0;
  for (const Column& c : columns) bytes += c.ByteSize();
  return bytes;
}

std::string IdNumberText(int64_t packed) {
  std::string digits(17, '0');
  for (int i = 16; i >= 0 && packed > 0; --i) {
    digits[static_cast<size_t>(i)] = static_cast<char>('0' + packed % 10);
    packed /= 10;
  }
  return digits + core::ComputeResidentIdCheckChar(digits);
}

}  // namespace jiandu::monitor
