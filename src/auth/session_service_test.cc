#include "auth/session_service.h"

#include <gtest/gtest.h>

#include "auth/auth_schema.h"
#include "auth/totp.h"
#include "store/testing/test_store.h"

namespace jiandu::auth {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// Two organisations: /1/ and its child /1/2/.
class FakeOrgs : public OrgDirectory {
 public:
  Result<bool> PersonExists(store::Tx&, int64_t) const override { return false; }

 public:
  Result<std::optional<OrgRef>> FindOrg(store::Tx&, int64_t id) const override {
    if (id == 1) return std::optional<OrgRef>(OrgRef{1, "/1/", "县"});
    if (id == 2) return std::optional<OrgRef>(OrgRef{2, "/1/2/", "局"});
    return std::optional<OrgRef>();
  }
  Result<std::optional<OrgRef>> FindOrgByCode(store::Tx& tx,
                                              const std::string& code) const override {
    return FindOrg(tx, code == "1" ? 1 : code == "2" ? 2 : 0);
  }
};

constexpr char kPassword[] = "jiandu-test-2026";

class SessionServiceTest : public ::testing::TestWithParam<store::testing::Backend> {
 protected:
  void SetUp() override {
    db_ = GetParam().make();
    ASSERT_NE(db_, nullptr);
    std::vector<store::Migration> m = audit::Migrations();
    for (auto& x : Migrations()) m.push_back(x);
    ASSERT_TRUE(db_->Migrate(m).ok());
    users_ = std::make_unique<UserService>(*db_, audit_, orgs_, clock_);
    sessions_ = std::make_unique<SessionService>(*db_, audit_, key_, clock_);
    ASSERT_TRUE(users_->CreateUser(Principal::System(),
                                   {"officer", "人大干部", Role::kCongressOfficer, 1, kPassword})
                    .ok());
    ASSERT_TRUE(users_->CreateUser(Principal::System(),
                                   {"auditor", "审计员", Role::kAuditAdmin, 1, kPassword})
                    .ok());
  }

  Result<LoginResult> Login(const std::string& user, const std::string& pw,
                            const std::string& client = "10.0.0.1") {
    return sessions_->Login(user, pw, client);
  }

  int64_t AuditCount(const std::string& action) {
    auto r = store::RunInTransaction<int64_t>(*db_, store::TxMode::kReadOnly,
                                              [&](store::Tx& tx) -> Result<int64_t> {
      JIANDU_ASSIGN_OR_RETURN(auto row, tx.QueryOne(
          "SELECT COUNT(*) FROM audit_event WHERE action = ?", {action}));
      return row->Int(0);
    });
    return r.value_or(-1);
  }

  core::FakeClock clock_{core::Timestamp::FromUnixSeconds(1'800'000'000)};
  audit::AuditLog audit_{clock_};
  FakeOrgs orgs_;
  SecretKey key_ = SecretKey::Random();
  std::unique_ptr<store::Store> db_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<SessionService> sessions_;
};

TEST_P(SessionServiceTest, LoginCreatesAnAuditedActiveSession) {
  Result<LoginResult> r = Login("officer", kPassword);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->token.size(), 64u);
  EXPECT_EQ(r->session.principal.stage, SessionStage::kActive);
  EXPECT_EQ(r->session.principal.org_path, "/1/");
  Result<SessionInfo> s = sessions_->Authenticate(r->token);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->user.username, "officer");
  EXPECT_EQ(AuditCount("session.create"), 1);
}

TEST_P(SessionServiceTest, WrongPasswordAndUnknownUserLookTheSame) {
  Status wrong = Login("officer", "not-the-password").status();
  Status unknown = Login("nobody", "not-the-password").status();
  EXPECT_EQ(wrong.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong.ToString(), unknown.ToString());
}

TEST_P(SessionServiceTest, FiveFailuresLockTheAccount) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(Login("officer", "wrong-password", "10.0.0." + std::to_string(i)).ok());
  }
  // Locked: even the right password fails, with the same message.
  Status locked = Login("officer", kPassword, "10.0.1.1").status();
  EXPECT_EQ(locked.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(AuditCount("user.login_failed"), 5);
  clock_.Advance(minutes(16));
  EXPECT_TRUE(Login("officer", kPassword, "10.0.1.2").ok());
}

TEST_P(SessionServiceTest, UnknownUsersAreLockedToo) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(Login("ghost", "x", "10.0.0." + std::to_string(i)).ok());
  }
  // Nothing about invented names is written to the database.
  EXPECT_EQ(AuditCount("user.login_failed"), 0);
}

TEST_P(SessionServiceTest, ClientIsRateLimited) {
  int refused = 0;
  for (int i = 0; i < 12; ++i) {
    Status s = Login("nobody" + std::to_string(i), "x", "192.0.2.7").status();
    refused += s.code() == StatusCode::kResourceExhausted;
  }
  EXPECT_EQ(refused, 2);
  clock_.Advance(minutes(1));
  EXPECT_TRUE(Login("officer", kPassword, "192.0.2.7").ok());
}

