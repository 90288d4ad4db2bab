// Tests of the auth module's cryptographic pieces: TOTP (RFC 6238 vectors), base32 (RFC 4648),
// Argon2id password hashes, the sealed-box and keyed-hash key.
#include <gtest/gtest.h>

#include "auth/password.h"
#include "auth/secret_key.h"
#include "auth/totp.h"

namespace jiandu::auth {
namespace {

const std::string kRfcSecret = "12345678901234567890";

// RFC 6238 appendix B (SHA-1), truncated to the 6 digits we use.
TEST(TotpTest, MatchesRfc6238Vectors) {
  const std::pair<int64_t, const char*> vectors[] = {
      {59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
      {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}};
  for (const auto& [t, code] : vectors) {
    EXPECT_EQ(TotpCode(kRfcSecret, core::Timestamp::FromUnixSeconds(t)), code) << t;
  }
}

TEST(TotpTest, AcceptsAdjacentStepsOnceOnly) {
  const core::Timestamp now = core::Timestamp::FromUnixSeconds(1'800'000'000);
  const std::string previous = TotpCode(kRfcSecret, now - std::chrono::seconds(30));
  Result<int64_t> step = VerifyTotp(kRfcSecret, previous, now, 0);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(*step, now.unix_seconds() / 30 - 1);
  // Replaying the same code, or an older one, is refused.
  EXPECT_TRUE(VerifyTotp(kRfcSecret, previous, now, *step).status().IsInvalidArgument());
  const std::string stale = TotpCode(kRfcSecret, now - std::chrono::seconds(90));
  EXPECT_TRUE(VerifyTotp(kRfcSecret, stale, now, 0).status().IsInvalidArgument());
  EXPECT_TRUE(VerifyTotp(kRfcSecret, "12345", now, 0).status().IsInvalidArgument());
  EXPECT_TRUE(VerifyTotp(kRfcSecret, "12345a", now, 0).status().IsInvalidArgument());
}

TEST(Base32Test, MatchesRfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},         {"f", "MY"},           {"fo", "MZXQ"},
      {"foo", "MZXW6"}, {"foob", "MZXW6YQ"},   {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base32Encode(plain), encoded);
    std::string back;
    ASSERT_TRUE(Base32Decode(encoded, &back));
    EXPECT_EQ(back, plain);
  }
  std::string out;
  EXPECT_TRUE(Base32Decode("mzxw 6ytb oi==", &out));
  EXPECT_EQ(out, "foobar");
  EXPECT_FALSE(Base32Decode("MZX1", &out));
}

TEST(TotpTest, UriCarriesTheSecretAndIssuer) {
  std::string uri = TotpUri("audit admin", kRfcSecret);
  EXPECT_EQ(uri.rfind("otpauth://totp/Jiandu:audit%20admin?secret=", 0), 0u);
  EXPECT_NE(uri.find("issuer=Jiandu"), std::string::npos);
}

TEST(PasswordTest, HashesWithArgon2idAndVerifies) {
  Result<std::string> h = HashPassword("correct horse battery");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *h;
  EXPECT_TRUE(VerifyPassword("correct horse battery", *h));
  EXPECT_FALSE(VerifyPassword("correct horse batterz", *h));
  EXPECT_FALSE(VerifyPassword("x", ""));
  // Salted: the same password hashes differently.
  EXPECT_NE(*h, *HashPassword("correct horse battery"));
}

TEST(PasswordTest, PolicyNamesThePasswordField) {
  EXPECT_TRUE(CheckPasswordPolicy("long enough!", "congress").ok());
  Status short_pw = CheckPasswordPolicy("short", "congress");
  EXPECT_TRUE(short_pw.IsInvalidArgument());
  EXPECT_EQ(short_pw.field(), "password");
  EXPECT_TRUE(CheckPasswordPolicy("my-Congress-2026", "congress").IsInvalidArgument());
}

TEST(SecretKeyTest, SealOpensOnlyWithSamePurposeAndContext) {
  SecretKey key = SecretKey::Random();
  std::string sealed = key.Seal(KeyPurpose::kIdNumber, "11010519491231002X", "person:1");
  EXPECT_EQ(sealed.find("11010519491231002X"), std::string::npos);
  Result<std::string> opened = key.Open(KeyPurpose::kIdNumber, sealed, "person:1");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "11010519491231002X");
  EXPECT_FALSE(key.Open(KeyPurpose::kIdNumber, sealed, "person:2").ok());
  EXPECT_FALSE(key.Open(KeyPurpose::kTotpSecret, sealed, "person:1").ok());
  std::string tampered = sealed;
  tampered[30] ^= 1;
  EXPECT_FALSE(key.Open(KeyPurpose::kIdNumber, tampered, "person:1").ok());
  EXPECT_FALSE(SecretKey::Random().Open(KeyPurpose::kIdNumber, sealed, "person:1").ok());
}

TEST(SecretKeyTest, KeyedHashIsStablePerKeyAndPurpose) {
  Result<SecretKey> a = SecretKey::FromHex(std::string(64, 'a'));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->KeyedHash(KeyPurpose::kIdNumberLookup, "x"),
            a->KeyedHash(KeyPurpose::kIdNumberLookup, "x"));
  EXPECT_NE(a->KeyedHash(KeyPurpose::kIdNumberLookup, "x"),
            a->KeyedHash(KeyPurpose::kIdNumber, "x"));
  EXPECT_NE(a->KeyedHash(KeyPurpose::kIdNumberLookup, "x"),
            SecretKey::FromHex(std::string(64, 'b'))->KeyedHash(KeyPurpose::kIdNumberLookup,
                                                                 "x"));
  EXPECT_TRUE(SecretKey::FromHex("abc").status().IsInvalidArgument());
}

}  // namespace
}  // namespace jiandu::auth
