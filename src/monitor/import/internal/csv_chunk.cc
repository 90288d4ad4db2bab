#include "monitor/import/internal/csv_chunk.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <span>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "monitor/value_parse.h"

namespace jiandu::monitor::internal {
namespace {

enum class Kind : uint8_t { kId, kMoney, kInt, kDate, kText, kCredit, kEnum };

Kind KindOf(ColumnType type) {
  switch (type) {
    case ColumnType::kIdNumber: return Kind::kId;
    case ColumnType::kMoney: return Kind::kMoney;
    case ColumnType::kInt: return Kind::kInt;
    case ColumnType::kDate: return Kind::kDate;
    case ColumnType::kCreditCode: return Kind::kCredit;
    case ColumnType::kEnum: return Kind::kEnum;
    case ColumnType::kText: break;
  }
  return Kind::kText;
}

// Exactly IsBlankCell, but decides from the first byte in the common case: a cell whose first
// byte cannot start whitespace (ASCII ≤ 0x20, or 0xE3 of U+3000) is not blank.
bool Blank(std::string_view cell) {
  if (cell.empty()) return true;
  auto first = static_cast<unsigned char>(cell[0]);
  return (first <= 0x20 || first == 0xE3) && IsBlankCell(cell);
}

const char* FindByte(const char* p, const char* end, char c) {
  return static_cast<const char*>(std::memchr(p, c, static_cast<size_t>(end - p)));
}

int64_t CountNewlines(const char* p, const char* end) { return std::count(p, end, '\n'); }

// Bit i of each mask is set when byte i of a 64-byte block is a delimiter, quote or LF.
struct Masks {
  uint64_t delimiter = 0;
  uint64_t quote = 0;
  uint64_t lf = 0;
};

// Requires 64 readable bytes at `p`.
Masks ScanBlock(const char* p, char delimiter) {
  Masks m;
#if defined(__SSE2__)
  const __m128i vd = _mm_set1_epi8(delimiter);
  const __m128i vq = _mm_set1_epi8('"');
  const __m128i vl = _mm_set1_epi8('\n');
  for (int i = 0; i < 4; ++i) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    auto bits = [&](__m128i v) {
      return uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, v)))} << (16 * i);
    };
    m.delimiter |= bits(vd);
    m.quote |= bits(vq);
    m.lf |= bits(vl);
  }
#else
  for (int i = 0; i < 64; ++i) {
    m.delimiter |= uint64_t{p[i] == delimiter} << i;
    m.quote |= uint64_t{p[i] == '"'} << i;
    m.lf |= uint64_t{p[i] == '\n'} << i;
  }
#endif
  return m;
}

// The masks of the 64 bytes at `at`; bytes past the end of `input` match nothing.
Masks ScanAt(std::string_view input, size_t at, char delimiter) {
  if (at + 64 <= input.size()) return ScanBlock(input.data() + at, delimiter);
  char padded[64] = {};
  const size_t valid = input.size() - at;
  std::memcpy(padded, input.data() + at, valid);
  Masks m = ScanBlock(padded, delimiter);
  const uint64_t keep = valid >= 64 ? ~uint64_t{0} : (uint64_t{1} << valid) - 1;
  m.delimiter &= keep;
  m.quote &= keep;
  m.lf &= keep;
  return m;
}

