#include "core/clock.h"

#include <cstdio>

namespace jiandu::core {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000LL;
constexpr int64_t kChinaOffsetMicros = 8LL * 3600 * 1'000'000;

int32_t FloorDiv(int64_t a, int64_t b) {
  return static_cast<int32_t>(a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0));
}

class RealClock : public Clock {
 public:
  Timestamp Now() const override {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    return Timestamp::FromUnixMicros(us);
  }
};

}  // namespace

std::string Timestamp::ToRfc3339() const {
  int32_t day = FloorDiv(us_, kMicrosPerDay);
  int64_t in_day = us_ - static_cast<int64_t>(day) * kMicrosPerDay;
  std::string out = CivilDate::FromDayNumber(day).ToString();
  const int64_t ms = in_day / 1000;
  auto two = [&out](int64_t v) {
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
  };
  out += 'T';
  two(ms / 3'600'000);
  out += ':';
  two(ms / 60'000 % 60);
  out += ':';
  two(ms / 1000 % 60);
  out += '.';
  out += static_cast<char>('0' + ms % 1000 / 100);
  two(ms % 100);
  out += 'Z';
  return out;
}

CivilDate Timestamp::ChinaDate() const {
  return CivilDate::FromDayNumber(FloorDiv(us_ + kChinaOffsetMicros, kMicrosPerDay));
}

const Clock& SystemClock() {
  static const RealClock clock;
  return clock;
}

}  // namespace jiandu::core
