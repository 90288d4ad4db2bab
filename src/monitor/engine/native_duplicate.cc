// kind = "duplicate": more than max_rows rows with the same composite key (duplicate payments:
// same payee, item and period), or — with `shared` — an attribute shared by at least two
// distinct entities within one key group (bidders on one tender with one phone number).
//
// The plain form is the hot path of the benchmark (10 million payments, about as many distinct
// keys): keys are packed into 64 bits (KeyEncoder), radix-partitioned by hash across threads,
// and each partition is counted in a private open-addressing table that fits in cache.
#include <algorithm>
#include <map>
#include <set>

#include "monitor/engine/internal/exec_common.h"
#include "monitor/engine/internal/flat_index.h"
#include "monitor/engine/internal/key_encoder.h"
#include "monitor/engine/internal/parallel.h"

namespace jiandu::monitor::internal {
namespace {

struct Entry {
  uint64_t key;
  uint32_t row;
};

struct Group {
  std::vector<uint32_t> rows;  // ascending
};

bool IsEntityType(ColumnType t) {
  return t == ColumnType::kIdNumber || t == ColumnType::kCreditCode;
}

Warning MakeDuplicateWarning(const RunContext& ctx, const std::vector<const Column*>& keys,
                             std::vector<uint32_t> rows, size_t first_local) {
  std::vector<KeyValue> values;
  for (const Column* c : keys) {
    values.push_back(ValueAt(*c, first_local));
  }
  Warning w = MakeWarning(*ctx.rule, std::move(values));
  for (size_t i = 0; i < keys.size(); ++i) {
    if (IsEntityType(keys[i]->spec.type)) {
      w.subjects.push_back(Subject{keys[i]->spec.name, w.key_values[i]});
    }
  }
  w.summary = ctx.rule->id + ": " + std::to_string(rows.size()) + " " + ctx.DatasetOf("records");
  AddEvidence(&w, ctx.DatasetOf("records"), std::move(rows));
  return w;
}

// Groups of more than `max_rows` rows with equal keys, over rows [0, n) of the base.
// *bad_id is set when a row holds an impossible ID number (only with an encoder planned without
// checking its IDs).
std::vector<Group> FindGroups(const KeyEncoder& enc, size_t n, int64_t max_rows, int threads,
                              bool* bad_id) {
  // Pass 1: encode each thread's range and histogram the partitions.
  int part_bits = 0;
  while (part_bits < 12 && (n >> (part_bits + 14)) != 0) ++part_bits;
  const size_t parts = size_t{1} << part_bits;
  const int shift = 64 - part_bits;
  auto part_of = [&](uint64_t key) -> size_t {
    return part_bits == 0 ? 0 : static_cast<size_t>(Mix64(key) >> shift);
  };
  const auto t_count = static_cast<size_t>(std::max(threads, 1));
  std::vector<uint64_t> keys(n);
  std::vector<uint8_t> valid(n);
  std::vector<std::vector<size_t>> hist(t_count, std::vector<size_t>(parts, 0));
  std::vector<char> bad(t_count, 0);
  auto range = [&](size_t t) {
    return std::pair<size_t, size_t>(n * t / t_count, n * (t + 1) / t_count);
  };
  ParallelFor(threads, t_count, [&](size_t t, int) {
    auto [lo, hi] = range(t);
    std::vector<size_t>& h = hist[t];
    for (size_t r = lo; r < hi; ++r) {
      uint64_t k;
      valid[r] = enc.Encode(r, &k);
      keys[r] = k;
      if (valid[r]) {
        ++h[part_of(k)];
      } else if (!enc.ids_checked() && enc.BadId(r)) {
        bad[t] = 1;
      }
    }
  });
  *bad_id = std::find(bad.begin(), bad.end(), 1) != bad.end();
  if (*bad_id) return {};
  // Pass 2: scatter (key, row) into partition order; each thread owns a slice of every part.
  std::vector<size_t> part_begin(parts + 1, 0);
  std::vector<std::vector<size_t>> cursor(t_count, std::vector<size_t>(parts));
  size_t total = 0;
  for (size_t p = 0; p < parts; ++p) {
    part_begin[p] = total;
    for (size_t t = 0; t < t_count; ++t) {
      cursor[t][p] = total;
      total += hist[t][p];
    }
  }
  part_begin[parts] = total;
  std::vector<Entry> entries(total);
  ParallelFor(threads, t_count, [&](size_t t, int) {
    auto [lo, hi] = range(t);
    std::vector<size_t>& c = cursor[t];
    for (size_t r = lo; r < hi; ++r) {
      if (valid[r]) entries[c[part_of(keys[r])]++] = Entry{keys[r], static_cast<uint32_t>(r)};
    }
  });
  std::vector<uint64_t>().swap(keys);
  std::vector<uint8_t>().swap(valid);
  // Pass 3: count each partition in a private table; collect the groups above the maximum.
  std::vector<std::vector<Group>> found(parts);
  ParallelFor(threads, parts, [&](size_t p, int) {
    const size_t b = part_begin[p], e = part_begin[p + 1];
    if (e - b < 2) return;
    size_t cap = 16;
    while (cap < 2 * (e - b)) cap <<= 1;
    const size_t mask = cap - 1;
    std::vector<uint64_t> slot_key(cap);
    std::vector<uint32_t> slot_count(cap, 0);
    std::vector<uint32_t> slot_of(e - b);
    for (size_t i = b; i < e; ++i) {
      const uint64_t k = entries[i].key;
      size_t s = Mix64(k) & mask;
      while (slot_count[s] != 0 && slot_key[s] != k) s = (s + 1) & mask;
      slot_key[s] = k;
      ++slot_count[s];
      slot_of[i - b] = static_cast<uint32_t>(s);
    }
    std::map<uint32_t, Group> groups;  // few: only the duplicated keys
    for (size_t i = b; i < e; ++i) {
      uint32_t s = slot_of[i - b];
      if (slot_count[s] > static_cast<uint64_t>(max_rows)) {
        groups[s].rows.push_back(entries[i].row);
      }
    }
    for (auto& [s, g] : groups) {
      std::sort(g.rows.begin(), g.rows.end());
      found[p].push_back(std::move(g));
    }
  });
  std::vector<Group> out;
  for (auto& f : found) {
    for (Group& g : f) out.push_back(std::move(g));
  }
  return out;
}

Result<std::vector<Warning>> RunShared(const RunContext& ctx) {
  const Table& t = ctx.TableOf("records");
  std::vector<const Column*> keys = ctx.Cols("records", "keys");
  const Column& distinct = *ctx.Col("records", "distinct");
  std::vector<const Column*> shared = ctx.Cols("records", "shared");
  JIANDU_ASSIGN_OR_RETURN(KeyEncoder enc, KeyEncoder::Plan(t, keys, 1));
  FlatIndex groups;
  groups.Build(t.rows, [&](size_t r, uint64_t* k) { return enc.Encode(r, k); });
  std::vector<Warning> out;
  for (size_t s = 0; s < groups.capacity(); ++s) {
    if (!groups.occupied(s)) continue;
    auto rows = groups.RowsOfSlot(static_cast<uint32_t>(s));
    std::set<uint32_t> flagged;
    for (const Column* c : shared) {
      std::map<uint64_t, std::map<uint64_t, std::vector<uint32_t>>> by_value;
      for (uint32_t r : rows) {
        uint64_t v, d;
        if (NaturalKey(*c, r, &v) && NaturalKey(distinct, r, &d)) by_value[v][d].push_back(r);
      }
      for (auto& [v, entities] : by_value) {
        if (entities.size() < 2) continue;
        for (auto& [d, rs] : entities) flagged.insert(rs.begin(), rs.end());
      }
    }
    if (flagged.empty()) continue;
    Warning w = MakeDuplicateWarning(ctx, keys, {flagged.begin(), flagged.end()}, rows[0]);
    std::set<uint64_t> seen;
    for (uint32_t r : flagged) {
      uint64_t d;
      if (NaturalKey(distinct, r, &d) && seen.insert(d).second) {
        AddSubject(&w, distinct.spec.name, distinct, r);
      }
    }
    out.push_back(std::move(w));
  }
  return out;
}

// The base rows by packed key, compactly, for incremental checks: (key, row) entries in
// buckets by the key's hash (about 8 a bucket), each bucket in row order. 12 bytes a row plus a
// 4-byte directory entry per bucket, where a hash table over 10 million distinct keys would
// take a power of two of 16-byte slots (268 MB) plus the build's scratch. Built in two passes
// (count, place), so nothing but the result is allocated. A lookup reads one bucket.
class KeyRows {
 public:
  template <typename KeyOf>
  void Build(size_t rows, KeyOf key_of) {
    bits_ = 4;
    while (bits_ < 28 && (size_t{8} << bits_) < rows) ++bits_;
    std::vector<uint32_t> begin((size_t{1} << bits_) + 1, 0);
    for (size_t r = 0; r < rows; ++r) {
      uint64_t k;
      if (key_of(r, &k)) ++begin[Bucket(k) + 1];
    }
    for (size_t b = 1; b < begin.size(); ++b) begin[b] += begin[b - 1];
    keys_.resize(begin.back());
    rows_.resize(begin.back());
    std::vector<uint32_t> at(begin.begin(), begin.end() - 1);
    for (size_t r = 0; r < rows; ++r) {
      uint64_t k;
      if (key_of(r, &k)) {
        const uint32_t i = at[Bucket(k)]++;
        keys_[i] = k;
        rows_[i] = static_cast<uint32_t>(r);
      }
    }
    begin_ = std::move(begin);
  }
  // Appends the rows holding `key`, ascending.
  void Find(uint64_t key, std::vector<uint32_t>* out) const {
    if (begin_.empty()) return;
    const size_t b = Bucket(key);
    for (uint32_t i = begin_[b]; i < begin_[b + 1]; ++i) {
      if (keys_[i] == key) out->push_back(rows_[i]);
    }
  }

