// Property tests for core::Calendar over the embedded years (2024-2026). A failure prints the
// seed; replay it with RC_PARAMS="seed=<n>" ./calendar_property_test.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "core/calendar.h"

namespace jiandu::core {
namespace {

const Calendar& Cal() { return Calendar::Default(); }

// A date in [from, to].
CivilDate DateIn(std::string_view from, std::string_view to) {
  return CivilDate::FromDayNumber(*rc::gen::inRange(CivilDate::Parse(from)->day_number(),
                                                    CivilDate::Parse(to)->day_number() + 1));
}

bool IsWorking(CivilDate d) { return *Cal().IsWorkingDay(d); }

RC_GTEST_PROP(CalendarProperty, AddWorkingDaysLandsOnWorkingDayAndCountsBack, ()) {
  // Up to 120 working days from a start before July 2026 stays inside the loaded years.
  const CivilDate start = DateIn("2024-01-01", "2026-06-30");
  const int n = *rc::gen::inRange(1, 121);
  Result<CivilDate> end = Cal().AddWorkingDays(start, n);
  RC_ASSERT(end.ok());
  RC_ASSERT(IsWorking(*end));
  RC_ASSERT(*Cal().WorkingDaysBetween(start, *end) == n);
  // Minimal: the day before the result still had only n - 1 working days.
  RC_ASSERT(*Cal().WorkingDaysBetween(start, end->AddDays(-1)) == n - 1);
}

RC_GTEST_PROP(CalendarProperty, WorkingDaysBetweenIsAdditive, ()) {
  const CivilDate a = DateIn("2024-01-01", "2026-12-31");
  const CivilDate b = DateIn("2024-01-01", "2026-12-31");
  const CivilDate c = DateIn("2024-01-01", "2026-12-31");
  RC_ASSERT(*Cal().WorkingDaysBetween(a, b) + *Cal().WorkingDaysBetween(b, c) ==
            *Cal().WorkingDaysBetween(a, c));
}

RC_GTEST_PROP(CalendarProperty, MonthsDeadlineIsTheFirstWorkingDayFromTheNominalEnd, ()) {
  // Nominal ends stay on or before 2026-12-31, a Thursday and a working day.
  const CivilDate start = DateIn("2024-01-01", "2025-12-31");
  const int months = *rc::gen::inRange(0, 13);
  Result<CivilDate> due = Cal().MonthsDeadline(start, months);
  RC_ASSERT(due.ok());
  RC_ASSERT(IsWorking(*due));
  const CivilDate nominal = start.AddMonths(months);
  RC_ASSERT(*due >= nominal);
  for (CivilDate d = nominal; d < *due; d = d.AddDays(1)) {
    RC_ASSERT(!IsWorking(d));
  }
}

RC_GTEST_PROP(CalendarProperty, CalendarDaysDeadlineNeverLandsOnARestDay, ()) {
  const CivilDate start = DateIn("2024-01-01", "2026-06-30");
  const int days = *rc::gen::inRange(0, 180);
  Result<CivilDate> due = Cal().CalendarDaysDeadline(start, days);
  RC_ASSERT(due.ok());
  RC_ASSERT(IsWorking(*due));
  for (CivilDate d = start.AddDays(days); d < *due; d = d.AddDays(1)) {
    RC_ASSERT(!IsWorking(d));
  }
}

}  // namespace
}  // namespace jiandu::core
