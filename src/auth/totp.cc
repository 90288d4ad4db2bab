#include "auth/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <cstdio>

namespace jiandu::auth {
namespace {

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string UrlEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

std::string GenerateTotpSecret() {
  std::string secret(20, '\0');
  if (sodium_init() < 0) {
    std::abort();
  }
  randombytes_buf(secret.data(), secret.size());
  return secret;
}

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kBase32Alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) {
    out += kBase32Alphabet[(buffer << (5 - bits)) & 31];
  }
  return out;
}

bool Base32Decode(std::string_view text, std::string* out) {
  std::string result;
  uint32_t buffer = 0;
  int bits = 0;
  for (char ch : text) {
    if (ch == ' ' || ch == '=' || ch == '-') {
      continue;
    }
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    int v = -1;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= '2' && c <= '7') {
      v = c - '2' + 26;
    }
    if (v < 0) {
      return false;
    }
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      result += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  *out = std::move(result);
  return true;
}

std::string TotpCodeForStep(std::string_view secret, int64_t step) {
  unsigned char msg[8];
  for (int i = 7; i >= 0; --i) {
    msg[i] = static_cast<unsigned char>(step & 0xff);
    step >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), msg, sizeof msg, mac, &len);
  // RFC 4226 §5.3 dynamic truncation.
  int offset = mac[len - 1] & 0x0f;
  uint32_t bin = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                 (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                 (static_cast<uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06u", bin % 1000000);
  return buf;
}

std::string TotpCode(std::string_view secret, core::Timestamp at) {
  return TotpCodeForStep(secret, at.unix_seconds() / kTotpStepSeconds);
}

Result<int64_t> VerifyTotp(std::string_view secret, std::string_view code, core::Timestamp at,
                           int64_t last_used_step) {
  if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string_view::npos) {
    return Status::InvalidArgument("code", "must be 6 digits");
  }
  const int64_t now_step = at.unix_seconds() / kTotpStepSeconds;
  for (int64_t step : {now_step, now_step - 1, now_step + 1}) {
    // Compare every candidate in constant time; a match on a used step is a replay.
    std::string expected = TotpCodeForStep(secret, step);
    if (sodium_memcmp(expected.data(), code.data(), 6) == 0) {
      if (step <= last_used_step) {
        return Status::InvalidArgument("code", "this code was already used; wait for the next one");
      }
      return step;
    }
  }
  return Status::InvalidArgument("code", "wrong code");
}

std::string TotpUri(std::string_view account, std::string_view secret) {
  return "otpauth://totp/Jiandu:" + UrlEncode(account) + "?secret=" + Base32Encode(secret) +
         "&issuer=Jiandu&algorithm=SHA1&digits=6&period=30";
}

}  // namespace jiandu::auth
