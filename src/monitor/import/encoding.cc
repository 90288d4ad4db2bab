#include "monitor/import/encoding.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include <uchardet.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include "core/sha256.h"

namespace jiandu::monitor {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";
constexpr size_t kDetectPrefix = 256 * 1024;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// 1-based line of byte `offset`: LF is the single byte 0x0A in UTF-8 and GB18030 (never a
// trail byte there) and the code unit 0x000A in UTF-16.
int64_t LineAt(std::string_view bytes, size_t offset, std::string_view encoding) {
  offset = std::min(offset, bytes.size());
  if (!encoding.starts_with("UTF-16")) {
    return 1 + std::count(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(offset), '\n');
  }
  const bool le = encoding == "UTF-16LE";
  int64_t line = 1;
  for (size_t i = 0; i + 1 < offset; i += 2) {
    char lo = le ? bytes[i] : bytes[i + 1];
    char hi = le ? bytes[i + 1] : bytes[i];
    if (lo == '\n' && hi == 0) ++line;
  }
  return line;
}

Status NotDecodable(std::string_view encoding, std::string_view bytes, size_t offset) {
  return Status::InvalidArgument(
      "encoding", "file is not UTF-8 or GB18030: read as " + std::string(encoding) +
                      ", the bytes at offset " + std::to_string(offset) + " (line " +
                      std::to_string(LineAt(bytes, offset, encoding)) + ") are not valid " +
                      std::string(encoding) + "; save the file as UTF-8 or declare its encoding");
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};

// Decodes `bytes` with ICU converter `name`, stopping at the first illegal sequence.
Result<std::string> ConvertWithIcu(std::string_view bytes, const char* name,
                                   std::string_view display, std::string_view whole,
                                   size_t base_offset) {
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<UConverter, ConverterCloser> conv(ucnv_open(name, &err));
  if (U_FAILURE(err)) {
    return Status::Internal("ICU has no converter for " + std::string(name) + ": " +
                            u_errorName(err));
  }
  ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  std::vector<UChar> buffer(1 << 16);
  const char* source = bytes.data();
  const char* const source_limit = bytes.data() + bytes.size();
  UChar pending = 0;  // a lead surrogate left at the end of the previous round
  std::vector<char> utf8(buffer.size() * 3 + 8);
  while (true) {
    UChar* target = buffer.data();
    if (pending != 0) *target++ = pending, pending = 0;
    err = U_ZERO_ERROR;
    ucnv_toUnicode(conv.get(), &target, buffer.data() + buffer.size(), &source, source_limit,
                   nullptr, /*flush=*/true, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) {
      char invalid[32];
      int8_t invalid_len = sizeof invalid;
      UErrorCode ignored = U_ZERO_ERROR;
      ucnv_getInvalidChars(conv.get(), invalid, &invalid_len, &ignored);
      size_t offset = static_cast<size_t>(source - bytes.data()) -
                      static_cast<size_t>(std::max<int8_t>(invalid_len, 0));
      return NotDecodable(display, whole, base_offset + offset);
    }
    int32_t produced = static_cast<int32_t>(target - buffer.data());
    if (produced > 0 && U16_IS_LEAD(buffer[static_cast<size_t>(produced) - 1]) &&
        err == U_BUFFER_OVERFLOW_ERROR) {
      pending = buffer[static_cast<size_t>(--produced)];
    }
    int32_t written = 0;
    UErrorCode utf8_err = U_ZERO_ERROR;
    u_strToUTF8(utf8.data(), static_cast<int32_t>(utf8.size()), &written, buffer.data(), produced,
                &utf8_err);
    if (U_FAILURE(utf8_err)) {
      // An unpaired surrogate (only possible from UTF-16 input).
      return NotDecodable(display, whole, base_offset + static_cast<size_t>(source - bytes.data()));
    }
    out.append(utf8.data(), static_cast<size_t>(written));
    if (err != U_BUFFER_OVERFLOW_ERROR) break;
  }
  return out;
}

struct Declared {
  enum Kind { kAuto, kUtf8, kGb18030, kUtf16Le, kUtf16Be } kind = kAuto;
};

Result<Declared> ParseDeclared(std::string_view declared) {
  std::string d = Lower(declared);
  Declared out;
  if (d.empty() || d == "auto") return out;
  if (d == "utf-8" || d == "utf8") out.kind = Declared::kUtf8;
  else if (d == "gb18030" || d == "gbk" || d == "gb2312" || d == "cp936") {
    out.kind = Declared::kGb18030;
  } else if (d == "utf-16le") out.kind = Declared::kUtf16Le;
  else if (d == "utf-16be") out.kind = Declared::kUtf16Be;
  else {
    return Status::InvalidArgument(
        "encoding", "unsupported encoding '" + std::string(declared) +
                        "' (utf-8, gb18030, gbk, gb2312, utf-16le, utf-16be)");
  }
  return out;
}

bool IsGbFamily(std::string_view charset) {
  std::string c = Lower(charset);
  return c == "gb18030" || c == "gbk" || c == "gb2312" || c == "euc-cn" || c == "cp936";
}

Status DecodeUtf16(std::string_view bytes, std::string_view body, bool little_endian,
                   size_t base, DecodedText* out) {
  const char* name = little_endian ? "UTF-16LE" : "UTF-16BE";
  if (body.size() % 2 != 0) {
    return Status::InvalidArgument("encoding", std::string("file is not UTF-8 or GB18030: read as ") +
                                                   name + ", it has an odd number of bytes");
  }
  Result<std::string> text = ConvertWithIcu(body, name, name, bytes, base);
  if (!text.ok()) return text.status();
  out->encoding = name;
  out->SetOwned(std::move(*text));
  return Status::Ok();
}

}  // namespace

