#include "core/text.h"

namespace jiandu::core {
namespace {

constexpr char32_t kIdeographicSpace = 0x3000;
constexpr char32_t kFullWidthFirst = 0xFF01;  // ！
constexpr char32_t kFullWidthLast = 0xFF5E;   // ～
// Full-width U+FF01..U+FF5E mirror ASCII 0x21..0x7E at this fixed distance.
constexpr char32_t kFullWidthOffset = 0xFF01 - 0x21;
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// One decoded code point; `length` is 0 when the bytes at the position are not a well-formed
// UTF-8 sequence.
struct Decoded {
  char32_t code_point = 0;
  size_t length = 0;
};

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

Decoded DecodeAt(std::string_view text, size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) {
    return {lead, 1};
  }
  // The lead byte gives the sequence length, its payload bits, and the smallest code point that
  // needs that many bytes.
  struct Form {
    unsigned char mask, value, payload;
    size_t length;
    char32_t min;
  };
  static constexpr Form kForms[] = {
      {0xE0, 0xC0, 0x1F, 2, 0x80}, {0xF0, 0xE0, 0x0F, 3, 0x800}, {0xF8, 0xF0, 0x07, 4, 0x10000}};
  const Form* form = nullptr;
  for (const Form& f : kForms) {
    if ((lead & f.mask) == f.value) {
      form = &f;
    }
  }
  if (form == nullptr) {
    return {};
  }
  const size_t length = form->length;
  const char32_t min = form->min;
  char32_t cp = lead & form->payload;
  if (pos + length > text.size()) {
    return {};
  }
  for (size_t i = 1; i < length; ++i) {
    const auto c = static_cast<unsigned char>(text[pos + i]);
    if (!IsContinuation(c)) {
      return {};
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  // Overlong forms and surrogates are the classic ways to smuggle a second spelling of a
  // character past a check, so they are malformed here.
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return {};
  }
  return {cp, length};
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

constexpr std::string_view kIdeographicSpaceUtf8 = "\xE3\x80\x80";
bool StartsWithIdeographicSpace(std::string_view s) {
  return s.substr(0, kIdeographicSpaceUtf8.size()) == kIdeographicSpaceUtf8;
}
bool EndsWithIdeographicSpace(std::string_view s) {
  return s.size() >= kIdeographicSpaceUtf8.size() &&
         s.substr(s.size() - kIdeographicSpaceUtf8.size()) == kIdeographicSpaceUtf8;
}

// Splits `text` into code points (malformed bytes become one-byte pieces).
template <typename Fn>
void ForEachCodePoint(std::string_view text, Fn fn) {
  for (size_t pos = 0; pos < text.size();) {
    Decoded d = DecodeAt(text, pos);
    const size_t n = d.length == 0 ? 1 : d.length;
    fn(text.substr(pos, n));
    pos += n;
  }
}

bool IsPhoneSeparator(char c) { return c == ' ' || c == '-' || c == '(' || c == ')'; }

std::string Stars(size_t n) { return std::string(n, '*'); }

// Landline with area code: 010 and 02x are 3-digit area codes, all others 4 digits.
std::string MaskLandline(const std::string& digits) {
  const size_t area = (digits[1] == '1' || digits[1] == '2') ? 3 : 4;
  const size_t local = digits.size() - area;
  return digits.substr(0, area) + "-" + Stars(local - 2) + digits.substr(digits.size() - 2);
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    Decoded d = DecodeAt(text, pos);
    if (d.length == 0) {
      return false;
    }
    pos += d.length;
  }
  return true;
}

size_t CodePointCount(std::string_view text) {
  size_t count = 0;
  ForEachCodePoint(text, [&](std::string_view) { ++count; });
  return count;
}

std::string NormalizeWidth(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    Decoded d = DecodeAt(text, pos);
    if (d.length == 0) {
      out.push_back(text[pos]);
      ++pos;
      continue;
    }
    if (d.code_point >= kFullWidthFirst && d.code_point <= kFullWidthLast) {
      out.push_back(static_cast<char>(d.code_point - kFullWidthOffset));
    } else if (d.code_point == kIdeographicSpace) {
      out.push_back(' ');
    } else {
      out.append(text.substr(pos, d.length));
    }
    pos += d.length;
  }
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty()) {
    if (IsAsciiSpace(text.front())) {
      text.remove_prefix(1);
    } else if (StartsWithIdeographicSpace(text)) {
      text.remove_prefix(kIdeographicSpaceUtf8.size());
    } else {
      break;
    }
  }
  while (!text.empty()) {
    if (IsAsciiSpace(text.back())) {
      text.remove_suffix(1);
    } else if (EndsWithIdeographicSpace(text)) {
      text.remove_suffix(kIdeographicSpaceUtf8.size());
    } else {
      break;
    }
  }
  return text;
}

std::string NormalizeIdentifier(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    Decoded d = DecodeAt(text, pos);
    if (d.length == 0) {
      // Dropping separators could join stray bytes into a new character on a second pass;
      // replacing them keeps the function idempotent. Validation rejects U+FFFD anyway.
      out.append(kReplacementCharacter);
      ++pos;
      continue;
    }
    char32_t cp = d.code_point;
    if (cp >= kFullWidthFirst && cp <= kFullWidthLast) {
      cp -= kFullWidthOffset;
    }
    pos += d.length;
    if (cp >= 0x80) {
      out.append(cp == kIdeographicSpace ? "" : text.substr(pos - d.length, d.length));
      continue;
    }
    const char c = static_cast<char>(cp);
    if (IsAsciiSpace(c) || c == '-') {
      continue;
    }
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

std::string MaskIdNumber(std::string_view text) {
  constexpr size_t kMinShown = 15;  // a legacy 15-digit number is the shortest real ID
  constexpr size_t kKeep = 4;
  text = Trim(text);
  const size_t n = CodePointCount(text);
  if (n < kMinShown) {
    return Stars(n);
  }
  std::string out;
  size_t index = 0;
  ForEachCodePoint(text, [&](std::string_view piece) {
    const bool keep = index < kKeep || index >= n - kKeep;
    out.append(keep ? piece : std::string_view("*"));
    ++index;
  });
  return out;
}

std::string MaskPhone(std::string_view text) {
  text = Trim(text);
  std::string digits;
  bool only_phone_chars = true;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (!IsPhoneSeparator(c) && !(c == '+' && i == 0)) {
      only_phone_chars = false;
    }
  }
  if (!only_phone_chars) {
    return Stars(CodePointCount(text));
  }
  if (digits.size() == 13 && digits.compare(0, 3, "861") == 0) {
    digits.erase(0, 2);
  }
  if (digits.size() == 11 && digits[0] == '1') {
    return digits.substr(0, 3) + "****" + digits.substr(7);
  }
  if (digits.size() >= 10 && digits.size() <= 12 && digits[0] == '0') {
    return MaskLandline(digits);
  }
  if (digits.size() == 7 || digits.size() == 8) {
    return Stars(digits.size() - 2) + digits.substr(digits.size() - 2);
  }
  return Stars(CodePointCount(text));
}

}  // namespace jiandu::core
