#include "auth/secret_key.h"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "core/sha256.h"

namespace jiandu::auth {
namespace {

bool EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "jiandu01";

}  // namespace

Result<SecretKey> SecretKey::FromHex(std::string_view hex) {
  std::string raw;
  std::string trimmed(hex);
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) {
    trimmed.pop_back();
  }
  if (!core::HexDecode(trimmed, &raw) || raw.size() != crypto_kdf_KEYBYTES) {
    return Status::InvalidArgument("secret_key", "must be 64 hexadecimal characters");
  }
  SecretKey k;
  k.key_ = std::move(raw);
  return k;
}

SecretKey SecretKey::Random() {
  EnsureSodium();
  SecretKey k;
  k.key_.resize(crypto_kdf_KEYBYTES);
  crypto_kdf_keygen(reinterpret_cast<unsigned char*>(k.key_.data()));
  return k;
}

Result<SecretKey> SecretKey::LoadOrCreate(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    SecretKey k = Random();
    // Create with 0600 from the start so the key is never readable by others, even briefly.
    mode_t old = umask(077);
    std::ofstream out(path, std::ios::trunc);
    umask(old);
    out << core::HexEncode(k.key_) << "\n";
    out.close();
    if (!out) {
      return Status::Unavailable("cannot write the secret key file");
    }
    return k;
  }
  if ((st.st_mode & 077) != 0) {
    return Status::FailedPrecondition("the secret key file is readable by group or others; "
                                      "run chmod 600 on it");
  }
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  if (!in) {
    return Status::Unavailable("cannot read the secret key file");
  }
  Result<SecretKey> k = FromHex(buf.str());
  if (!k.ok()) {
    return Status::FailedPrecondition("the secret key file is malformed");
  }
  return k;
}

std::string SecretKey::Subkey(KeyPurpose purpose) const {
  std::string sub(32, '\0');
  crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(sub.data()), sub.size(),
                             static_cast<uint64_t>(purpose), kKdfContext,
                             reinterpret_cast<const unsigned char*>(key_.data()));
  return sub;
}

std::string SecretKey::Seal(KeyPurpose purpose, std::string_view plaintext,
                            std::string_view context) const {
  EnsureSodium();
  std::string sub = Subkey(purpose);
  std::string out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() +
                      crypto_aead_xchacha20poly1305_ietf_ABYTES,
                  '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
      reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
      reinterpret_cast<const unsigned char*>(context.data()), context.size(), nullptr, nonce,
      reinterpret_cast<const unsigned char*>(sub.data()));
  sodium_memzero(sub.data(), sub.size());
  return out;
}

Result<std::string> SecretKey::Open(KeyPurpose purpose, std::string_view sealed,
                                    std::string_view context) const {
  constexpr size_t kOverhead =
      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < kOverhead) {
    return Status::InvalidArgument("sealed", "ciphertext too short");
  }
  std::string sub = Subkey(purpose);
  std::string plain(sealed.size() - kOverhead, '\0');
  unsigned long long plen = 0;
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      reinterpret_cast<unsigned char*>(plain.data()), &plen, nullptr,
      nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
      sealed.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
      reinterpret_cast<const unsigned char*>(context.data()), context.size(), nonce,
      reinterpret_cast<const unsigned char*>(sub.data()));
  sodium_memzero(sub.data(), sub.size());
  if (rc != 0) {
    return Status::InvalidArgument("sealed", "ciphertext failed authentication");
  }
  plain.resize(plen);
  return plain;
}

std::string SecretKey::KeyedHash(KeyPurpose purpose, std::string_view data) const {
  std::string sub = Subkey(purpose);
  std::string mac = core::HmacSha256(sub, data);
  sodium_memzero(sub.data(), sub.size());
  return core::HexEncode(mac);
}

}  // namespace jiandu::auth