 private:
  size_t Bucket(uint64_t key) const { return static_cast<size_t>(Mix64(key) >> (64 - bits_)); }

  int bits_ = 4;
  std::vector<uint32_t> begin_;
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> rows_;
};

class PreparedDuplicate : public PreparedState {
 public:
  PreparedDuplicate(const RunContext& ctx, KeyEncoder enc) : ctx_(ctx), enc_(std::move(enc)) {
    index_.Build(ctx.TableOf("records").rows,
                 [&](size_t r, uint64_t* k) { return enc_.Encode(r, k); });
  }

  Result<std::vector<Warning>> Check(std::string_view dataset, const Table& batch,
                                     bool* handled) const override {
    *handled = dataset == ctx_.DatasetOf("records");
    if (!*handled) return std::vector<Warning>();
    std::vector<const Column*> cols;
    for (const std::string& name : ctx_.rule->List("records", "keys")) {
      const Column* c = batch.Find(name);
      if (c == nullptr) return Status::InvalidArgument("batch", "the batch lacks column " + name);
      cols.push_back(c);
    }
    // Group the batch by its own exact keys, then look each group up in the base.
    JIANDU_ASSIGN_OR_RETURN(KeyEncoder local, KeyEncoder::Plan(batch, cols, 1));
    std::map<uint64_t, std::vector<uint32_t>> groups;
    for (size_t r = 0; r < batch.rows; ++r) {
      uint64_t k;
      if (local.Encode(r, &k)) groups[k].push_back(static_cast<uint32_t>(r));
    }
    KeyEncoder::Foreign foreign = enc_.Bind(batch, cols);
    const auto offset = static_cast<uint32_t>(ctx_.TableOf("records").rows);
    std::vector<Warning> out;
    for (auto& [k, rows] : groups) {
      std::vector<uint32_t> all;
      uint64_t base_key;
      bool absent;
      if (enc_.EncodeForeign(foreign, rows[0], &base_key, &absent)) {
        index_.Find(base_key, &all);
      }
      for (uint32_t r : rows) all.push_back(r + offset);
      if (static_cast<int64_t>(all.size()) > ctx_.rule->params.max_rows) {
        out.push_back(MakeDuplicateWarning(ctx_, cols, std::move(all), rows[0]));
      }
    }
    return out;
  }

