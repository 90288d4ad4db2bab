// kind = "match": left rows whose key is found on the right with a date condition; one warning
// per left key (R01 deceased payee, R04 vehicle owner on 低保, R06 legal representative on 低保).
#include <algorithm>

#include "monitor/engine/internal/exec_common.h"
#include "monitor/engine/internal/flat_index.h"
#include "monitor/engine/internal/parallel.h"

namespace jiandu::monitor::internal {
namespace {

struct Side {
  const Column* key = nullptr;
  const Column* date = nullptr;
  const Column* from = nullptr;
  const Column* to = nullptr;
};

Side BindSide(const RunContext& ctx, std::string_view role) {
  return Side{ctx.Col(role, "key"), ctx.Col(role, "date"), ctx.Col(role, "from"),
              ctx.Col(role, "to")};
}

int32_t DateOr(const Column* c, size_t row, int32_t missing) {
  if (c == nullptr || c->i32[row] == kNullI32) {
    return missing;
  }
  return c->i32[row];
}

// Whether left row l and right row r satisfy the rule's relation.
bool Holds(const RuleParams& p, const Side& left, size_t l, const Side& right, size_t r) {
  switch (p.relation) {
    case MatchRelation::kAfter: {
      int32_t ld = left.date->i32[l];
      int32_t rd = right.date->i32[r];
      return ld != kNullI32 && rd != kNullI32 && int64_t{ld} > int64_t{rd} + p.grace_days;
    }
    case MatchRelation::kOverlaps: {
      // Half-open [from, to); a missing start is open to the past, a missing end to the future.
      constexpr int32_t kPast = INT32_MIN + 1;
      constexpr int32_t kFuture = INT32_MAX;
      int32_t lf = DateOr(left.from, l, kPast), lt = DateOr(left.to, l, kFuture);
      int32_t rf = DateOr(right.from, r, kPast), rt = DateOr(right.to, r, kFuture);
      return lf < rt && rf < lt;
    }
    case MatchRelation::kExists:
      return true;
  }
  return false;
}

void BuildRightIndex(const RuleParams& p, const Side& right, size_t rows, FlatIndex* index) {
  index->Build(rows, [&](size_t r, uint64_t* key) {
    if (p.relation == MatchRelation::kAfter && right.date->i32[r] == kNullI32) {
      return false;  // can never satisfy "after"
    }
    uint64_t k;
    if (right.key->spec.type == ColumnType::kIdNumber || right.key->spec.type == ColumnType::kInt) {
      k = static_cast<uint64_t>(right.key->i64[r]);
      *key = k;
      return right.key->i64[r] != kNullI64;
    }
    *key = right.key->codes[r];
    return right.key->codes[r] != kNullCode;
  });
  index->BuildFilter();
}

// A left row whose key is found on the right with the relation holding; `slot` is the right
// index's slot of the key, which stands for the left key (equal keys, one slot).
struct Hit {
  uint32_t slot;
  uint32_t left;
  uint32_t right;
};

// Hits grouped by key: rows [begin[g], begin[g + 1]) of `hits` are group g, in left-row order.
struct Groups {
  std::vector<Hit> hits;
  std::vector<uint32_t> begin;
  size_t size() const { return begin.empty() ? 0 : begin.size() - 1; }
};

// Probes rows [0, n) of `left` (a base table or a batch) against the right index (with its
// filter: most left rows match nothing), both cores each taking chunks of rows; then groups the
// hits by key with a counting sort over the index's slots (stable: left rows stay ascending).
Groups Probe(const RunContext& ctx, const Side& left, size_t n, const Side& right,
             const FlatIndex& index, int threads) {
  JoinKeys keys(*left.key, *right.key);
  const RuleParams& p = ctx.rule->params;
  const size_t chunk = 1 << 16;
  std::vector<std::vector<Hit>> parts(ChunkCount(n, chunk));
  const int32_t* right_dates = right.date != nullptr ? right.date->i32.data() : nullptr;
  ParallelFor(threads, parts.size(), [&](size_t t, int) {
    // Batches of rows in three passes (filter, table, relation), so that the cache misses of
    // the few rows that pass the filter overlap instead of following one another.
    constexpr size_t kBatch = 256;
    uint32_t row[kBatch], slot[kBatch];
    uint64_t key[kBatch], hash[kBatch];
    std::vector<Hit>& out = parts[t];
    const size_t end = std::min(n, (t + 1) * chunk);
    for (size_t b = t * chunk; b < end; b += kBatch) {
      const size_t stop = std::min(end, b + kBatch);
      size_t m = 0;
      for (size_t l = b; l < stop; ++l) {
        uint64_t k;
        if (!keys.Probe(l, &k)) continue;
        const uint64_t h = FlatIndex::Hash(k);
        if (!index.MayContain(h)) continue;
        index.Prefetch(h);
        row[m] = static_cast<uint32_t>(l);
        key[m] = k;
        hash[m] = h;
        ++m;
      }
      size_t f = 0;
      for (size_t i = 0; i < m; ++i) {
        const uint32_t s = index.FindSlot(key[i], hash[i]);
        if (s == FlatIndex::kAbsent) continue;
        if (right_dates != nullptr) __builtin_prefetch(right_dates + index.RowsOfSlot(s)[0]);
        row[f] = row[i];
        slot[f] = s;
        ++f;
      }
      for (size_t i = 0; i < f; ++i) {
        for (uint32_t r : index.RowsOfSlot(slot[i])) {
          if (Holds(p, left, row[i], right, r)) out.push_back(Hit{slot[i], row[i], r});
        }
      }
    }
  });
  Groups g;
  std::vector<uint32_t> at(index.capacity() + 1, 0);
  size_t total = 0;
  for (const auto& part : parts) {
    total += part.size();
    for (const Hit& h : part) ++at[h.slot];
  }
  uint32_t sum = 0;
  for (size_t s = 0; s < index.capacity(); ++s) {
    const uint32_t c = at[s];
    if (c != 0) g.begin.push_back(sum);
    at[s] = sum;
    sum += c;
  }
  g.begin.push_back(sum);
  g.hits.resize(total);
  for (auto& part : parts) {
    for (const Hit& h : part) g.hits[at[h.slot]++] = h;
    std::vector<Hit>().swap(part);
  }
  return g;
}

// One warning per group, built in stable-key order (so the executor's sort has nothing to do),
// each with its vectors sized once.
std::vector<Warning> ToWarnings(const RunContext& ctx, const Side& left, const Groups& groups,
                                const FlatIndex& index, uint32_t left_offset, int threads) {
  const size_t n = groups.size();
  const Rule& rule = *ctx.rule;
  const size_t block = 2048;
  // A group's key value. A numeric key is the index slot's key itself (the table is small and
  // cached; the left column is not); other types read the left column at the group's first row.
  const bool numeric = left.key->spec.type == ColumnType::kIdNumber ||
                       left.key->spec.type == ColumnType::kInt ||
                       left.key->spec.type == ColumnType::kMoney;
  auto value_of = [&](size_t g) {
    const Hit& first = groups.hits[groups.begin[g]];
    if (!numeric) return ValueAt(*left.key, first.left);
    KeyValue v;
    v.type = left.key->spec.type;
    v.number = static_cast<int64_t>(index.KeyOfSlot(first.slot));
    return v;
  };
  std::vector<std::pair<uint64_t, uint32_t>> order(n);
  ParallelFor(threads, ChunkCount(n, block), [&](size_t b, int) {
    for (size_t g = b * block; g < std::min(n, (b + 1) * block); ++g) {
      const KeyValue v = value_of(g);
      order[g] = {StableKeyOf(rule.id, &v, 1), static_cast<uint32_t>(g)};
    }
  });
  SortKeyIndex(&order);
  // Built in group order (the group data is read sequentially), each warning stored at its
  // place in key order: random writes overlap, random reads would not.
  std::vector<uint32_t> place(n);
  for (size_t i = 0; i < n; ++i) place[order[i].second] = static_cast<uint32_t>(i);
  std::vector<Warning> out(n);
  const std::string& left_ds = ctx.DatasetOf("left");
  const std::string& right_ds = ctx.DatasetOf("right");
  ParallelFor(threads, ChunkCount(n, block), [&](size_t b, int) {
    std::vector<uint32_t> rrows;
    for (size_t g = b * block; g < std::min(n, (b + 1) * block); ++g) {
      const uint32_t i = place[g];
      const Hit* first = groups.hits.data() + groups.begin[g];
      const Hit* last = groups.hits.data() + groups.begin[g + 1];
      std::vector<uint32_t> lrows;
      lrows.reserve(static_cast<size_t>(last - first));
      rrows.clear();
      for (const Hit* h = first; h != last; ++h) {
        if (lrows.empty() || lrows.back() != h->left + left_offset) {
          lrows.push_back(h->left + left_offset);
        }
        rrows.push_back(h->right);
      }
      Warning& w = out[i];
      w.rule_id = rule.id;
      w.rule_version = rule.version;
      w.level = rule.level;
      w.key = order[i].first;
      w.key_values.reserve(1);
      w.key_values.push_back(value_of(g));
      w.subjects.reserve(1);
      w.subjects.push_back(Subject{"key", w.key_values[0]});
      w.evidence.reserve(2);
      AddEvidence(&w, left_ds, std::move(lrows));
      AddEvidence(&w, right_ds, std::vector<uint32_t>(rrows.begin(), rrows.end()));
      w.summary = rule.id + ": " + std::to_string(w.evidence[0].rows.size()) + " " + left_ds +
                  " / " + std::to_string(w.evidence.back().rows.size()) + " " + right_ds;
    }
  });
  return out;
}

class PreparedMatch : public PreparedState {
 public:
  explicit PreparedMatch(const RunContext& ctx) : ctx_(ctx), right_(BindSide(ctx, "right")) {
    BuildRightIndex(ctx.rule->params, right_, ctx.TableOf("right").rows, &index_);
  }

