// Password hashing with Argon2id (libsodium), at the OWASP-recommended cost: m = 19 MiB,
// t = 2, p = 1. Hashing takes tens of milliseconds and ~19 MiB on purpose; callers run it on a
// worker thread, never on an HTTP I/O thread.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace jiandu::auth {

// Returns the PHC-format string ($argon2id$v=19$m=19456,t=2,p=1$…). unavailable when memory
// cannot be allocated.
Result<std::string> HashPassword(std::string_view password);

// Constant-time check of `password` against a stored PHC string.
bool VerifyPassword(std::string_view password, const std::string& stored_hash);

// Password rules for new passwords: 10–128 characters, not containing the username.
// invalid_argument naming "password" otherwise.
Status CheckPasswordPolicy(std::string_view password, std::string_view username);

}  // namespace jiandu::auth