 private:
  RunContext ctx_;
  KeyEncoder enc_;
  KeyRows index_;
};

}  // namespace

Result<std::vector<Warning>> RunDuplicate(const RunContext& ctx) {
  if (!ctx.rule->List("records", "shared").empty()) {
    return RunShared(ctx);
  }
  const Table& t = ctx.TableOf("records");
  std::vector<const Column*> keys = ctx.Cols("records", "keys");
  // IDs are checked while encoding (one pass over them instead of two).
  JIANDU_ASSIGN_OR_RETURN(KeyEncoder enc, KeyEncoder::Plan(t, keys, ctx.threads, false));
  bool bad_id = false;
  std::vector<Group> groups =
      FindGroups(enc, t.rows, ctx.rule->params.max_rows, ctx.threads, &bad_id);
  if (bad_id) {
    return Status::FailedPrecondition("an ID number column holds an impossible birth date");
  }
  std::vector<Warning> out(groups.size());
  ParallelFor(ctx.threads, ChunkCount(groups.size(), 4096), [&](size_t c, int) {
    for (size_t i = c * 4096; i < std::min(groups.size(), (c + 1) * 4096); ++i) {
      size_t first = groups[i].rows[0];
      out[i] = MakeDuplicateWarning(ctx, keys, std::move(groups[i].rows), first);
    }
  });
  return out;
}

Result<std::unique_ptr<PreparedState>> PrepareDuplicate(const RunContext& ctx) {
  if (!ctx.rule->List("records", "shared").empty()) {
    return std::unique_ptr<PreparedState>();
  }
  JIANDU_ASSIGN_OR_RETURN(KeyEncoder enc, KeyEncoder::Plan(ctx.TableOf("records"),
                                                           ctx.Cols("records", "keys"),
                                                           ctx.threads));
  return std::unique_ptr<PreparedState>(std::make_unique<PreparedDuplicate>(ctx, std::move(enc)));
}

}  // namespace jiandu::monitor::internal
