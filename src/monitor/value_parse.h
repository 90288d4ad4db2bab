// Parsing one imported cell into its typed value (see table.h for the storage forms).
//
// Every parser normalises first (DOMAIN.md §11, the import rules of DESIGN.md §4): full-width
// characters folded to ASCII, surrounding spaces (ASCII and U+3000) trimmed, a lower-case x
// check character upper-cased. On failure it returns invalid_argument whose message is the
// reason only, e.g. "check character does not match", "2023-02-30 is not a date" — never an ID
// number (messages end up in import reports and logs). The caller adds line and column.
//
// Each has a fast path for cells that are already normal (ASCII, no spaces), which is what the
// bulk loader sees on almost every row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace jiandu::monitor {

// An 18-character 公民身份号码 → its 17 leading digits as an integer. The check character must
// match (ISO 7064 MOD 11-2) and the birth date must be a real date; 15-digit legacy numbers are
// refused (the datasets this engine compares carry 18).
Result<int64_t> ParseIdNumberCell(std::string_view text);

// A date → days since 1970-01-01. Accepted forms: 2023-02-28, 2023/2/28, 2023.2.28, 20230228,
// 2023年2月28日, and an optional time part after a space or 'T' that is ignored
// ("2023-02-28 00:00:00", which Excel writes). Impossible dates such as 2023-02-30 are refused.
Result<int32_t> ParseDateCell(std::string_view text);

// An amount in yuan → cents. Up to 2 decimals; an optional leading '-' or '+', an optional
// '¥'/'￥' prefix or '元' suffix. Thousands separators are accepted only correctly grouped
// ("1,234,567.89"); "12,34" is refused. Full-width digits are folded. |amount| < 9e16 cents.
Result<int64_t> ParseMoneyCell(std::string_view text);

// A decimal integer (optional sign; full-width digits folded).
Result<int64_t> ParseIntCell(std::string_view text);

// A 统一社会信用代码 → its normalised 18 characters (check character verified).
Result<std::string> ParseCreditCodeCell(std::string_view text);

// Text → width-folded and trimmed. Refuses invalid UTF-8 and control characters other than
// tab, CR and LF.
Result<std::string> NormaliseTextCell(std::string_view text);
// The same without allocating when the cell is already normal (printable ASCII, trimmed): the
// result views `text`, or `scratch` when something had to change.
Result<std::string_view> NormaliseTextCell(std::string_view text, std::string& scratch);

// True when the cell is empty after trimming (a missing value).
bool IsBlankCell(std::string_view text);

}  // namespace jiandu::monitor
