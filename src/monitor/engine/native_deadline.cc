// kind = "deadline": a record whose elapsed working days exceed its time limit (G04: an
// approval decided after its statutory limit). Elapsed = working days in (start, end] on the
// working-day calendar (DOMAIN.md §8: the start day is not counted); an open record (no end)
// is measured to params.as_of when given, else skipped.
#include "monitor/engine/internal/exec_common.h"

namespace jiandu::monitor::internal {

Result<std::vector<Warning>> RunDeadline(const RunContext& ctx) {
  const Table& t = ctx.TableOf("records");
  const Rule& rule = *ctx.rule;
  const Column& start = *ctx.Col("records", "start");
  const Column* end = ctx.Col("records", "end");
  const Column* limit = ctx.Col("records", "limit");
  const Column* subject = ctx.Col("records", "subject");
  std::vector<const Column*> identity = ctx.Cols("records", "identity");
  std::vector<Warning> out;
  for (size_t r = 0; r < t.rows; ++r) {
    if (start.i32[r] == kNullI32) continue;
    int32_t e = end != nullptr ? end->i32[r] : kNullI32;
    if (e == kNullI32) {
      if (!rule.params.as_of) continue;
      e = *rule.params.as_of;
    }
    int64_t lim = kNullI64;
    if (limit != nullptr && limit->i64[r] != kNullI64) {
      lim = limit->i64[r];
    } else if (rule.params.limit_days) {
      lim = *rule.params.limit_days;
    }
    if (lim == kNullI64) continue;
    JIANDU_ASSIGN_OR_RETURN(int elapsed, ctx.calendar->WorkingDaysBetween(
                                             core::CivilDate::FromDayNumber(start.i32[r]),
                                             core::CivilDate::FromDayNumber(e)));
    if (elapsed <= lim) continue;
    std::vector<KeyValue> values;
    for (const Column* c : identity) values.push_back(ValueAt(*c, r));
    Warning w = MakeWarning(rule, std::move(values));
    if (subject != nullptr && !IsNullAt(*subject, r)) AddSubject(&w, "subject", *subject, r);
    w.summary = rule.id + ": " + std::to_string(elapsed) + " > " + std::to_string(lim);
    AddEvidence(&w, ctx.DatasetOf("records"), {static_cast<uint32_t>(r)});
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace jiandu::monitor::internal
