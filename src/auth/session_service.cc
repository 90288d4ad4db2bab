#include "auth/session_service.h"

#include <sodium.h>

#include "auth/password.h"
#include "auth/totp.h"
#include "core/sha256.h"

namespace jiandu::auth {
namespace {

constexpr char kGenericFailure[] = "invalid username or password, or the account is locked";

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return core::HexEncode(raw);
}

std::string_view StageCode(SessionStage s) { return SessionStageName(s); }

SessionStage ParseStage(const std::string& s) {
  if (s == "totp_required") return SessionStage::kTotpRequired;
  if (s == "totp_enrollment_required") return SessionStage::kTotpEnrollmentRequired;
  return SessionStage::kActive;
}

Principal PrincipalOf(const User& u, SessionStage stage) {
  Principal p;
  p.user_id = u.id;
  p.username = u.username;
  p.role = u.role;
  p.org_id = u.org_id;
  p.org_path = u.org_path;
  p.stage = stage;
  p.person_id = u.person_id.value_or(0);
  return p;
}

// A hash of a random password, verified against when the username is unknown so that the
// answer takes as long as for a real account.
const std::string& DummyHash() {
  static const std::string hash = HashPassword(RandomHex(16)).value_or("");
  return hash;
}

}  // namespace

SessionService::SessionService(store::Store& store, const audit::AuditLog& audit,
                               const SecretKey& key, const core::Clock& clock,
                               SessionPolicy policy)
    : store_(store),
      audit_(audit),
      key_(key),
      clock_(clock),
      policy_(policy),
      limiter_(clock, policy.login_burst_per_client, policy.login_rate_per_client_min) {
  if (sodium_init() < 0) {
    std::abort();
  }
}

bool SessionService::UnknownUserLocked(const std::string& username) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = unknown_users_.find(username);
  return it != unknown_users_.end() &&
         it->second.locked_until_us > clock_.Now().unix_micros();
}

void SessionService::NoteUnknownUserFailure(const std::string& username) {
  std::lock_guard<std::mutex> l(mu_);
  if (unknown_users_.size() > 100000) {
    unknown_users_.clear();  // bound memory under a flood of invented names
  }
  Failures& f = unknown_users_[username];
  if (++f.count >= policy_.max_failed_logins) {
    f.count = 0;
    f.locked_until_us =
        clock_.Now().unix_micros() +
        std::chrono::duration_cast<std::chrono::microseconds>(policy_.lockout).count();
  }
}

Status SessionService::RecordFailure(store::Tx& tx, const User& user, const char* action) {
  const int64_t now = clock_.Now().unix_micros();
  JIANDU_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("UPDATE app_user SET failed_logins = failed_logins + 1, updated_at = ? "
                  "WHERE id = ? RETURNING failed_logins",
                  {now, user.id}));
  audit::EventInput ev{.actor = "user:" + std::to_string(user.id), .action = action,
                       .entity_type = "user", .entity_id = std::to_string(user.id),
                       .org_path = user.org_path};
  ev.change.Touch("failed_logins");
  if (row && row->Int(0) >= policy_.max_failed_logins) {
    const int64_t until =
        now + std::chrono::duration_cast<std::chrono::microseconds>(policy_.lockout).count();
    JIANDU_RETURN_IF_ERROR(
        tx.Exec("UPDATE app_user SET failed_logins = 0, locked_until = ? WHERE id = ?",
                {until, user.id}));
    JIANDU_RETURN_IF_ERROR(tx.Exec("DELETE FROM auth_session WHERE user_id = ?", {user.id}));
    ev.change.Touch("locked_until");
  }
  return audit_.Append(tx, ev).status();
}

