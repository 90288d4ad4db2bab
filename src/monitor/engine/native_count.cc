// kind = "count": groups with more than max_count rows (G01: one official leading more than N
// projects); with a `members` role only groups whose key is a member (an official) count.
#include <algorithm>
#include <cstdio>
#include <map>

#include "monitor/engine/internal/exec_common.h"
#include "monitor/engine/internal/flat_index.h"
#include "monitor/engine/internal/parallel.h"

namespace jiandu::monitor::internal {
namespace {

struct Members {
  const Column* key = nullptr;  // nullptr: every group counts
  FlatIndex index;

  explicit Members(const RunContext& ctx) : key(ctx.Col("members", "key")) {
    if (key != nullptr) {
      index.Build(ctx.TableOf("members").rows,
                  [&](size_t r, uint64_t* k) { return NaturalKey(*key, r, k); });
    }
  }
  // Member rows whose key equals `group` at row `row` of column `group`.
  bool Contains(const Column& group, size_t row, std::vector<uint32_t>* rows) const {
    if (key == nullptr) return true;
    JoinKeys keys(group, *key);
    uint64_t k;
    if (!keys.Probe(row, &k)) return false;
    auto hits = index.Find(k);
    rows->assign(hits.begin(), hits.end());
    return !hits.empty();
  }
};

Warning MakeCountWarning(const RunContext& ctx, const Column& group, size_t row,
                         std::vector<uint32_t> rows, std::vector<uint32_t> member_rows) {
  Warning w = MakeWarning(*ctx.rule, {ValueAt(group, row)});
  AddSubject(&w, "group", group, row);
  w.summary = ctx.rule->id + ": " + std::to_string(rows.size()) + " " + ctx.DatasetOf("records");
  AddEvidence(&w, ctx.DatasetOf("records"), std::move(rows));
  if (!member_rows.empty()) {
    AddEvidence(&w, ctx.DatasetOf("members"), std::move(member_rows));
  }
  return w;
}

class PreparedCount : public PreparedState {
 public:
  explicit PreparedCount(const RunContext& ctx) : ctx_(ctx), members_(ctx) {
    const Column& g = *ctx.Col("records", "group");
    groups_.Build(ctx.TableOf("records").rows,
                  [&](size_t r, uint64_t* k) { return NaturalKey(g, r, k); });
  }

  Result<std::vector<Warning>> Check(std::string_view dataset, const Table& batch,
                                     bool* handled) const override {
    *handled = dataset == ctx_.DatasetOf("records") &&
               (ctx_.rule->Input("members") == nullptr || dataset != ctx_.DatasetOf("members"));
    if (!*handled) return std::vector<Warning>();
    const Column* g = batch.Find(ctx_.rule->Column("records", "group"));
    if (g == nullptr) return Status::InvalidArgument("batch", "the batch lacks the group column");
    const auto offset = static_cast<uint32_t>(ctx_.TableOf("records").rows);
    std::map<uint64_t, std::vector<uint32_t>> batch_groups;
    for (size_t r = 0; r < batch.rows; ++r) {
      uint64_t k;
      if (NaturalKey(*g, r, &k)) batch_groups[k].push_back(static_cast<uint32_t>(r));
    }
    JoinKeys to_base(*g, *ctx_.Col("records", "group"));
    std::vector<Warning> out;
    for (auto& [k, rows] : batch_groups) {
      std::vector<uint32_t> all;
      uint64_t base_key;
      if (to_base.Probe(rows[0], &base_key)) {
        auto base_rows = groups_.Find(base_key);
        all.assign(base_rows.begin(), base_rows.end());
      }
      for (uint32_t r : rows) all.push_back(r + offset);
      std::vector<uint32_t> member_rows;
      if (static_cast<int64_t>(all.size()) > ctx_.rule->params.max_count &&
          members_.Contains(*g, rows[0], &member_rows)) {
        Warning w = MakeCountWarning(ctx_, *g, rows[0], std::move(all), std::move(member_rows));
        out.push_back(std::move(w));
      }
    }
    return out;
  }

