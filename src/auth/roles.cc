#include "auth/roles.h"

#include <array>
#include <utility>

namespace jiandu::auth {
namespace {

using P = Permission;

struct Grant {
  Role role;
  std::vector<Permission> permissions;
};

// The grant table. Reading personal data is for the supervising bodies' officers; deputies,
// analysts and viewers read masked records; administrators read none.
const Grant kGrants[] = {
    {Role::kSysAdmin, {P::kOrgRead, P::kOrgWrite}},
    {Role::kSecurityAdmin, {P::kOrgRead, P::kUserRead, P::kUserWrite}},
    {Role::kAuditAdmin, {P::kOrgRead, P::kAuditRead, P::kAuditVerify, P::kAuditReadEntity}},
    {Role::kCongressOfficer,
     {P::kOrgRead, P::kPersonRead, P::kPersonWrite, P::kPersonReveal, P::kAppointmentRead,
      P::kAppointmentWrite, P::kAuditReadEntity, P::kFindingRead, P::kFindingWrite,
      P::kReviewRead, P::kReviewWrite, P::kWarningRead}},
    {Role::kDisciplineOfficer,
     {P::kOrgRead, P::kPersonRead, P::kPersonReveal, P::kAppointmentRead, P::kAuditReadEntity,
      P::kFindingRead, P::kFindingWrite, P::kReviewRead, P::kDatasetRead, P::kDatasetImport,
      P::kRuleRun, P::kWarningRead, P::kWarningWrite}},
    // A unit's liaison answers for the unit: rectification reports and the official's work report.
    {Role::kDepartmentLiaison,
     {P::kOrgRead, P::kPersonRead, P::kAppointmentRead, P::kFindingRead, P::kFindingReport,
      P::kReviewRead, P::kReviewReport}},
    // A deputy's account votes when it is linked to a standing-committee member who is present.
    {Role::kDeputy,
     {P::kOrgRead, P::kPersonRead, P::kAppointmentRead, P::kFindingRead, P::kReviewRead,
      P::kVoteCast}},
    // Analysts bring the data together and run the comparisons; officers act on the warnings.
    {Role::kAnalyst,
     {P::kOrgRead, P::kPersonRead, P::kAppointmentRead, P::kFindingRead, P::kDatasetRead,
      P::kDatasetImport, P::kRuleRun, P::kWarningRead}},
    {Role::kViewer,
     {P::kOrgRead, P::kPersonRead, P::kAppointmentRead, P::kFindingRead, P::kReviewRead}},
};

constexpr std::pair<Role, std::string_view> kRoleNames[] = {
    {Role::kSysAdmin, "sys_admin"},
    {Role::kSecurityAdmin, "security_admin"},
    {Role::kAuditAdmin, "audit_admin"},
    {Role::kCongressOfficer, "congress_officer"},
    {Role::kDisciplineOfficer, "discipline_officer"},
    {Role::kDepartmentLiaison, "department_liaison"},
    {Role::kDeputy, "deputy"},
    {Role::kAnalyst, "analyst"},
    {Role::kViewer, "viewer"},
};

constexpr std::pair<Permission, std::string_view> kPermissionNames[] = {
    {P::kOrgRead, "org.read"},
    {P::kOrgWrite, "org.write"},
    {P::kPersonRead, "person.read"},
    {P::kPersonWrite, "person.write"},
    {P::kPersonReveal, "person.reveal"},
    {P::kAppointmentRead, "appointment.read"},
    {P::kAppointmentWrite, "appointment.write"},
    {P::kAuditReadEntity, "audit.read_entity"},
    {P::kAuditRead, "audit.read"},
    {P::kAuditVerify, "audit.verify"},
    {P::kUserRead, "user.read"},
    {P::kUserWrite, "user.write"},
    {P::kFindingRead, "finding.read"},
    {P::kFindingWrite, "finding.write"},
    {P::kFindingReport, "finding.report"},
    {P::kReviewRead, "review.read"},
    {P::kReviewWrite, "review.write"},
    {P::kReviewReport, "review.report"},
    {P::kVoteCast, "vote.cast"},
    {P::kDatasetRead, "dataset.read"},
    {P::kDatasetImport, "dataset.import"},
    {P::kRuleRun, "rule.run"},
    {P::kWarningRead, "warning.read"},
    {P::kWarningWrite, "warning.write"},
};

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) {
      return name;
    }
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [r, n] : kRoleNames) {
    if (n == name) {
      return r;
    }
  }
  return std::nullopt;
}

std::string_view PermissionName(Permission p) {
  for (const auto& [perm, name] : kPermissionNames) {
    if (perm == p) {
      return name;
    }
  }
  return "unknown";
}

bool RoleHasPermission(Role role, Permission p) {
  for (const Grant& g : kGrants) {
    if (g.role == role) {
      for (Permission granted : g.permissions) {
        if (granted == p) {
          return true;
        }
      }
      return false;
    }
  }
  return false;
}

std::vector<Permission> PermissionsOf(Role role) {
  std::vector<Permission> out;
  for (Permission p : kAllPermissions) {
    if (RoleHasPermission(role, p)) {
      out.push_back(p);
    }
  }
  return out;
}

bool IsAdministrator(Role role) {
  return role == Role::kSysAdmin || role == Role::kSecurityAdmin || role == Role::kAuditAdmin;
}

}  // namespace jiandu::auth
