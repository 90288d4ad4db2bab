#include "monitor/import/csv_loader.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <memory>
#include <thread>

#include "monitor/import/internal/csv_chunk.h"
#include "monitor/value_parse.h"

namespace jiandu::monitor {
namespace {

using internal::ChunkColumn;
using internal::ChunkResult;
using internal::CsvPlan;
using internal::RawRecord;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

Status Truncated(int64_t line) {
  return Status::InvalidArgument("file", "truncated file: quote opened on line " +
                                             std::to_string(line) + " never closed");
}

// Runs fn(0) … fn(count - 1) on up to `threads` threads (the caller's among them).
void ParallelFor(size_t count, unsigned threads, const std::function<void(size_t)>& fn) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < count; i = next++) fn(i);
  };
  std::vector<std::thread> pool;
  const size_t extra = std::min<size_t>(threads, count) - (count > 0 ? 1 : 0);
  for (size_t t = 0; t < extra; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
}

// Start offsets of the chunks: the byte after the first LF at or after each even split point.
// Only a guess when quoted fields hold line breaks; LoadCsv verifies each one.
std::vector<size_t> GuessChunkStarts(std::string_view text, size_t data_begin, size_t chunks) {
  std::vector<size_t> starts{data_begin};
  const size_t span = text.size() - data_begin;
  for (size_t k = 1; k < chunks; ++k) {
    size_t nominal = data_begin + span / chunks * k;
    const void* nl = std::memchr(text.data() + nominal, '\n', text.size() - nominal);
    size_t start = nl == nullptr ? text.size()
                                 : static_cast<size_t>(static_cast<const char*>(nl) - text.data()) + 1;
    starts.push_back(std::max(start, starts.back()));
  }
  return starts;
}

// Concatenates column `c` of every chunk into `out`, in chunk order, remapping chunk-local
// dictionary codes to the column's dictionary; frees each chunk's vectors once copied.
void MergeColumn(std::vector<ChunkResult>& chunks, size_t c, size_t rows, Column* out) {
  switch (out->spec.type) {
    case ColumnType::kIdNumber:
    case ColumnType::kMoney:
    case ColumnType::kInt:
      out->i64.reserve(rows);
      for (ChunkResult& chunk : chunks) {
        ChunkColumn& col = *chunk.columns[c];
        out->i64.insert(out->i64.end(), col.i64.begin(), col.i64.end());
        std::vector<int64_t>().swap(col.i64);
      }
      return;
    case ColumnType::kDate:
      out->i32.reserve(rows);
      for (ChunkResult& chunk : chunks) {
        ChunkColumn& col = *chunk.columns[c];
        out->i32.insert(out->i32.end(), col.i32.begin(), col.i32.end());
        std::vector<int32_t>().swap(col.i32);
      }
      return;
    case ColumnType::kEnum:  // codes are already the enum_values index
      out->codes.reserve(rows);
      for (ChunkResult& chunk : chunks) {
        ChunkColumn& col = *chunk.columns[c];
        out->codes.insert(out->codes.end(), col.codes.begin(), col.codes.end());
        std::vector<uint32_t>().swap(col.codes);
      }
      return;
    case ColumnType::kText:
    case ColumnType::kCreditCode:
      break;
  }
  out->codes.reserve(rows);
  std::vector<uint32_t> remap;
  for (ChunkResult& chunk : chunks) {
    ChunkColumn& col = *chunk.columns[c];
    remap.resize(col.strings.size());
    for (size_t i = 0; i < col.strings.size(); ++i) remap[i] = out->dict->Intern(col.strings[i]);
    for (uint32_t code : col.codes) out->codes.push_back(code == kNullCode ? kNullCode : remap[code]);
    std::vector<uint32_t>().swap(col.codes);
  }
}

struct Header {
  HeaderMap map;
  size_t data_begin = 0;  // offset of the first byte after the header record
  int64_t header_line = 0;
  int64_t data_line = 0;  // line number at data_begin
};

