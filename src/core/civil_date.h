// CivilDate: a calendar date (proleptic Gregorian) with no time zone, stored as a day number.
//
//   JIANDU_ASSIGN_OR_RETURN(CivilDate d, CivilDate::Parse("2025-09-26", "received_on"));
//   CivilDate next = d.AddDays(1);           // 2025-09-27
//   d.weekday() == Weekday::kFriday;
//   CivilDate::FromYmd(2024, 10, 31)->AddMonths(6)  // 2025-04-30 (民法典 art 202)
//
// Deadlines in working days come from core::Calendar, never from adding days here.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace jiandu::core {

enum class Weekday { kMonday = 1, kTuesday, kWednesday, kThursday, kFriday, kSaturday, kSunday };

class CivilDate {
 public:
  // 1970-01-01.
  constexpr CivilDate() = default;

  // invalid_argument (naming `field`) unless y-m-d is a real date in years 1800..9999.
  static Result<CivilDate> FromYmd(int year, int month, int day, std::string_view field = "date");
  // Parses exactly "YYYY-MM-DD"; invalid_argument naming `field` otherwise (2023-02-30 fails).
  static Result<CivilDate> Parse(std::string_view text, std::string_view field = "date");
  static constexpr CivilDate FromDayNumber(int32_t days) { return CivilDate(days); }

  int year() const;
  int month() const;
  int day() const;
  Weekday weekday() const;
  // Days since 1970-01-01 (negative before).
  constexpr int32_t day_number() const { return days_; }

  CivilDate AddDays(int32_t n) const { return CivilDate(days_ + n); }
  // Same day-of-month n months later; if that month is shorter, its last day (民法典 art 202).
  CivilDate AddMonths(int n) const;
  // Signed number of days from `this` to `other`.
  int32_t DaysUntil(CivilDate other) const { return other.days_ - days_; }

  // "YYYY-MM-DD".
  std::string ToString() const;

  friend constexpr auto operator<=>(CivilDate, CivilDate) = default;

 private:
  explicit constexpr CivilDate(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

}  // namespace jiandu::core
