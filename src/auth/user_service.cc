#include "auth/user_service.h"

#include <cctype>

#include "auth/password.h"

namespace jiandu::auth {
namespace {

constexpr char kUserColumns[] =
    "id, username, display_name, role, org_id, org_path, totp_secret IS NOT NULL, locked_until, "
    "disabled, person_id";

User UserFromRow(const store::Row& r, core::Timestamp now) {
  User u;
  u.id = r.Int(0);
  u.username = r.Text(1);
  u.display_name = r.Text(2);
  u.role = ParseRole(r.Text(3)).value_or(Role::kViewer);
  u.org_id = r.Int(4);
  u.org_path = r.Text(5);
  u.totp_enrolled = r.Bool(6);
  if (r.Int(7) > now.unix_micros()) {
    u.locked_until = core::Timestamp::FromUnixMicros(r.Int(7));
  }
  u.disabled = r.Bool(8);
  if (!r.IsNull(9)) {
    u.person_id = r.Int(9);
  }
  return u;
}

Status CheckUsername(const std::string& name) {
  if (name.size() < 3 || name.size() > 32) {
    return Status::InvalidArgument("username", "must be 3 to 32 characters");
  }
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) {
      return Status::InvalidArgument("username",
                                     "only lower-case letters, digits, '.', '_' and '-'");
    }
  }
  return Status::Ok();
}

Status CheckDisplayName(const std::string& name) {
  if (name.empty() || name.size() > 150) {
    return Status::InvalidArgument("display_name", "must be 1 to 50 characters");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) {
      return Status::InvalidArgument("display_name", "must not contain control characters");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<User> LoadUser(store::Tx& tx, int64_t id, const core::Clock& clock) {
  JIANDU_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne(std::string("SELECT ") + kUserColumns + " FROM app_user WHERE id = ?", {id}));
  if (!row) {
    return Status::NotFound(kNoSuchRecord);
  }
  return UserFromRow(*row, clock.Now());
}

Result<User> UserService::CreateUser(const Principal& who, const NewUser& in) {
  JIANDU_RETURN_IF_ERROR(AuthorizeAction(who, Permission::kUserWrite));
  JIANDU_RETURN_IF_ERROR(CheckUsername(in.username));
  JIANDU_RETURN_IF_ERROR(CheckDisplayName(in.display_name));
  JIANDU_RETURN_IF_ERROR(CheckPasswordPolicy(in.password, in.username));
  // Hash before the transaction: it is slow and must not hold the writer.
  JIANDU_ASSIGN_OR_RETURN(std::string hash, HashPassword(in.password));

  return store::RunInTransaction<User>(store_, store::TxMode::kReadWrite, [&](store::Tx& tx)
                                                                              -> Result<User> {
    JIANDU_ASSIGN_OR_RETURN(std::optional<OrgRef> org, orgs_.FindOrg(tx, in.org_id));
    JIANDU_RETURN_IF_ERROR(AuthorizeReference(who, Permission::kUserWrite,
                                              org ? &org->path : nullptr, "org_id",
                                              "organisation"));
    JIANDU_ASSIGN_OR_RETURN(std::optional<store::Row> taken,
                            tx.QueryOne("SELECT id FROM app_user WHERE username = ?",
                                        {in.username}));
    if (taken) {
      return Status::Conflict("username is already taken", "username");
    }
    if (in.person_id) {
      JIANDU_ASSIGN_OR_RETURN(bool exists, orgs_.PersonExists(tx, *in.person_id));
      if (!exists) {
        return Status::InvalidArgument("person_id", "no such person");
      }
      JIANDU_ASSIGN_OR_RETURN(
          std::optional<store::Row> linked,
          tx.QueryOne("SELECT id FROM app_user WHERE person_id = ?", {*in.person_id}));
      if (linked) {
        return Status::Conflict("another account is already linked to this person", "person_id");
      }
    }
    const int64_t now = clock_.Now().unix_micros();
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("INSERT INTO app_user (username, display_name, role, org_id, org_path, "
                    "password_hash, person_id, created_at, updated_at) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {in.username, in.display_name, std::string(RoleName(in.role)), org->id,
                     org->path, hash,
                     in.person_id ? store::Value(*in.person_id) : store::Value(), now, now}));
    const int64_t id = row->Int(0);
    audit::EventInput ev{.actor = who.AuditActor(), .action = "user.create",
                         .entity_type = "user", .entity_id = std::to_string(id),
                         .org_path = org->path};
    ev.change.Created("username", in.username);
    ev.change.Created("display_name", in.display_name);
    ev.change.Created("role", RoleName(in.role));
    ev.change.Created("org_id", std::to_string(org->id));
    ev.change.Touch("password");
    if (in.person_id) {
      ev.change.Created("person_id", std::to_string(*in.person_id));
    }
    JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
    return LoadUser(tx, id, clock_);
  });
}

