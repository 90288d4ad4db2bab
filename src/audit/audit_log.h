// The tamper-evident audit log: every write appends an event in the same transaction.
//
// Events form a SHA-256 hash chain over RFC 6962 leaf hashes of a canonical encoding (the byte
// format is specified in docs/audit-format.md, next to event_encoding.h). `Verify` recomputes
// the chain and reports the first broken sequence number, so editing, deleting, inserting or
// reordering a row directly in the database is detected.
//
//   audit::ChangeSet change;
//   change.Set("name", old_name, new_name);
//   JIANDU_RETURN_IF_ERROR(audit_.Append(tx, {.actor = "user:3", .action = "person.update",
//                                             .entity_type = "person", .entity_id = "42",
//                                             .org_path = "/1/2/", .change = change}));
//
// Events hold ids, field names and digests only, never personal data, so content can be erased
// later without breaking the chain.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/change_set.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace jiandu::audit {

// What a service records about one write.
struct EventInput {
  std::string actor;        // "user:<id>", "system" or "cli"
  std::string action;       // "<entity>.<verb>", e.g. "person.create"
  std::string entity_type;  // "person"
  std::string entity_id;    // "42"
  std::string org_path;     // materialized path of the entity's organisation, "/1/2/5/"
  ChangeSet change;         // fields changed; only names and a digest are stored
};

// A stored event.
struct Event {
  int64_t seq = 0;
  core::Timestamp at;
  std::string actor;
  std::string action;
  std::string entity_type;
  std::string entity_id;
  std::string org_path;
  std::string summary;        // comma-separated names of the changed fields
  std::string change_digest;  // hex
  std::string prev_hash;      // hex
  std::string hash;           // hex
};

struct EventFilter {
  std::optional<std::string> entity_type;
  std::optional<std::string> entity_id;
  std::optional<std::string> org_path_prefix;  // only events whose org_path starts with this
  std::optional<int64_t> before_seq;           // for paging newest-first
  int limit = 50;
};

struct VerifyReport {
  bool ok = true;
  int64_t events_checked = 0;
  std::optional<int64_t> first_broken_seq;
  std::string reason;  // why the first broken event fails, for operators
};

// The schema of the audit tables (module "audit").
std::vector<store::Migration> Migrations();

class AuditLog {
 public:
  explicit AuditLog(const core::Clock& clock) : clock_(clock) {}

  // Appends one event inside `tx` and returns its sequence number. Serialises writers on the
  // chain head row, so concurrent transactions get consecutive numbers in commit order.
  // invalid_argument if actor, action or entity is empty.
  Result<int64_t> Append(store::Tx& tx, const EventInput& event) const;

  // Events matching `filter`, newest first.
  Result<std::vector<Event>> List(store::Tx& tx, const EventFilter& filter) const;

  // Recomputes the whole chain in one consistent read. `progress` (optional) is called with the
  // number of events checked so far every 100,000 events.
  Result<VerifyReport> Verify(store::Store& store,
                              const std::function<void(int64_t)>& progress = {}) const;

 private:
  const core::Clock& clock_;
};

}  // namespace jiandu::audit
