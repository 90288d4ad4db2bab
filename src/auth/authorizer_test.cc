#include "auth/authorizer.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace jiandu::auth {
namespace {

using P = Permission;

// The expected grants, written out here independently of roles.cc so that a change to the
// grant table shows up as a failing test (and must be made in both places on purpose).
const std::map<Role, std::set<Permission>> kExpected = {
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
    {Role::kDepartmentLiaison,
     {P::kOrgRead, P::kPersonRead, P::kAppointmentRead, P::kFindingRead, P::kFindingReport,
      P::kReviewRead, P::kReviewReport}},
    {Role::kDeputy,
     {P::kOrgRead, P::kPersonRead, P::kAppointmentRead, P::kFindingRead, P::kReviewRead,
      P::kVoteCast}},
    {Role::kAnalyst,
     {P::kOrgRead, P::kPersonRead, P::kAppointmentRead, P::kFindingRead, P::kDatasetRead,
      P::kDatasetImport, P::kRuleRun, P::kWarningRead}},
    {Role::kViewer,
     {P::kOrgRead, P::kPersonRead, P::kAppointmentRead, P::kFindingRead, P::kReviewRead}},
};

// The principal sits at /1/2/5/ (a county); the resource is placed relative to it.
enum class Relation { kSameOrg, kDescendant, kAncestor, kSibling, kOtherBranch };
const std::pair<Relation, const char*> kRelations[] = {
    {Relation::kSameOrg, "/1/2/5/"},     {Relation::kDescendant, "/1/2/5/9/14/"},
    {Relation::kAncestor, "/1/2/"},      {Relation::kSibling, "/1/2/6/"},
    {Relation::kOtherBranch, "/1/3/7/"},
};

Principal At(Role role) {
  Principal p;
  p.user_id = 3;
  p.role = role;
  p.org_id = 5;
  p.org_path = "/1/2/5/";
  return p;
}

TEST(AuthorizerTest, RoleActionRelationMatrix) {
  int checked = 0;
  for (Role role : kAllRoles) {
    for (Permission action : kAllPermissions) {
      for (const auto& [relation, path] : kRelations) {
        Status s = Authorize(At(role), action, Resource::InOrg(path));
        const bool granted = kExpected.at(role).count(action) > 0;
        const bool in_scope =
            relation == Relation::kSameOrg || relation == Relation::kDescendant;
        SCOPED_TRACE(std::string(RoleName(role)) + " " + std::string(PermissionName(action)) +
                     " " + path);
        if (!granted) {
          EXPECT_TRUE(s.IsPermissionDenied()) << s.ToString();
        } else if (in_scope) {
          EXPECT_TRUE(s.ok()) << s.ToString();
        } else {
          // Out of scope looks like absence: no hint that the record exists.
          EXPECT_TRUE(s.IsNotFound()) << s.ToString();
        }
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 9 * 24 * 5);
}

TEST(AuthorizerTest, ThreeAdministratorsAreSeparate) {
  // None of the three administrators can do another's job, and none reads personal data.
  EXPECT_FALSE(RoleHasPermission(Role::kSysAdmin, P::kUserWrite));
  EXPECT_FALSE(RoleHasPermission(Role::kSysAdmin, P::kAuditRead));
  EXPECT_FALSE(RoleHasPermission(Role::kSecurityAdmin, P::kOrgWrite));
  EXPECT_FALSE(RoleHasPermission(Role::kSecurityAdmin, P::kAuditRead));
  EXPECT_FALSE(RoleHasPermission(Role::kAuditAdmin, P::kUserWrite));
  EXPECT_FALSE(RoleHasPermission(Role::kAuditAdmin, P::kOrgWrite));
  for (Role admin : {Role::kSysAdmin, Role::kSecurityAdmin, Role::kAuditAdmin}) {
    EXPECT_TRUE(IsAdministrator(admin));
    EXPECT_FALSE(RoleHasPermission(admin, P::kPersonRead));
    EXPECT_FALSE(RoleHasPermission(admin, P::kPersonReveal));
  }
}

TEST(AuthorizerTest, AnyOfSeveralOrganisationsGrantsAccess) {
  Resource r = Resource::InOrgs({"/1/3/7/", "/1/2/5/8/"});
  EXPECT_TRUE(Authorize(At(Role::kViewer), P::kPersonRead, r).ok());
  EXPECT_TRUE(Authorize(At(Role::kViewer), P::kPersonRead, Resource::InOrgs({"/1/3/"}))
                  .IsNotFound());
}

TEST(AuthorizerTest, PathPrefixNeedsWholeSegments) {
  EXPECT_TRUE(PathWithin("/1/2/", "/1/2/"));
  EXPECT_TRUE(PathWithin("/1/2/3/", "/1/2/"));
  EXPECT_FALSE(PathWithin("/1/23/", "/1/2/"));
  EXPECT_FALSE(PathWithin("/1/2/", "/1/2"));  // malformed scope never matches
  EXPECT_FALSE(PathWithin("/1/", "/1/2/"));
}

TEST(AuthorizerTest, UnfinishedSignInCannotAct) {
  Principal p = At(Role::kCongressOfficer);
  p.stage = SessionStage::kTotpRequired;
  EXPECT_EQ(Authorize(p, P::kPersonRead, Resource::InOrg("/1/2/5/")).code(),
            StatusCode::kUnauthenticated);
}

TEST(AuthorizerTest, SystemPrincipalActsEverywhere) {
  EXPECT_TRUE(Authorize(Principal::System(), P::kUserWrite, Resource::InOrg("/9/")).ok());
  EXPECT_EQ(Principal::System().AuditActor(), "cli");
  EXPECT_EQ(At(Role::kViewer).AuditActor(), "user:3");
}

TEST(RolesTest, NamesRoundTrip) {
  for (Role r : kAllRoles) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("root").has_value());
}

}  // namespace
}  // namespace jiandu::auth
