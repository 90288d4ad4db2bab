#include "auth/password.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>

namespace jiandu::auth {
namespace {

// OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB, 2 iterations, parallelism 1.
constexpr unsigned long long kOpsLimit = 2;
constexpr size_t kMemLimit = 19ull * 1024 * 1024;

bool EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  if (!EnsureSodium()) {
    return Status::Internal("libsodium failed to initialise");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Unavailable("out of memory while hashing a password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& stored_hash) {
  if (!EnsureSodium() || stored_hash.empty()) {
    return false;
  }
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

Status CheckPasswordPolicy(std::string_view password, std::string_view username) {
  if (password.size() < 10) {
    return Status::InvalidArgument("password", "must be at least 10 characters");
  }
  if (password.size() > 128) {
    return Status::InvalidArgument("password", "must be at most 128 characters");
  }
  if (!username.empty() && Lower(password).find(Lower(username)) != std::string::npos) {
    return Status::InvalidArgument("password", "must not contain the username");
  }
  return Status::Ok();
}

}  // namespace jiandu::auth