// The canonical date form "YYYY-MM-DD" parsed directly (days since 1970-01-01 by the civil
// calendar); false when the cell has another shape or is not a real date in 1800–9999 — the
// general parser then decides (and words the error). The same value as ParseDateCell.
bool FastIsoDate(std::string_view cell, int32_t* out) {
  if (cell.size() != 10 || cell[4] != '-' || cell[7] != '-') return false;
  int v[8];
  static constexpr int kAt[8] = {0, 1, 2, 3, 5, 6, 8, 9};
  for (int i = 0; i < 8; ++i) {
    const unsigned digit = static_cast<unsigned char>(cell[kAt[i]]) - '0';
    if (digit > 9) return false;
    v[i] = static_cast<int>(digit);
  }
  const int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
  const int m = v[4] * 10 + v[5];
  const int d = v[6] * 10 + v[7];
  if (y < 1800 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return false;
  // Days from 1970-01-01: count from 0000-03-01 in 400-year eras (March-based years put the
  // leap day last).
  const int yy = m <= 2 ? y - 1 : y;
  const int era = yy / 400;
  const int yoe = yy - era * 400;
  const int mp = m > 2 ? m - 3 : m + 9;
  const int doy = (153 * mp + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  *out = era * 146097 + doe - 719468;
  return true;
}

// A direct-mapped cache of parsed dates keyed by the cell's bytes (up to 16): a date column
// holds few distinct values, and a hit costs a few compares instead of a parse. 4096 slots
// (128 KB): a payment date column has some 700 distinct values, which 256 slots thrashed.
class DateCache {
 public:
  bool Get(std::string_view cell, int32_t* value) const {
    if (cell.size() > 16) return false;
    Key k = MakeKey(cell);
    const Slot& s = slots_[k.index];
    if (s.len != cell.size() || s.a != k.a || s.b != k.b || !s.used) return false;
    *value = s.value;
    return true;
  }
  void Put(std::string_view cell, int32_t value) {
    if (cell.size() > 16) return;
    Key k = MakeKey(cell);
    slots_[k.index] = Slot{k.a, k.b, static_cast<uint32_t>(cell.size()), value, true};
  }

 private:
  struct Key {
    uint64_t a = 0, b = 0;
    size_t index = 0;
  };
  struct Slot {
    uint64_t a = 0, b = 0;
    uint32_t len = 0;
    int32_t value = 0;
    bool used = false;
  };
  static Key MakeKey(std::string_view cell) {
    Key k;
    std::memcpy(&k.a, cell.data(), std::min<size_t>(cell.size(), 8));
    if (cell.size() > 8) std::memcpy(&k.b, cell.data() + 8, cell.size() - 8);
    k.index = ((k.a * 0x9E3779B97F4A7C15ULL) ^ (k.b * 0xC2B2AE3D27D4EB4FULL) ^ cell.size()) >> 52;
    return k;
  }
  std::array<Slot, 4096> slots_{};
};

// Turns records into typed values; one per chunk, so no state is shared between threads.
class ChunkParser {
 public:
  ChunkParser(const CsvPlan& plan, std::string_view input, ChunkResult* out)
      : plan_(plan), input_(input), out_(out) {
    const size_t width = plan.schema->columns.size();
    kinds_.reserve(width);
    for (const ColumnSpec& spec : plan.schema->columns) kinds_.push_back(KindOf(spec.type));
    row_i64_.resize(width);
    row_i32_.resize(width);
    row_entry_.resize(width);
    null_.resize(width);
    memo_.resize(width);
    dates_.resize(width);
  }

  void Record(int64_t line, std::span<const std::string_view> cells, int junk_cell);

 private:
  struct Memo {  // the last parsed cell of a numeric column and its value
    std::string_view raw;
    int64_t value = 0;
  };

  bool InInput(std::string_view s) const {
    return s.data() >= input_.data() && s.data() + s.size() <= input_.data() + input_.size();
  }
  void AddError(int64_t line, std::string_view column, std::string_view reason) {
    ++out_->error_count;
    if (out_->errors.size() < plan_.max_stored_errors) {
      out_->errors.push_back(RowError{line, std::string(column), std::string(reason)});
    }
  }
  // Cache lookup for text, credit code and enum cells; the entry says value or error.
  uint32_t Lookup(size_t c, std::string_view cell);
  void Commit();

  const CsvPlan& plan_;
  std::string_view input_;
  ChunkResult* out_;
  std::vector<Kind> kinds_;
  std::vector<int64_t> row_i64_;
  std::vector<int32_t> row_i32_;
  std::vector<uint32_t> row_entry_;
  std::vector<uint8_t> null_;
  std::vector<Memo> memo_;
  std::vector<std::unique_ptr<DateCache>> dates_;  // allocated for date columns on first use
};

uint32_t ChunkParser::Lookup(size_t c, std::string_view cell) {
  CellCache& cache = out_->columns[c]->cache;
  const CellCache::Key key = CellCache::MakeKey(cell);
  uint32_t index = cache.Find(cell, key);
  if (index != CellCache::kAbsent) return index;
  index = cache.Insert(cell, key);
  const std::string_view raw = cache.at(index).raw;
  const ColumnSpec& spec = plan_.schema->columns[c];
  if (kinds_[c] == Kind::kCredit) {
    Result<std::string> v = ParseCreditCodeCell(raw);
    if (!v.ok()) {
      cache.at(index).error = cache.AddMessage(v.status().message());
    } else {
      cache.at(index).value = *v == raw ? raw : cache.Keep(std::move(*v));
    }
    return index;
  }
  Result<std::string> v = NormaliseTextCell(raw);
  if (!v.ok()) {
    cache.at(index).error = cache.AddMessage(v.status().message());
  } else if (kinds_[c] == Kind::kEnum) {
    const int code = EnumCode(spec, *v);
    if (code < 0) {
      cache.at(index).error =
          cache.AddMessage("'" + *v + "' is not one of: " + plan_.enum_allowed[c]);
    } else {
      cache.at(index).code = static_cast<uint32_t>(code);
    }
  } else {
    cache.at(index).value = *v == raw ? raw : cache.Keep(std::move(*v));
  }
  return index;
}

// The checks, messages and order of TableBuilder::Append, with caches in front of the parsers.
void ChunkParser::Record(int64_t line, std::span<const std::string_view> cells, int junk_cell) {
  if (std::all_of(cells.begin(), cells.end(), Blank)) {
    ++out_->blank_records;
    return;
  }
  ++out_->records;
  if (cells.size() != plan_.map.record_width) {
    AddError(line, "", "expected " + std::to_string(plan_.map.record_width) + " cells, found " +
                           std::to_string(cells.size()));
    ++out_->bad_rows;
    return;
  }
  if (junk_cell > 0) {
    AddError(line, "", "cell " + std::to_string(junk_cell) + ": text after the closing quote");
    ++out_->bad_rows;
    return;
  }
  const size_t errors_before = out_->error_count;
  const auto& columns = plan_.schema->columns;
  for (size_t c = 0; c < columns.size(); ++c) {
    const int source = plan_.map.source_index[c];
    const std::string_view cell =
        source >= 0 ? cells[static_cast<size_t>(source)] : std::string_view();
    if (Blank(cell)) {
      if (columns[c].required) AddError(line, columns[c].name, "required value is missing");
      null_[c] = 1;
      continue;
    }
    null_[c] = 0;
    switch (kinds_[c]) {
      case Kind::kId: {
        Result<int64_t> v = ParseIdNumberCell(cell);
        if (v.ok()) row_i64_[c] = *v; else AddError(line, columns[c].name, v.status().message());
        break;
      }
      case Kind::kDate: {
        if (FastIsoDate(cell, &row_i32_[c])) break;
        std::unique_ptr<DateCache>& cache = dates_[c];
        if (!cache) cache = std::make_unique<DateCache>();
        if (cache->Get(cell, &row_i32_[c])) break;
        Result<int32_t> v = ParseDateCell(cell);
        if (!v.ok()) {
          AddError(line, columns[c].name, v.status().message());
          break;
        }
        row_i32_[c] = *v;
        cache->Put(cell, *v);
        break;
      }
      case Kind::kMoney:
      case Kind::kInt: {
        Memo& memo = memo_[c];
        if (!memo.raw.empty() && memo.raw == cell) {
          row_i64_[c] = memo.value;
          break;
        }
        Result<int64_t> v = kinds_[c] == Kind::kMoney ? ParseMoneyCell(cell) : ParseIntCell(cell);
        if (!v.ok()) {
          AddError(line, columns[c].name, v.status().message());
          break;
        }
        row_i64_[c] = *v;
        if (InInput(cell)) memo = Memo{cell, *v};
        break;
      }
      case Kind::kText:
      case Kind::kCredit:
      case Kind::kEnum: {
        uint32_t index = Lookup(c, cell);
        const CellCache::Entry& entry = out_->columns[c]->cache.at(index);
        if (entry.error != CellCache::kNoError) {
          AddError(line, columns[c].name, out_->columns[c]->cache.message(entry.error));
        } else {
          row_entry_[c] = index;
        }
        break;
      }
    }
  }
  if (out_->error_count != errors_before) {
    ++out_->bad_rows;
    return;
  }
  Commit();
}

void ChunkParser::Commit() {
  for (size_t c = 0; c < kinds_.size(); ++c) {
    ChunkColumn& col = *out_->columns[c];
    const bool null = null_[c] != 0;
    switch (kinds_[c]) {
      case Kind::kId:
      case Kind::kMoney:
      case Kind::kInt:
        col.i64.push_back(null ? kNullI64 : row_i64_[c]);
        break;
      case Kind::kDate:
        col.i32.push_back(null ? kNullI32 : row_i32_[c]);
        break;
      case Kind::kEnum:
        col.codes.push_back(null ? kNullCode : col.cache.at(row_entry_[c]).code);
        break;
      case Kind::kText:
      case Kind::kCredit: {
        if (null) {
          col.codes.push_back(kNullCode);
          break;
        }
        CellCache::Entry& entry = col.cache.at(row_entry_[c]);
        if (entry.code == kNullCode) {
          entry.code = static_cast<uint32_t>(col.strings.size());
          col.strings.push_back(entry.value);
        }
        col.codes.push_back(entry.code);
        break;
      }
    }
  }
  ++out_->rows;
}

// Reserves the typed vectors for the rows a chunk of `bytes` probably holds, judging by the
// record length near its start: avoids the doubling growth (and its 2× peak) of a large chunk.
void ReserveColumns(const CsvPlan& plan, std::string_view sample, size_t bytes,
                    ChunkResult* out) {
  int64_t lines = CountNewlines(sample.data(), sample.data() + sample.size());
  if (lines == 0) return;
  size_t per_line = std::max<size_t>(1, sample.size() / static_cast<size_t>(lines));
  size_t rows = bytes / per_line + bytes / per_line / 16 + 16;
  for (size_t c = 0; c < plan.schema->columns.size(); ++c) {
    ChunkColumn& col = *out->columns[c];
    switch (KindOf(plan.schema->columns[c].type)) {
      case Kind::kId:
      case Kind::kMoney:
      case Kind::kInt: col.i64.reserve(rows); break;
      case Kind::kDate: col.i32.reserve(rows); break;
      default: col.codes.reserve(rows); break;
    }
  }
}

}  // namespace

size_t ReadRecord(std::string_view input, size_t pos, char delimiter, RawRecord* r) {
  r->cells.clear();
  r->scratch.clear();
  r->fixups.clear();
  r->newlines = 0;
  r->unclosed_quote_line = -1;
  r->junk_after_quote_cell = -1;
  const char* const base = input.data();
  const size_t n = input.size();
  auto finish = [r](size_t next) {
    for (const RawRecord::Fixup& f : r->fixups) {
      r->cells[f.cell] = std::string_view(r->scratch).substr(f.offset, f.length);
    }
    return next;
  };
  // Scans an unquoted cell (quotes inside it are literal) up to a delimiter or LF.
  auto unquoted_end = [&](size_t i) {
    while (i < n && base[i] != delimiter && base[i] != '\n') ++i;
    return i;
  };
  size_t i = pos;
  while (true) {
    size_t stop;  // offset of the delimiter, LF or end that ends this cell
    if (i < n && base[i] == '"') {
      const int64_t open_line = r->newlines;
      const size_t content = i + 1;
      size_t j = content;
      bool escaped = false;
      size_t close;
      while (true) {
        const char* q = FindByte(base + j, base + n, '"');
        if (q == nullptr) {
          r->newlines += CountNewlines(base + j, base + n);
          r->unclosed_quote_line = open_line;
          return finish(n);
        }
        r->newlines += CountNewlines(base + j, q);
        size_t qi = static_cast<size_t>(q - base);
        if (qi + 1 < n && base[qi + 1] == '"') {
          escaped = true;
          j = qi + 2;
          continue;
        }
        close = qi;
        break;
      }
      if (escaped) {
        const size_t offset = r->scratch.size();
        for (size_t k = content; k < close; ++k) {
          r->scratch.push_back(base[k]);
          if (base[k] == '"') ++k;  // "" → "
        }
        r->fixups.push_back({r->cells.size(), offset, r->scratch.size() - offset});
        r->cells.emplace_back();
      } else {
        r->cells.emplace_back(base + content, close - content);
      }
      stop = close + 1;
      if (stop < n && base[stop] == '\r' && (stop + 1 == n || base[stop + 1] == '\n')) ++stop;
      if (stop < n && base[stop] != delimiter && base[stop] != '\n') {
        if (r->junk_after_quote_cell < 0) {
          r->junk_after_quote_cell = static_cast<int>(r->cells.size());
        }
        stop = unquoted_end(stop);
      }
    } else {
      stop = unquoted_end(i);
      size_t cell_end = stop;
      if ((stop == n || base[stop] == '\n') && cell_end > i && base[cell_end - 1] == '\r') {
        --cell_end;
      }
      r->cells.emplace_back(base + i, cell_end - i);
    }
    if (stop >= n) return finish(n);
    if (base[stop] == delimiter) {
      i = stop + 1;
      continue;
    }
    ++r->newlines;  // LF
    return finish(stop + 1);
  }
}

void ParseChunk(const CsvPlan& plan, std::string_view input, size_t begin, size_t limit,
                ChunkResult* out) {
  *out = ChunkResult();
  out->begin = begin;
  for (size_t c = 0; c < plan.schema->columns.size(); ++c) {
    out->columns.push_back(std::make_unique<ChunkColumn>());
  }
  const size_t n = input.size();
  limit = std::min(limit, n);
  if (begin < limit) {
    ReserveColumns(plan, input.substr(begin, std::min<size_t>(limit - begin, 64 * 1024)),
                   limit - begin, out);
  }
  ChunkParser parser(plan, input, out);
  const char* const base = input.data();
  const char delimiter = plan.delimiter;
  std::vector<std::string_view> cells;
  cells.reserve(plan.map.record_width + 1);
  RawRecord raw;
  size_t pos = begin;
  int64_t line = 0;
  size_t block = SIZE_MAX;  // the masks describe the 64 bytes at `block`
  Masks m;
  constexpr size_t kProgressStep = size_t{4} << 20;
  size_t reported = begin;  // bytes up to here were added to plan.progress
  while (pos < limit) {
    if (plan.progress != nullptr && pos - reported >= kProgressStep) {
      plan.progress->Add(pos - reported);
      reported = pos;
    }
    // The common case: no quote before the record's LF. Cells end at the delimiter bits.
    const size_t record_start = pos;
    size_t cell_start = pos;
    bool quoted = false;
    bool ended_by_lf = false;
    cells.clear();
    while (true) {
      if (block == SIZE_MAX || pos >= block + 64) {
        block = pos;
        m = ScanAt(input, block, delimiter);
      }
      const uint64_t live = ~uint64_t{0} << (pos - block);
      const uint64_t lf = m.lf & live;
      const uint64_t before_lf = lf != 0 ? (lf & (~lf + 1)) - 1 : ~uint64_t{0};
      if ((m.quote & live & before_lf) != 0) {
        quoted = true;
        break;
      }
      for (uint64_t d = m.delimiter & live & before_lf; d != 0; d &= d - 1) {
        const size_t at = block + static_cast<size_t>(std::countr_zero(d));
        cells.emplace_back(base + cell_start, at - cell_start);
        cell_start = at + 1;
      }
      if (lf != 0 || block + 64 >= n) {
        const size_t at = lf != 0 ? block + static_cast<size_t>(std::countr_zero(lf)) : n;
        size_t cell_end = at;
        if (cell_end > cell_start && base[cell_end - 1] == '\r') --cell_end;
        cells.emplace_back(base + cell_start, cell_end - cell_start);
        ended_by_lf = lf != 0;
        pos = ended_by_lf ? at + 1 : n;
        break;
      }
      pos = block + 64;
    }
    if (!quoted) {
      parser.Record(line, cells, -1);
      if (ended_by_lf) ++line;
      continue;
    }
    const size_t next = ReadRecord(input, record_start, delimiter, &raw);
    block = SIZE_MAX;
    if (raw.unclosed_quote_line >= 0) {
      out->unclosed_quote_line = line + raw.unclosed_quote_line;
      line += raw.newlines;
      pos = n;
      break;
    }
    parser.Record(line, raw.cells, raw.junk_after_quote_cell);
    line += raw.newlines;
    pos = next;
  }
  if (plan.progress != nullptr && pos > reported) plan.progress->Add(pos - reported);
  out->end = pos;
  out->newlines = line;
}

}  // namespace jiandu::monitor::internal
