#include "core/text.h"

#include <gtest/gtest.h>

namespace jiandu::core {
namespace {

TEST(TextTest, Utf8AcceptsChineseAndAscii) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("abc"));
  EXPECT_TRUE(IsValidUtf8("郧西县人大常委会"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600, 4 bytes
}

TEST(TextTest, Utf8RejectsMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong, 3 bytes
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE9\x83"));          // truncated 郧
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation byte
  EXPECT_FALSE(IsValidUtf8("a\xFF"));
}

TEST(TextTest, CodePointCountCountsCharactersNotBytes) {
  EXPECT_EQ(CodePointCount(""), 0u);
  EXPECT_EQ(CodePointCount("abc"), 3u);
  EXPECT_EQ(CodePointCount("郧西县"), 3u);
  EXPECT_EQ(CodePointCount("a郧\xF0\x9F\x98\x80"), 3u);
  // Each malformed byte counts once.
  EXPECT_EQ(CodePointCount("\xE9\x83"), 2u);
}

TEST(TextTest, NormalizeWidthFoldsFullWidthAsciiAndIdeographicSpace) {
  EXPECT_EQ(NormalizeWidth("１１０１０５"), "110105");
  EXPECT_EQ(NormalizeWidth("ｘＸ！～"), "xX!~");
  EXPECT_EQ(NormalizeWidth("湖北\xE3\x80\x80十堰"), "湖北 十堰");
  EXPECT_EQ(NormalizeWidth("－（二）"), "-(二)");
}

TEST(TextTest, NormalizeWidthLeavesOtherTextAlone) {
  EXPECT_EQ(NormalizeWidth("郧西县〇、。「」"), "郧西县〇、。「」");
}

TEST(TextTest, NormalizeWidthPassesMalformedBytesThrough) {
  EXPECT_EQ(NormalizeWidth("a\xFF\xEF\xBC"), "a\xFF\xEF\xBC");
}

TEST(TextTest, TrimRemovesAsciiWhitespaceAndIdeographicSpace) {
  EXPECT_EQ(Trim("  abc \t\r\n"), "abc");
  EXPECT_EQ(Trim("\t\n\v\f\r abc"), "abc");
  EXPECT_EQ(Trim("\xE3\x80\x80 郧西 \xE3\x80\x80"), "郧西");
  EXPECT_EQ(Trim("a b"), "a b");
  EXPECT_EQ(Trim(" \xE3\x80\x80 "), "");
  EXPECT_EQ(Trim(""), "");
}

TEST(TextTest, NormalizeIdentifierStripsSeparatorsAndUppercases) {
  EXPECT_EQ(NormalizeIdentifier(" 110105-19491231-002x "), "11010519491231002X");
  EXPECT_EQ(NormalizeIdentifier("１１０１０５　１９４９"), "1101051949");
  EXPECT_EQ(NormalizeIdentifier("91350100m000100y43"), "91350100M000100Y43");
  EXPECT_EQ(NormalizeIdentifier(""), "");
}

TEST(TextTest, MaskIdNumberKeepsFirstAndLastFour) {
  EXPECT_EQ(MaskIdNumber("42032219800101123X"), "4203**********123X");
  EXPECT_EQ(MaskIdNumber("110105491231002"), "1101*******1002");
}

TEST(TextTest, MaskIdNumberMasksShortInputEntirely) {
  EXPECT_EQ(MaskIdNumber("12345678901234"), "**************");
  EXPECT_EQ(MaskIdNumber("1234"), "****");
  EXPECT_EQ(MaskIdNumber(""), "");
}

TEST(TextTest, MaskIdNumberNeverSplitsACharacter) {
  const std::string masked = MaskIdNumber("１１０１０５１９４９１２３１００２Ｘ");
  EXPECT_EQ(masked, "１１０１**********００２Ｘ");
  EXPECT_TRUE(IsValidUtf8(masked));
}

TEST(TextTest, MaskPhoneMobile) {
  EXPECT_EQ(MaskPhone("13812341234"), "138****1234");
  EXPECT_EQ(MaskPhone("138 1234 1234"), "138****1234");
  EXPECT_EQ(MaskPhone("+86 138-1234-1234"), "138****1234");
}

TEST(TextTest, MaskPhoneLandlineKeepsAreaCodeAndLastTwo) {
  EXPECT_EQ(MaskPhone("0719-1234567"), "0719-*****67");
  EXPECT_EQ(MaskPhone("(010)12345678"), "010-******78");
  EXPECT_EQ(MaskPhone("027 87654321"), "027-******21");
  EXPECT_EQ(MaskPhone("7654321"), "*****21");
}

TEST(TextTest, MaskPhoneMasksAnythingElseEntirely) {
  EXPECT_EQ(MaskPhone("12388"), "*****");
  EXPECT_EQ(MaskPhone("ext. 1234"), "*********");
  EXPECT_EQ(MaskPhone("电话13812341234"), "*************");
  EXPECT_EQ(MaskPhone(""), "");
}

}  // namespace
}  // namespace jiandu::core
