// Fuzzes core::ParseResidentId with arbitrary bytes and checks what a caller relies on: an
// accepted number is 18 normalised characters that parse to themselves with a birth date in
// range, and no error message repeats six consecutive characters of the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/region_codes.h"
#include "core/resident_id.h"
#include "core/text.h"

namespace {

using jiandu::core::CivilDate;

void Require(bool condition) {
  if (!condition) {
    std::abort();
  }
}

bool LeaksInput(const std::string& normal, const std::string& shown) {
  for (size_t i = 0; i + 6 <= normal.size(); ++i) {
    if (shown.find(normal.substr(i, 6)) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const CivilDate today = *CivilDate::FromYmd(2025, 11, 23);
  auto parsed = jiandu::core::ParseResidentId(text, today);
  if (!parsed.ok()) {
    Require(parsed.status().IsInvalidArgument());
    Require(!LeaksInput(jiandu::core::NormalizeIdentifier(text), parsed.status().ToString()));
    return 0;
  }
  const auto& id = parsed->id;
  Require(id.value().size() == 18);
  Require(id.birth_date() <= today);
  Require(id.birth_date() >= *CivilDate::FromYmd(1900, 1, 1));
  auto again = jiandu::core::ParseResidentId(id.value(), today);
  Require(again.ok() && again->id == id && !again->upgraded_from_15);
  // Exercises the table lookups with whatever region the input carried.
  (void)jiandu::core::IsKnownIdRegion(jiandu::core::RegionTable::Default(), id);
  (void)jiandu::core::RegionTable::Default().FullName(id.region_code());
  (void)jiandu::core::MaskIdNumber(text);
  return 0;
}
