// ResidentId: a checked 公民身份号码 (GB 11643-1999), the only way an ID number enters the domain.
//
//   JIANDU_ASSIGN_OR_RETURN(core::ParsedResidentId parsed,
//                           core::ParseResidentId(form.id_number, clock.Today()));
//   const core::ResidentId& id = parsed.id;
//   id.value();        // "11010519491231002X" (normalised, 18 characters)
//   id.birth_date();   // 1949-12-31
//   id.gender();       // Gender::kFemale
//
// Layout (DOMAIN.md §11.1): 6-digit region code at issue time, 8-digit birth date, 3-digit
// sequence (17th digit odd = male), ISO 7064 MOD 11-2 check character. Legacy 15-digit numbers
// are upgraded to 18. Residence permits for Hong Kong, Macao and Taiwan residents (prefixes
// 81/82/83) and the 2023 foreigners' permanent residence ID (prefix 9) share the layout and
// checksum and are accepted. The region code is not checked here: an unknown region is a
// warning (see region_codes.h), not a parse error.
//
// Error messages never contain the number, so they are safe to log.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "core/civil_date.h"
#include "core/result.h"

namespace jiandu::core {

enum class Gender { kMale, kFemale };

class ResidentId {
 public:
  // The normalised 18 characters: 17 digits and a check character 0-9 or X.
  const std::string& value() const { return value_; }
  CivilDate birth_date() const { return birth_date_; }
  // From the 17th digit: odd = male, even = female.
  Gender gender() const;
  // The first 6 characters (地址码). For the 9-prefixed foreigner ID this is not a GB/T 2260
  // code; see IsKnownIdRegion().
  std::string_view region_code() const { return std::string_view(value_).substr(0, 6); }
  char check_char() const { return value_.back(); }

  friend bool operator==(const ResidentId& a, const ResidentId& b) { return a.value_ == b.value_; }

 private:
  friend class ResidentIdParser;
  ResidentId(std::string value, CivilDate birth_date)
      : value_(std::move(value)), birth_date_(birth_date) {}

  std::string value_;
  CivilDate birth_date_;
};

struct ParsedResidentId {
  ResidentId id;
  // True when the input was a legacy 15-digit number; keep the original for matching against
  // records that still carry it.
  bool upgraded_from_15 = false;
};

// Normalises `text` (NormalizeIdentifier: full-width folding, x → X, whitespace and hyphens
// removed) and checks it. Accepts 18 characters, or 15 digits for a legacy number, which is
// upgraded by inserting "19" before the year and computing the check character.
// Errors: invalid_argument naming `field`, with a reason that never repeats the number: empty,
// bad characters, bad length, a birth date that is not a real date, before 1900 or after `today`,
// or a wrong check character.
Result<ParsedResidentId> ParseResidentId(std::string_view text, CivilDate today,
                                         std::string_view field = "id_number");

// The check character (ISO 7064 MOD 11-2) for 17 digits, as a one-character string; empty if
// `first17` is not exactly 17 ASCII digits. Used by test-data generators.
std::string ComputeResidentIdCheckChar(std::string_view first17);

}  // namespace jiandu::core
