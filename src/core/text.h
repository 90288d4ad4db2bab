// Text helpers for Chinese input: UTF-8 checks, full-width folding, trimming, identifier
// normalisation and the masks used whenever an ID or phone number is shown or logged.
//
//   core::IsValidUtf8(body);                          // reject before storing
//   std::string id = core::NormalizeIdentifier(" ４２０３２２ｘ ");  // "420322X"
//   std::string shown = core::MaskIdNumber("42032219800101123X");  // "4203**********123X"
//   std::string phone = core::MaskPhone("13812341234");             // "138****1234"
//
// All functions are pure and thread-safe. None of them allocates more than its output.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace jiandu::core {

// True iff `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Number of code points in `text`. Each byte that is not part of a well-formed sequence counts
// as one, so the result is defined (and at most text.size()) for any input.
size_t CodePointCount(std::string_view text);

// Folds full-width ASCII variants (U+FF01–U+FF5E) to ASCII and the ideographic space U+3000 to
// an ASCII space; everything else, including malformed bytes, is copied unchanged.
std::string NormalizeWidth(std::string_view text);

// `text` without leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r) and U+3000.
// Returns a view into `text`.
std::string_view Trim(std::string_view text);

// The normal form of an identifier typed by a person (resident ID, credit code): width-folded,
// ASCII letters upper-cased, all whitespace (ASCII and U+3000) and hyphens removed, malformed
// UTF-8 bytes replaced by U+FFFD. Idempotent. Validation is the caller's job; this never fails.
std::string NormalizeIdentifier(std::string_view text);

// The one mask for ID numbers in displays, exports and logs: the first 4 and last 4 characters
// kept, each one between replaced by '*' ("4203**********123X"). Inputs of fewer than 15 code
// points are not ID-shaped, and keeping 8 of them would reveal most of the value, so they are
// masked entirely. Works on code points, never splitting a UTF-8 sequence.
std::string MaskIdNumber(std::string_view text);

// Masks a phone number for display: mobiles keep the first 3 and last 4 digits
// ("138****1234", a +86/86 prefix is dropped); landlines keep the area code and the last 2
// digits ("0719-*****67"); a number without area code keeps its last 2 digits. Spaces, hyphens
// and brackets are separators. Anything else is masked entirely, one '*' per code point.
std::string MaskPhone(std::string_view text);

}  // namespace jiandu::core
