// RegionTable: GB/T 2260 administrative-division codes (行政区划代码), versioned, shipped as data.
//
//   const core::RegionTable& regions = core::RegionTable::Default();
//   regions.FullName("420322");       // "湖北省十堰市郧西县"
//   regions.IsKnown("110103");        // true: 崇文区, retired in 2010 but kept
//   regions.IsCurrent("110103");      // false
//   if (!core::IsKnownIdRegion(regions, id)) { /* a warning, not an error (DOMAIN.md §11.1) */ }
//
// The table is the union of all loaded revisions (data/regions/gb2260.csv, built by
// scripts/gen-region-table.mjs): retired codes stay, because an ID number keeps the code of the
// division that issued it. One row per code and name per run of consecutive revisions, so a
// renamed division has several rows. Revision ids are YYYYMM strings.
//
// A RegionTable is immutable after Parse(); const methods are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/resident_id.h"
#include "core/result.h"

namespace jiandu::core {

struct RegionInfo {
  std::string code;        // 6 digits
  std::string name;        // the division's own name, e.g. "郧西县"
  std::string first_seen;  // first revision (YYYYMM) listing the code with this name
  std::string last_seen;   // last revision listing it

  friend bool operator==(const RegionInfo&, const RegionInfo&) = default;
};

class RegionTable {
 public:
  // The embedded table. Parsed once on first use; aborts if the embedded data is corrupt
  // (a build bug, caught by region_codes_test).
  static const RegionTable& Default();

  // Parses the CSV format of data/regions/gb2260.csv: '#' comment lines, the header
  // "code,name,first_seen,last_seen", then rows sorted by code and first_seen with
  // non-overlapping revision runs per code. invalid_argument naming "region_table" with
  // "line N: reason" otherwise.
  static Result<RegionTable> Parse(std::string_view csv);

  // The latest row for `code6`, or nullopt when the code never appeared.
  std::optional<RegionInfo> Find(std::string_view code6) const;
  // Every row for `code6`, oldest first (empty when unknown).
  std::vector<RegionInfo> History(std::string_view code6) const;
  // True iff `code6` appears in any revision.
  bool IsKnown(std::string_view code6) const;
  // True iff `code6` is listed in the newest revision.
  bool IsCurrent(std::string_view code6) const;
  // The name with its province and prefecture, found by zero-padding the code ("420322" →
  // 420000 湖北省 + 420300 十堰市 + 郧西县). Summary placeholders such as 市辖区 are skipped;
  // parents missing from the table are left out. Empty when `code6` is unknown.
  std::string FullName(std::string_view code6) const;

  // The newest revision id in the table ("202112").
  const std::string& newest_revision() const { return newest_revision_; }
  // Number of rows.
  size_t size() const { return rows_.size(); }

 private:
  RegionTable() = default;
  // The rows for `code6` as [begin, end) indexes into rows_.
  std::pair<size_t, size_t> RangeOf(std::string_view code6) const;

  std::vector<RegionInfo> rows_;  // sorted by code, then first_seen
  std::string newest_revision_;
};

// True when the region part of `id` is meaningful: a code in `table`, or one of the prefixes
// that are not GB/T 2260 divisions but are valid ID holders — 81/82/83 (residence permits for
// Hong Kong, Macao and Taiwan residents) and 9 (2023 foreigners' permanent residence ID).
bool IsKnownIdRegion(const RegionTable& table, const ResidentId& id);

}  // namespace jiandu::core
