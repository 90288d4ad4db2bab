#include "auth/authorizer.h"

namespace jiandu::auth {

std::string_view SessionStageName(SessionStage stage) {
  switch (stage) {
    case SessionStage::kActive: return "active";
    case SessionStage::kTotpRequired: return "totp_required";
    case SessionStage::kTotpEnrollmentRequired: return "totp_enrollment_required";
  }
  return "active";
}

std::string Principal::AuditActor() const {
  if (system) {
    return "cli";
  }
  return "user:" + std::to_string(user_id);
}

Principal Principal::System() {
  Principal p;
  p.username = "cli";
  p.role = Role::kSysAdmin;
  p.org_path = "/";
  p.system = true;
  return p;
}

bool PathWithin(std::string_view path, std::string_view scope) {
  // Paths start and end with '/', so a prefix match cannot confuse /1/2/ with /1/23/.
  return !scope.empty() && scope.back() == '/' && path.substr(0, scope.size()) == scope;
}

Status AuthorizeAction(const Principal& who, Permission action) {
  if (who.system) {
    return Status::Ok();
  }
  if (who.stage != SessionStage::kActive) {
    return Status::Unauthenticated("sign-in is not complete: a second factor is required");
  }
  if (!RoleHasPermission(who.role, action)) {
    return Status::PermissionDenied(std::string("role ") + std::string(RoleName(who.role)) +
                                    " may not " + std::string(PermissionName(action)));
  }
  return Status::Ok();
}

Status Authorize(const Principal& who, Permission action, const Resource& resource) {
  JIANDU_RETURN_IF_ERROR(AuthorizeAction(who, action));
  if (who.system) {
    return Status::Ok();
  }
  for (const std::string& path : resource.org_paths) {
    if (PathWithin(path, who.org_path)) {
      return Status::Ok();
    }
  }
  return Status::NotFound(kNoSuchRecord);
}

Status AuthorizeReference(const Principal& who, Permission action, const std::string* path,
                          std::string_view field, std::string_view what) {
  if (path == nullptr || !Authorize(who, action, Resource::InOrg(*path)).ok()) {
    return Status::InvalidArgument(field, "no such " + std::string(what) + " in your scope");
  }
  return Status::Ok();
}

}  // namespace jiandu::auth
