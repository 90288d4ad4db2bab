// kind = "count": groups with more than max_count rows (G01: one official leading more than N
// projects); with a `members` role only groups whose key is a member (an official) count.
#include <algorithm>
#include <map>

#include "monitor/engine/internal/exec_common.h"
#include "monitor/engine/internal/flat_index.h"

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

Result<std::vector<Warning>> RunCount(const RunContext& ctx) {
  const Column& g = *ctx.Col("records", "group");
  FlatIndex groups;
  groups.Build(ctx.TableOf("records").rows,
               [&](size_t r, uint64_t* k) { return NaturalKey(g, r, k); });
  Members members(ctx);
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