Result<Header> ReadHeader(const DatasetSchema& schema, std::string_view text, char delimiter) {
  RawRecord record;
  size_t pos = 0;
  int64_t line = 1;
  while (true) {
    if (pos >= text.size()) {
      return Status::InvalidArgument("file", "the file is empty: no header row");
    }
    size_t next = internal::ReadRecord(text, pos, delimiter, &record);
    if (record.unclosed_quote_line >= 0) return Truncated(line + record.unclosed_quote_line);
    bool blank = std::all_of(record.cells.begin(), record.cells.end(), IsBlankCell);
    if (!blank) {
      if (record.junk_after_quote_cell > 0) {
        return Status::InvalidArgument(
            "header", "header column " + std::to_string(record.junk_after_quote_cell) +
                          ": text after the closing quote");
      }
      Header header;
      JIANDU_ASSIGN_OR_RETURN(header.map, MapHeader(schema, record.cells));
      header.header_line = line;
      header.data_begin = next;
      header.data_line = line + record.newlines;
      return header;
    }
    line += record.newlines;
    pos = next;
  }
}

}  // namespace

Result<LoadResult> LoadCsv(const DatasetSchema& schema, std::string_view text,
                           const CsvOptions& options) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  if (options.delimiter == '"' || options.delimiter == '\n' || options.delimiter == '\r') {
    return Status::InvalidArgument("delimiter", "the delimiter cannot be a quote or line break");
  }
  JIANDU_ASSIGN_OR_RETURN(Header header, ReadHeader(schema, text, options.delimiter));

  CsvPlan plan;
  plan.schema = &schema;
  plan.map = std::move(header.map);
  plan.delimiter = options.delimiter;
  plan.max_stored_errors = options.max_stored_errors;
  for (const ColumnSpec& spec : schema.columns) plan.enum_allowed.push_back(EnumAllowed(spec));
  plan.progress = options.progress;
  if (plan.progress != nullptr) plan.progress->Start("parsing", text.size() - header.data_begin);

  unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  threads = std::max(1u, threads);
  const size_t data_bytes = text.size() - header.data_begin;
  const size_t by_size = std::max<size_t>(1, data_bytes / std::max<size_t>(1, options.min_chunk_bytes));
  const size_t chunk_count = std::min<size_t>(threads, by_size);

  std::vector<size_t> starts = GuessChunkStarts(text, header.data_begin, chunk_count);
  auto limit_of = [&](size_t k) { return k + 1 < starts.size() ? starts[k + 1] : text.size(); };
  std::vector<ChunkResult> chunks(chunk_count);
  ParallelFor(chunk_count, threads, [&](size_t k) {
    internal::ParseChunk(plan, text, starts[k], limit_of(k), &chunks[k]);
  });
  plan.progress = nullptr;  // a chunk parsed again below is not progress
  // Chunk 0 starts at a true record boundary; chunk k+1 is right iff it starts where chunk k
  // ended. Otherwise (a quoted line break fooled the guess) parse it again from there.
  size_t pos = header.data_begin;
  for (size_t k = 0; k < chunk_count; ++k) {
    if (chunks[k].begin != pos) internal::ParseChunk(plan, text, pos, limit_of(k), &chunks[k]);
    if (chunks[k].unclosed_quote_line >= 0) {
      int64_t line = header.data_line;
      for (size_t j = 0; j < k; ++j) line += chunks[j].newlines;
      return Truncated(line + chunks[k].unclosed_quote_line);
    }
    pos = chunks[k].end;
  }

  LoadResult result;
  result.header_line = header.header_line;
  int64_t base_line = header.data_line;
  for (ChunkResult& chunk : chunks) {
    result.records += chunk.records;
    result.rows += chunk.rows;
    result.bad_rows += chunk.bad_rows;
    result.blank_records += chunk.blank_records;
    result.error_count += chunk.error_count;
    for (RowError& e : chunk.errors) {
      if (result.errors.size() >= options.max_stored_errors) break;
      e.line += base_line;
      result.errors.push_back(std::move(e));
    }
    std::vector<RowError>().swap(chunk.errors);
    base_line += chunk.newlines;
  }

  result.table = Table::Empty(schema);
  if (options.mode == ImportMode::kReject && result.error_count > 0) return result;
  result.table.rows = result.rows;
  if (options.progress != nullptr) options.progress->Start("merging", 0);
  ParallelFor(schema.columns.size(), threads, [&](size_t c) {
    MergeColumn(chunks, c, result.rows, &result.table.columns[c]);
  });
  return result;
}

}  // namespace jiandu::monitor
