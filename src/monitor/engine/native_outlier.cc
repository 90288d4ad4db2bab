// kind = "outlier": a value above k × the median of its group (an amount far above the usual
// payment of its item). The median is the usual one: the middle value, or the mean of the two
// middle values — compared in integers as value × 200 > k_hundredths × (lower + upper middle),
// which is exact and is what the SQL form computes too.
#include <algorithm>
#include <map>

#include "monitor/engine/internal/exec_common.h"
#include "monitor/engine/internal/flat_index.h"
#include "monitor/engine/internal/parallel.h"

namespace jiandu::monitor::internal {
namespace {

bool IsCodeType(ColumnType t) {
  return t == ColumnType::kText || t == ColumnType::kCreditCode || t == ColumnType::kEnum;
}

// Dense group numbers of a column: dictionary codes as they are, other values through a hash
// index (its slot number).
struct Groups {
  const Column* column = nullptr;
  FlatIndex index;  // unused for code columns
  size_t count = 0;

  void Build(const Column& c, size_t rows) {
    column = &c;
    if (IsCodeType(c.spec.type)) {
      count = c.dict ? c.dict->size() : 0;
    } else {
      index.Build(rows, [&](size_t r, uint64_t* k) { return NaturalKey(c, r, k); });
      count = index.capacity();
    }
  }
  bool Of(size_t row, uint32_t* g) const {
    uint64_t k;
    if (!NaturalKey(*column, row, &k)) return false;
    *g = IsCodeType(column->spec.type) ? static_cast<uint32_t>(k) : index.FindSlot(k);
    return true;
  }
};

bool Above(int64_t value, int64_t multiple_hundredths, int64_t middle_sum) {
  return static_cast<__int128>(value) * 200 > static_cast<__int128>(multiple_hundredths) * middle_sum;
}

// The k-th smallest (0-based) of two sorted sequences together.
int64_t KthOfTwo(std::span<const int64_t> a, std::span<const int64_t> b, size_t k) {
  while (true) {
    if (a.empty()) return b[k];
    if (b.empty()) return a[k];
    if (k == 0) return std::min(a[0], b[0]);
    size_t i = std::min(a.size(), (k + 1) / 2);
    size_t j = std::min(b.size(), (k + 1) / 2);
    if (a[i - 1] < b[j - 1]) {
      a = a.subspan(i);
      k -= i;
    } else {
      b = b.subspan(j);
      k -= j;
    }
  }
}

Warning MakeOutlierWarning(const RunContext& ctx, const std::vector<const Column*>& identity,
                           const Column* subject, size_t row, uint32_t evidence_row) {
  std::vector<KeyValue> values;
  for (const Column* c : identity) values.push_back(ValueAt(*c, row));
  Warning w = MakeWarning(*ctx.rule, std::move(values));
  if (subject != nullptr && !IsNullAt(*subject, row)) {
    AddSubject(&w, "subject", *subject, row);
  }
  w.summary = ctx.rule->id + ": 1 " + ctx.DatasetOf("records");
  AddEvidence(&w, ctx.DatasetOf("records"), {evidence_row});
  return w;
}

class PreparedOutlier : public PreparedState {
 public:
  explicit PreparedOutlier(const RunContext& ctx) : ctx_(ctx) {
    const Table& t = ctx.TableOf("records");
    groups_.Build(*ctx.Col("records", "group"), t.rows);
    sorted_.resize(groups_.count);
    const Column& v = *ctx.Col("records", "value");
    for (size_t r = 0; r < t.rows; ++r) {
      uint32_t g;
      if (v.i64[r] != kNullI64 && groups_.Of(r, &g)) sorted_[g].push_back(v.i64[r]);
    }
    ParallelFor(ctx.threads, sorted_.size(),
                [&](size_t g, int) { std::sort(sorted_[g].begin(), sorted_[g].end()); });
  }

  Result<std::vector<Warning>> Check(std::string_view dataset, const Table& batch,
                                     bool* handled) const override {
    *handled = dataset == ctx_.DatasetOf("records");
    if (!*handled) return std::vector<Warning>();
    const Rule& rule = *ctx_.rule;
    const Column* g = batch.Find(rule.Column("records", "group"));
    const Column* v = batch.Find(rule.Column("records", "value"));
    const std::string& subject_name = rule.Column("records", "subject");
    const Column* subject = subject_name.empty() ? nullptr : batch.Find(subject_name);
    std::vector<const Column*> identity;
    for (const std::string& name : rule.List("records", "identity")) identity.push_back(batch.Find(name));
    std::map<uint64_t, std::vector<uint32_t>> by_group;
    for (size_t r = 0; r < batch.rows; ++r) {
      uint64_t k;
      if (v->i64[r] != kNullI64 && NaturalKey(*g, r, &k)) by_group[k].push_back(static_cast<uint32_t>(r));
    }
    JoinKeys to_base(*g, *ctx_.Col("records", "group"));
    const auto offset = static_cast<uint32_t>(ctx_.TableOf("records").rows);
    std::vector<Warning> out;
    for (auto& [k, rows] : by_group) {
      std::span<const int64_t> base;
      uint64_t base_key;
      if (to_base.Probe(rows[0], &base_key)) {
        uint32_t gid = IsCodeType(g->spec.type) ? static_cast<uint32_t>(base_key)
                                                 : groups_.index.FindSlot(base_key);
        if (gid != FlatIndex::kAbsent && gid < sorted_.size()) base = sorted_[gid];
      }
      std::vector<int64_t> fresh;
      for (uint32_t r : rows) fresh.push_back(v->i64[r]);
      std::sort(fresh.begin(), fresh.end());
      size_t n = base.size() + fresh.size();
      if (static_cast<int64_t>(n) < rule.params.min_group_size) continue;
      int64_t lo = KthOfTwo(base, fresh, (n - 1) / 2);
      int64_t hi = KthOfTwo(base, fresh, n / 2);
      for (uint32_t r : rows) {
        if (Above(v->i64[r], rule.params.multiple_hundredths, lo + hi)) {
          out.push_back(MakeOutlierWarning(ctx_, identity, subject, r, r + offset));
        }
      }
    }
    return out;
  }

