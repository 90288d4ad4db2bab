// Authorize: the one decision point for "may this principal do this to that resource?".
//
// A principal acts within the subtree of its organisation (materialized paths such as
// "/1/2/5/"): it may touch a resource whose organisation is its own or a descendant, never an
// ancestor, a sibling or another branch. Its role must grant the permission.
//
//   JIANDU_RETURN_IF_ERROR(auth::Authorize(who, Permission::kPersonWrite,
//                                          auth::Resource::InOrg(person.org_path)));
//
// Errors: permission_denied when the role lacks the permission; not_found when the resource is
// outside the principal's subtree (so a record in another branch looks absent — no hint that it
// exists); unauthenticated when the session is not fully signed in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/roles.h"
#include "core/status.h"

namespace jiandu::auth {

// The one message for a record that is absent or outside the caller's scope, so that the two
// cases cannot be told apart.
inline constexpr char kNoSuchRecord[] = "no such record";

enum class SessionStage { kActive, kTotpRequired, kTotpEnrollmentRequired };

std::string_view SessionStageName(SessionStage stage);

// Who is acting: a signed-in user (or the CLI acting as the system).
struct Principal {
  int64_t user_id = 0;       // 0 for the CLI / system
  std::string username;
  Role role = Role::kViewer;
  int64_t org_id = 0;
  std::string org_path;      // "/1/2/5/"
  SessionStage stage = SessionStage::kActive;
  bool system = false;       // the CLI acting with full authority (jiandu user add, demo)
  int64_t person_id = 0;     // the person record the account belongs to (a committee member
                             // votes through it); 0 when not linked

  // "user:12", "cli" — the actor recorded in audit events.
  std::string AuditActor() const;
  // A principal with full authority over the whole tree, for CLI commands run by the operator.
  static Principal System();
};

// What is acted on: the materialized paths of the organisations it belongs to. A person, for
// instance, belongs to the organisation keeping the record and to those where they hold a post;
// the principal may act if any of them is within its subtree.
struct Resource {
  std::vector<std::string> org_paths;
  static Resource InOrg(std::string_view path) { return Resource{{std::string(path)}}; }
  static Resource InOrgs(std::vector<std::string> paths) { return Resource{std::move(paths)}; }
};

// True if `path` is `scope` or lies below it ("/1/2/5/" is within "/1/2/").
bool PathWithin(std::string_view path, std::string_view scope);

Status Authorize(const Principal& who, Permission action, const Resource& resource);

// For a record named in a request (e.g. the "org_id" of a new person): OK if the record exists
// (`path` is its organisation's path, null when absent) and `who` may do `action` there;
// otherwise invalid_argument naming `field`, with one message ("no such <what> in your scope")
// whether the record is absent or out of scope.
Status AuthorizeReference(const Principal& who, Permission action, const std::string* path,
                          std::string_view field, std::string_view what);

// The role part alone, for actions without a resource yet (listing, creating under a parent
// that is checked separately).
Status AuthorizeAction(const Principal& who, Permission action);

}  // namespace jiandu::auth
