// Character encodings of imported text files (CSV, JSON lines): detect, convert to UTF-8.
//
// Spreadsheet programs in China save CSV as GB18030/GBK without a BOM (DESIGN.md §9), so a file
// that is not valid UTF-8 is examined with uchardet; GB18030, GBK and GB2312 are all decoded as
// GB18030 (a superset of the other two) with ICU. Any other encoding is refused rather than
// guessed: a wrongly decoded name would still "parse" and then match nobody.
//
//   JIANDU_ASSIGN_OR_RETURN(DecodedText decoded, DecodeToUtf8(bytes, /*declared=*/""));
//   LoadCsv(schema, decoded.text(), options);   // decoded.encoding == "GB18030"
//
// UTF-8 input is not copied: text() then points into `bytes`, which must outlive the result.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace jiandu::monitor {

struct DecodedText {
  // Canonical name of the source encoding: "UTF-8", "GB18030", "UTF-16LE" or "UTF-16BE".
  std::string encoding;
  bool had_bom = false;
  // True when uchardet chose the encoding (neither a BOM, valid UTF-8 nor a declaration).
  bool detected = false;
  // SHA-256 of the original bytes (64 lowercase hex digits), kept for the import record.
  std::string sha256_hex;

  // The UTF-8 text without a BOM.
  std::string_view text() const { return owns_ ? std::string_view(owned_) : borrowed_; }

  // Internal: set by DecodeToUtf8.
  void SetBorrowed(std::string_view text) { owns_ = false, borrowed_ = text, owned_.clear(); }
  void SetOwned(std::string text) { owns_ = true, owned_ = std::move(text), borrowed_ = {}; }

 private:
  bool owns_ = false;
  std::string owned_;
  std::string_view borrowed_;
};

// Decodes `bytes` to UTF-8. `declared` overrides detection: "" or "auto" detects; "utf-8",
// "gb18030" (also "gbk", "gb2312", "cp936"), "utf-16le", "utf-16be" are accepted, in any case.
// invalid_argument "file is not UTF-8 or GB18030: …" naming the detected encoding, or the byte
// offset and line of the first sequence that does not decode. Thread-safe.
Result<DecodedText> DecodeToUtf8(std::string_view bytes, std::string_view declared);

// Offset of the first byte that does not start a well-formed UTF-8 sequence, or npos when the
// whole of `bytes` is well-formed (RFC 3629).
size_t FirstInvalidUtf8(std::string_view bytes);

// The uchardet guess for `bytes` (its first 256 KiB), e.g. "GB18030", "SHIFT_JIS"; "" when it has
// no guess.
std::string DetectCharset(std::string_view bytes);

}  // namespace jiandu::monitor
