// The server's secret key and what is derived from it: authenticated encryption of data at rest
// (XChaCha20-Poly1305) and keyed hashes for equality look-ups of personal data (HMAC-SHA-256),
// each purpose with its own subkey so one use cannot be turned against another.
//
//   JIANDU_ASSIGN_OR_RETURN(SecretKey key, SecretKey::LoadOrCreate("data/secret.key"));
//   std::string sealed = key.Seal(KeyPurpose::kTotpSecret, plaintext, "user:3");
//   JIANDU_ASSIGN_OR_RETURN(std::string plain, key.Open(KeyPurpose::kTotpSecret, sealed, "user:3"));
//   std::string lookup = key.KeyedHash(KeyPurpose::kIdNumberLookup, normalized_id);
//
// Losing the key makes sealed data unreadable: back it up with the database (docs/operations.md).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace jiandu::auth {

enum class KeyPurpose : uint64_t {
  kTotpSecret = 1,
  kIdNumber = 2,        // encryption of ID numbers and phone numbers at rest
  kIdNumberLookup = 3,  // keyed hash for exact search by ID number
  kSessionToken = 4,
};

class SecretKey {
 public:
  // A key from 64 hex characters (32 bytes); invalid_argument otherwise.
  static Result<SecretKey> FromHex(std::string_view hex);
  // Reads the key file (64 hex characters), or creates it with a fresh random key and mode 0600
  // when it does not exist. unavailable on I/O errors; failed_precondition if the file is
  // readable by others or malformed.
  static Result<SecretKey> LoadOrCreate(const std::string& path);
  static SecretKey Random();

  // Encrypts with a random nonce; the output is nonce || ciphertext || tag. `context` is
  // authenticated, not encrypted (bind a ciphertext to its row, e.g. "person:42:id_number").
  std::string Seal(KeyPurpose purpose, std::string_view plaintext, std::string_view context) const;
  // invalid_argument if the data was altered, or sealed under another key, purpose or context.
  Result<std::string> Open(KeyPurpose purpose, std::string_view sealed,
                           std::string_view context) const;
  // Hex HMAC-SHA-256 under the purpose's subkey.
  std::string KeyedHash(KeyPurpose purpose, std::string_view data) const;

 private:
  SecretKey() = default;
  std::string Subkey(KeyPurpose purpose) const;
  std::string key_;  // 32 raw bytes
};

}  // namespace jiandu::auth
