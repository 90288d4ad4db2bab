// Values bound to and read from portable SQL statements.
//
// Portable SQL uses `?` placeholders and the column types TEXT, BIGINT, BLOB (see migration.h
// for the two dialect tokens). A Value is NULL, a 64-bit integer, a double, text (UTF-8) or a
// blob. Booleans are stored as 0/1 integers; dates as "YYYY-MM-DD" text; instants as BIGINT
// microseconds since the Unix epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace jiandu::store {

struct Blob {
  std::string bytes;  // raw bytes, not text
  friend bool operator==(const Blob&, const Blob&) = default;
};

class Value {
 public:
  using Rep = std::variant<std::monostate, int64_t, double, std::string, Blob>;

  Value() = default;  // NULL
  Value(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)
  Value(int v) : rep_(static_cast<int64_t>(v)) {}  // NOLINT
  Value(long v) : rep_(static_cast<int64_t>(v)) {}  // NOLINT
  Value(long long v) : rep_(static_cast<int64_t>(v)) {}  // NOLINT
  Value(unsigned v) : rep_(static_cast<int64_t>(v)) {}  // NOLINT
  Value(bool v) : rep_(static_cast<int64_t>(v ? 1 : 0)) {}  // NOLINT
  Value(double v) : rep_(v) {}  // NOLINT
  Value(std::string v) : rep_(std::move(v)) {}  // NOLINT
  Value(std::string_view v) : rep_(std::string(v)) {}  // NOLINT
  Value(const char* v) : rep_(std::string(v)) {}  // NOLINT
  Value(Blob v) : rep_(std::move(v)) {}  // NOLINT
  template <typename T>
  Value(const std::optional<T>& v) {  // NOLINT: NULL when empty
    if (v) {
      *this = Value(*v);
    }
  }

  bool is_null() const { return std::holds_alternative<std::monostate>(rep_); }
  bool is_int() const { return std::holds_alternative<int64_t>(rep_); }
  bool is_double() const { return std::holds_alternative<double>(rep_); }
  bool is_text() const { return std::holds_alternative<std::string>(rep_); }
  bool is_blob() const { return std::holds_alternative<Blob>(rep_); }

  // Conversions are lenient the way SQLite's are: a NULL reads as 0 / "" / empty blob; an
  // integer read as text gives its decimal form; text read as an integer parses leading digits.
  int64_t AsInt() const;
  double AsDouble() const;
  std::string AsText() const;
  const Blob& AsBlob() const;

  const Rep& rep() const { return rep_; }
  friend bool operator==(const Value&, const Value&) = default;

 private:
  Rep rep_;
};

// One result row. Columns are addressed by position, in the order of the SELECT list.
class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  const Value& at(size_t i) const { return values_.at(i); }
  bool IsNull(size_t i) const { return values_.at(i).is_null(); }
  int64_t Int(size_t i) const { return values_.at(i).AsInt(); }
  double Double(size_t i) const { return values_.at(i).AsDouble(); }
  std::string Text(size_t i) const { return values_.at(i).AsText(); }
  const Blob& Bytes(size_t i) const { return values_.at(i).AsBlob(); }
  bool Bool(size_t i) const { return Int(i) != 0; }
  std::optional<int64_t> OptInt(size_t i) const {
    return IsNull(i) ? std::nullopt : std::optional<int64_t>(Int(i));
  }
  std::optional<std::string> OptText(size_t i) const {
    return IsNull(i) ? std::nullopt : std::optional<std::string>(Text(i));
  }

 private:
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;

}  // namespace jiandu::store
