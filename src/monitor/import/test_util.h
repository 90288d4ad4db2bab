// Test helpers shared by the monitor/import tests (not part of the library).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/resident_id.h"
#include "monitor/table.h"
#include "monitor/table_builder.h"
#include "monitor/value_parse.h"

namespace jiandu::monitor::testing_util {

// A valid 18-character resident ID from its parts (the check character computed).
inline std::string IdNumber(std::string_view region, std::string_view birth,
                            std::string_view sequence) {
  std::string first17 = std::string(region) + std::string(birth) + std::string(sequence);
  return first17 + core::ComputeResidentIdCheckChar(first17);
}

inline void ExpectSameTable(const Table& want, const Table& got) {
  ASSERT_EQ(want.rows, got.rows);
  ASSERT_EQ(want.columns.size(), got.columns.size());
  for (size_t c = 0; c < want.columns.size(); ++c) {
    SCOPED_TRACE("column " + want.columns[c].spec.name);
    const Column& a = want.columns[c];
    const Column& b = got.columns[c];
    EXPECT_EQ(a.i64, b.i64);
    EXPECT_EQ(a.i32, b.i32);
    EXPECT_EQ(a.codes, b.codes);
    ASSERT_EQ(a.dict == nullptr, b.dict == nullptr);
    if (a.dict) {
      ASSERT_EQ(a.dict->size(), b.dict->size());
      for (uint32_t i = 0; i < a.dict->size(); ++i) EXPECT_EQ(a.dict->At(i), b.dict->At(i)) << i;
    }
  }
}

struct Reference {
  Table table;
  std::vector<RowError> errors;
  size_t bad_rows = 0;
};

// The obvious serial reading of RFC 4180 text, one character at a time, feeding TableBuilder:
// what LoadCsv must be equivalent to (blank records skipped, width and text-after-quote checks).
inline Result<Reference> ReferenceLoad(const DatasetSchema& schema, std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  struct Record {
    int64_t line;
    std::vector<std::string> cells;
    int junk = -1;
  };
  std::vector<Record> records;
  size_t i = 0;
  const size_t n = text.size();
  int64_t line = 1;
  while (i < n) {
    Record rec{line, {}, -1};
    while (true) {
      std::string cell;
      if (i < n && text[i] == '"') {
        int64_t open = line;
        ++i;
        while (true) {
          if (i >= n) {
            return Status::InvalidArgument("file", "unclosed quote on line " + std::to_string(open));
          }
          if (text[i] == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              cell += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          cell += text[i++];
        }
        if (i < n && text[i] == '\r' && (i + 1 == n || text[i + 1] == '\n')) ++i;
        if (i < n && text[i] != ',' && text[i] != '\n') {
          if (rec.junk < 0) rec.junk = static_cast<int>(rec.cells.size()) + 1;
          while (i < n && text[i] != ',' && text[i] != '\n') ++i;
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n') cell += text[i++];
        if (!cell.empty() && cell.back() == '\r') cell.pop_back();
      }
      rec.cells.push_back(cell);
      if (i >= n) break;
      if (text[i++] == ',') continue;
      ++line;
      break;
    }
    records.push_back(std::move(rec));
  }
  auto blank = [](const Record& r) {
    for (const std::string& c : r.cells) {
      if (!IsBlankCell(c)) return false;
    }
    return true;
  };
  size_t h = 0;
  while (h < records.size() && blank(records[h])) ++h;
  if (h == records.size()) return Status::InvalidArgument("file", "no header");
  std::vector<std::string_view> header(records[h].cells.begin(), records[h].cells.end());
  JIANDU_ASSIGN_OR_RETURN(HeaderMap map, MapHeader(schema, header));
  TableBuilder builder(schema);
  std::vector<std::string_view> selected;
  for (size_t r = h + 1; r < records.size(); ++r) {
    const Record& rec = records[r];
    if (blank(rec)) continue;
    if (rec.cells.size() != map.record_width) {
      builder.RejectRecord(rec.line, "expected " + std::to_string(map.record_width) +
                                         " cells, found " + std::to_string(rec.cells.size()));
      continue;
    }
    if (rec.junk > 0) {
      builder.RejectRecord(rec.line,
                           "cell " + std::to_string(rec.junk) + ": text after the closing quote");
      continue;
    }
    std::vector<std::string_view> cells(rec.cells.begin(), rec.cells.end());
    map.Select(cells, &selected);
    builder.Append(selected, rec.line);
  }
  Reference ref;
  ref.errors = builder.errors();
  ref.bad_rows = builder.bad_rows();
  ref.table = builder.Finish();
  return ref;
}

}  // namespace jiandu::monitor::testing_util
