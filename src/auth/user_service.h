// UserService: user accounts, managed by the security administrator (and by `jiandu user add`).
//
//   JIANDU_ASSIGN_OR_RETURN(User u, users.CreateUser(who, {.username = "congress",
//       .display_name = "张三", .role = Role::kCongressOfficer, .org_id = 3,
//       .password = "…"}));
//
// Every change appends an audit event in the same transaction. Passwords are hashed with
// Argon2id before the transaction starts (slow on purpose: call from a worker thread).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "auth/authorizer.h"
#include "auth/org_directory.h"
#include "core/clock.h"
#include "core/page.h"
#include "store/store.h"

namespace jiandu::auth {

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kViewer;
  int64_t org_id = 0;
  std::string org_path;
  bool totp_enrolled = false;
  std::optional<core::Timestamp> locked_until;  // set while locked
  bool disabled = false;
  std::optional<int64_t> person_id;  // linked person record (committee members vote through it)
};

struct NewUser {
  std::string username;
  std::string display_name;
  Role role = Role::kViewer;
  int64_t org_id = 0;
  std::string password;
  std::optional<int64_t> person_id;
};

class UserService {
 public:
  UserService(store::Store& store, const audit::AuditLog& audit, const OrgDirectory& orgs,
              const core::Clock& clock)
      : store_(store), audit_(audit), orgs_(orgs), clock_(clock) {}

  // Called with a user's id after their sessions were ended (disable, TOTP reset), so that a
  // session cache can drop them at once. app/ wires it to SessionService::ForgetUser.
  void set_on_sessions_ended(std::function<void(int64_t)> fn) { on_sessions_ended_ = std::move(fn); }

  // Creates a user in an organisation within the caller's scope.
  // invalid_argument naming username (3–32 of a-z 0-9 . _ -), display_name, password or
  // org_id (unknown or out of scope: "not_found" is not used, the org is an input field);
  // conflict naming username if taken; permission_denied without user.write.
  Result<User> CreateUser(const Principal& who, const NewUser& in);

  Result<User> GetUser(const Principal& who, int64_t id);
  Result<core::Page<User>> ListUsers(const Principal& who, const core::PageRequest& page);

  // Clears the lock-out and the failed-login count.
  Result<User> Unlock(const Principal& who, int64_t id);
  // Removes the TOTP enrolment; the user enrols again at the next sign-in. Ends their sessions.
  Result<User> ResetTotp(const Principal& who, int64_t id);
  // Disables the account and ends its sessions. A user cannot disable themselves.
  Result<User> Disable(const Principal& who, int64_t id);

 private:
  Result<User> LoadInScope(store::Tx& tx, const Principal& who, int64_t id);
  Result<User> Mutate(const Principal& who, int64_t id, const char* action, const char* sql,
                      bool end_sessions);

  store::Store& store_;
  const audit::AuditLog& audit_;
  const OrgDirectory& orgs_;
  const core::Clock& clock_;
  std::function<void(int64_t)> on_sessions_ended_;
};

// Reads one user row (shared with SessionService). not_found if absent.
Result<User> LoadUser(store::Tx& tx, int64_t id, const core::Clock& clock);

}  // namespace jiandu::auth
