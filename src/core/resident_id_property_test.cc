// Property tests for ParseResidentId. A failure prints the seed; replay it with
// RC_PARAMS="seed=<n>" ./resident_id_property_test.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>

#include "core/resident_id.h"
#include "core/text.h"

namespace jiandu::core {
namespace {

const CivilDate kToday = *CivilDate::FromYmd(2025, 11, 23);
const CivilDate kEarliest = *CivilDate::FromYmd(1900, 1, 1);

std::string Digits(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out.push_back(static_cast<char>('0' + *rc::gen::inRange(0, 10)));
  }
  return out;
}

// A random valid 17-character body: any 6-digit region (not checked by the parser), a real
// birth date in [1900-01-01, today], any 3-digit sequence.
std::string ValidFirst17() {
  const int32_t day = *rc::gen::inRange(kEarliest.day_number(), kToday.day_number() + 1);
  std::string date = CivilDate::FromDayNumber(day).ToString();  // YYYY-MM-DD
  date.erase(7, 1).erase(4, 1);
  return Digits(6) + date + Digits(3);
}

// The full-width form (U+FF10.. for digits, U+FF38 for X) of an ASCII character.
std::string FullWidth(char c) {
  const char32_t cp = 0xFF01 + (static_cast<unsigned char>(c) - 0x21);
  std::string out;
  out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
  out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
  out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  return out;
}

RC_GTEST_PROP(ResidentIdProperty, BodyWithComputedCheckParses, ()) {
  const std::string first17 = ValidFirst17();
  const std::string id = first17 + ComputeResidentIdCheckChar(first17);
  Result<ParsedResidentId> r = ParseResidentId(id, kToday);
  RC_ASSERT(r.ok());
  RC_ASSERT(r->id.value() == id);
  RC_ASSERT(r->id.birth_date().ToString() ==
            id.substr(6, 4) + "-" + id.substr(10, 2) + "-" + id.substr(12, 2));
  RC_ASSERT((r->id.gender() == Gender::kMale) == ((id[16] - '0') % 2 == 1));
}

RC_GTEST_PROP(ResidentIdProperty, AnySingleCharacterChangeFails, ()) {
  const std::string first17 = ValidFirst17();
  std::string id = first17 + ComputeResidentIdCheckChar(first17);
  const size_t pos = *rc::gen::inRange<size_t>(0, 18);
  const char replacement = *rc::gen::suchThat(rc::gen::elementOf(std::string("0123456789X")),
                                              [&](char c) { return c != id[pos]; });
  id[pos] = replacement;
  Result<ParsedResidentId> r = ParseResidentId(id, kToday);
  RC_ASSERT(!r.ok());
  RC_ASSERT(r.status().IsInvalidArgument());
}

RC_GTEST_PROP(ResidentIdProperty, FullWidthAndLowerCaseParseEqualToHalfWidth, ()) {
  const std::string first17 = ValidFirst17();
  const std::string id = first17 + ComputeResidentIdCheckChar(first17);
  std::string typed;
  for (char c : id) {
    const bool wide = *rc::gen::arbitrary<bool>();
    const char ch = (c == 'X' && *rc::gen::arbitrary<bool>()) ? 'x' : c;
    typed += wide ? FullWidth(ch) : std::string(1, ch);
    if (*rc::gen::inRange(0, 8) == 0) {
      typed += *rc::gen::element<std::string>(" ", "-", "\xE3\x80\x80", "\t");
    }
  }
  Result<ParsedResidentId> r = ParseResidentId(typed, kToday);
  RC_ASSERT(r.ok());
  RC_ASSERT(r->id.value() == id);
}

RC_GTEST_PROP(ResidentIdProperty, LegacyNumberUpgradesToEighteen, ()) {
  const std::string first17 = ValidFirst17();
  RC_PRE(first17.substr(6, 2) == "19");
  const std::string legacy = first17.substr(0, 6) + first17.substr(8);
  Result<ParsedResidentId> r = ParseResidentId(legacy, kToday);
  RC_ASSERT(r.ok());
  RC_ASSERT(r->upgraded_from_15);
  RC_ASSERT(r->id.value() == first17 + ComputeResidentIdCheckChar(first17));
}

RC_GTEST_PROP(ResidentIdProperty, ErrorsNeverRepeatTheInput, (const std::string& text)) {
  Result<ParsedResidentId> r = ParseResidentId(text, kToday);
  if (!r.ok()) {
    const std::string normal = NormalizeIdentifier(text);
    const std::string shown = r.status().ToString();
    for (size_t i = 0; i + 6 <= normal.size(); ++i) {
      RC_ASSERT(shown.find(normal.substr(i, 6)) == std::string::npos);
    }
  }
}

}  // namespace
}  // namespace jiandu::core
