// Fuzzes core::ParseUnifiedCreditCode (and the text helpers it uses) with arbitrary bytes: an
// accepted code is 18 characters that parse to themselves, normalisation is idempotent, and no
// error message repeats six consecutive characters of the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/credit_code.h"
#include "core/text.h"

namespace {

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
  const std::string normal = jiandu::core::NormalizeIdentifier(text);
  Require(jiandu::core::NormalizeIdentifier(normal) == normal);
  Require(jiandu::core::IsValidUtf8(normal));
  (void)jiandu::core::MaskPhone(text);

  auto parsed = jiandu::core::ParseUnifiedCreditCode(text);
  if (!parsed.ok()) {
    Require(parsed.status().IsInvalidArgument());
    Require(!LeaksInput(normal, parsed.status().ToString()));
    return 0;
  }
  Require(parsed->value().size() == 18);
  Require(parsed->value() == normal);
  auto again = jiandu::core::ParseUnifiedCreditCode(parsed->value());
  Require(again.ok() && *again == *parsed &&
          again->inner_org_code_valid() == parsed->inner_org_code_valid());
  return 0;
}