Result<User> UserService::LoadInScope(store::Tx& tx, const Principal& who, int64_t id) {
  Result<User> u = LoadUser(tx, id, clock_);
  if (!u.ok()) {
    return u;
  }
  if (!Authorize(who, Permission::kUserRead, Resource::InOrg(u->org_path)).ok()) {
    return Status::NotFound(kNoSuchRecord);
  }
  return u;
}

Result<User> UserService::GetUser(const Principal& who, int64_t id) {
  JIANDU_RETURN_IF_ERROR(AuthorizeAction(who, Permission::kUserRead));
  return store::RunInTransaction<User>(store_, store::TxMode::kReadOnly,
                                       [&](store::Tx& tx) { return LoadInScope(tx, who, id); });
}

Result<core::Page<User>> UserService::ListUsers(const Principal& who,
                                                const core::PageRequest& page) {
  JIANDU_RETURN_IF_ERROR(AuthorizeAction(who, Permission::kUserRead));
  return store::RunInTransaction<core::Page<User>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<core::Page<User>> {
        std::vector<store::Value> params;
        store::AppendStartsWith(params, who.system ? "/" : who.org_path);
        params.insert(params.end(), {page.after.value_or(0), page.limit + 1});
        JIANDU_ASSIGN_OR_RETURN(
            store::Rows rows,
            tx.Query(std::string("SELECT ") + kUserColumns + " FROM app_user WHERE " +
                         store::StartsWith("org_path") + " AND id > ? ORDER BY id LIMIT ?",
                     params));
        std::vector<User> users;
        for (const store::Row& r : rows) {
          users.push_back(UserFromRow(r, clock_.Now()));
        }
        return core::MakePage(std::move(users), page, [](const User& u) { return u.id; });
      });
}

Result<User> UserService::Mutate(const Principal& who, int64_t id, const char* action,
                                 const char* sql, bool end_sessions) {
  JIANDU_RETURN_IF_ERROR(AuthorizeAction(who, Permission::kUserWrite));
  Result<User> out = store::RunInTransaction<User>(store_, store::TxMode::kReadWrite, [&](store::Tx& tx)
                                                                              -> Result<User> {
    JIANDU_ASSIGN_OR_RETURN(User before, LoadInScope(tx, who, id));
    JIANDU_RETURN_IF_ERROR(tx.Exec(sql, {clock_.Now().unix_micros(), id}));
    if (end_sessions) {
      JIANDU_RETURN_IF_ERROR(tx.Exec("DELETE FROM auth_session WHERE user_id = ?", {id}));
    }
    audit::EventInput ev{.actor = who.AuditActor(), .action = action, .entity_type = "user",
                         .entity_id = std::to_string(id), .org_path = before.org_path};
    JIANDU_ASSIGN_OR_RETURN(User after, LoadUser(tx, id, clock_));
    ev.change.Set("locked", before.locked_until ? "1" : "0", after.locked_until ? "1" : "0");
    ev.change.Set("totp_enrolled", before.totp_enrolled ? "1" : "0",
                  after.totp_enrolled ? "1" : "0");
    ev.change.Set("disabled", before.disabled ? "1" : "0", after.disabled ? "1" : "0");
    if (ev.change.empty()) {
      ev.change.Touch("none");
    }
    JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
    return after;
  });
  if (out.ok() && end_sessions && on_sessions_ended_) {
    on_sessions_ended_(id);
  }
  return out;
}

Result<User> UserService::Unlock(const Principal& who, int64_t id) {
  return Mutate(who, id, "user.unlock",
                "UPDATE app_user SET locked_until = 0, failed_logins = 0, updated_at = ? "
                "WHERE id = ?",
                false);
}

Result<User> UserService::ResetTotp(const Principal& who, int64_t id) {
  return Mutate(who, id, "user.reset_totp",
                "UPDATE app_user SET totp_secret = NULL, totp_last_step = 0, updated_at = ? "
                "WHERE id = ?",
                true);
}

Result<User> UserService::Disable(const Principal& who, int64_t id) {
  if (who.user_id == id) {
    return Status::FailedPrecondition("you cannot disable your own account");
  }
  return Mutate(who, id, "user.disable",
                "UPDATE app_user SET disabled = 1, updated_at = ? WHERE id = ?", true);
}

}  // namespace jiandu::auth
