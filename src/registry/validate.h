// Input checks shared by the registry services. Each returns invalid_argument naming `field`
// with a reason; none echoes the offending value (it may be personal data).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace jiandu::registry {

// A person's name after width normalisation and trimming: 1–50 characters of letters (Han,
// Latin and other scripts) with the middle dot · (U+00B7) and single spaces between Latin
// parts. Digits, punctuation and SQL metacharacters (also their full-width look-alikes, which
// normalise to ASCII) are refused.
Result<std::string> CheckPersonName(std::string_view text, std::string_view field = "name");

// Free text without control characters (tabs and newlines allowed when `multiline`), at most
// `max_chars` code points after trimming; empty allowed when !required.
Result<std::string> CheckText(std::string_view text, std::string_view field, size_t max_chars,
                              bool required, bool multiline = false);

// One of the 56 officially recognised ethnic groups (e.g. "汉族"), or empty.
Result<std::string> CheckEthnicity(std::string_view text, std::string_view field = "ethnicity");

// An 11-digit mobile number (1[3-9]…) or a landline with area code (0xx(x)-xxxxxxx(x)),
// normalised to digits and one hyphen; empty allowed.
Result<std::string> CheckPhone(std::string_view text, std::string_view field = "phone");

// Organisation codes: 1–32 of A–Z a–z 0–9 . _ -
Status CheckOrgCode(std::string_view code, std::string_view field = "code");

}  // namespace jiandu::registry
