// TrailService: who did what to a record, read from the audit log with access checks.
//
// The trail of a registry record (person, appointment, position, org) is shown to anyone with
// audit.read_entity who may read the record itself. The audit administrator (audit.read) sees
// every event whose organisation lies in their subtree, and may verify the chain.
#pragma once

#include <functional>
#include <map>
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

  // How to check that `who` may read a record of another module (review, finding, meeting):
  // OK, or not_found when the record is absent or out of scope. Registered by app/, so that
  // this module needs no dependency on the modules above it.
  using EntityAccess =
      std::function<Status(store::Tx& tx, const auth::Principal& who, int64_t id)>;
  void AddEntityType(std::string type, EntityAccess access) {
    other_types_[std::move(type)] = std::move(access);
  }

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
  std::map<std::string, EntityAccess> other_types_;
};

}  // namespace jiandu::registry
