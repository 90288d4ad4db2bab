// Property tests for core/text.h. A failure prints the seed; replay it with
// RC_PARAMS="seed=<n>" ./text_property_test.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "core/text.h"

namespace jiandu::core {
namespace {

// Text made of the pieces that matter to normalisation: full-width letters and digits, the
// ideographic space, separators, Chinese, and stray bytes that could join into a character.
std::string MessyText() {
  const auto pieces = *rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
      "a", "X", "x", "1", "-", " ", "\t", "ａ", "Ｘ", "１", "－", "\xE3\x80\x80", "郧", "县",
      "\xEF", "\xBC", "\x81", "\xE3\x80", "\xC0\xAF", "\xED\xA0\x80"));
  std::string out;
  for (const std::string& p : pieces) {
    out += p;
  }
  return out;
}

std::string ValidUtf8Text() {
  const auto pieces = *rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
      "a", "Z", "0", "~", " ", "ａ", "～", "！", "\xE3\x80\x80", "郧", "西", "\xF0\x9F\x98\x80"));
  std::string out;
  for (const std::string& p : pieces) {
    out += p;
  }
  return out;
}

RC_GTEST_PROP(TextProperty, NormalizeIdentifierIsIdempotent, ()) {
  const std::string text = MessyText();
  const std::string once = NormalizeIdentifier(text);
  RC_ASSERT(NormalizeIdentifier(once) == once);
  RC_ASSERT(IsValidUtf8(once));
}

RC_GTEST_PROP(TextProperty, NormalizeIdentifierIsIdempotentOnAnyBytes, (const std::string& text)) {
  const std::string once = NormalizeIdentifier(text);
  RC_ASSERT(NormalizeIdentifier(once) == once);
}

RC_GTEST_PROP(TextProperty, NormalizeWidthIsIdempotent, ()) {
  const std::string text = MessyText();
  const std::string once = NormalizeWidth(text);
  RC_ASSERT(NormalizeWidth(once) == once);
}

RC_GTEST_PROP(TextProperty, NormalizeWidthMapsCodePointsOneToOne, ()) {
  const std::string text = ValidUtf8Text();
  const std::string folded = NormalizeWidth(text);
  RC_ASSERT(IsValidUtf8(folded));
  RC_ASSERT(CodePointCount(folded) == CodePointCount(text));
}

RC_GTEST_PROP(TextProperty, TrimIsIdempotent, ()) {
  const std::string text = MessyText();
  RC_ASSERT(Trim(Trim(text)) == Trim(text));
}

RC_GTEST_PROP(TextProperty, MaskIdNumberHidesAllButEightCharacters, ()) {
  const std::string text = ValidUtf8Text();
  const std::string masked = MaskIdNumber(text);
  const size_t n = CodePointCount(Trim(text));
  RC_ASSERT(IsValidUtf8(masked));
  RC_ASSERT(CodePointCount(masked) == n);
  size_t stars = 0;
  for (char c : masked) {
    stars += c == '*' ? 1 : 0;
  }
  RC_ASSERT(stars >= (n < 15 ? n : n - 8));
}

}  // namespace
}  // namespace jiandu::core
