#include "core/resident_id.h"

#include "core/text.h"

namespace jiandu::core {
namespace {

// GB 11643-1999: W_i = 2^(18-i) mod 11 for positions 1..17; check = kCheckChars[S mod 11].
constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckChars = "10X98765432";
constexpr size_t kLength = 18;
constexpr size_t kLegacyLength = 15;
constexpr size_t kBirthPos = 6;  // YYYYMMDD after the 6-digit region code
// Earlier dates are typing errors: nobody alive holds an ID with a 19th-century birth date.
constexpr int kEarliestBirthYear = 1900;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses n ASCII digits at `pos`; the caller has checked they are digits.
int DigitsValue(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Characters and length, before anything is interpreted.
Status CheckShape(std::string_view s, std::string_view field) {
  if (s.empty()) {
    return Status::InvalidArgument(field, "is empty");
  }
  for (size_t i = 0; i < s.size(); ++i) {
    const bool final_x = s[i] == 'X' && i + 1 == s.size();
    if (!IsDigit(s[i]) && !final_x) {
      return Status::InvalidArgument(field, "only digits and a final X are allowed");
    }
  }
  if (s.size() != kLength && s.size() != kLegacyLength) {
    return Status::InvalidArgument(field, "must be 18 characters, or 15 for a legacy number");
  }
  if (s.size() == kLegacyLength && s.back() == 'X') {
    return Status::InvalidArgument(field, "a 15-digit legacy number has no check character");
  }
  return Status::Ok();
}

// `yyyymmdd` is 8 digits.
Result<CivilDate> CheckBirthDate(std::string_view yyyymmdd, CivilDate today, bool legacy,
                                 std::string_view field) {
  const int year = DigitsValue(yyyymmdd, 0, 4);
  Result<CivilDate> date =
      CivilDate::FromYmd(year, DigitsValue(yyyymmdd, 4, 2), DigitsValue(yyyymmdd, 6, 2), field);
  if (!date.ok()) {
    return Status::InvalidArgument(field, legacy
                                              ? "birth date in the legacy number is not a real date"
                                              : "birth date is not a real date");
  }
  if (year < kEarliestBirthYear) {
    return Status::InvalidArgument(field, "birth date is before 1900");
  }
  if (*date > today) {
    return Status::InvalidArgument(field, "birth date is in the future");
  }
  return date;
}

}  // namespace

// Holds the one constructor call, so nothing but ParseResidentId can build a ResidentId.
class ResidentIdParser {
 public:
  static Result<ParsedResidentId> Parse(std::string_view text, CivilDate today,
                                        std::string_view field) {
    std::string s = NormalizeIdentifier(text);
    JIANDU_RETURN_IF_ERROR(CheckShape(s, field));
    const bool legacy = s.size() == kLegacyLength;
    if (legacy) {
      // Pre-1999 numbers carry a 2-digit year; every holder was born in the 1900s.
      s.insert(kBirthPos, "19");
    }
    JIANDU_ASSIGN_OR_RETURN(
        CivilDate birth,
        CheckBirthDate(std::string_view(s).substr(kBirthPos, 8), today, legacy, field));
    const std::string check = ComputeResidentIdCheckChar(std::string_view(s).substr(0, 17));
    if (legacy) {
      s += check;
    } else if (s.back() != check[0]) {
      return Status::InvalidArgument(field, "check digit does not match");
    }
    return ParsedResidentId{ResidentId(std::move(s), birth), legacy};
  }
};

Gender ResidentId::gender() const {
  return (value_[16] - '0') % 2 == 1 ? Gender::kMale : Gender::kFemale;
}

Result<ParsedResidentId> ParseResidentId(std::string_view text, CivilDate today,
                                         std::string_view field) {
  return ResidentIdParser::Parse(text, today, field);
}

std::string ComputeResidentIdCheckChar(std::string_view first17) {
  if (first17.size() != 17) {
    return "";
  }
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (!IsDigit(first17[i])) {
      return "";
    }
    sum += (first17[i] - '0') * kWeights[i];
  }
  return std::string(1, kCheckChars[sum % 11]);
}

}  // namespace jiandu::core