 private:
  RunContext ctx_;
  Groups groups_;
  std::vector<std::vector<int64_t>> sorted_;
};

}  // namespace

Result<std::vector<Warning>> RunOutlier(const RunContext& ctx) {
  const Table& t = ctx.TableOf("records");
  const size_t n = t.rows;
  const Column& v = *ctx.Col("records", "value");
  Groups groups;
  groups.Build(*ctx.Col("records", "group"), n);
  const size_t ng = groups.count;
  // Group number per row (UINT32_MAX: no group or no value), with per-thread histograms.
  const auto t_count = static_cast<size_t>(std::max(ctx.threads, 1));
  std::vector<uint32_t> gid(n);
  std::vector<std::vector<size_t>> hist(t_count, std::vector<size_t>(ng, 0));
  auto range = [&](size_t t) {
    return std::pair<size_t, size_t>(n * t / t_count, n * (t + 1) / t_count);
  };
  ParallelFor(ctx.threads, t_count, [&](size_t t, int) {
    auto [lo, hi] = range(t);
    for (size_t r = lo; r < hi; ++r) {
      uint32_t g;
      gid[r] = (v.i64[r] != kNullI64 && groups.Of(r, &g)) ? g : UINT32_MAX;
      if (gid[r] != UINT32_MAX) ++hist[t][gid[r]];
    }
  });
  std::vector<size_t> begin(ng + 1, 0);
  std::vector<std::vector<size_t>> cursor(t_count, std::vector<size_t>(ng));
  size_t total = 0;
  for (size_t g = 0; g < ng; ++g) {
    begin[g] = total;
    for (size_t t = 0; t < t_count; ++t) {
      cursor[t][g] = total;
      total += hist[t][g];
    }
  }
  begin[ng] = total;
  std::vector<int64_t> values(total);
  ParallelFor(ctx.threads, t_count, [&](size_t t, int) {
    auto [lo, hi] = range(t);
    for (size_t r = lo; r < hi; ++r) {
      if (gid[r] != UINT32_MAX) values[cursor[t][gid[r]]++] = v.i64[r];
    }
  });
  // Per group: the two middle values by selection (no full sort).
  std::vector<int64_t> middle_sum(ng, 0);
  ParallelFor(ctx.threads, ng, [&](size_t g, int) {
    size_t m = begin[g + 1] - begin[g];
    if (m == 0) return;
    int64_t* b = values.data() + begin[g];
    std::nth_element(b, b + (m - 1) / 2, b + m);
    int64_t lo = b[(m - 1) / 2];
    int64_t hi = lo;
    if (m % 2 == 0) hi = *std::min_element(b + m / 2, b + m);
    middle_sum[g] = lo + hi;
  });
  const int64_t k = ctx.rule->params.multiple_hundredths;
  const int64_t min_size = ctx.rule->params.min_group_size;
  const size_t chunk = 1 << 16;
  std::vector<std::vector<uint32_t>> hits(ChunkCount(n, chunk));
  ParallelFor(ctx.threads, hits.size(), [&](size_t c, int) {
    for (size_t r = c * chunk; r < std::min(n, (c + 1) * chunk); ++r) {
      uint32_t g = gid[r];
      if (g != UINT32_MAX && static_cast<int64_t>(begin[g + 1] - begin[g]) >= min_size &&
          Above(v.i64[r], k, middle_sum[g])) {
        hits[c].push_back(static_cast<uint32_t>(r));
      }
    }
  });
  std::vector<const Column*> identity = ctx.Cols("records", "identity");
  const Column* subject = ctx.Col("records", "subject");
  std::vector<Warning> out;
  for (const auto& h : hits) {
    for (uint32_t r : h) out.push_back(MakeOutlierWarning(ctx, identity, subject, r, r));
  }
  return out;
}

Result<std::unique_ptr<PreparedState>> PrepareOutlier(const RunContext& ctx) {
  return std::unique_ptr<PreparedState>(std::make_unique<PreparedOutlier>(ctx));
}

}  // namespace jiandu::monitor::internal
