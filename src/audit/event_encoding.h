// The canonical byte encoding of an audit event and its hashes (docs/audit-format.md).
// Internal to the audit module and its tests; the Merkle tree of a later issue hashes the same
// leaves.
#pragma once

#include <string>

#include "audit/audit_log.h"
#include "core/sha256.h"

namespace jiandu::audit {

inline constexpr char kZeroHashHex[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The hashed fields of an event, viewed in place (from an Event or straight from a row).
struct EventView {
  int64_t seq = 0;
  int64_t at_us = 0;
  std::string_view actor, action, entity_type, entity_id, org_path, summary, change_digest;
};
EventView ViewOf(const Event& e);

// "JDAE" 0x01, then seq and time as 8-byte big-endian, then actor, action, entity_type,
// entity_id, org_path, summary, change_digest, each as a 4-byte big-endian length and bytes.
std::string EncodeEvent(const Event& e);
// The same, appended to `out` (callers reuse one buffer for many events).
void EncodeEventInto(const EventView& e, std::string* out);
// RFC 6962 leaf hash: SHA-256(0x00 || EncodeEvent(e)), 32 raw bytes.
std::string LeafHash(const Event& e);
// Chain link: SHA-256(0x02 || prev_hash || leaf_hash) over raw bytes; returns hex.
std::string ChainHashHex(const std::string& prev_hash_hex, const std::string& leaf_hash);

// The same hashes with one reused SHA-256 context and encoding buffer, for verifying millions
// of events (a fresh context per hash cost four times the hashing itself). Not thread-safe.
class ChainHasher {
 public:
  // The raw chain link of `e` after the raw link `prev` (32 bytes each).
  std::string Next(const EventView& e, std::string_view prev);

 private:
  core::Sha256Hasher sha_;
  std::string buf_;
};

}  // namespace jiandu::audit
