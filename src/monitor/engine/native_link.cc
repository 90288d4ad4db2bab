// kind = "link": source rows whose key is a member of a relation (a payee who is a declared
// relative of an official); one warning per distinct (member, owner) pair.
#include <algorithm>
#include <cstdio>

#include "monitor/engine/internal/exec_common.h"
#include "monitor/engine/internal/flat_index.h"
#include "monitor/engine/internal/parallel.h"

namespace jiandu::monitor::internal {
namespace {

// The relation indexed by member, each (member, owner) pair once: its first row stands for it.
struct RelationIndex {
  std::vector<uint32_t> canonical;  // relation row → first row with the same (member, owner)
  FlatIndex probe;                  // canonical rows by member (with a filter: most payees are
                                    // nobody's relative)

  void Build(const Column& member, const Column& owner, size_t rows) {
    probe.Build(rows, [&](size_t r, uint64_t* key) {
      return NaturalKey(member, r, key) && !IsNullAt(owner, r);
    });
    canonical.resize(rows);
    for (size_t r = 0; r < rows; ++r) canonical[r] = static_cast<uint32_t>(r);
    for (size_t s = 0; s < probe.capacity(); ++s) {
      if (!probe.occupied(s)) continue;
      auto rows_of = probe.RowsOfSlot(static_cast<uint32_t>(s));
      for (size_t i = 1; i < rows_of.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
          uint64_t a, b;
          NaturalKey(owner, rows_of[i], &a);
          NaturalKey(owner, rows_of[j], &b);
          if (a == b) {
            canonical[rows_of[i]] = canonical[rows_of[j]];
            break;
          }
        }
      }
    }
    // The probe side only ever wants canonical rows, so a hit reads no canonical[] entry.
    probe.FilterRows([&](uint32_t r) { return canonical[r] == r; });
    probe.BuildFilter();
  }
};

// Source rows grouped by canonical relation row: rows [begin[g], begin[g + 1]) of `sources`
// are group g (relation row relation[g]), ascending.
struct Groups {
  std::vector<uint32_t> relation;
  std::vector<uint32_t> begin;
  std::vector<uint32_t> sources;
};

// Probes source rows [0, n) against the members (through the index's filter: most payees are
// nobody's relative), both cores each taking chunks of rows; then groups the hits by relation
// row with a counting sort (stable: source rows stay ascending).
Groups Probe(const Column& source_key, size_t n, const Column& member, const RelationIndex& rel,
             int threads) {
  struct Hit {
    uint32_t relation;
    uint32_t source;
  };
  JoinKeys keys(source_key, member);
  const size_t chunk = 1 << 16;
  std::vector<std::vector<Hit>> parts(ChunkCount(n, chunk));
  ParallelFor(threads, parts.size(), [&](size_t t, int) {
    // Batches of rows in two passes (filter, table), so that the cache misses of the few rows
    // that pass the filter overlap instead of following one another.
    constexpr size_t kBatch = 256;
    uint32_t row[kBatch];
    uint64_t key[kBatch], hash[kBatch];
    // Collected in a local vector (the vectors in `parts` have neighbouring headers, which two
    // threads appending at once would keep stealing from each other).
    std::vector<Hit> out;
    const size_t end = std::min(n, (t + 1) * chunk);
    for (size_t b = t * chunk; b < end; b += kBatch) {
      const size_t stop = std::min(end, b + kBatch);
      // Three steps: hash every key and prefetch its filter word; test the filters (the loads
      // overlap) and prefetch the table slots of the few that pass; look those up.
      size_t k_n = 0;
      for (size_t s = b; s < stop; ++s) {
        uint64_t k;
        if (!keys.Probe(s, &k)) continue;
        const uint64_t h = FlatIndex::Hash(k);
        rel.probe.PrefetchFilter(h);
        row[k_n] = static_cast<uint32_t>(s);
        key[k_n] = k;
        hash[k_n] = h;
        ++k_n;
      }
      size_t m = 0;
      for (size_t i = 0; i < k_n; ++i) {
        const uint64_t h = hash[i];
        if (!rel.probe.MayContain(h)) continue;
        rel.probe.Prefetch(h);
        row[m] = row[i];
        key[m] = key[i];
        hash[m] = h;
        ++m;
      }
      for (size_t i = 0; i < m; ++i) {
        const uint32_t slot = rel.probe.FindSlot(key[i], hash[i]);
        if (slot == FlatIndex::kAbsent) continue;
        for (uint32_t r : rel.probe.RowsOfSlot(slot)) out.push_back(Hit{r, row[i]});
      }
    }
    parts[t] = std::move(out);
  });
  std::vector<uint32_t> at(rel.canonical.size() + 1, 0);
  size_t total = 0;
  for (const auto& part : parts) {
    total += part.size();
    for (const Hit& h : part) ++at[h.relation];
  }
  Groups g;
  uint32_t sum = 0;
  for (size_t r = 0; r < rel.canonical.size(); ++r) {
    const uint32_t c = at[r];
    if (c != 0) {
      g.relation.push_back(static_cast<uint32_t>(r));
      g.begin.push_back(sum);
    }
    at[r] = sum;
    sum += c;
  }
  g.begin.push_back(sum);
  g.sources.resize(total);
  for (auto& part : parts) {
    for (const Hit& h : part) g.sources[at[h.relation]++] = h.source;
    std::vector<Hit>().swap(part);
  }
  return g;
}

// One warning per group, built in stable-key order (so the executor's sort has nothing to do),
// each with its vectors sized once. Nothing is kept per group between the key pass and the
// build pass but the key: the build pass reads the relation's columns again (small, cached)
// rather than a large array of values in random order.
std::vector<Warning> ToWarnings(const RunContext& ctx, const Groups& groups,
                                uint32_t source_offset, int threads) {
  const Column& member = *ctx.Col("relation", "member");
  const Column& owner = *ctx.Col("relation", "owner");
  const std::string& source_ds = ctx.DatasetOf("source");
  const std::string& rel_ds = ctx.DatasetOf("relation");
  const Rule& rule = *ctx.rule;
  const size_t n = groups.relation.size();
  const size_t block = 2048;
  std::vector<std::pair<uint64_t, uint32_t>> order(n);
  ParallelFor(threads, ChunkCount(n, block), [&](size_t b, int) {
    KeyValue v[2];
    for (size_t g = b * block; g < std::min(n, (b + 1) * block); ++g) {
      const uint32_t r = groups.relation[g];
      v[0] = ValueAt(member, r);
      v[1] = ValueAt(owner, r);
      order[g] = {StableKeyOf(rule.id, v, 2), static_cast<uint32_t>(g)};
    }
  });
  SortKeyIndex(&order);
  // Built in key order, each block of warnings by one thread: the output (160 bytes a warning,
  // ~28 MB for R02) is written sequentially, and the random reads go to the groups' arrays
  // (a few MB, cache-resident), which was measured faster than building in group order and
  // writing each warning to its place in key order. The evidence rows of a group are already
  // ascending and distinct (counting sort of source rows in row order; one hit per canonical
  // relation row), so they are stored as they are, without AddEvidence's sort.
  std::vector<Warning> out(n);
  ParallelFor(threads, ChunkCount(n, block), [&](size_t b, int) {
    char summary[96];
    for (size_t i = b * block; i < std::min(n, (b + 1) * block); ++i) {
      const uint32_t g = order[i].second;
      const uint32_t r = groups.relation[g];
      const uint32_t* first = groups.sources.data() + groups.begin[g];
      const uint32_t* last = groups.sources.data() + groups.begin[g + 1];
      Warning& w = out[i];
      w.rule_id = rule.id;
      w.rule_version = rule.version;
      w.level = rule.level;
      w.key = order[i].first;
      w.key_values.reserve(2);
      w.key_values.push_back(ValueAt(member, r));
      w.key_values.push_back(ValueAt(owner, r));
      w.subjects.reserve(2);
      w.subjects.push_back(Subject{"member", w.key_values[0]});
      w.subjects.push_back(Subject{"owner", w.key_values[1]});
      const int len = std::snprintf(summary, sizeof summary, "%s: %zu %s", rule.id.c_str(),
                                    static_cast<size_t>(last - first), source_ds.c_str());
      if (len > 0 && static_cast<size_t>(len) < sizeof summary) {
        w.summary.assign(summary, static_cast<size_t>(len));
      } else {
        w.summary = rule.id + ": " + std::to_string(last - first) + " " + source_ds;
      }
      w.evidence.resize(2);
      w.evidence[0].dataset = source_ds;
      w.evidence[0].rows.assign(first, last);
      if (source_offset != 0) {
        for (uint32_t& x : w.evidence[0].rows) x += source_offset;
      }
      w.evidence[1].dataset = rel_ds;
      w.evidence[1].rows.assign(1, r);
    }
  });
  return out;
}

class PreparedLink : public PreparedState {
 public:
  explicit PreparedLink(const RunContext& ctx) : ctx_(ctx) {
    rel_.Build(*ctx.Col("relation", "member"), *ctx.Col("relation", "owner"),
               ctx.TableOf("relation").rows);
  }
  Result<std::vector<Warning>> Check(std::string_view dataset, const Table& batch,
                                     bool* handled) const override {
    *handled = dataset == ctx_.DatasetOf("source") && dataset != ctx_.DatasetOf("relation");
    if (!*handled) return std::vector<Warning>();
    const Column* key = batch.Find(ctx_.rule->Column("source", "key"));
    if (key == nullptr) {
      return Status::InvalidArgument("batch", "the batch lacks the rule's key column");
    }
    Groups groups = Probe(*key, batch.rows, *ctx_.Col("relation", "member"), rel_, 1);
    return ToWarnings(ctx_, groups, static_cast<uint32_t>(ctx_.TableOf("source").rows), 1);
  }

 private:
  RunContext ctx_;
  RelationIndex rel_;
};

}  // namespace

Result<std::vector<Warning>> RunLink(const RunContext& ctx) {
  RelationIndex rel;
  rel.Build(*ctx.Col("relation", "member"), *ctx.Col("relation", "owner"),
            ctx.TableOf("relation").rows);
  Groups groups = Probe(*ctx.Col("source", "key"), ctx.TableOf("source").rows,
                        *ctx.Col("relation", "member"), rel, ctx.threads);
  auto w= ToWarnings(ctx, groups, 0, ctx.threads);
  return w;
}

std::unique_ptr<PreparedState> PrepareLink(const RunContext& ctx) {
  return std::make_unique<PreparedLink>(ctx);
}

}  // namespace jiandu::monitor::internal
