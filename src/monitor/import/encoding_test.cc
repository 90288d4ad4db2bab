#include "monitor/import/encoding.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include <unicode/ucnv.h>

#include "core/sha256.h"

namespace jiandu::monitor {
namespace {

// UTF-8 → `charset` with ICU, for building test files in other encodings.
std::string Encode(std::string_view utf8, const char* charset) {
  UErrorCode err = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 16, '\0');
  int32_t n = ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                           utf8.data(), static_cast<int32_t>(utf8.size()), &err);
  EXPECT_TRUE(U_SUCCESS(err)) << u_errorName(err);
  out.resize(static_cast<size_t>(n));
  return out;
}

const std::string kCsv =
    "收款人身份证号,姓名,补贴项目,发放所属期,金额\n"
    "11010519491231002X,张三丰,城乡居民最低生活保障金,2023-01-01,350.00\n"
    "360426199101010071,李四,特困人员救助供养金,2023-01-01,1200.00\n"
    "11010519491231002X,王小明,高龄津贴,2023-02-01,100.00\n"
    "360426199101010071,赵钱孙,困难残疾人生活补贴,2023-02-01,90.50\n";

TEST(DecodeToUtf8Test, Utf8IsBorrowedAndHashed) {
  Result<DecodedText> d = DecodeToUtf8(kCsv, "");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->encoding, "UTF-8");
  EXPECT_FALSE(d->had_bom);
  EXPECT_EQ(d->text().data(), kCsv.data());
  EXPECT_EQ(d->sha256_hex, core::Sha256Hex(kCsv));
}

TEST(DecodeToUtf8Test, Utf8BomIsDropped) {
  std::string bytes = "\xEF\xBB\xBF" + kCsv;
  Result<DecodedText> d = DecodeToUtf8(bytes, "auto");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->had_bom);
  EXPECT_EQ(d->text(), kCsv);
  EXPECT_EQ(d->sha256_hex, core::Sha256Hex(bytes));  // of the original bytes, BOM included
}

TEST(DecodeToUtf8Test, DetectsAndConvertsGb18030) {
  // "中文" in GBK/GB18030 is D6 D0 CE C4; the rest of the file is converted by ICU.
  EXPECT_EQ(Encode("中文", "GB18030"), "\xD6\xD0\xCE\xC4");
  std::string gb = Encode(kCsv, "GB18030");
  ASSERT_NE(gb, kCsv);
  Result<DecodedText> d = DecodeToUtf8(gb, "");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->encoding, "GB18030");
  EXPECT_TRUE(d->detected);
  EXPECT_EQ(d->text(), kCsv);
  EXPECT_EQ(d->sha256_hex, core::Sha256Hex(gb));
}

TEST(DecodeToUtf8Test, DeclaredGbkDecodesShortText) {
  Result<DecodedText> d = DecodeToUtf8("\xD6\xD0\xCE\xC4,1\n", "GBK");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->text(), "中文,1\n");
  EXPECT_FALSE(d->detected);
  // Four-byte GB18030 sequences (outside GBK): U+20000 𠀀 is 95 32 82 36.
  Result<DecodedText> four = DecodeToUtf8("\x95\x32\x82\x36", "gb18030");
  ASSERT_TRUE(four.ok());
  EXPECT_EQ(four->text(), "\xF0\xA0\x80\x80");
}

TEST(DecodeToUtf8Test, NamesOffsetAndLineOfUndecodableBytes) {
  // Line 3 holds a GB18030 lead byte 0x81 followed by a space, which no table maps.
  std::string bytes = "a,b\n\xD6\xD0,1\nx\x81 y,2\n";
  Result<DecodedText> d = DecodeToUtf8(bytes, "gb18030");
  ASSERT_FALSE(d.ok());
  EXPECT_TRUE(d.status().IsInvalidArgument());
  EXPECT_NE(d.status().message().find("file is not UTF-8 or GB18030"), std::string::npos);
  EXPECT_NE(d.status().message().find("offset 10 (line 3)"), std::string::npos)
      << d.status().message();
  Result<DecodedText> utf8 = DecodeToUtf8("ok\nstill ok\n\xC3\x28", "utf-8");
  ASSERT_FALSE(utf8.ok());
  EXPECT_NE(utf8.status().message().find("offset 12 (line 3)"), std::string::npos)
      << utf8.status().message();
}

TEST(DecodeToUtf8Test, RefusesOtherEncodings) {
  std::string sjis = Encode(
      "東京都千代田区の住民データです。氏名、住所、電話番号を含みます。"
      "これは日本語のテキストであり、中国語ではありません。ひらがなとカタカナ。\n"
      "山田太郎,東京都,03-1234-5678\n鈴木花子,大阪府,06-1234-5678\n",
      "Shift_JIS");
  Result<DecodedText> d = DecodeToUtf8(sjis, "");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("file is not UTF-8 or GB18030"), std::string::npos);
  EXPECT_NE(d.status().message().find("SHIFT_JIS"), std::string::npos) << d.status().message();

  std::mt19937 rng(7);
  std::string binary(4096, '\0');
  for (char& c : binary) c = static_cast<char>(rng());
  Result<DecodedText> b = DecodeToUtf8(binary, "");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("file is not UTF-8 or GB18030"), std::string::npos);

  Result<DecodedText> unknown = DecodeToUtf8("abc", "latin-1");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unsupported encoding 'latin-1'"), std::string::npos);
}

TEST(DecodeToUtf8Test, Utf16WithBom) {
  std::string le = "\xFF\xFE" + Encode("姓名\n张三\n", "UTF-16LE");
  Result<DecodedText> d = DecodeToUtf8(le, "");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->encoding, "UTF-16LE");
  EXPECT_EQ(d->text(), "姓名\n张三\n");
  std::string be = "\xFE\xFF" + Encode("a\n", "UTF-16BE");
  Result<DecodedText> b = DecodeToUtf8(be, "");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->text(), "a\n");
  Result<DecodedText> conflict = DecodeToUtf8(le, "gb18030");
  EXPECT_FALSE(conflict.ok());
}

TEST(FirstInvalidUtf8Test, FindsTheFirstBadSequence) {
  EXPECT_EQ(FirstInvalidUtf8("plain ascii that is longer than eight"), std::string_view::npos);
  EXPECT_EQ(FirstInvalidUtf8("中文"), std::string_view::npos);
  EXPECT_EQ(FirstInvalidUtf8("abcdefgh\xC0\x80"), 8u);          // overlong
  EXPECT_EQ(FirstInvalidUtf8("ab\xED\xA0\x80"), 2u);            // surrogate
  EXPECT_EQ(FirstInvalidUtf8("ab\xF4\x90\x80\x80"), 2u);        // above U+10FFFF
  EXPECT_EQ(FirstInvalidUtf8("ab\xE4\xB8"), 2u);                // truncated
}

}  // namespace
}  // namespace jiandu::monitor
