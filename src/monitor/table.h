// The monitoring engine's in-memory data: a dataset schema and a columnar table.
//
// A Table holds one dataset version as typed columns. Values are stored in the form the rules
// compare, so no rule ever parses text:
//
//   type          storage                    meaning
//   kIdNumber     int64  (i64)               公民身份号码: the 17 leading digits as an integer
//                                            (the check character is verified on import and
//                                            implied); joins on people are integer joins
//   kCreditCode   uint32 (codes) + dict      统一社会信用代码, normalised 18 characters
//   kText         uint32 (codes) + dict      any text (names, phones, addresses, items), NFC
//                                            width-folded and trimmed
//   kEnum         uint32 (codes) + dict      one of ColumnSpec::enum_values (code = index)
//   kDate         int32  (i32)               days since 1970-01-01 (core::CivilDate)
//   kMoney        int64  (i64)               amount in cents (fen)
//   kInt          int64  (i64)               integer
//
// A missing value (empty cell in an optional column) is kNullI64 / kNullI32 / kNullCode.
// Dictionaries are per column; dictionary code order is first appearance, so two tables built
// from the same rows in the same order are identical.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.h"

namespace jiandu::monitor {

enum class ColumnType : uint8_t { kText, kIdNumber, kCreditCode, kEnum, kDate, kMoney, kInt };

// "text", "id_number", "credit_code", "enum", "date", "money", "int".
std::string_view ColumnTypeName(ColumnType type);
Result<ColumnType> ParseColumnType(std::string_view name, std::string_view field);

inline constexpr int64_t kNullI64 = std::numeric_limits<int64_t>::min();
inline constexpr int32_t kNullI32 = std::numeric_limits<int32_t>::min();
inline constexpr uint32_t kNullCode = std::numeric_limits<uint32_t>::max();

struct ColumnSpec {
  std::string name;                      // "payee_id"
  ColumnType type = ColumnType::kText;
  bool required = true;                  // an empty cell is an error unless false
  std::vector<std::string> enum_values;  // kEnum only
  // kEnum only: other spellings of a value as files write them, e.g. {"配偶", "spouse"}.
  std::vector<std::pair<std::string, std::string>> enum_aliases;
  std::string title;                     // "收款人身份证号" (header aliases accepted on import)
  std::vector<std::string> aliases;      // other header spellings accepted on import
};

// The code (index in enum_values) of a normalised enum cell, through enum_aliases when the
// cell is an alias; -1 when it is neither a value nor an alias.
int EnumCode(const ColumnSpec& spec, std::string_view cell);
// "spouse (配偶), parent (父母), …": the values and their aliases, for error messages.
std::string EnumAllowed(const ColumnSpec& spec);

struct DatasetSchema {
  std::string name;  // "payments"
  std::string title; // "财政惠民惠农补贴发放"
  std::vector<ColumnSpec> columns;

  // Index of the column named `name`, or -1.
  int Find(std::string_view name) const;
};

// Interned strings of one column. Code order is insertion order.
class Dictionary {
 public:
  uint32_t Intern(std::string_view text);
  // kNullCode when absent.
  uint32_t Find(std::string_view text) const;
  std::string_view At(uint32_t code) const { return strings_[code]; }
  size_t size() const { return strings_.size(); }
  size_t ByteSize() const;  // approximate heap bytes

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> strings_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> index_;
};

struct Column {
  ColumnSpec spec;
  std::vector<int64_t> i64;      // kIdNumber, kMoney, kInt
  std::vector<int32_t> i32;      // kDate
  std::vector<uint32_t> codes;   // kText, kCreditCode, kEnum
  std::shared_ptr<Dictionary> dict;  // kText, kCreditCode, kEnum

  size_t size() const;
  size_t ByteSize() const;  // heap bytes of the typed vectors and dictionary
};

struct Table {
  DatasetSchema schema;
  std::vector<Column> columns;  // one per schema column, same order
  size_t rows = 0;

  // An empty table with one column per schema column (dictionaries allocated).
  static Table Empty(const DatasetSchema& schema);
  const Column* Find(std::string_view name) const;
  Column* Find(std::string_view name);
  size_t ByteSize() const;
};

// The 17-digit integer form of a resident ID back to its 18 characters (check char computed).
std::string IdNumberText(int64_t packed);

}  // namespace jiandu::monitor
