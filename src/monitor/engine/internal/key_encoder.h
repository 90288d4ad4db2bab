// KeyEncoder: packs the values of several columns of one row into one exact 64-bit key, so
// that composite-key joins and group-bys compare integers.
//
// Each column becomes a bit field sized from the data: dictionary codes (text, credit codes,
// enums) take bits(dictionary size); dates, money and integers their offset from the column's
// minimum; an ID number is first made compact — region (20 bits) | birth date as days since
// 1800 (17 bits) | sequence (10 bits), 47 bits instead of the 57 of its 17 digits — and then
// offset. When the fields still need more than 64 bits, the widest column is replaced by a
// dense number from a hash index of its distinct values, until the key fits (or fails).
//
// EncodeForeign packs a row of another table with the same schema (an incremental batch) with
// the same layout; it reports `absent` when a value cannot occur in the base (a string not in
// the base dictionary, a number outside the base range), so no base key can be equal.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/result.h"
#include "monitor/engine/internal/flat_index.h"
#include "monitor/table.h"

namespace jiandu::monitor::internal {

// 17-digit ID number → 47-bit compact form; false when its birth date is impossible.
bool CompactIdNumber(int64_t packed, uint64_t* out);

class KeyEncoder {
 public:
  // Plans the layout over `columns` (all of `table`). failed_precondition when the key cannot
  // be packed into 64 bits even with every column dense-encoded.
  //
  // check_ids = false skips the scan of ID-number columns (the slowest part of planning: every
  // ID is compacted) and gives them the full 47 bits; rows with an impossible birth date then
  // fail Encode() like missing values, and the caller must test BadId() on the rows that fail.
  // When the key does not fit without the scan, the columns are scanned anyway.
  static Result<KeyEncoder> Plan(const Table& table, const std::vector<const Column*>& columns,
                                 int threads, bool check_ids = true);

  // True when `row` holds a non-missing ID number with an impossible birth date in a key
  // column (only possible for an encoder planned with check_ids = false).
  bool BadId(size_t row) const {
    for (const Part& p : parts_) {
      uint64_t v;
      if (p.type == ColumnType::kIdNumber && p.column->i64[row] != kNullI64 &&
          !CompactIdNumber(p.column->i64[row], &v)) {
        return true;
      }
    }
    return false;
  }
  bool ids_checked() const { return ids_checked_; }

  // The packed key of `row`; false when one of its values is missing.
  bool Encode(size_t row, uint64_t* out) const {
    uint64_t key = 0;
    for (const Part& p : parts_) {
      uint64_t v;
      if (!Natural(p, *p.column, row, &v)) {
        return false;
      }
      if (p.dense) {
        uint32_t slot = p.dense->FindSlot(v);
        v = slot;
      } else {
        v -= p.min;
      }
      key |= v << p.shift;
    }
    *out = key;
    return true;
  }

  // Per-batch translation of dictionary codes, built by Bind().
  struct Foreign {
    std::vector<const Column*> columns;
    std::vector<std::vector<uint32_t>> code_map;  // batch code → base code (kNullCode: absent)
  };
  Foreign Bind(const Table& batch, const std::vector<const Column*>& batch_columns) const;
  // false when a value is missing (*absent false) or cannot occur in the base (*absent true).
  bool EncodeForeign(const Foreign& f, size_t row, uint64_t* out, bool* absent) const;

  int bits() const { return bits_; }

 private:
  struct Part {
    const Column* column = nullptr;
    ColumnType type = ColumnType::kInt;
    uint64_t min = 0;
    uint64_t max = 0;
    int bits = 0;
    int shift = 0;
    std::shared_ptr<FlatIndex> dense;  // shared: an encoder is copied into prepared state
  };

  static bool Natural(const Part& p, const Column& c, size_t row, uint64_t* v) {
    switch (p.type) {
      case ColumnType::kIdNumber:
        return c.i64[row] != kNullI64 && CompactIdNumber(c.i64[row], v);
      case ColumnType::kDate:
        if (c.i32[row] == kNullI32) return false;
        *v = static_cast<uint64_t>(static_cast<int64_t>(c.i32[row]) + (int64_t{1} << 40));
        return true;
      case ColumnType::kMoney:
      case ColumnType::kInt:
        if (c.i64[row] == kNullI64) return false;
        *v = static_cast<uint64_t>(c.i64[row]) ^ (uint64_t{1} << 63);  // order-preserving
        return true;
      default:
        if (c.codes[row] == kNullCode) return false;
        *v = c.codes[row];
        return true;
    }
  }

  std::vector<Part> parts_;
  int bits_ = 0;
  bool ids_checked_ = true;
};

}  // namespace jiandu::monitor::internal
