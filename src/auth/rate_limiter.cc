#include "auth/rate_limiter.h"

#include <algorithm>

namespace jiandu::auth {

bool RateLimiter::Allow(const std::string& key) {
  const int64_t now = clock_.Now().unix_micros();
  std::lock_guard<std::mutex> l(mu_);
  // Forget full buckets once a minute so the map cannot grow without bound.
  if (now - last_sweep_us_ > 60'000'000) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      double refilled = it->second.tokens + (now - it->second.updated_us) / 1e6 * per_second_;
      it = refilled >= burst_ ? buckets_.erase(it) : std::next(it);
    }
    last_sweep_us_ = now;
  }
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& b = it->second;
  b.tokens = std::min(burst_, b.tokens + (now - b.updated_us) / 1e6 * per_second_);
  b.updated_us = now;
  if (b.tokens < 1.0) {
    return false;
  }
  b.tokens -= 1.0;
  return true;
}

}  // namespace jiandu::auth
