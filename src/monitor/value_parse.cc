#include "monitor/value_parse.h"

#include <algorithm>
#include <cstdio>

#include "core/civil_date.h"
#include "core/credit_code.h"
#include "core/text.h"

namespace jiandu::monitor {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAsciiTrimmed(std::string_view t) {
  if (t.empty()) return true;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  return !space(t.front()) && !space(t.back());
}

bool AllAscii(std::string_view t) {
  for (char c : t) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Width-folded and trimmed copy, for the slow paths.
std::string Normalised(std::string_view text) {
  return std::string(core::Trim(core::NormalizeWidth(text)));
}

Status Bad(std::string_view reason) { return Status::InvalidArgument("", reason); }

// Days since 1970-01-01 of a valid y-m-d (H. Hinnant's days_from_civil).
int32_t DayNumber(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int32_t>(era * 146097 + static_cast<int>(doe) - 719468);
}

bool ValidYmd(int y, int m, int d) {
  return y >= 1800 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= core::DaysInMonth(y, m);
}

int Digits(std::string_view t, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (t[i] - '0');
  return v;
}

constexpr int kIdWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kIdCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

Result<int64_t> IdFromNormal(std::string_view t) {
  if (t.empty()) return Bad("empty");
  if (t.size() == 15 && std::all_of(t.begin(), t.end(), IsDigit)) {
    return Bad("a legacy 15-digit number; the datasets compared carry the 18-character number");
  }
  if (t.size() != 18) return Bad("must have 18 characters");
  int64_t packed = 0;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (!IsDigit(t[i])) return Bad("the first 17 characters must be digits");
    packed = packed * 10 + (t[i] - '0');
    sum += (t[i] - '0') * kIdWeights[i];
  }
  char check = t[17] == 'x' ? 'X' : t[17];
  if (!IsDigit(check) && check != 'X') return Bad("the check character must be a digit or X");
  if (!ValidYmd(Digits(t, 6, 4), Digits(t, 10, 2), Digits(t, 12, 2))) {
    return Bad("the birth date in the number is not a real date");
  }
  if (check != kIdCheck[sum % 11]) return Bad("check character does not match");
  return packed;
}

// Parses y, m, d from the recognised date forms; false if the shape is not one of them.
bool SplitDate(std::string_view t, int* y, int* m, int* d) {
  // An ignored time part: "2023-02-28 00:00:00", "2023-02-28T08:00".
  if (size_t cut = t.find_first_of(" T"); cut != std::string_view::npos && cut >= 8) {
    t = t.substr(0, cut);
  }
  if (t.size() == 8 && std::all_of(t.begin(), t.end(), IsDigit)) {
    *y = Digits(t, 0, 4), *m = Digits(t, 4, 2), *d = Digits(t, 6, 2);
    return true;
  }
  // YYYY<sep>M<sep>D with sep one of - / . or 年 月 [日].
  size_t i = 0;
  auto number = [&](int max_len, int* out) {
    size_t start = i;
    int v = 0;
    while (i < t.size() && IsDigit(t[i]) && static_cast<int>(i - start) < max_len) {
      v = v * 10 + (t[i] - '0');
      ++i;
    }
    *out = v;
    return i > start;
  };
  auto sep = [&](std::string_view want_cjk) {
    if (i < t.size() && (t[i] == '-' || t[i] == '/' || t[i] == '.')) {
      ++i;
      return true;
    }
    if (t.substr(i, want_cjk.size()) == want_cjk) {
      i += want_cjk.size();
      return true;
    }
    return false;
  };
  size_t y_start = i;
  if (!number(4, y) || i - y_start != 4) return false;
  if (!sep("年") || !number(2, m) || !sep("月") || !number(2, d)) return false;
  if (t.substr(i) == "日") i = t.size();
  return i == t.size();
}

Result<int32_t> DateFromNormal(std::string_view t) {
  int y = 0, m = 0, d = 0;
  if (!SplitDate(t, &y, &m, &d)) {
    return Bad("not a date (write YYYY-MM-DD, YYYY/M/D, YYYYMMDD or YYYY年M月D日)");
  }
  if (!ValidYmd(y, m, d)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d is not a date", y, m, d);
    return Bad(buf);
  }
  return DayNumber(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

Result<int64_t> MoneyFromNormal(std::string_view t) {
  if (t.empty()) return Bad("empty");
  if (t.starts_with("¥")) t.remove_prefix(std::string_view("¥").size());
  else if (t.starts_with("￥")) t.remove_prefix(std::string_view("￥").size());
  if (t.ends_with("元")) t.remove_suffix(std::string_view("元").size());
  bool negative = false;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    negative = t[0] == '-';
    t.remove_prefix(1);
  }
  size_t dot = t.find('.');
  std::string_view whole = t.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : t.substr(dot + 1);
  if (whole.empty()) return Bad("not an amount (digits expected before the decimal point)");
  if (frac.size() > 2 || (dot != std::string_view::npos && frac.empty())) {
    return Bad("an amount has at most 2 decimals (fen)");
  }
  int64_t yuan = 0;
  bool grouped = whole.find(',') != std::string_view::npos;
  size_t group_len = 0;
  size_t digits = 0;
  for (size_t i = 0; i < whole.size(); ++i) {
    char c = whole[i];
    if (c == ',') {
      // Groups of three: "1,234,567" — the first group 1-3 digits, then exactly 3.
      if (digits == 0 || (group_len != 3 && digits != group_len) || group_len > 3) {
        return Bad("misplaced thousands separator (write 1234.50 or 1,234.50)");
      }
      group_len = 0;
      continue;
    }
    if (!IsDigit(c)) return Bad("not an amount (only digits, one '.', and ',' between thousands)");
    if (++digits > 15) return Bad("amount too large");
    yuan = yuan * 10 + (c - '0');
    ++group_len;
  }
  if (grouped && group_len != 3) {
    return Bad("misplaced thousands separator (write 1234.50 or 1,234.50)");
  }
  int64_t fen = 0;
  for (size_t i = 0; i < 2; ++i) {
    fen *= 10;
    if (i < frac.size()) {
      if (!IsDigit(frac[i])) return Bad("not an amount (digits expected after the decimal point)");
      fen += frac[i] - '0';
    }
  }
  int64_t cents = yuan * 100 + fen;
  return negative ? -cents : cents;
}

Result<int64_t> IntFromNormal(std::string_view t) {
  if (t.empty()) return Bad("empty");
  bool negative = false;
  if (t[0] == '-' || t[0] == '+') {
    negative = t[0] == '-';
    t.remove_prefix(1);
  }
  if (t.empty() || t.size() > 18) return Bad(t.empty() ? "not an integer" : "integer too large");
  int64_t v = 0;
  for (char c : t) {
    if (!IsDigit(c)) return Bad("not an integer");
    v = v * 10 + (c - '0');
  }
  return negative ? -v : v;
}

// Runs `parse` on the cell as it is when it is plain ASCII and trimmed, else on its normal form.
template <typename F>
auto WithNormalForm(std::string_view text, F parse) -> decltype(parse(text)) {
  if (AllAscii(text) && IsAsciiTrimmed(text)) return parse(text);
  std::string normal = Normalised(text);
  return parse(std::string_view(normal));
}

}  // namespace

bool IsBlankCell(std::string_view text) { return core::Trim(text).empty(); }

Result<int64_t> ParseIdNumberCell(std::string_view text) {
  if (text.size() == 18 && AllAscii(text)) {
    Result<int64_t> fast = IdFromNormal(text);
    if (fast.ok()) return fast;
  }
  // Spaces, hyphens, full-width characters, lower-case x.
  std::string normal = core::NormalizeIdentifier(text);
  return IdFromNormal(normal);
}

Result<int32_t> ParseDateCell(std::string_view text) { return WithNormalForm(text, DateFromNormal); }

Result<int64_t> ParseMoneyCell(std::string_view text) {
  return WithNormalForm(text, MoneyFromNormal);
}

Result<int64_t> ParseIntCell(std::string_view text) { return WithNormalForm(text, IntFromNormal); }

Result<std::string> ParseCreditCodeCell(std::string_view text) {
  Result<core::UnifiedCreditCode> code = core::ParseUnifiedCreditCode(text, "");
  if (!code.ok()) return Bad(code.status().message());
  return code->value();
}

Result<std::string_view> NormaliseTextCell(std::string_view text, std::string& scratch) {
  bool plain = IsAsciiTrimmed(text);
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || u < 0x20 || u == 0x7f) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  if (!core::IsValidUtf8(text)) return Bad("not valid UTF-8 text");
  scratch = Normalised(text);
  for (char c : scratch) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) {
      return Bad("contains a control character");
    }
  }
  return std::string_view(scratch);
}

Result<std::string> NormaliseTextCell(std::string_view text) {
  std::string scratch;
  JIANDU_ASSIGN_OR_RETURN(std::string_view view, NormaliseTextCell(text, scratch));
  return std::string(view);
}

}  // namespace jiandu::monitor
