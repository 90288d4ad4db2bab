#include "monitor/engine/warning.h"

#include <algorithm>
#include <cstdio>

namespace jiandu::monitor {
namespace {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

uint64_t Feed(uint64_t h, const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) {
    h = (h ^ p[i]) * kFnvPrime;
  }
  return h;
}

uint64_t FeedNumber(uint64_t h, int64_t v) {
  unsigned char bytes[8];
  auto u = static_cast<uint64_t>(v);
  for (unsigned char& byte : bytes) {
    byte = static_cast<unsigned char>(u & 0xff);
    u >>= 8;
  }
  return Feed(h, bytes, 8);
}

bool IsTextType(ColumnType t) {
  return t == ColumnType::kText || t == ColumnType::kCreditCode || t == ColumnType::kEnum;
}

}  // namespace

uint64_t StableKey(std::string_view rule_id, const std::vector<KeyValue>& values) {
  return StableKeyOf(rule_id, values.data(), values.size());
}

uint64_t StableKeyOf(std::string_view rule_id, const KeyValue* values, size_t count) {
  uint64_t h = Feed(kFnvOffset, rule_id.data(), rule_id.size());
  for (size_t i = 0; i < count; ++i) {
    const KeyValue& v = values[i];
    unsigned char tag = v.null ? 0 : (IsTextType(v.type) ? 2 : 1);
    h = Feed(h, &tag, 1);
    if (tag == 1) {
      h = FeedNumber(h, v.number);
    } else if (tag == 2) {
      h = FeedNumber(h, static_cast<int64_t>(v.text.size()));
      h = Feed(h, v.text.data(), v.text.size());
    }
  }
  // murmur3's finaliser, so that keys differing in one byte differ everywhere.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

std::string Warning::KeyHex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(key));
  return buf;
}

void SortAndMerge(std::vector<Warning>* warnings) {
  // Sort (key, position) pairs, then move each warning once: Warnings are large to swap.
  std::vector<std::pair<uint64_t, size_t>> order(warnings->size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = {(*warnings)[i].key, i};
  std::sort(order.begin(), order.end());
  std::vector<Warning> w(order.size());
  for (size_t i = 0; i < order.size(); ++i) w[i] = std::move((*warnings)[order[i].second]);
  size_t out = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    if (out > 0 && w[out - 1].key == w[i].key) {
      Warning& into = w[out - 1];
      for (Evidence& e : w[i].evidence) {
        auto it = std::find_if(into.evidence.begin(), into.evidence.end(),
                               [&](const Evidence& x) { return x.dataset == e.dataset; });
        if (it == into.evidence.end()) {
          into.evidence.push_back(std::move(e));
        } else {
          it->rows.insert(it->rows.end(), e.rows.begin(), e.rows.end());
        }
      }
      for (Subject& s : w[i].subjects) {
        if (std::find(into.subjects.begin(), into.subjects.end(), s) == into.subjects.end()) {
          into.subjects.push_back(std::move(s));
        }
      }
      continue;
    }
    if (out != i) {
      w[out] = std::move(w[i]);
    }
    ++out;
  }
  w.resize(out);
  for (Warning& x : w) {
    for (Evidence& e : x.evidence) {
      if (!std::is_sorted(e.rows.begin(), e.rows.end())) std::sort(e.rows.begin(), e.rows.end());
      e.rows.erase(std::unique(e.rows.begin(), e.rows.end()), e.rows.end());
    }
  }
  *warnings = std::move(w);
}

}  // namespace jiandu::monitor
