// Fuzzes core::Calendar::Parse with arbitrary year files (the input split at form feeds into up
// to four files), then checks the deadline arithmetic on whatever calendar was accepted: every
// failure is invalid_argument or failed_precondition, AddWorkingDays lands on a working day and
// WorkingDaysBetween counts it back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/calendar.h"

namespace {

using jiandu::core::Calendar;
using jiandu::core::CivilDate;

void Require(bool condition) {
  if (!condition) {
    std::abort();
  }
}

std::vector<std::string_view> SplitFiles(std::string_view text) {
  std::vector<std::string_view> files;
  while (files.size() < 3) {
    const size_t ff = text.find('\f');
    if (ff == std::string_view::npos) {
      break;
    }
    files.push_back(text.substr(0, ff));
    text.remove_prefix(ff + 1);
  }
  files.push_back(text);
  return files;
}

void CheckYear(const Calendar& cal, int year) {
  const CivilDate jan1 = *CivilDate::FromYmd(year, 1, 1);
  for (int offset = 0; offset < 366; offset += 7) {
    const CivilDate start = jan1.AddDays(offset);
    auto end = cal.AddWorkingDays(start, 10);
    if (!end.ok()) {
      Require(end.status().IsFailedPrecondition());
      continue;
    }
    Require(*cal.IsWorkingDay(*end));
    Require(*cal.WorkingDaysBetween(start, *end) == 10);
    auto due = cal.MonthsDeadline(start, 1);
    Require(due.ok() ? *cal.IsWorkingDay(*due) : due.status().IsFailedPrecondition());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string_view> files = SplitFiles(text);
  auto cal = Calendar::Parse(files);
  if (!cal.ok()) {
    Require(cal.status().IsInvalidArgument());
    return 0;
  }
  for (int year : cal->Years()) {
    CheckYear(*cal, year);
  }
  return 0;
}
