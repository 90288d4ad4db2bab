#include "audit/change_set.h"

#include "core/sha256.h"

namespace jiandu::audit {
namespace {

void AppendLengthPrefixed(std::string& out, std::string_view s) {
  auto n = static_cast<uint32_t>(s.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  out.append(s);
}

}  // namespace

void ChangeSet::Set(std::string_view field, std::string_view before, std::string_view after) {
  if (before == after) {
    return;
  }
  fields_[std::string(field)] = Values{std::string(before), std::string(after)};
}

void ChangeSet::Touch(std::string_view field) { fields_[std::string(field)] = Values{}; }

std::vector<std::string> ChangeSet::fields() const {
  std::vector<std::string> out;
  out.reserve(fields_.size());
  for (const auto& [name, values] : fields_) {
    out.push_back(name);
  }
  return out;
}

std::string ChangeSet::Summary() const {
  std::string out;
  for (const auto& [name, values] : fields_) {
    if (!out.empty()) {
      out += ',';
    }
    out += name;
  }
  return out;
}

std::string ChangeSet::Digest() const {
  std::string enc;
  for (const auto& [name, values] : fields_) {
    AppendLengthPrefixed(enc, name);
    AppendLengthPrefixed(enc, values.before);
    AppendLengthPrefixed(enc, values.after);
  }
  return core::Sha256Hex(enc);
}

}  // namespace jiandu::audit
