// SHA-256 (FIPS 180-4) through OpenSSL, and hex helpers.
//
//   std::string digest = core::Sha256(bytes);      // 32 raw bytes
//   std::string hex = core::Sha256Hex(bytes);      // 64 lowercase hex characters
//   core::Sha256Hasher h; h.Update(a); h.Update(b); std::string d = h.Finish();
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace jiandu::core {

inline constexpr size_t kSha256Size = 32;

std::string Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);
// HMAC-SHA-256 of `data` under `key` (32 raw bytes out).
std::string HmacSha256(std::string_view key, std::string_view data);

// Incremental hashing; cheap to construct. Not thread-safe.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void Update(std::string_view data);
  // Returns the 32-byte digest and resets the hasher for reuse.
  std::string Finish();

 private:
  void* ctx_;  // EVP_MD_CTX*, kept opaque so OpenSSL headers stay out of every includer
};

std::string HexEncode(std::string_view bytes);
// Returns false on odd length or a non-hex character.
bool HexDecode(std::string_view hex, std::string* out);

}  // namespace jiandu::core
