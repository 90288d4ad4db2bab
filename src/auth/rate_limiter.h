// A token-bucket rate limiter keyed by client (e.g. the remote address), in memory.
// Thread-safe. Used for login attempts; buckets idle for a while are forgotten.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace jiandu::auth {

class RateLimiter {
 public:
  // `burst` requests at once, refilled at `per_minute` per minute.
  RateLimiter(const core::Clock& clock, double burst, double per_minute)
      : clock_(clock), burst_(burst), per_second_(per_minute / 60.0) {}

  // Takes one token for `key`; false (and nothing taken) when the bucket is empty.
  bool Allow(const std::string& key);

 private:
  struct Bucket {
    double tokens;
    int64_t updated_us;
  };
  const core::Clock& clock_;
  const double burst_;
  const double per_second_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mu_
  int64_t last_sweep_us_ = 0;                        // guarded by mu_
};

}  // namespace jiandu::auth
