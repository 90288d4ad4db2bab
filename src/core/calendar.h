// Calendar: China's working-day calendar, loaded from one data file per year, and the deadline
// arithmetic built on it (DOMAIN.md §8).
//
//   const core::Calendar& cal = core::Calendar::Default();   // the embedded years
//   JIANDU_ASSIGN_OR_RETURN(core::CivilDate due, cal.AddWorkingDays(received_on, 15));
//   // received Fri 2025-09-26 → due Thu 2025-10-23 (Sun 09-28 and Sat 10-11 are workdays)
//   JIANDU_ASSIGN_OR_RETURN(core::CivilDate end, cal.MonthsDeadline(delivered_on, 6));
//
// A day is a working day iff the year's file lists it as a make-up workday (调休上班), or it is
// Monday–Friday and not listed as a holiday. The State Council publishes each year's arrangement
// late in the year before, so every year is a separate versioned file (data/calendar/YYYY.csv):
//
//   # year=2025 source=国办发明电〔2024〕12号 published=2024-11-12
//   from,to,kind,name
//   2025-01-01,2025-01-01,holiday,元旦
//   2025-01-26,2025-01-26,workday,春节
//
// Any query that needs a day of a year without a file fails with failed_precondition naming the
// year; there is deliberately no "weekends only" fallback, which would silently give wrong
// deadlines around every holiday.
//
// A Calendar is immutable after Parse(); const methods are thread-safe.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.h"
#include "core/result.h"

namespace jiandu::core {

class Calendar {
 public:
  // Parses one file per year in the format above. Rules: the first line is the
  // "# year= source= published=" comment; further '#' lines and blank lines are ignored; then
  // the header "from,to,kind,name"; each row's dates fall in the file's year with from <= to;
  // kind is "holiday" or "workday"; a make-up workday is a Saturday or Sunday; no date is listed
  // twice; no year is given twice. invalid_argument naming "calendar", with the file's position
  // (1-based), its year when known, the line number and the reason.
  static Result<Calendar> Parse(std::span<const std::string_view> year_files);

  // The years embedded in the binary (data/calendar/*.csv). Parsed once on first use; aborts if
  // the embedded data is corrupt (a build bug, caught by calendar_test).
  static const Calendar& Default();
  // The embedded years plus further year files (e.g. the next year's arrangement, published by
  // the State Council each November, dropped into the data directory): the same rules as
  // Parse; a year already embedded cannot be given again.
  static Result<Calendar> WithExtraYears(std::span<const std::string_view> extra_files);
  // The embedded files, oldest first.
  static std::vector<std::string_view> EmbeddedFiles();

  // failed_precondition if `day`'s year has no file.
  Result<bool> IsWorkingDay(CivilDate day) const;

  // The n-th working day after `start` (the start day itself is not counted, 民法典 art 201);
  // `start` for n == 0. invalid_argument for n < 0; failed_precondition when a day it must
  // inspect lies in a year without a file.
  Result<CivilDate> AddWorkingDays(CivilDate start, int n) const;

  // The number of working days in (from, to]; negative, -WorkingDaysBetween(to, from), when
  // to < from. failed_precondition as above.
  Result<int> WorkingDaysBetween(CivilDate from, CivilDate to) const;

  // A deadline of `days` natural days: start + days (start excluded, art 201); when that last
  // day is a rest day (weekend or holiday) the deadline moves to the next working day
  // (art 203). invalid_argument unless 0 <= days <= 36525; failed_precondition as above.
  Result<CivilDate> CalendarDaysDeadline(CivilDate start, int days) const;

  // A deadline of `months` months: the corresponding day of the final month, or its last day
  // when there is none (art 202: 2024-10-31 + 6 → 2025-04-30), moved past rest days as in
  // CalendarDaysDeadline. invalid_argument unless 0 <= months <= 1200; failed_precondition as
  // above.
  Result<CivilDate> MonthsDeadline(CivilDate start, int months) const;

  // The loaded years, ascending.
  std::vector<int> Years() const;

  // The document a year's file was built from ("国办发明电〔2024〕12号"), for recording next to a
  // computed deadline. failed_precondition if the year has no file.
  Result<std::string> SourceDocument(int year) const;

 private:
  struct Year {
    CivilDate first_day;  // January 1
    std::string source;
    CivilDate published;
    std::vector<bool> working;  // indexed by day of year, 0 = January 1
  };
  friend class CalendarFileParser;

  Calendar() = default;
  Result<const Year*> FindYear(int year) const;
  Result<CivilDate> NextWorkingDayFrom(CivilDate day) const;

  std::map<int, Year> years_;
};

}  // namespace jiandu::core
