// kind = "window": a group with more than max_events events inside one window of window_days
// days (G03: a project changed more than n times within 90 days). A window is half-open:
// events on days d and d + window_days are not in one window.
#include <algorithm>
#include <set>

#include "monitor/engine/internal/exec_common.h"
#include "monitor/engine/internal/flat_index.h"

namespace jiandu::monitor::internal {

Result<std::vector<Warning>> RunWindow(const RunContext& ctx) {
  const Table& t = ctx.TableOf("events");
  const Column& group = *ctx.Col("events", "group");
  const Column& date = *ctx.Col("events", "date");
  const int64_t n_max = ctx.rule->params.max_events;
  const int64_t days = ctx.rule->params.window_days;
  FlatIndex groups;
  groups.Build(t.rows, [&](size_t r, uint64_t* k) {
    return date.i32[r] != kNullI32 && NaturalKey(group, r, k);
  });
  std::vector<Warning> out;
  std::vector<std::pair<int32_t, uint32_t>> events;
  for (size_t s = 0; s < groups.capacity(); ++s) {
    if (!groups.occupied(s)) continue;
    auto rows = groups.RowsOfSlot(static_cast<uint32_t>(s));
    if (static_cast<int64_t>(rows.size()) <= n_max) continue;
    events.clear();
    for (uint32_t r : rows) events.emplace_back(date.i32[r], r);
    std::sort(events.begin(), events.end());
    std::set<uint32_t> flagged;
    for (size_t i = 0; i + n_max < events.size(); ++i) {
      if (int64_t{events[i + n_max].first} - events[i].first < days) {
        for (size_t j = i; j <= i + n_max; ++j) flagged.insert(events[j].second);
      }
    }
    if (flagged.empty()) continue;
    Warning w = MakeWarning(*ctx.rule, {ValueAt(group, rows[0])});
    AddSubject(&w, "group", group, rows[0]);
    w.summary = ctx.rule->id + ": " + std::to_string(flagged.size()) + " " +
                ctx.DatasetOf("events");
    AddEvidence(&w, ctx.DatasetOf("events"), {flagged.begin(), flagged.end()});
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace jiandu::monitor::internal
