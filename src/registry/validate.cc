#include "registry/validate.h"

#include <array>

#include "core/text.h"

namespace jiandu::registry {
namespace {

// Decodes one UTF-8 code point at `i` (input already validated); advances `i`.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  i += len;
  return cp;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool IsHan(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x323AF);
}

bool IsLatinLetter(char32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

// Scripts of names written in minority languages (Tibetan, Mongolian, Arabic script for Uyghur
// and Kazakh, Yi).
bool IsOtherNameScript(char32_t c) {
  return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0F00 && c <= 0x0FFF) ||
         (c >= 0x1800 && c <= 0x18AF) || (c >= 0xA000 && c <= 0xA48F);
}

bool IsNameDot(char32_t c) {
  return c == 0x00B7 || c == 0x30FB || c == 0x2022 || c == 0xFF65 || c == 0x2027;
}

constexpr std::array<std::string_view, 56> kEthnicGroups = {
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族",
    "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族",
    "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族",
    "基诺族"};

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

Result<std::string> CheckPersonName(std::string_view text, std::string_view field) {
  if (!core::IsValidUtf8(text)) {
    return Status::InvalidArgument(field, "is not valid UTF-8 text");
  }
  std::string normalized = core::NormalizeWidth(text);
  std::string_view trimmed = core::Trim(normalized);
  if (trimmed.empty()) {
    return Status::InvalidArgument(field, "is required");
  }
  std::string out;
  size_t count = 0;
  char32_t prev = 0;
  for (size_t i = 0; i < trimmed.size();) {
    char32_t c = NextCodePoint(trimmed, i);
    ++count;
    if (IsNameDot(c)) {
      if (prev == 0 || IsNameDot(prev) || prev == ' ') {
        return Status::InvalidArgument(field, "the middle dot must stand between two name parts");
      }
      c = 0x00B7;
    } else if (c == ' ') {
      // Spaces separate Latin name parts only ("Ayşe Kaya"), never Han characters.
      if (!IsLatinLetter(prev)) {
        return Status::InvalidArgument(field, "spaces are allowed only between Latin name parts");
      }
    } else if (!IsHan(c) && !IsLatinLetter(c) && !IsOtherNameScript(c)) {
      return Status::InvalidArgument(
          field, "may contain only letters and the middle dot (no digits, punctuation or symbols)");
    } else if (prev == ' ' && !IsLatinLetter(c)) {
      return Status::InvalidArgument(field, "spaces are allowed only between Latin name parts");
    }
    AppendUtf8(out, c);
    prev = c;
  }
  if (IsNameDot(prev)) {
    return Status::InvalidArgument(field, "the middle dot must stand between two name parts");
  }
  if (count > 50) {
    return Status::InvalidArgument(field, "must be at most 50 characters");
  }
  return out;
}

Result<std::string> CheckText(std::string_view text, std::string_view field, size_t max_chars,
                              bool required, bool multiline) {
  if (!core::IsValidUtf8(text)) {
    return Status::InvalidArgument(field, "is not valid UTF-8 text");
  }
  std::string_view trimmed = core::Trim(text);
  if (trimmed.empty() && required) {
    return Status::InvalidArgument(field, "is required");
  }
  for (unsigned char c : trimmed) {
    bool allowed_ws = multiline && (c == '\n' || c == '\t' || c == '\r');
    if ((c < 0x20 || c == 0x7F) && !allowed_ws) {
      return Status::InvalidArgument(field, "must not contain control characters");
    }
  }
  if (core::CodePointCount(trimmed) > max_chars) {
    return Status::InvalidArgument(field,
                                   "must be at most " + std::to_string(max_chars) + " characters");
  }
  return std::string(trimmed);
}

Result<std::string> CheckEthnicity(std::string_view text, std::string_view field) {
  std::string_view t = core::Trim(text);
  if (t.empty()) {
    return std::string();
  }
  for (std::string_view g : kEthnicGroups) {
    if (g == t) {
      return std::string(t);
    }
  }
  return Status::InvalidArgument(field, "must be one of the 56 recognised ethnic groups, e.g. 汉族");
}

Result<std::string> CheckPhone(std::string_view text, std::string_view field) {
  std::string n = core::NormalizeWidth(text);
  std::string digits;
  for (char c : n) {
    if (c == ' ') {
      continue;
    }
    digits += c;
  }
  if (digits.empty()) {
    return std::string();
  }
  if (digits.size() == 11 && digits[0] == '1' && digits[1] >= '3' && AllDigits(digits)) {
    return digits;
  }
  size_t dash = digits.find('-');
  std::string area = dash == std::string::npos ? "" : digits.substr(0, dash);
  std::string local = dash == std::string::npos ? "" : digits.substr(dash + 1);
  if (dash == std::string::npos && digits[0] == '0' && AllDigits(digits) &&
      (digits.size() == 10 || digits.size() == 11 || digits.size() == 12)) {
    return digits;
  }
  if (AllDigits(area) && AllDigits(local) && area[0] == '0' && area.size() >= 3 &&
      area.size() <= 4 && local.size() >= 7 && local.size() <= 8) {
    return area + "-" + local;
  }
  return Status::InvalidArgument(
      field, "must be an 11-digit mobile number or a landline with area code, e.g. 0719-1234567");
}

Status CheckOrgCode(std::string_view code, std::string_view field) {
  if (code.empty() || code.size() > 32) {
    return Status::InvalidArgument(field, "must be 1 to 32 characters");
  }
  for (char c : code) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) {
      return Status::InvalidArgument(field, "only letters, digits, '.', '_' and '-'");
    }
  }
  return Status::Ok();
}

}  // namespace jiandu::registry
