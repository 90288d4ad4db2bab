// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1, 6 digits, 30-second
// steps — what common authenticator apps expect.
//
//   std::string secret = GenerateTotpSecret();            // 20 random bytes
//   std::string b32 = Base32Encode(secret);               // shown to the user once
//   std::string code = TotpCode(secret, clock.Now());     // "492039"
//   Result<int64_t> step = VerifyTotp(secret, "492039", clock.Now(), last_used_step);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace jiandu::auth {

inline constexpr int kTotpStepSeconds = 30;

std::string GenerateTotpSecret();
// RFC 4648 base32 without padding.
std::string Base32Encode(std::string_view bytes);
// Accepts upper or lower case, ignores spaces and padding; false on other characters.
bool Base32Decode(std::string_view text, std::string* out);

// The 6-digit code for the step containing `at`.
std::string TotpCode(std::string_view secret, core::Timestamp at);
// The code for time step `step` (RFC 6238 T).
std::string TotpCodeForStep(std::string_view secret, int64_t step);

// Checks `code` against the steps at, one before and one after `at` (clock drift). Returns the
// matched step. A step at or before `last_used_step` is refused, so a code works only once.
// invalid_argument (field "code") when the code is malformed, wrong or already used.
Result<int64_t> VerifyTotp(std::string_view secret, std::string_view code, core::Timestamp at,
                           int64_t last_used_step);

// otpauth://totp/Jiandu:<account>?secret=<b32>&issuer=Jiandu&algorithm=SHA1&digits=6&period=30
std::string TotpUri(std::string_view account, std::string_view secret);

}  // namespace jiandu::auth