  Result<std::vector<Warning>> Check(std::string_view dataset, const Table& batch,
                                     bool* handled) const override {
    *handled = dataset == ctx_.DatasetOf("left") && dataset != ctx_.DatasetOf("right");
    if (!*handled) {
      return std::vector<Warning>();
    }
    const Rule& rule = *ctx_.rule;
    auto col = [&](std::string_view slot) -> const Column* {
      const std::string& name = rule.Column("left", slot);
      return name.empty() ? nullptr : batch.Find(name);
    };
    Side left{col("key"), col("date"), col("from"), col("to")};
    if (left.key == nullptr) {
      return Status::InvalidArgument("batch", "the batch lacks the rule's key column");
    }
    Groups groups = Probe(ctx_, left, batch.rows, right_, index_, 1);
    return ToWarnings(ctx_, left, groups, index_, static_cast<uint32_t>(ctx_.TableOf("left").rows),
                      1);
  }

 private:
  RunContext ctx_;
  Side right_;
  FlatIndex index_;
};

}  // namespace

Result<std::vector<Warning>> RunMatch(const RunContext& ctx) {
  Side left = BindSide(ctx, "left");
  Side right = BindSide(ctx, "right");
  FlatIndex index;
  BuildRightIndex(ctx.rule->params, right, ctx.TableOf("right").rows, &index);
  Groups groups = Probe(ctx, left, ctx.TableOf("left").rows, right, index, ctx.threads);
  return ToWarnings(ctx, left, groups, index, 0, ctx.threads);
}

std::unique_ptr<PreparedState> PrepareMatch(const RunContext& ctx) {
  return std::make_unique<PreparedMatch>(ctx);
}

}  // namespace jiandu::monitor::internal
