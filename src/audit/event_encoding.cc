#include "audit/event_encoding.h"

#include "core/sha256.h"

namespace jiandu::audit {
namespace {

void PutU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

void PutBytes(std::string& out, std::string_view s) {
  auto n = static_cast<uint32_t>(s.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  out.append(s);
}

}  // namespace

EventView ViewOf(const Event& e) {
  return EventView{e.seq,       e.at.unix_micros(), e.actor,   e.action,       e.entity_type,
                   e.entity_id, e.org_path,         e.summary, e.change_digest};
}

std::string EncodeEvent(const Event& e) {
  std::string out;
  EncodeEventInto(ViewOf(e), &out);
  return out;
}

void EncodeEventInto(const EventView& e, std::string* buffer) {
  std::string& out = *buffer;
  out += "JDAE";
  out.push_back('\x01');  // format version
  PutU64(out, static_cast<uint64_t>(e.seq));
  PutU64(out, static_cast<uint64_t>(e.at_us));
  PutBytes(out, e.actor);
  PutBytes(out, e.action);
  PutBytes(out, e.entity_type);
  PutBytes(out, e.entity_id);
  PutBytes(out, e.org_path);
  PutBytes(out, e.summary);
  PutBytes(out, e.change_digest);
}

std::string LeafHash(const Event& e) {
  std::string data(1, '\x00');
  data += EncodeEvent(e);
  return core::Sha256(data);
}

std::string ChainHashHex(const std::string& prev_hash_hex, const std::string& leaf_hash) {
  std::string prev;
  if (!core::HexDecode(prev_hash_hex, &prev) || prev.size() != core::kSha256Size) {
    // A malformed stored hash can never match a recomputed one; hash it as-is so the
    // mismatch is reported rather than crashing.
    prev = prev_hash_hex;
  }
  std::string data(1, '\x02');
  data += prev;
  data += leaf_hash;
  return core::Sha256Hex(data);
}

std::string ChainHasher::Next(const EventView& e, std::string_view prev) {
  buf_.assign(1, '\x00');
  EncodeEventInto(e, &buf_);
  sha_.Update(buf_);
  const std::string leaf = sha_.Finish();
  buf_.assign(1, '\x02');
  buf_.append(prev);
  buf_.append(leaf);
  sha_.Update(buf_);
  return sha_.Finish();
}

}  // namespace jiandu::audit
