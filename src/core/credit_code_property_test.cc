// Property tests for ParseUnifiedCreditCode. A failure prints the seed; replay it with
// RC_PARAMS="seed=<n>" ./credit_code_property_test.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>

#include "core/credit_code.h"
#include "core/text.h"

namespace jiandu::core {
namespace {

const std::string kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

std::string Chars(const std::string& from, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out.push_back(*rc::gen::elementOf(from));
  }
  return out;
}

// A valid code: a known authority/category pair, a 6-digit region, an organisation code body of
// alphabet characters with its GB 11714 check, and the computed USCC check.
std::string ValidCode() {
  const std::string prefix = *rc::gen::element<std::string>(
      "11", "12", "13", "19", "21", "31", "35", "41", "51", "52", "53", "59", "61", "71", "81",
      "91", "92", "93", "A1", "N1", "N3", "Y1");
  const std::string org8 = Chars(kAlphabet, 8);
  const std::string first17 =
      prefix + Chars("0123456789", 6) + org8 + ComputeOrgCodeCheckChar(org8);
  return first17 + ComputeCreditCodeCheckChar(first17);
}

std::string FullWidth(char c) {
  const char32_t cp = 0xFF01 + (static_cast<unsigned char>(c) - 0x21);
  std::string out;
  out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
  out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
  out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  return out;
}

RC_GTEST_PROP(CreditCodeProperty, ValidCodeParsesWithValidInnerCode, ()) {
  const std::string code = ValidCode();
  Result<UnifiedCreditCode> c = ParseUnifiedCreditCode(code);
  RC_ASSERT(c.ok());
  RC_ASSERT(c->value() == code);
  RC_ASSERT(c->inner_org_code_valid());
}

RC_GTEST_PROP(CreditCodeProperty, AnySingleCharacterChangeFails, ()) {
  std::string code = ValidCode();
  const size_t pos = *rc::gen::inRange<size_t>(0, 18);
  code[pos] =
      *rc::gen::suchThat(rc::gen::elementOf(kAlphabet), [&](char c) { return c != code[pos]; });
  Result<UnifiedCreditCode> c = ParseUnifiedCreditCode(code);
  RC_ASSERT(!c.ok());
  RC_ASSERT(c.status().IsInvalidArgument());
}

RC_GTEST_PROP(CreditCodeProperty, FullWidthAndLowerCaseParseEqual, ()) {
  const std::string code = ValidCode();
  std::string typed;
  for (char c : code) {
    const char ch = (c >= 'A' && c <= 'Z' && *rc::gen::arbitrary<bool>()) ? c - 'A' + 'a' : c;
    typed += *rc::gen::arbitrary<bool>() ? FullWidth(ch) : std::string(1, ch);
    if (*rc::gen::inRange(0, 8) == 0) {
      typed += *rc::gen::element<std::string>(" ", "-", "\xE3\x80\x80");
    }
  }
  Result<UnifiedCreditCode> c = ParseUnifiedCreditCode(typed);
  RC_ASSERT(c.ok());
  RC_ASSERT(c->value() == code);
}

RC_GTEST_PROP(CreditCodeProperty, ErrorsNeverRepeatTheInput, (const std::string& text)) {
  Result<UnifiedCreditCode> c = ParseUnifiedCreditCode(text);
  if (!c.ok()) {
    const std::string normal = NormalizeIdentifier(text);
    const std::string shown = c.status().ToString();
    for (size_t i = 0; i + 6 <= normal.size(); ++i) {
      RC_ASSERT(shown.find(normal.substr(i, 6)) == std::string::npos);
    }
  }
}

}  // namespace
}  // namespace jiandu::core