Result<LoginResult> SessionService::Login(const std::string& username,
                                          const std::string& password,
                                          const std::string& client) {
  if (!limiter_.Allow(client)) {
    return Status::ResourceExhausted("too many sign-in attempts from this client; wait a minute");
  }
  std::optional<User> user;
  std::string hash;
  JIANDU_RETURN_IF_ERROR(store::RunInTransaction(store_, store::TxMode::kReadOnly,
                                                 [&](store::Tx& tx) -> Status {
    JIANDU_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                            tx.QueryOne("SELECT id, password_hash FROM app_user WHERE username = ?",
                                        {username}));
    if (row) {
      hash = row->Text(1);
      JIANDU_ASSIGN_OR_RETURN(user, LoadUser(tx, row->Int(0), clock_));
    }
    return Status::Ok();
  }));

  if (!user) {
    (void)VerifyPassword(password, DummyHash());
    NoteUnknownUserFailure(username);
    return Status::Unauthenticated(kGenericFailure);
  }
  const bool password_ok = VerifyPassword(password, hash);
  if (user->locked_until || user->disabled) {
    return Status::Unauthenticated(kGenericFailure);
  }
  if (!password_ok) {
    JIANDU_RETURN_IF_ERROR(store::RunInTransaction(
        store_, store::TxMode::kReadWrite,
        [&](store::Tx& tx) { return RecordFailure(tx, *user, "user.login_failed"); }));
    ForgetUser(user->id);  // a lock-out ends the account's sessions
    return Status::Unauthenticated(kGenericFailure);
  }

  SessionStage stage = SessionStage::kActive;
  if (user->totp_enrolled) {
    stage = SessionStage::kTotpRequired;
  } else if (IsAdministrator(user->role)) {
    stage = SessionStage::kTotpEnrollmentRequired;
  }
  LoginResult out;
  out.token = RandomHex(32);
  const std::string token_hash = core::Sha256Hex(out.token);
  const core::Timestamp now = clock_.Now();
  const core::Timestamp absolute = now + policy_.absolute_timeout;
  Cached cached;
  cached.info.principal = PrincipalOf(*user, stage);
  cached.info.user = *user;
  cached.info.csrf_token = RandomHex(32);
  cached.created_at = now;
  cached.absolute_deadline = absolute;
  cached.last_seen = now;
  cached.persisted_last_seen = now;
  JIANDU_RETURN_IF_ERROR(store::RunInTransaction(store_, store::TxMode::kReadWrite,
                                                 [&](store::Tx& tx) -> Status {
    JIANDU_RETURN_IF_ERROR(
        tx.Exec("UPDATE app_user SET failed_logins = 0 WHERE id = ?", {user->id}));
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("INSERT INTO auth_session (token_hash, user_id, stage, csrf_token, "
                    "created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "RETURNING id",
                    {token_hash, user->id, std::string(StageCode(stage)),
                     cached.info.csrf_token, now.unix_micros(), now.unix_micros(),
                     absolute.unix_micros()}));
    cached.info.session_id = row->Int(0);
    audit::EventInput ev{.actor = "user:" + std::to_string(user->id),
                         .action = "session.create", .entity_type = "session",
                         .entity_id = std::to_string(cached.info.session_id),
                         .org_path = user->org_path};
    ev.change.Created("stage", StageCode(stage));
    return audit_.Append(tx, ev).status();
  }));
  cached.info.expires_at = std::min(absolute, now + policy_.idle_timeout);
  out.session = cached.info;
  std::lock_guard<std::mutex> l(mu_);
  cache_[token_hash] = std::move(cached);
  return out;
}

Result<SessionService::Cached> SessionService::LoadSession(const std::string& token_hash) {
  return store::RunInTransaction<Cached>(store_, store::TxMode::kReadOnly, [&](store::Tx& tx)
                                                                               -> Result<Cached> {
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("SELECT id, user_id, stage, csrf_token, created_at, last_seen_at, "
                    "expires_at FROM auth_session WHERE token_hash = ?",
                    {token_hash}));
    if (!row) {
      return Status::Unauthenticated("not signed in");
    }
    JIANDU_ASSIGN_OR_RETURN(User user, LoadUser(tx, row->Int(1), clock_));
    Cached c;
    c.info.session_id = row->Int(0);
    c.info.principal = PrincipalOf(user, ParseStage(row->Text(2)));
    c.info.user = user;
    c.info.csrf_token = row->Text(3);
    c.created_at = core::Timestamp::FromUnixMicros(row->Int(4));
    c.last_seen = core::Timestamp::FromUnixMicros(row->Int(5));
    c.persisted_last_seen = c.last_seen;
    c.absolute_deadline = core::Timestamp::FromUnixMicros(row->Int(6));
    return c;
  });
}

void SessionService::Forget(const std::string& token_hash) {
  std::lock_guard<std::mutex> l(mu_);
  cache_.erase(token_hash);
}