size_t FirstInvalidUtf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    // ASCII runs, 8 bytes at a time.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

std::string DetectCharset(std::string_view bytes) {
  uchardet_t detector = uchardet_new();
  if (detector == nullptr) return "";
  std::string_view prefix = bytes.substr(0, kDetectPrefix);
  std::string charset;
  if (uchardet_handle_data(detector, prefix.data(), prefix.size()) == 0) {
    uchardet_data_end(detector);
    const char* c = uchardet_get_charset(detector);
    if (c != nullptr) charset = c;
  }
  uchardet_delete(detector);
  return charset;
}

Result<DecodedText> DecodeToUtf8(std::string_view bytes, std::string_view declared_name) {
  JIANDU_ASSIGN_OR_RETURN(Declared declared, ParseDeclared(declared_name));
  DecodedText out;
  out.sha256_hex = core::Sha256Hex(bytes);

  // A byte-order mark wins over a declaration that agrees with it and is refused otherwise.
  auto bom_conflict = [&](Declared::Kind bom_kind, std::string_view bom_name) -> Status {
    if (declared.kind != Declared::kAuto && declared.kind != bom_kind) {
      return Status::InvalidArgument("encoding", "the file starts with a " + std::string(bom_name) +
                                                     " byte-order mark but was declared " +
                                                     std::string(declared_name));
    }
    return Status::Ok();
  };
  if (bytes.starts_with(kUtf8Bom)) {
    JIANDU_RETURN_IF_ERROR(bom_conflict(Declared::kUtf8, "UTF-8"));
    out.had_bom = true;
    declared.kind = Declared::kUtf8;
  } else if (bytes.starts_with(kUtf16LeBom) || bytes.starts_with(kUtf16BeBom)) {
    bool le = bytes.starts_with(kUtf16LeBom);
    JIANDU_RETURN_IF_ERROR(
        bom_conflict(le ? Declared::kUtf16Le : Declared::kUtf16Be, le ? "UTF-16LE" : "UTF-16BE"));
    out.had_bom = true;
    JIANDU_RETURN_IF_ERROR(DecodeUtf16(bytes, bytes.substr(2), le, 2, &out));
    return out;
  }

  switch (declared.kind) {
    case Declared::kUtf16Le:
    case Declared::kUtf16Be:
      JIANDU_RETURN_IF_ERROR(
          DecodeUtf16(bytes, bytes, declared.kind == Declared::kUtf16Le, 0, &out));
      return out;
    case Declared::kGb18030: {
      JIANDU_ASSIGN_OR_RETURN(std::string text,
                              ConvertWithIcu(bytes, "GB18030", "GB18030", bytes, 0));
      out.encoding = "GB18030";
      out.SetOwned(std::move(text));
      return out;
    }
    case Declared::kUtf8:
    case Declared::kAuto:
      break;
  }

  const size_t skip = out.had_bom ? kUtf8Bom.size() : 0;
  std::string_view body = bytes.substr(skip);
  size_t bad = FirstInvalidUtf8(body);
  if (bad == std::string_view::npos) {
    out.encoding = "UTF-8";
    out.SetBorrowed(body);
    return out;
  }
  if (declared.kind == Declared::kUtf8 || out.had_bom) {
    return NotDecodable("UTF-8", bytes, skip + bad);
  }
  std::string charset = DetectCharset(bytes);
  if (!IsGbFamily(charset)) {
    return Status::InvalidArgument(
        "encoding",
        "file is not UTF-8 or GB18030: the bytes at offset " + std::to_string(bad) + " (line " +
            std::to_string(LineAt(bytes, bad, "UTF-8")) + ") are not UTF-8 and the encoding looks like " +
            (charset.empty() ? std::string("nothing recognisable (binary data?)") : charset) +
            "; save the file as UTF-8 or declare its encoding");
  }
  JIANDU_ASSIGN_OR_RETURN(std::string text, ConvertWithIcu(bytes, "GB18030", "GB18030", bytes, 0));
  out.encoding = "GB18030";
  out.detected = true;
  out.SetOwned(std::move(text));
  return out;
}

}  // namespace jiandu::monitor
