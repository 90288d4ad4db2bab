// Stable text codes of enums: a table of {value, "code"} pairs (a C array or std::array) and
// the two look-ups every module needs.
//
//   constexpr std::pair<Severity, std::string_view> kSeverities[] = {
//       {Severity::kLow, "low"}, {Severity::kHigh, "high"}};
//   std::string_view c = core::CodeOf(kSeverities, Severity::kLow);            // "low"
//   std::optional<Severity> s = core::ParseCode(kSeverities, "high");
#pragma once

#include <iterator>
#include <optional>
#include <string_view>
#include <type_traits>

namespace jiandu::core {

// The code of `value`; empty when the table lacks it.
template <typename Table, typename E>
constexpr std::string_view CodeOf(const Table& table, E value) {
  for (const auto& [v, code] : table) {
    if (v == value) {
      return code;
    }
  }
  return {};
}

// The value whose code is exactly `text`, or nullopt.
template <typename Table,
          typename E = std::remove_cvref_t<decltype(std::begin(std::declval<Table&>())->first)>>
constexpr std::optional<E> ParseCode(const Table& table, std::string_view text) {
  for (const auto& [v, code] : table) {
    if (code == text) {
      return v;
    }
  }
  return std::nullopt;
}

}  // namespace jiandu::core
