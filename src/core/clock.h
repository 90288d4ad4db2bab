// Clock: the one seam through which code reads the time, so deadlines and timeouts are testable.
//
//   const core::Clock& clock = core::SystemClock();
//   core::Timestamp now = clock.Now();
//   core::CivilDate today = clock.Today();   // the date in China Standard Time (UTC+8)
//
//   core::FakeClock fake(core::Timestamp::FromUnixSeconds(1'700'000'000));
//   fake.Advance(std::chrono::minutes(31));
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "core/civil_date.h"

namespace jiandu::core {

// An instant, in microseconds since the Unix epoch (UTC).
class Timestamp {
 public:
  constexpr Timestamp() = default;
  static constexpr Timestamp FromUnixMicros(int64_t us) { return Timestamp(us); }
  static constexpr Timestamp FromUnixSeconds(int64_t s) { return Timestamp(s * 1'000'000); }
  constexpr int64_t unix_micros() const { return us_; }
  constexpr int64_t unix_seconds() const { return us_ / 1'000'000; }
  Timestamp operator+(std::chrono::microseconds d) const { return Timestamp(us_ + d.count()); }
  Timestamp operator-(std::chrono::microseconds d) const { return Timestamp(us_ - d.count()); }
  std::chrono::microseconds operator-(Timestamp o) const {
    return std::chrono::microseconds(us_ - o.us_);
  }
  friend constexpr auto operator<=>(Timestamp, Timestamp) = default;

  // RFC 3339 in UTC with milliseconds: "2025-09-26T01:02:03.456Z".
  std::string ToRfc3339() const;
  // The calendar date of this instant in China Standard Time (UTC+8, no daylight saving).
  CivilDate ChinaDate() const;

 private:
  explicit constexpr Timestamp(int64_t us) : us_(us) {}
  int64_t us_ = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
  // Today's date in China Standard Time.
  CivilDate Today() const { return Now().ChinaDate(); }
};

// The real clock (thread-safe, process-wide).
const Clock& SystemClock();

// A clock tests set and advance. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(Timestamp start) : now_(start.unix_micros()) {}
  Timestamp Now() const override { return Timestamp::FromUnixMicros(now_.load()); }
  void SetNowForTest(Timestamp t) { now_.store(t.unix_micros()); }
  void Advance(std::chrono::microseconds d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace jiandu::core
