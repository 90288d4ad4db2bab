// TrailService: who did what to a record, read from the audit log with access checks.
//
// The trail of a registry record (person, appointment, position, org) is shown to anyone with
// audit.read_entity who may read the record itself. The audit administrator (audit.read) sees
// every event whose organisation lies in their subtree, and may verify the chain.
#pragma once

#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/authorizer.h"
#include "core/clock.h"
#include "core/page.h"
#include "store/store.h"

namespace jiandu::registry {

struct TrailEntry {
  audit::Event event;
  std::string actor_name;  // display name for "user:<id>" actors; empty otherwise
};

class TrailService {
 public:
  TrailService(store::Store& store, const audit::AuditLog& audit, const core::Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  // not_found if the record is absent or outside the caller's scope; invalid_argument naming
  // entity_type for an unknown type.
  Result<core::Page<TrailEntry>> EntityTrail(const auth::Principal& who,
                                             const std::string& entity_type,
                                             const std::string& entity_id,
                                             const core::PageRequest& page);
  // Every event in the caller's subtree (audit.read).
  Result<core::Page<TrailEntry>> AllEvents(const auth::Principal& who,
                                           const core::PageRequest& page);
  // Recomputes the whole chain (audit.verify).
  Result<audit::VerifyReport> Verify(const auth::Principal& who);

 private:
  Status CheckEntityAccess(store::Tx& tx, const auth::Principal& who,
                           const std::string& entity_type, int64_t id);
  Result<std::vector<TrailEntry>> Named(store::Tx& tx, std::vector<audit::Event> events);

  store::Store& store_;
  const audit::AuditLog& audit_;
  const core::Clock& clock_;
};

}  // namespace jiandu::registry
