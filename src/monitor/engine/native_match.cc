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
}

struct Pair {
  uint64_t group;  // left key (number or left code)
  uint32_t left;
  uint32_t right;
};

// Probes rows [0, n) of `left` (a base table or a batch) against the right index.
std::vector<Pair> Probe(const RunContext& ctx, const Side& left, size_t n, const Side& right,
                        const FlatIndex& index, int threads) {
  JoinKeys keys(*left.key, *right.key);
  const RuleParams& p = ctx.rule->params;
  const size_t chunk = 1 << 16;
  std::vector<std::vector<Pair>> parts(ChunkCount(n, chunk));
  ParallelFor(threads, parts.size(), [&](size_t t, int) {
    for (size_t l = t * chunk; l < std::min(n, (t + 1) * chunk); ++l) {
      uint64_t k;
      if (!keys.Probe(l, &k)) {
        continue;
      }
      for (uint32_t r : index.Find(k)) {
        if (Holds(p, left, l, right, r)) {
          uint64_t g;
          NaturalKey(*left.key, l, &g);
          parts[t].push_back(Pair{g, static_cast<uint32_t>(l), r});
        }
      }
    }
  });
  std::vector<Pair> pairs;
  for (auto& part : parts) {
    pairs.insert(pairs.end(), part.begin(), part.end());
  }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
    return a.group != b.group ? a.group < b.group : a.left < b.left;
  });
  return pairs;
}

std::vector<Warning> ToWarnings(const RunContext& ctx, const Side& left,
                                const std::vector<Pair>& pairs, uint32_t left_offset,
                                int threads) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i == 0 || pairs[i].group != pairs[i - 1].group) starts.push_back(i);
  }
  starts.push_back(pairs.size());
  const size_t groups = starts.size() - 1;
  std::vector<Warning> out(groups);
  const std::string& left_ds = ctx.DatasetOf("left");
  const std::string& right_ds = ctx.DatasetOf("right");
  const size_t block = 2048;
  ParallelFor(threads, ChunkCount(groups, block), [&](size_t b, int) {
    for (size_t g = b * block; g < std::min(groups, (b + 1) * block); ++g) {
      std::vector<uint32_t> lrows, rrows;
      for (size_t j = starts[g]; j < starts[g + 1]; ++j) {
        lrows.push_back(pairs[j].left + left_offset);
        rrows.push_back(pairs[j].right);
      }
      const uint32_t first = pairs[starts[g]].left;
      Warning w = MakeWarning(*ctx.rule, {ValueAt(*left.key, first)});
      AddSubject(&w, "key", *left.key, first);
      AddEvidence(&w, left_ds, std::move(lrows));
      AddEvidence(&w, right_ds, std::move(rrows));
      w.summary = ctx.rule->id + ": " + std::to_string(w.evidence[0].rows.size()) + " " +
                  left_ds + " / " + std::to_string(w.evidence.back().rows.size()) + " " + right_ds;
      out[g] = std::move(w);
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
    std::vector<Pair> pairs = Probe(ctx_, left, batch.rows, right_, index_, 1);
    return ToWarnings(ctx_, left, pairs, static_cast<uint32_t>(ctx_.TableOf("left").rows), 1);
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
  std::vector<Pair> pairs = Probe(ctx, left, ctx.TableOf("left").rows, right, index, ctx.threads);
  return ToWarnings(ctx, left, pairs, 0, ctx.threads);
}

std::unique_ptr<PreparedState> PrepareMatch(const RunContext& ctx) {
  return std::make_unique<PreparedMatch>(ctx);
}

}  // namespace jiandu::monitor::internal
