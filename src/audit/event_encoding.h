// The canonical byte encoding of an audit event and its hashes (docs/audit-format.md).
// Internal to the audit module and its tests; the Merkle tree of a later issue hashes the same
// leaves.
#pragma once

#include <string>

#include "audit/audit_log.h"

namespace jiandu::audit {

inline constexpr char kZeroHashHex[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// "JDAE" 0x01, then seq and time as 8-byte big-endian, then actor, action, entity_type,
// entity_id, org_path, summary, change_digest, each as a 4-byte big-endian length and bytes.
std::string EncodeEvent(const Event& e);
// RFC 6962 leaf hash: SHA-256(0x00 || EncodeEvent(e)), 32 raw bytes.
std::string LeafHash(const Event& e);
// Chain link: SHA-256(0x02 || prev_hash || leaf_hash) over raw bytes; returns hex.
std::string ChainHashHex(const std::string& prev_hash_hex, const std::string& leaf_hash);

}  // namespace jiandu::audit