Result<SessionInfo> SessionService::Authenticate(const std::string& token) {
  if (token.size() != 64) {
    return Status::Unauthenticated("not signed in");
  }
  const std::string token_hash = core::Sha256Hex(token);
  const core::Timestamp now = clock_.Now();
  std::optional<Cached> cached;
  bool revalidate = false;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = cache_.find(token_hash);
    if (it != cache_.end()) {
      Cached& c = it->second;
      // Another server process may have ended or used the session: check the database at
      // least every touch_interval, and before declaring it idle.
      revalidate = now - c.persisted_last_seen >= policy_.touch_interval ||
                   now - c.last_seen >= policy_.idle_timeout;
      if (!revalidate && now < c.absolute_deadline) {
        c.last_seen = now;
        SessionInfo info = c.info;
        info.expires_at = std::min(c.absolute_deadline, now + policy_.idle_timeout);
        return info;
      }
      cached = c;
    }
  }
  Result<Cached> loaded = LoadSession(token_hash);
  if (!loaded.ok()) {
    Forget(token_hash);
    return Status::Unauthenticated("not signed in");
  }
  Cached c = std::move(*loaded);
  if (cached && cached->last_seen > c.last_seen) {
    c.last_seen = cached->last_seen;
  }
  const bool expired = now >= c.absolute_deadline || now - c.last_seen >= policy_.idle_timeout ||
                       c.info.user.disabled || c.info.user.locked_until.has_value();
  if (expired) {
    Forget(token_hash);
    (void)store::RunInTransaction(store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Status {
      JIANDU_ASSIGN_OR_RETURN(int64_t n, tx.Exec("DELETE FROM auth_session WHERE id = ?",
                                                 {c.info.session_id}));
      if (n == 0) {
        return Status::Ok();
      }
      audit::EventInput ev{.actor = "system", .action = "session.expire",
                           .entity_type = "session",
                           .entity_id = std::to_string(c.info.session_id),
                           .org_path = c.info.user.org_path};
      ev.change.Touch("session");
      return audit_.Append(tx, ev).status();
    });
    return Status::Unauthenticated("the session has expired; sign in again");
  }
  // Session liveness is bookkeeping, not a change to any record, so this write is the one
  // that does not append an audit event (docs/architecture.md, "Audit").
  c.last_seen = now;
  Status touched = store::RunInTransaction(store_, store::TxMode::kReadWrite,
                                           [&](store::Tx& tx) {
    return tx.Exec("UPDATE auth_session SET last_seen_at = ? WHERE id = ?",
                   {now.unix_micros(), c.info.session_id}).status();
  });
  if (!touched.ok()) {
    return touched;
  }
  c.persisted_last_seen = now;
  SessionInfo info = c.info;
  info.expires_at = std::min(c.absolute_deadline, now + policy_.idle_timeout);
  std::lock_guard<std::mutex> l(mu_);
  cache_[token_hash] = std::move(c);
  return info;
}

Status SessionService::CheckCsrf(const SessionInfo& session, std::string_view header) {
  if (header.size() != session.csrf_token.size() ||
      sodium_memcmp(header.data(), session.csrf_token.data(), header.size()) != 0) {
    return Status(StatusCode::kPermissionDenied, "missing or wrong CSRF token", "X-CSRF-Token");
  }
  return Status::Ok();
}

Result<TotpEnrollment> SessionService::BeginTotpEnrollment(const std::string& token) {
  JIANDU_ASSIGN_OR_RETURN(SessionInfo s, Authenticate(token));
  if (s.principal.stage != SessionStage::kTotpEnrollmentRequired) {
    return Status::FailedPrecondition("this session is not enrolling a second factor");
  }
  std::string secret = GenerateTotpSecret();
  const std::string context = "session:" + std::to_string(s.session_id);
  JIANDU_RETURN_IF_ERROR(store::RunInTransaction(store_, store::TxMode::kReadWrite,
                                                 [&](store::Tx& tx) -> Status {
    JIANDU_RETURN_IF_ERROR(tx.Exec(
        "UPDATE auth_session SET pending_totp_secret = ? WHERE id = ?",
        {store::Blob{key_.Seal(KeyPurpose::kTotpSecret, secret, context)}, s.session_id}));
    audit::EventInput ev{.actor = s.principal.AuditActor(), .action = "session.totp_enrollment",
                         .entity_type = "session", .entity_id = std::to_string(s.session_id),
                         .org_path = s.user.org_path};
    ev.change.Touch("pending_totp_secret");
    return audit_.Append(tx, ev).status();
  }));
  return TotpEnrollment{Base32Encode(secret), TotpUri(s.user.username, secret)};
}

Result<SessionInfo> SessionService::VerifyTotp(const std::string& token,
                                               const std::string& code) {
  return FinishSecondFactor(token, code, /*enrolling=*/false);
}

