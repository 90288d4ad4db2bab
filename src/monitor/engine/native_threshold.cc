// kind = "threshold": a record's value above the standard for its key plus min_excess (G04: a
// fee above the published standard). When a key has several standard rows the highest counts.
#include <algorithm>

#include "monitor/engine/internal/exec_common.h"
#include "monitor/engine/internal/flat_index.h"

namespace jiandu::monitor::internal {

Result<std::vector<Warning>> RunThreshold(const RunContext& ctx) {
  const Rule& rule = *ctx.rule;
  const Table& t = ctx.TableOf("records");
  const Column& key = *ctx.Col("records", "key");
  const Column& value = *ctx.Col("records", "value");
  const Column& std_key = *ctx.Col("standards", "key");
  const Column& std_value = *ctx.Col("standards", "value");
  const Column* subject = ctx.Col("records", "subject");
  std::vector<const Column*> identity = ctx.Cols("records", "identity");
  FlatIndex standards;
  standards.Build(ctx.TableOf("standards").rows, [&](size_t r, uint64_t* k) {
    return std_value.i64[r] != kNullI64 && NaturalKey(std_key, r, k);
  });
  JoinKeys keys(key, std_key);
  std::vector<Warning> out;
  for (size_t r = 0; r < t.rows; ++r) {
    uint64_t k;
    if (value.i64[r] == kNullI64 || !keys.Probe(r, &k)) continue;
    auto rows = standards.Find(k);
    if (rows.empty()) continue;
    int64_t standard = INT64_MIN;
    for (uint32_t s : rows) standard = std::max(standard, std_value.i64[s]);
    if (static_cast<__int128>(value.i64[r]) <= static_cast<__int128>(standard) + rule.params.min_excess) {
      continue;
    }
    std::vector<KeyValue> values;
    for (const Column* c : identity) values.push_back(ValueAt(*c, r));
    Warning w = MakeWarning(rule, std::move(values));
    if (subject != nullptr && !IsNullAt(*subject, r)) AddSubject(&w, "subject", *subject, r);
    w.summary = rule.id + ": 1 " + ctx.DatasetOf("records");
    AddEvidence(&w, ctx.DatasetOf("records"), {static_cast<uint32_t>(r)});
    AddEvidence(&w, ctx.DatasetOf("standards"), {rows.begin(), rows.end()});
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace jiandu::monitor::internal
