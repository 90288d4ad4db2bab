#include "core/region_codes.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "core/text.h"

namespace jiandu::embedded {
extern const std::string_view gb2260_csv;
}  // namespace jiandu::embedded

namespace jiandu::core {
namespace {

constexpr std::string_view kField = "region_table";
constexpr std::string_view kHeader = "code,name,first_seen,last_seen";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Prefecture-level rows that summarise rather than name a place: 直辖市 district/county
// groupings and the group of county-level cities under a province. A full name skips them
// ("北京市朝阳区", not "北京市市辖区朝阳区").
constexpr std::array<std::string_view, 7> kPlaceholderNames = {"市辖区",
                                                               "县",
                                                               "省直辖县级行政区划",
                                                               "自治区直辖县级行政区划",
                                                               "省直辖行政单位",
                                                               "省直辖县级行政单位",
                                                               "自治区直辖县级行政单位"};

bool IsDigits(std::string_view s, size_t n) {
  return s.size() == n &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsRevisionId(std::string_view s) {
  if (!IsDigits(s, 6)) {
    return false;
  }
  const int month = (s[4] - '0') * 10 + (s[5] - '0');
  return month >= 1 && month <= 12;
}

Status LineError(size_t line, std::string_view reason) {
  return Status::InvalidArgument(kField,
                                 "line " + std::to_string(line) + ": " + std::string(reason));
}

// Splits "a,b,c,d" into exactly four fields; false otherwise.
bool SplitRow(std::string_view line, std::array<std::string_view, 4>* fields) {
  size_t start = 0;
  for (size_t i = 0; i < 4; ++i) {
    const size_t comma = line.find(',', start);
    const bool last = i == 3;
    if (last != (comma == std::string_view::npos)) {
      return false;
    }
    (*fields)[i] = line.substr(start, last ? std::string_view::npos : comma - start);
    start = comma + 1;
  }
  return true;
}

Result<RegionInfo> ParseRow(std::string_view line, size_t line_no) {
  std::array<std::string_view, 4> f;
  if (!SplitRow(line, &f)) {
    return LineError(line_no, "expected 4 comma-separated fields");
  }
  if (!IsDigits(f[0], 6)) {
    return LineError(line_no, "code must be 6 digits");
  }
  if (f[1].empty() || !IsValidUtf8(f[1])) {
    return LineError(line_no, "name must be non-empty UTF-8");
  }
  if (!IsRevisionId(f[2]) || !IsRevisionId(f[3])) {
    return LineError(line_no, "first_seen and last_seen must be revision ids YYYYMM");
  }
  if (f[2] > f[3]) {
    return LineError(line_no, "first_seen is after last_seen");
  }
  return RegionInfo{std::string(f[0]), std::string(f[1]), std::string(f[2]), std::string(f[3])};
}

// Rows must be sorted so lookups can binary-search, and one code's runs must not overlap, or
// "the name in revision R" would be ambiguous.
bool FollowsInOrder(const RegionInfo& prev, const RegionInfo& row) {
  return prev.code < row.code || (prev.code == row.code && prev.last_seen < row.first_seen);
}

bool IsPlaceholder(std::string_view name) {
  return std::find(kPlaceholderNames.begin(), kPlaceholderNames.end(), name) !=
         kPlaceholderNames.end();
}

}  // namespace

Result<RegionTable> RegionTable::Parse(std::string_view csv) {
  // Spreadsheet programs save CSV with a byte-order mark; it is not part of the first line.
  if (csv.starts_with(kUtf8Bom)) {
    csv.remove_prefix(kUtf8Bom.size());
  }
  RegionTable table;
  bool header_seen = false;
  size_t line_no = 0;
  while (!csv.empty()) {
    const size_t nl = csv.find('\n');
    std::string_view line = csv.substr(0, nl);
    csv = nl == std::string_view::npos ? std::string_view() : csv.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.empty() || line.front() == '#') {
      continue;
    }
    if (!header_seen) {
      if (line != kHeader) {
        return LineError(line_no, "expected the header \"code,name,first_seen,last_seen\"");
      }
      header_seen = true;
      continue;
    }
    JIANDU_ASSIGN_OR_RETURN(RegionInfo row, ParseRow(line, line_no));
    if (!table.rows_.empty() && !FollowsInOrder(table.rows_.back(), row)) {
      return LineError(line_no, "rows must be sorted by code and first_seen, runs not overlapping");
    }
    table.newest_revision_ = std::max(table.newest_revision_, row.last_seen);
    table.rows_.push_back(std::move(row));
  }
  if (table.rows_.empty()) {
    return Status::InvalidArgument(kField, "no rows");
  }
  return table;
}

namespace {
RegionTable LoadEmbedded() {
  Result<RegionTable> parsed = RegionTable::Parse(embedded::gb2260_csv);
  if (!parsed.ok()) {
    std::fprintf(stderr, "FATAL: embedded gb2260.csv: %s\n", parsed.status().ToString().c_str());
    std::abort();
  }
  return std::move(parsed).value();
}
}  // namespace

const RegionTable& RegionTable::Default() {
  static const RegionTable table = LoadEmbedded();
  return table;
}

std::pair<size_t, size_t> RegionTable::RangeOf(std::string_view code6) const {
  auto lo = std::lower_bound(rows_.begin(), rows_.end(), code6,
                             [](const RegionInfo& r, std::string_view c) { return r.code < c; });
  auto hi = std::upper_bound(lo, rows_.end(), code6,
                             [](std::string_view c, const RegionInfo& r) { return c < r.code; });
  return {static_cast<size_t>(lo - rows_.begin()), static_cast<size_t>(hi - rows_.begin())};
}

std::optional<RegionInfo> RegionTable::Find(std::string_view code6) const {
  auto [begin, end] = RangeOf(code6);
  if (begin == end) {
    return std::nullopt;
  }
  return rows_[end - 1];
}

std::vector<RegionInfo> RegionTable::History(std::string_view code6) const {
  auto [begin, end] = RangeOf(code6);
  return std::vector<RegionInfo>(rows_.begin() + begin, rows_.begin() + end);
}

bool RegionTable::IsKnown(std::string_view code6) const {
  auto [begin, end] = RangeOf(code6);
  return begin != end;
}

bool RegionTable::IsCurrent(std::string_view code6) const {
  std::optional<RegionInfo> latest = Find(code6);
  return latest.has_value() && latest->last_seen == newest_revision_;
}

std::string RegionTable::FullName(std::string_view code6) const {
  std::optional<RegionInfo> self = Find(code6);
  if (!self.has_value()) {
    return "";
  }
  // GB/T 2260 (DOMAIN.md §11.4): PP0000 is the province, PPCC00 the prefecture.
  const std::string province = std::string(code6.substr(0, 2)) + "0000";
  const std::string prefecture = std::string(code6.substr(0, 4)) + "00";
  std::string out;
  if (province != code6) {
    if (std::optional<RegionInfo> p = Find(province)) {
      out += p->name;
    }
  }
  if (prefecture != code6 && prefecture != province) {
    std::optional<RegionInfo> p = Find(prefecture);
    if (p.has_value() && !IsPlaceholder(p->name)) {
      out += p->name;
    }
  }
  return out + self->name;
}

bool IsKnownIdRegion(const RegionTable& table, const ResidentId& id) {
  const std::string_view region = id.region_code();
  if (region.front() == '9') {
    // 外国人永久居留身份证 (2023): 9, the issuing province's two digits, then a nationality code.
    // Only the province part is a GB/T 2260 code: it must name a real province.
    return table.IsKnown(std::string(region.substr(1, 2)) + "0000");
  }
  const std::string_view prefix = region.substr(0, 2);
  if (prefix == "81" || prefix == "82" || prefix == "83") {
    return true;  // 港澳台居民居住证: 810000 / 820000 / 830000
  }
  return table.IsKnown(region);
}

}  // namespace jiandu::core
