#include "core/civil_date.h"

#include <cstdio>

namespace jiandu::core {
namespace {

// Days from 1970-01-01 to y-m-d, using the era decomposition of the proleptic Gregorian
// calendar (400-year cycles of 146097 days, years starting in March).
int32_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = (m + 9) % 12;
  const int doy = (153 * mp + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Ymd {
  int y, m, d;
};

Ymd CivilFromDays(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return Ymd{yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) {
    return 29;
  }
  return kDays[month - 1];
}

Result<CivilDate> CivilDate::FromYmd(int year, int month, int day, std::string_view field) {
  if (year < 1800 || year > 9999) {
    return Status::InvalidArgument(field, "year out of range 1800-9999");
  }
  if (month < 1 || month > 12) {
    return Status::InvalidArgument(field, "month must be 01-12");
  }
  if (day < 1 || day > DaysInMonth(year, month)) {
    return Status::InvalidArgument(field, "day does not exist in that month");
  }
  return CivilDate(DaysFromCivil(year, month, day));
}

Result<CivilDate> CivilDate::Parse(std::string_view text, std::string_view field) {
  auto digits = [&](size_t pos, size_t n, int* out) {
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (text[i] < '0' || text[i] > '9') {
        return false;
      }
      v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(0, 4, &y) ||
      !digits(5, 2, &m) || !digits(8, 2, &d)) {
    return Status::InvalidArgument(field, "expected a date as YYYY-MM-DD");
  }
  return FromYmd(y, m, d, field);
}

int CivilDate::year() const { return CivilFromDays(days_).y; }
int CivilDate::month() const { return CivilFromDays(days_).m; }
int CivilDate::day() const { return CivilFromDays(days_).d; }

Weekday CivilDate::weekday() const {
  // 1970-01-01 was a Thursday (ISO 4).
  int w = ((days_ % 7) + 7 + 3) % 7;  // 0 = Monday
  return static_cast<Weekday>(w + 1);
}

CivilDate CivilDate::AddMonths(int n) const {
  Ymd ymd = CivilFromDays(days_);
  int total = ymd.y * 12 + (ymd.m - 1) + n;
  int y = total / 12;
  int m = total % 12 + 1;
  int d = ymd.d;
  if (d > DaysInMonth(y, m)) {
    d = DaysInMonth(y, m);
  }
  return CivilDate(DaysFromCivil(y, m, d));
}

std::string CivilDate::ToString() const {
  // Hand-formatted: this runs for every date of every record rendered, and snprintf was a
  // measurable share of rendering a page of records.
  Ymd ymd = CivilFromDays(days_);
  if (ymd.y < 0 || ymd.y > 9999) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", ymd.y, ymd.m, ymd.d);
    return buf;
  }
  std::string out = "0000-00-00";
  out[0] = static_cast<char>('0' + ymd.y / 1000);
  out[1] = static_cast<char>('0' + ymd.y / 100 % 10);
  out[2] = static_cast<char>('0' + ymd.y / 10 % 10);
  out[3] = static_cast<char>('0' + ymd.y % 10);
  out[5] = static_cast<char>('0' + ymd.m / 10);
  out[6] = static_cast<char>('0' + ymd.m % 10);
  out[8] = static_cast<char>('0' + ymd.d / 10);
  out[9] = static_cast<char>('0' + ymd.d % 10);
  return out;
}

}  // namespace jiandu::core
