// Roles and permissions: who may do what. The table in roles.cc is the one place that grants a
// permission to a role; Authorize (authorizer.h) adds the organisation-subtree scope.
//
// The three administrators are separate (等保 three-admin rule): the system administrator runs
// the organisation tree and the system, the security administrator manages users, the audit
// administrator reads and verifies the audit log; none can do the others' work, and none reads
// personal data.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace jiandu::auth {

enum class Role {
  kSysAdmin,
  kSecurityAdmin,
  kAuditAdmin,
  kCongressOfficer,
  kDisciplineOfficer,
  kDepartmentLiaison,
  kDeputy,
  kAnalyst,
  kViewer,
};

enum class Permission {
  kOrgRead,
  kOrgWrite,
  kPersonRead,
  kPersonWrite,
  kPersonReveal,      // see an unmasked ID number or phone (audited)
  kAppointmentRead,
  kAppointmentWrite,
  kAuditReadEntity,   // the trail of an entity one may read
  kAuditRead,         // every event in scope
  kAuditVerify,
  kUserRead,
  kUserWrite,
  kFindingRead,       // findings and their rectification
  kFindingWrite,      // open, verify (回头看), accountability: the supervising bodies
  kFindingReport,     // plans, progress and final reports: the responsible unit
  kReviewRead,        // term plans, reviews, meetings, tallies
  kReviewWrite,       // run reviews: the congress's officers
  kReviewReport,      // the reviewed unit submits its work report and re-report
  kVoteCast,          // a standing-committee member casts a secret ballot
  kDatasetRead,       // imported datasets: versions and their import reports
  kDatasetImport,     // import a dataset version
  kRuleRun,           // run comparison rules over the datasets
  kWarningRead,       // comparison warnings (personal data masked without person.reveal)
  kWarningWrite,      // assign, dismiss, verify a warning and turn it into a finding
};

inline constexpr Role kAllRoles[] = {
    Role::kSysAdmin,          Role::kSecurityAdmin,     Role::kAuditAdmin,
    Role::kCongressOfficer,   Role::kDisciplineOfficer, Role::kDepartmentLiaison,
    Role::kDeputy,            Role::kAnalyst,           Role::kViewer};

inline constexpr Permission kAllPermissions[] = {
    Permission::kOrgRead,         Permission::kOrgWrite,         Permission::kPersonRead,
    Permission::kPersonWrite,     Permission::kPersonReveal,     Permission::kAppointmentRead,
    Permission::kAppointmentWrite, Permission::kAuditReadEntity, Permission::kAuditRead,
    Permission::kAuditVerify,     Permission::kUserRead,         Permission::kUserWrite,
    Permission::kFindingRead,     Permission::kFindingWrite,     Permission::kFindingReport,
    Permission::kReviewRead,      Permission::kReviewWrite,      Permission::kReviewReport,
    Permission::kVoteCast,        Permission::kDatasetRead,      Permission::kDatasetImport,
    Permission::kRuleRun,         Permission::kWarningRead,      Permission::kWarningWrite};

// Stable codes: "congress_officer", "person.read", ...
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
std::string_view PermissionName(Permission p);

bool RoleHasPermission(Role role, Permission p);
std::vector<Permission> PermissionsOf(Role role);
// sys_admin, security_admin and audit_admin: must use a TOTP second factor.
bool IsAdministrator(Role role);

}  // namespace jiandu::auth
