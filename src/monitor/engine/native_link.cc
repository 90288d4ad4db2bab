// kind = "link": source rows whose key is a member of a relation (a payee who is a declared
// relative of an official); one warning per distinct (member, owner) pair.
#include <algorithm>

#include "monitor/engine/internal/exec_common.h"
#include "monitor/engine/internal/flat_index.h"
#include "monitor/engine/internal/parallel.h"

namespace jiandu::monitor::internal {
namespace {

// The relation indexed by member, each (member, owner) pair once: its first row stands for it.
struct RelationIndex {
  FlatIndex by_member;
  std::vector<uint32_t> canonical;  // relation row → first row with the same (member, owner)

  void Build(const Column& member, const Column& owner, size_t rows) {
    by_member.Build(rows, [&](size_t r, uint64_t* key) {
      return NaturalKey(member, r, key) && !IsNullAt(owner, r);
    });
    canonical.resize(rows);
    for (size_t r = 0; r < rows; ++r) canonical[r] = static_cast<uint32_t>(r);
    for (size_t s = 0; s < by_member.capacity(); ++s) {
      if (!by_member.occupied(s)) continue;
      auto rows_of = by_member.RowsOfSlot(static_cast<uint32_t>(s));
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
  }
};

struct Hit {
  uint32_t relation;  // canonical relation row
  uint32_t source;
};

std::vector<Hit> Probe(const Column& source_key, size_t n, const Column& member,
                       const RelationIndex& rel, int threads) {
  JoinKeys keys(source_key, member);
  const size_t chunk = 1 << 16;
  std::vector<std::vector<Hit>> parts(ChunkCount(n, chunk));
  ParallelFor(threads, parts.size(), [&](size_t t, int) {
    for (size_t s = t * chunk; s < std::min(n, (t + 1) * chunk); ++s) {
      uint64_t k;
      if (!keys.Probe(s, &k)) continue;
      for (uint32_t r : rel.by_member.Find(k)) {
        if (rel.canonical[r] == r) {
          parts[t].push_back(Hit{r, static_cast<uint32_t>(s)});
        }
      }
    }
  });
  std::vector<Hit> hits;
  for (auto& p : parts) hits.insert(hits.end(), p.begin(), p.end());
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.relation != b.relation ? a.relation < b.relation : a.source < b.source;
  });
  return hits;
}

std::vector<Warning> ToWarnings(const RunContext& ctx, const std::vector<Hit>& hits,
                                uint32_t source_offset, int threads) {
  const Column& member = *ctx.Col("relation", "member");
  const Column& owner = *ctx.Col("relation", "owner");
  const std::string& source_ds = ctx.DatasetOf("source");
  const std::string& rel_ds = ctx.DatasetOf("relation");
  std::vector<size_t> starts;
  for (size_t i = 0; i < hits.size(); ++i) {
    if (i == 0 || hits[i].relation != hits[i - 1].relation) starts.push_back(i);
  }
  starts.push_back(hits.size());
  const size_t groups = starts.size() - 1;
  std::vector<Warning> out(groups);
  const size_t block = 2048;
  ParallelFor(threads, ChunkCount(groups, block), [&](size_t b, int) {
    for (size_t g = b * block; g < std::min(groups, (b + 1) * block); ++g) {
      std::vector<uint32_t> rows;
      for (size_t j = starts[g]; j < starts[g + 1]; ++j) rows.push_back(hits[j].source + source_offset);
      uint32_t r = hits[starts[g]].relation;
      Warning w = MakeWarning(*ctx.rule, {ValueAt(member, r), ValueAt(owner, r)});
      AddSubject(&w, "member", member, r);
      AddSubject(&w, "owner", owner, r);
      w.summary = ctx.rule->id + ": " + std::to_string(rows.size()) + " " + source_ds;
      AddEvidence(&w, source_ds, std::move(rows));
      AddEvidence(&w, rel_ds, {r});
      out[g] = std::move(w);
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
    std::vector<Hit> hits = Probe(*key, batch.rows, *ctx_.Col("relation", "member"), rel_, 1);
    return ToWarnings(ctx_, hits, static_cast<uint32_t>(ctx_.TableOf("source").rows), 1);
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
  std::vector<Hit> hits = Probe(*ctx.Col("source", "key"), ctx.TableOf("source").rows,
                                *ctx.Col("relation", "member"), rel, ctx.threads);
  return ToWarnings(ctx, hits, 0, ctx.threads);
}

std::unique_ptr<PreparedState> PrepareLink(const RunContext& ctx) {
  return std::make_unique<PreparedLink>(ctx);
}

}  // namespace jiandu::monitor::internal