Result<SessionInfo> SessionService::ConfirmTotpEnrollment(const std::string& token,
                                                          const std::string& code) {
  return FinishSecondFactor(token, code, /*enrolling=*/true);
}

Result<SessionInfo> SessionService::FinishSecondFactor(const std::string& token,
                                                       const std::string& code, bool enrolling) {
  JIANDU_ASSIGN_OR_RETURN(SessionInfo s, Authenticate(token));
  const SessionStage want =
      enrolling ? SessionStage::kTotpEnrollmentRequired : SessionStage::kTotpRequired;
  if (s.principal.stage != want) {
    return Status::FailedPrecondition(enrolling ? "this session is not enrolling a second factor"
                                                : "this session does not need a TOTP code");
  }
  const std::string token_hash = core::Sha256Hex(token);
  Status code_error;
  Status s_tx = store::RunInTransaction(store_, store::TxMode::kReadWrite,
                                        [&](store::Tx& tx) -> Status {
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("SELECT u.totp_secret, u.totp_last_step, s.pending_totp_secret "
                    "FROM auth_session s JOIN app_user u ON u.id = s.user_id WHERE s.id = ?",
                    {s.session_id}));
    if (!row) {
      return Status::Unauthenticated("not signed in");
    }
    const std::string user_ctx = "user:" + std::to_string(s.user.id);
    const std::string sealed = enrolling ? row->Bytes(2).bytes : row->Bytes(0).bytes;
    if (sealed.empty()) {
      return Status::FailedPrecondition(enrolling ? "start the enrolment first"
                                                  : "no second factor is enrolled");
    }
    JIANDU_ASSIGN_OR_RETURN(
        std::string secret,
        key_.Open(KeyPurpose::kTotpSecret, sealed,
                  enrolling ? "session:" + std::to_string(s.session_id) : user_ctx));
    Result<int64_t> step = auth::VerifyTotp(secret, code, clock_.Now(),
                                            enrolling ? 0 : row->Int(1));
    if (!step.ok()) {
      code_error = step.status();
      return RecordFailure(tx, s.user, "user.totp_failed");
    }
    if (enrolling) {
      JIANDU_RETURN_IF_ERROR(tx.Exec(
          "UPDATE app_user SET totp_secret = ?, totp_last_step = ?, updated_at = ? WHERE id = ?",
          {store::Blob{key_.Seal(KeyPurpose::kTotpSecret, secret, user_ctx)}, *step,
           clock_.Now().unix_micros(), s.user.id}));
    } else {
      JIANDU_RETURN_IF_ERROR(tx.Exec("UPDATE app_user SET totp_last_step = ? WHERE id = ?",
                                     {*step, s.user.id}));
    }
    JIANDU_RETURN_IF_ERROR(tx.Exec(
        "UPDATE auth_session SET stage = 'active', pending_totp_secret = NULL WHERE id = ?",
        {s.session_id}));
    audit::EventInput ev{.actor = s.principal.AuditActor(),
                         .action = enrolling ? "user.totp_enroll" : "session.second_factor",
                         .entity_type = enrolling ? "user" : "session",
                         .entity_id = std::to_string(enrolling ? s.user.id : s.session_id),
                         .org_path = s.user.org_path};
    ev.change.Set("stage", StageCode(want), "active");
    return audit_.Append(tx, ev).status();
  });
  Forget(token_hash);
  JIANDU_RETURN_IF_ERROR(s_tx);
  if (!code_error.ok()) {
    return code_error;
  }
  return Authenticate(token);
}

void SessionService::ForgetUser(int64_t user_id) {
  std::lock_guard<std::mutex> l(mu_);
  std::erase_if(cache_, [&](const auto& entry) { return entry.second.info.user.id == user_id; });
}

Status SessionService::Logout(const std::string& token) {
  const std::string token_hash = core::Sha256Hex(token);
  Forget(token_hash);
  return store::RunInTransaction(store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Status {
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("SELECT s.id, s.user_id, u.org_path FROM auth_session s "
                    "JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = ?",
                    {token_hash}));
    if (!row) {
      return Status::Ok();
    }
    JIANDU_RETURN_IF_ERROR(tx.Exec("DELETE FROM auth_session WHERE id = ?", {row->Int(0)}));
    audit::EventInput ev{.actor = "user:" + std::to_string(row->Int(1)),
                         .action = "session.delete", .entity_type = "session",
                         .entity_id = std::to_string(row->Int(0)), .org_path = row->Text(2)};
    ev.change.Touch("session");
    return audit_.Append(tx, ev).status();
  });
}

}  // namespace jiandu::auth