TEST_P(SessionServiceTest, IdleTimeoutEndsTheSession) {
  Result<LoginResult> r = Login("officer", kPassword);
  ASSERT_TRUE(r.ok());
  clock_.Advance(minutes(29));
  ASSERT_TRUE(sessions_->Authenticate(r->token).ok());  // use refreshes the idle deadline
  clock_.Advance(minutes(29));
  ASSERT_TRUE(sessions_->Authenticate(r->token).ok());
  clock_.Advance(minutes(31));
  EXPECT_EQ(sessions_->Authenticate(r->token).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(AuditCount("session.expire"), 1);
}

TEST_P(SessionServiceTest, AbsoluteTimeoutEndsAnActiveSession) {
  Result<LoginResult> r = Login("officer", kPassword);
  ASSERT_TRUE(r.ok());
  for (int i = 0; i < 12 * 4 - 1; ++i) {  // busy every 15 minutes for 11h45
    clock_.Advance(minutes(15));
    ASSERT_TRUE(sessions_->Authenticate(r->token).ok()) << i;
  }
  clock_.Advance(minutes(15));
  EXPECT_FALSE(sessions_->Authenticate(r->token).ok());
}

TEST_P(SessionServiceTest, LogoutEndsTheSessionEverywhere) {
  Result<LoginResult> r = Login("officer", kPassword);
  ASSERT_TRUE(r.ok());
  // A second service instance stands for another server process sharing the database.
  SessionService other(*db_, audit_, key_, clock_);
  ASSERT_TRUE(other.Authenticate(r->token).ok());
  ASSERT_TRUE(sessions_->Logout(r->token).ok());
  EXPECT_FALSE(sessions_->Authenticate(r->token).ok());
  clock_.Advance(seconds(61));  // the other process re-checks the database within a minute
  EXPECT_FALSE(other.Authenticate(r->token).ok());
  EXPECT_EQ(AuditCount("session.delete"), 1);
}

TEST_P(SessionServiceTest, ForgedTokensAreRefused) {
  EXPECT_FALSE(sessions_->Authenticate("").ok());
  EXPECT_FALSE(sessions_->Authenticate(std::string(64, 'a')).ok());
  EXPECT_FALSE(sessions_->Authenticate("short").ok());
}

TEST_P(SessionServiceTest, CsrfTokenMustMatch) {
  Result<LoginResult> r = Login("officer", kPassword);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(SessionService::CheckCsrf(r->session, r->session.csrf_token).ok());
  Status s = SessionService::CheckCsrf(r->session, "");
  EXPECT_TRUE(s.IsPermissionDenied());
  EXPECT_EQ(s.field(), "X-CSRF-Token");
  EXPECT_FALSE(SessionService::CheckCsrf(r->session, std::string(64, '0')).ok());
}

TEST_P(SessionServiceTest, AdministratorEnrolsAndUsesTotp) {
  Result<LoginResult> first = Login("auditor", kPassword);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->session.principal.stage, SessionStage::kTotpEnrollmentRequired);
  // Not signed in yet for anything else.
  EXPECT_EQ(Authorize(first->session.principal, Permission::kAuditRead, Resource::InOrg("/1/"))
                .code(),
            StatusCode::kUnauthenticated);
  Result<TotpEnrollment> e = sessions_->BeginTotpEnrollment(first->token);
  ASSERT_TRUE(e.ok());
  std::string secret;
  ASSERT_TRUE(Base32Decode(e->secret_base32, &secret));
  EXPECT_FALSE(sessions_->ConfirmTotpEnrollment(first->token, "000000").ok());
  Result<SessionInfo> active =
      sessions_->ConfirmTotpEnrollment(first->token, TotpCode(secret, clock_.Now()));
  ASSERT_TRUE(active.ok()) << active.status().ToString();
  EXPECT_EQ(active->principal.stage, SessionStage::kActive);
  EXPECT_EQ(AuditCount("user.totp_enroll"), 1);

  // Next sign-in asks for a code; the code just used cannot be replayed.
  clock_.Advance(seconds(1));
  Result<LoginResult> second = Login("auditor", kPassword);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->session.principal.stage, SessionStage::kTotpRequired);
  EXPECT_FALSE(sessions_->VerifyTotp(second->token, TotpCode(secret, clock_.Now())).ok());
  clock_.Advance(seconds(30));
  Result<SessionInfo> verified =
      sessions_->VerifyTotp(second->token, TotpCode(secret, clock_.Now()));
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->principal.stage, SessionStage::kActive);
}

TEST_P(SessionServiceTest, DisablingAUserEndsTheirSessions) {
  users_->set_on_sessions_ended([this](int64_t id) { sessions_->ForgetUser(id); });
  Result<LoginResult> r = Login("officer", kPassword);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(sessions_->Authenticate(r->token).ok());
  ASSERT_TRUE(users_->Disable(Principal::System(), r->session.user.id).ok());
  EXPECT_FALSE(sessions_->Authenticate(r->token).ok());  // at once, not after a minute
  EXPECT_FALSE(Login("officer", kPassword, "10.9.9.9").ok());
}

TEST_P(SessionServiceTest, UserAdministrationIsScopedAndValidated) {
  Principal admin;
  admin.user_id = 99;
  admin.role = Role::kSecurityAdmin;
  admin.org_id = 2;
  admin.org_path = "/1/2/";
  // The parent organisation is outside this administrator's subtree.
  Result<User> out = users_->CreateUser(admin, {"liaison", "联络员", Role::kViewer, 1, kPassword});
  EXPECT_EQ(out.status().field(), "org_id");
  EXPECT_TRUE(users_->CreateUser(admin, {"liaison", "联络员", Role::kViewer, 2, kPassword}).ok());
  EXPECT_EQ(users_->CreateUser(admin, {"liaison", "x", Role::kViewer, 2, kPassword})
                .status()
                .field(),
            "username");
  EXPECT_EQ(users_->CreateUser(admin, {"Bad Name", "x", Role::kViewer, 2, kPassword})
                .status()
                .field(),
            "username");
  Principal officer = admin;
  officer.role = Role::kCongressOfficer;
  EXPECT_TRUE(
      users_->CreateUser(officer, {"other", "x", Role::kViewer, 2, kPassword}).status()
          .IsPermissionDenied());
}

INSTANTIATE_TEST_SUITE_P(Backends, SessionServiceTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         store::testing::BackendName);

}  // namespace
}  // namespace jiandu::auth
