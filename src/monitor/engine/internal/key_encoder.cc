#include "monitor/engine/internal/key_encoder.h"

#include <algorithm>

namespace jiandu::monitor::internal {
namespace {

// Days from 1800-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's days_from_civil).
int64_t DaysSince1800(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468 + 62091;  // 62091: 1800 → 1970
}

int BitsFor(uint64_t range) {  // bits to hold values 0..range
  int b = 0;
  while (b < 64 && (range >> b) != 0) {
    ++b;
  }
  return std::max(b, 1);
}

}  // namespace

bool CompactIdNumber(int64_t packed, uint64_t* out) {
  if (packed < 0) {
    return false;
  }
  auto v = static_cast<uint64_t>(packed);
  uint64_t seq = v % 1000;
  uint64_t ymd = (v / 1000) % 100000000;
  uint64_t region = v / 100000000000ULL;
  auto y = static_cast<int64_t>(ymd / 10000);
  auto m = static_cast<unsigned>((ymd / 100) % 100);
  auto d = static_cast<unsigned>(ymd % 100);
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1800 || y >= 2158 || region >= (1u << 20)) {
    return false;
  }
  auto days = static_cast<uint64_t>(DaysSince1800(y, m, d));
  *out = (region << 27) | (days << 10) | seq;
  return true;
}

Result<KeyEncoder> KeyEncoder::Plan(const Table& table, const std::vector<const Column*>& columns,
                                    int threads, bool check_ids) {
  KeyEncoder enc;
  enc.ids_checked_ = check_ids;
  const size_t n = table.rows;
  for (const Column* c : columns) {
    Part p;
    p.column = c;
    p.type = c->spec.type;
    bool text = p.type == ColumnType::kText || p.type == ColumnType::kCreditCode ||
                p.type == ColumnType::kEnum;
    if (text) {
      p.min = 0;
      p.max = c->dict ? std::max<size_t>(c->dict->size(), 1) - 1 : 0;
    } else if (!check_ids && p.type == ColumnType::kIdNumber) {
      p.min = 0;  // region (20 bits) | days since 1800 (17) | sequence (10)
      p.max = (uint64_t{1} << 47) - 1;
    } else {
      // Range of the natural values, and whether every value has one (IDs: a real date).
      const size_t chunk = 1 << 16;
      size_t chunks = ChunkCount(n, chunk);
      std::vector<uint64_t> lo(chunks, UINT64_MAX), hi(chunks, 0);
      std::vector<char> bad(chunks, 0);
      // Accumulated in locals: lo[t] and hi[t] of neighbouring chunks share cache lines, and
      // updating them in place made the two cores fight over those lines on every row.
      const Part& part = p;
      ParallelFor(threads, chunks, [&](size_t t, int) {
        uint64_t l = UINT64_MAX, h = 0;
        char b = 0;
        for (size_t r = t * chunk; r < std::min(n, (t + 1) * chunk); ++r) {
          uint64_t v;
          if (!Natural(part, *c, r, &v)) {
            b |= part.type == ColumnType::kIdNumber && c->i64[r] != kNullI64;
            continue;
          }
          l = std::min(l, v);
          h = std::max(h, v);
        }
        lo[t] = l;
        hi[t] = h;
        bad[t] = b;
      });
      p.min = *std::min_element(lo.begin(), lo.end());
      p.max = *std::max_element(hi.begin(), hi.end());
      if (p.min > p.max) {
        p.min = p.max = 0;
      }
      if (std::find(bad.begin(), bad.end(), 1) != bad.end()) {
        return Status::FailedPrecondition("an ID number column holds an impossible birth date");
      }
    }
    p.bits = BitsFor(p.max - p.min);
    enc.parts_.push_back(std::move(p));
  }
  auto total = [&] {
    int b = 0;
    for (const Part& p : enc.parts_) b += p.bits;
    return b;
  };
  if (!check_ids && total() > 64) {
    return Plan(table, columns, threads, true);
  }
  while (total() > 64) {
    auto widest = std::max_element(enc.parts_.begin(), enc.parts_.end(),
                                   [](const Part& a, const Part& b) {
                                     return (a.dense ? 0 : a.bits) < (b.dense ? 0 : b.bits);
                                   });
    if (widest->dense) {
      return Status::FailedPrecondition("composite key does not fit in 64 bits");
    }
    Part& p = *widest;
    p.dense = std::make_shared<FlatIndex>();
    p.dense->Build(n, [&](size_t r, uint64_t* v) { return Natural(p, *p.column, r, v); });
    p.min = 0;
    p.bits = BitsFor(p.dense->capacity() - 1);
  }
  int shift = 0;
  for (Part& p : enc.parts_) {
    p.shift = shift;
    shift += p.bits;
  }
  enc.bits_ = shift;
  return enc;
}

KeyEncoder::Foreign KeyEncoder::Bind(const Table& batch,
                                     const std::vector<const Column*>& batch_columns) const {
  Foreign f;
  f.columns = batch_columns;
  f.code_map.resize(parts_.size());
  for (size_t i = 0; i < parts_.size(); ++i) {
    const Column* bc = batch_columns[i];
    const Column* base = parts_[i].column;
    if (bc->dict && base->dict) {
      std::vector<uint32_t>& map = f.code_map[i];
      map.resize(bc->dict->size());
      for (uint32_t code = 0; code < map.size(); ++code) {
        map[code] = base->dict->Find(bc->dict->At(code));
      }
    }
  }
  return f;
}

bool KeyEncoder::EncodeForeign(const Foreign& f, size_t row, uint64_t* out, bool* absent) const {
  *absent = false;
  uint64_t key = 0;
  for (size_t i = 0; i < parts_.size(); ++i) {
    const Part& p = parts_[i];
    const Column& c = *f.columns[i];
    uint64_t v;
    if (!Natural(p, c, row, &v)) {
      return false;
    }
    if (!f.code_map[i].empty() || (c.dict && p.column->dict)) {
      uint32_t base_code = f.code_map[i][v];
      if (base_code == kNullCode) {
        *absent = true;
        return false;
      }
      v = base_code;
    }
    if (p.dense) {
      uint32_t slot = p.dense->FindSlot(v);
      if (slot == FlatIndex::kAbsent) {
        *absent = true;
        return false;
      }
      v = slot;
    } else {
      if (v < p.min || v > p.max) {
        *absent = true;
        return false;
      }
      v -= p.min;
    }
    key |= v << p.shift;
  }
  *out = key;
  return true;
}

}  // namespace jiandu::monitor::internal
