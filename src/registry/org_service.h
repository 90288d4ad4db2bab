// OrgService: the organisation tree (省→市→县→乡; congress, discipline commission, government and
// its departments, court, procuratorate, …) with materialized paths ("/1/2/5/") that scope every
// other record. A path never changes once an organisation exists: moving a subtree is not
// supported, so paths copied into other records stay valid.
//
// Reads need org.read and writes org.write (the system administrator); both only within the
// caller's subtree. Root organisations are created by the operator (`jiandu demo`, or the system
// principal), not through the API.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/authorizer.h"
#include "auth/org_directory.h"
#include "core/clock.h"
#include "registry/types.h"
#include "store/store.h"

namespace jiandu::registry {

struct NewOrg {
  std::optional<int64_t> parent_id;  // required unless the caller is the system principal
  std::string code;
  std::string name;
  std::string kind;         // OrgKind code
  std::string region_code;  // 6-digit GB/T 2260 code
};

struct OrgPatch {
  std::optional<int64_t> version;  // when given, must match (else conflict)
  std::optional<std::string> name;
  std::optional<std::string> kind;
  std::optional<std::string> region_code;
};

struct OrgWithAncestors {
  Org org;
  std::vector<Org> ancestors;  // root first; only those inside the caller's scope
};

class OrgService : public auth::OrgDirectory {
 public:
  OrgService(store::Store& store, const audit::AuditLog& audit, const core::Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  // invalid_argument naming code, name, kind, region_code or parent_id; conflict naming code.
  Result<Org> CreateOrg(const auth::Principal& who, const NewOrg& in);
  Result<Org> UpdateOrg(const auth::Principal& who, int64_t id, const OrgPatch& patch);
  // not_found when absent or outside the caller's scope.
  Result<OrgWithAncestors> GetOrg(const auth::Principal& who, int64_t id);
  // Children of `parent_id`; without one, the caller's own organisation.
  Result<std::vector<Org>> ListChildren(const auth::Principal& who,
                                        std::optional<int64_t> parent_id);
  // Name contains `query`, within the caller's subtree, at most 50.
  Result<std::vector<Org>> Search(const auth::Principal& who, const std::string& query);

  // auth::OrgDirectory
  Result<bool> PersonExists(store::Tx& tx, int64_t id) const override;
  Result<std::optional<auth::OrgRef>> FindOrg(store::Tx& tx, int64_t id) const override;
  Result<std::optional<auth::OrgRef>> FindOrgByCode(store::Tx& tx,
                                                    const std::string& code) const override;

  // The organisation row inside a transaction, without access checks (for other services).
  static Result<std::optional<Org>> Load(store::Tx& tx, int64_t id);

 private:
  store::Store& store_;
  const audit::AuditLog& audit_;
  const core::Clock& clock_;
};

}  // namespace jiandu::registry
