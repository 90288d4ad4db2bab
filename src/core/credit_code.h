// UnifiedCreditCode: a checked 统一社会信用代码 (GB 32100-2015) of an organisation or business.
//
//   JIANDU_ASSIGN_OR_RETURN(core::UnifiedCreditCode code,
//                           core::ParseUnifiedCreditCode(row.credit_code));
//   code.value();                  // "91350100M000100Y43"
//   code.registration_authority(); // '9' (市场监管)
//   code.category();               // '1' (企业)
//   code.region_code();            // "350100"
//   code.org_code();               // "M000100Y4" (GB 11714 组织机构代码)
//   if (!code.inner_org_code_valid()) { /* warn: common for 个体工商户 (DOMAIN.md §11.3) */ }
//
// Layout (DOMAIN.md §11.2): registration authority (1) + category (1) + region (6 digits) +
// organisation code (9) + check character (1), over the 31-character alphabet
// 0123456789ABCDEFGHJKLMNPQRTUWXY (no I, O, S, V, Z). Error messages never contain the code.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace jiandu::core {

class UnifiedCreditCode {
 public:
  // The normalised 18 characters.
  const std::string& value() const { return value_; }
  // 登记管理部门代码, e.g. '1' 机构编制, '5' 民政, '9' 市场监管.
  char registration_authority() const { return value_[0]; }
  // 机构类别代码, meaningful together with the authority ("91" 企业).
  char category() const { return value_[1]; }
  // 登记管理机关行政区划码 (GB/T 2260).
  std::string_view region_code() const { return std::string_view(value_).substr(2, 6); }
  // 主体标识码: the 9-character organisation code (positions 9-17).
  std::string_view org_code() const { return std::string_view(value_).substr(8, 9); }
  // False when the organisation code's own GB 11714 check character does not match. A warning,
  // not an error: generated identifiers (e.g. of 个体工商户) often fail it.
  bool inner_org_code_valid() const { return inner_org_code_valid_; }

  friend bool operator==(const UnifiedCreditCode& a, const UnifiedCreditCode& b) {
    return a.value_ == b.value_;
  }

 private:
  friend class CreditCodeParser;
  UnifiedCreditCode(std::string value, bool inner_valid)
      : value_(std::move(value)), inner_org_code_valid_(inner_valid) {}

  std::string value_;
  bool inner_org_code_valid_ = true;
};

// Normalises `text` like an ID number (NormalizeIdentifier: full-width folding, upper case,
// whitespace and hyphens removed) and checks it: 18 characters of the alphabet; a known
// authority/category pair; a 6-digit region; the check character (ISO 7064-style MOD 31).
// Errors: invalid_argument naming `field`, with a reason that never repeats the code.
// OCR confusions (O for 0, I for 1) are rejected, never silently repaired.
Result<UnifiedCreditCode> ParseUnifiedCreditCode(std::string_view text,
                                                 std::string_view field = "credit_code");

// The check character for the first 17 characters, as a one-character string; empty if
// `first17` is not 17 characters of the alphabet. Used by test-data generators.
std::string ComputeCreditCodeCheckChar(std::string_view first17);

// The GB 11714 check character for an 8-character organisation-code body (digits and A-Z),
// as a one-character string; empty if `first8` is not 8 such characters.
std::string ComputeOrgCodeCheckChar(std::string_view first8);

}  // namespace jiandu::core