 private:
  RunContext ctx_;
  Members members_;
  FlatIndex groups_;
};

}  // namespace

namespace {

// With a members role (G01: projects whose leader is an official): the records are counted per
// member key straight into an array over the members' index slots (a small table: 50 k
// officials), so no index over all 200 k records is built and scanned; only the rows of groups
// above the maximum are collected, in a second pass over the slots noted in the first. The
// warnings are built in stable-key order (nothing left to sort or merge).
std::vector<Warning> CountMembers(const RunContext& ctx, const Column& g, const Members& members) {
  const FlatIndex& index = members.index;
  const size_t n = ctx.TableOf("records").rows;
  const int64_t max_count = ctx.rule->params.max_count;
  JoinKeys keys(g, *members.key);
  // Both cores count half of the rows each into their own array; the arrays are then added.
  const auto tasks = static_cast<size_t>(std::max(1, std::min(ctx.threads, n < 65536 ? 1 : 2)));
  std::vector<std::vector<uint32_t>> counts(tasks);
  const auto none = static_cast<uint32_t>(index.capacity());  // the slot of rows of no member
  std::vector<uint32_t> slot_of(n);
  ParallelFor(static_cast<int>(tasks), tasks, [&](size_t t, int) {
    std::vector<uint32_t> c(none + 1, 0);
    constexpr size_t kBatch = 64;
    uint64_t key[kBatch], hash[kBatch];
    uint32_t row[kBatch];
    const size_t lo = n * t / tasks, hi = n * (t + 1) / tasks;
    for (size_t b = lo; b < hi; b += kBatch) {
      const size_t stop = std::min(hi, b + kBatch);
      size_t m = 0;
      for (size_t r = b; r < stop; ++r) {
        slot_of[r] = none;
        uint64_t k;
        if (!keys.Probe(r, &k)) continue;
        const uint64_t h = FlatIndex::Hash(k);
        if (!index.MayContain(h)) continue;
        index.Prefetch(h);
        key[m] = k;
        hash[m] = h;
        row[m] = static_cast<uint32_t>(r);
        ++m;
      }
      for (size_t i = 0; i < m; ++i) {
        uint32_t s = index.FindSlot(key[i], hash[i]);
        s = s == FlatIndex::kAbsent ? none : s;  // branch-free: 70 % of leaders are members
        slot_of[row[i]] = s;
        ++c[s];
      }
    }
    counts[t] = std::move(c);
  });
  std::vector<uint32_t> count = std::move(counts[0]);
  for (size_t t = 1; t < tasks; ++t) {
    for (size_t s = 0; s < count.size(); ++s) count[s] += counts[t][s];
  }
  // Groups above the maximum: group number per slot, and where each group's rows start.
  std::vector<uint32_t> group_slot, begin;
  uint32_t total = 0;
  count[none] = 0;
  for (size_t s = 0; s < count.size(); ++s) {
    if (static_cast<int64_t>(count[s]) > max_count) {
      group_slot.push_back(static_cast<uint32_t>(s));
      begin.push_back(total);
      total += count[s];
      count[s] = static_cast<uint32_t>(group_slot.size());  // 1 + group number
    } else {
      count[s] = 0;
    }
  }
  begin.push_back(total);
  const size_t groups = group_slot.size();
  // Branch-free placement: rows of no group go to a scratch place after the last group's.
  std::vector<uint32_t> rows(total + 1);
  std::vector<uint32_t> at(groups + 1);
  at[0] = total;
  for (size_t i = 0; i < groups; ++i) at[i + 1] = begin[i];
  for (size_t r = 0; r < n; ++r) {
    const uint32_t gi = count[slot_of[r]];
    rows[at[gi]] = static_cast<uint32_t>(r);
    at[gi] += gi != 0;
  }
  std::vector<std::pair<uint64_t, uint32_t>> order(groups);
  for (size_t i = 0; i < groups; ++i) {
    KeyValue v = ValueAt(g, rows[begin[i]]);
    order[i] = {StableKeyOf(ctx.rule->id, &v, 1), static_cast<uint32_t>(i)};
  }
  std::sort(order.begin(), order.end());
  std::vector<Warning> out(groups);
  constexpr size_t kBlock = 1024;
  const Rule& rule = *ctx.rule;
  const std::string& records_ds = ctx.DatasetOf("records");
  const std::string& members_ds = ctx.DatasetOf("members");
  ParallelFor(ctx.threads, ChunkCount(groups, kBlock), [&](size_t c, int) {
    char summary[96];
    for (size_t j = c * kBlock; j < std::min(groups, (c + 1) * kBlock); ++j) {
      const uint32_t i = order[j].second;
      // What MakeCountWarning builds, without its temporaries: the rows are ascending and
      // distinct already (placed in row order; a member index run is ascending).
      auto member_rows = index.RowsOfSlot(group_slot[i]);
      const uint32_t first = rows[begin[i]];
      const size_t size = begin[i + 1] - begin[i];
      Warning& w = out[j];
      w.rule_id = rule.id;
      w.rule_version = rule.version;
      w.level = rule.level;
      w.key = order[j].first;
      w.key_values.reserve(1);
      w.key_values.push_back(ValueAt(g, first));
      w.subjects.reserve(1);
      w.subjects.push_back(Subject{"group", w.key_values[0]});
      const int len = std::snprintf(summary, sizeof summary, "%s: %zu %s", rule.id.c_str(), size,
                                    records_ds.c_str());
      if (len > 0 && static_cast<size_t>(len) < sizeof summary) {
        w.summary.assign(summary, static_cast<size_t>(len));
      } else {
        w.summary = rule.id + ": " + std::to_string(size) + " " + records_ds;
      }
      w.evidence.resize(member_rows.empty() ? 1 : 2);
      w.evidence[0].dataset = records_ds;
      w.evidence[0].rows.assign(rows.begin() + begin[i], rows.begin() + begin[i + 1]);
      if (!member_rows.empty()) {
        w.evidence[1].dataset = members_ds;
        w.evidence[1].rows.assign(member_rows.begin(), member_rows.end());
      }
    }
  });
  return out;
}

}  // namespace

Result<std::vector<Warning>> RunCount(const RunContext& ctx) {
  const Column& g = *ctx.Col("records", "group");
  Members members(ctx);
  if (members.key != nullptr) {
    auto w = CountMembers(ctx, g, members);
    return w;
  }
  FlatIndex groups;
  groups.Build(ctx.TableOf("records").rows,
               [&](size_t r, uint64_t* k) { return NaturalKey(g, r, k); });
  std::vector<Warning> out;
  for (size_t s = 0; s < groups.capacity(); ++s) {
    if (!groups.occupied(s)) continue;
    auto rows = groups.RowsOfSlot(static_cast<uint32_t>(s));
    std::vector<uint32_t> member_rows;
    if (static_cast<int64_t>(rows.size()) > ctx.rule->params.max_count &&
        members.Contains(g, rows[0], &member_rows)) {
      out.push_back(MakeCountWarning(ctx, g, rows[0], {rows.begin(), rows.end()},
                                     std::move(member_rows)));
    }
  }
  return out;
}

std::unique_ptr<PreparedState> PrepareCount(const RunContext& ctx) {
  return std::make_unique<PreparedCount>(ctx);
}

}  // namespace jiandu::monitor::internal
