// SessionService: sign-in with password and TOTP, server-side sessions, sign-out.
//
// A session is identified by an opaque random token that only the client holds (the server
// stores its SHA-256). Sessions end after 30 minutes without use or 12 hours in all. Five
// failed sign-ins in a row lock an account for 15 minutes (unknown usernames behave the same,
// so failures reveal nothing); each client address gets a bounded rate of attempts.
// Administrators must enrol a TOTP second factor at their first sign-in and use it afterwards.
//
//   JIANDU_ASSIGN_OR_RETURN(LoginResult r, sessions.Login("congress", password, client_ip));
//   // hand r.token to the client in a cookie; later:
//   JIANDU_ASSIGN_OR_RETURN(SessionInfo s, sessions.Authenticate(token));
//   JIANDU_RETURN_IF_ERROR(sessions.CheckCsrf(s, header_value));
//
// Thread-safe. Login and TOTP checks hash passwords: call from worker threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "audit/audit_log.h"
#include "auth/authorizer.h"
#include "auth/rate_limiter.h"
#include "auth/secret_key.h"
#include "auth/user_service.h"
#include "core/clock.h"
#include "store/store.h"

namespace jiandu::auth {

struct SessionPolicy {
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_timeout{12 * 3600};
  int max_failed_logins = 5;
  std::chrono::seconds lockout{15 * 60};
  double login_burst_per_client = 10;       // attempts at once from one client
  double login_rate_per_client_min = 10;    // refill per minute
  // How often a session's last-use time is written back (it lives in memory in between).
  std::chrono::seconds touch_interval{60};
};

struct SessionInfo {
  int64_t session_id = 0;
  Principal principal;
  User user;
  std::string csrf_token;
  core::Timestamp expires_at;  // the earlier of the idle and absolute deadlines
};

struct LoginResult {
  std::string token;  // give to the client; never log it
  SessionInfo session;
};

struct TotpEnrollment {
  std::string secret_base32;
  std::string otpauth_uri;
};

class SessionService {
 public:
  SessionService(store::Store& store, const audit::AuditLog& audit, const SecretKey& key,
                 const core::Clock& clock, SessionPolicy policy = {});

  // unauthenticated ("invalid username or password, or the account is locked") on any failure
  // of the credentials; resource_exhausted when `client` is over its rate.
  Result<LoginResult> Login(const std::string& username, const std::string& password,
                            const std::string& client);

  // The session behind `token` if it is alive; unauthenticated otherwise. Refreshes its idle
  // deadline. Sessions in a TOTP stage are returned too: callers check principal.stage.
  Result<SessionInfo> Authenticate(const std::string& token);

  // permission_denied (field X-CSRF-Token) unless `header` equals the session's CSRF token.
  static Status CheckCsrf(const SessionInfo& session, std::string_view header);

  // Stage totp_required → active. invalid_argument (field "code") on a wrong code; five wrong
  // codes lock the account like wrong passwords.
  Result<SessionInfo> VerifyTotp(const std::string& token, const std::string& code);
  // Stage totp_enrollment_required: a fresh secret to show the user (kept with the session
  // until confirmed).
  Result<TotpEnrollment> BeginTotpEnrollment(const std::string& token);
  // Confirms enrolment with a code from the new secret; stage → active.
  Result<SessionInfo> ConfirmTotpEnrollment(const std::string& token, const std::string& code);

  // Ends the session (idempotent for unknown tokens).
  Status Logout(const std::string& token);

  // Drops this process's cached sessions of a user whose sessions were ended in the database
  // (disabled, second factor reset), so the change takes effect at once here; other processes
  // notice within `touch_interval`.
  void ForgetUser(int64_t user_id);

 private:
  struct Cached {
    SessionInfo info;
    core::Timestamp created_at;
    core::Timestamp absolute_deadline;
    core::Timestamp last_seen;
    core::Timestamp persisted_last_seen;
  };

  Result<Cached> LoadSession(const std::string& token_hash);
  Status RecordFailure(store::Tx& tx, const User& user, const char* action);
  bool UnknownUserLocked(const std::string& username);
  void NoteUnknownUserFailure(const std::string& username);
  Result<SessionInfo> FinishSecondFactor(const std::string& token, const std::string& code,
                                         bool enrolling);
  void Forget(const std::string& token_hash);

  store::Store& store_;
  const audit::AuditLog& audit_;
  const SecretKey& key_;
  const core::Clock& clock_;
  const SessionPolicy policy_;
  RateLimiter limiter_;

  std::mutex mu_;
  std::unordered_map<std::string, Cached> cache_;  // by token hash; guarded by mu_
  struct Failures {
    int count = 0;
    int64_t locked_until_us = 0;
  };
  std::unordered_map<std::string, Failures> unknown_users_;  // guarded by mu_
};

}  // namespace jiandu::auth
