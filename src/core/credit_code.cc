#include "core/credit_code.h"

#include <array>

#include "core/text.h"

namespace jiandu::core {
namespace {

// GB 32100-2015: the 31 characters in value order; I, O, S, V and Z are left out because they
// are easily misread as 1, 0, 5, U and 2.
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kModulus = 31;
// W_i = 3^(i-1) mod 31, positions 1..17.
constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
constexpr size_t kLength = 18;

// GB 11714 organisation code: weights over the first 8 characters.
constexpr int kOrgWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

// Registration authorities (登记管理部门) and the category digits each may use, from GB 32100
// and the authorities added since (DOMAIN.md §11.2; the full table is marked [verify] there).
struct Authority {
  char code;
  std::string_view categories;
};
constexpr std::array<Authority, 12> kAuthorities = {{
    {'1', "1239"},  // 机构编制: 机关, 事业单位, 编办直管群众团体, 其他
    {'2', "19"},    // 外交: 外国常驻新闻机构, 其他
    {'3', "123459"},  // 司法行政: 律师, 公证处, 基层法律服务所, 司法鉴定, 仲裁委员会, 其他
    {'4', "19"},    // 文化: 外国在华文化中心, 其他
    {'5', "1239"},  // 民政: 社会团体, 民办非企业单位, 基金会, 其他
    {'6', "129"},   // 旅游: 外国/港澳台旅游部门常驻代表机构, 其他
    {'7', "129"},   // 宗教: 宗教活动场所, 宗教院校, 其他
    {'8', "19"},    // 工会: 基层工会, 其他
    {'9', "123"},   // 市场监管 (工商): 企业, 个体工商户, 农民专业合作社
    {'A', "19"},    // 中央军委改革和编制办公室: 军队事业单位, 其他
    {'N', "1239"},  // 农业: 组级/村级/乡镇级集体经济组织, 其他
    {'Y', "1"},     // 其他: one undivided category
}};

int AlphabetValue(char c) {
  const size_t pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// GB 11714 uses all 26 letters (A=10 … Z=35), unlike the USCC alphabet.
int OrgCodeValue(char c) {
  if (IsDigit(c)) {
    return c - '0';
  }
  if (c >= 'A' && c <= 'Z') {
    return c - 'A' + 10;
  }
  return -1;
}

const Authority* FindAuthority(char code) {
  for (const Authority& a : kAuthorities) {
    if (a.code == code) {
      return &a;
    }
  }
  return nullptr;
}

Status CheckShape(std::string_view s, std::string_view field) {
  if (s.empty()) {
    return Status::InvalidArgument(field, "is empty");
  }
  for (char c : s) {
    if (AlphabetValue(c) < 0) {
      return Status::InvalidArgument(
          field, "only digits and the letters A-Y without I, O, S, V, Z are allowed");
    }
  }
  if (s.size() != kLength) {
    return Status::InvalidArgument(field, "must be 18 characters");
  }
  return Status::Ok();
}

Status CheckParts(std::string_view s, std::string_view field) {
  const Authority* authority = FindAuthority(s[0]);
  if (authority == nullptr) {
    return Status::InvalidArgument(field, "registration authority code is not recognised");
  }
  if (authority->categories.find(s[1]) == std::string_view::npos) {
    return Status::InvalidArgument(
        field, "organisation category is not valid for its registration authority");
  }
  for (size_t i = 2; i < 8; ++i) {
    if (!IsDigit(s[i])) {
      return Status::InvalidArgument(field, "registration region must be 6 digits");
    }
  }
  return Status::Ok();
}

bool InnerOrgCodeValid(std::string_view org9) {
  const std::string expected = ComputeOrgCodeCheckChar(org9.substr(0, 8));
  return !expected.empty() && org9[8] == expected[0];
}

}  // namespace

// Holds the one constructor call, so nothing but ParseUnifiedCreditCode builds a code.
class CreditCodeParser {
 public:
  static Result<UnifiedCreditCode> Parse(std::string_view text, std::string_view field) {
    std::string s = NormalizeIdentifier(text);
    JIANDU_RETURN_IF_ERROR(CheckShape(s, field));
    JIANDU_RETURN_IF_ERROR(CheckParts(s, field));
    if (ComputeCreditCodeCheckChar(std::string_view(s).substr(0, 17))[0] != s.back()) {
      return Status::InvalidArgument(field, "check character does not match");
    }
    const bool inner_valid = InnerOrgCodeValid(std::string_view(s).substr(8, 9));
    return UnifiedCreditCode(std::move(s), inner_valid);
  }
};

Result<UnifiedCreditCode> ParseUnifiedCreditCode(std::string_view text, std::string_view field) {
  return CreditCodeParser::Parse(text, field);
}

std::string ComputeCreditCodeCheckChar(std::string_view first17) {
  if (first17.size() != 17) {
    return "";
  }
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    const int v = AlphabetValue(first17[i]);
    if (v < 0) {
      return "";
    }
    sum += v * kWeights[i];
  }
  return std::string(1, kAlphabet[(kModulus - sum % kModulus) % kModulus]);
}

std::string ComputeOrgCodeCheckChar(std::string_view first8) {
  if (first8.size() != 8) {
    return "";
  }
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    const int v = OrgCodeValue(first8[i]);
    if (v < 0) {
      return "";
    }
    sum += v * kOrgWeights[i];
  }
  const int c = 11 - sum % 11;
  if (c == 10) {
    return "X";
  }
  return std::string(1, static_cast<char>('0' + (c == 11 ? 0 : c)));
}

}  // namespace jiandu::core
