// /api/v1/auth: sign-in, second factor, session, sign-out. Thin handlers: parse, call the
// session service, render.
#include "api/render.h"
#include "api/routes.h"

namespace jiandu::api {
namespace {

// The session plus its organisation's name, as the web client shows it.
HttpResponse SessionResponse(Context& c, const auth::SessionInfo& s) {
  auto org = c.app().orgs().GetOrg(auth::Principal::System(), s.user.org_id);
  JsonWriter w;
  Write(w, s, org.ok() ? std::string_view(org->org.name) : std::string_view());
  return HttpResponse::Json(200, w.Take());
}

Result<HttpResponse> Login(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::string username, body.String("username"));
  JIANDU_ASSIGN_OR_RETURN(std::string password, body.String("password"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(auth::LoginResult r,
                          c.app().sessions().Login(username, password, c.req().client));
  HttpResponse resp = SessionResponse(c, r.session);
  resp.headers.emplace_back("Set-Cookie", c.SessionCookie(r.token));
  return resp;
}

Result<std::string> ReadCode(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::string code, body.String("code"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  return code;
}

Result<HttpResponse> VerifyTotp(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(std::string code, ReadCode(c));
  JIANDU_ASSIGN_OR_RETURN(auth::SessionInfo s, c.app().sessions().VerifyTotp(c.token(), code));
  return SessionResponse(c, s);
}

Result<HttpResponse> EnrollTotp(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(auth::TotpEnrollment e,
                          c.app().sessions().BeginTotpEnrollment(c.token()));
  JsonWriter w;
  w.BeginObject().Field("secret", e.secret_base32).Field("otpauth_uri", e.otpauth_uri).EndObject();
  return HttpResponse::Json(200, w.Take());
}

Result<HttpResponse> ConfirmTotp(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(std::string code, ReadCode(c));
  JIANDU_ASSIGN_OR_RETURN(auth::SessionInfo s,
                          c.app().sessions().ConfirmTotpEnrollment(c.token(), code));
  return SessionResponse(c, s);
}

Result<HttpResponse> Logout(Context& c) {
  JIANDU_RETURN_IF_ERROR(c.app().sessions().Logout(c.token()));
  HttpResponse resp = HttpResponse::NoContent();
  resp.headers.emplace_back("Set-Cookie", c.SessionCookie(""));
  return resp;
}

Result<HttpResponse> GetSession(Context& c) { return SessionResponse(c, *c.session()); }

}  // namespace

void AddAuthRoutes(Router& r) {
  const std::string base = "/api/v1/auth";
  r.Add("POST", base + "/login",
        {.summary = "Sign in with username and password", .tag = "auth",
         .access = Access::kPublic, .request_schema = "LoginRequest",
         .response_schema = "Session"},
        Login);
  r.Add("POST", base + "/totp",
        {.summary = "Complete sign-in with a TOTP code", .tag = "auth",
         .access = Access::kSessionAnyStage, .request_schema = "CodeRequest",
         .response_schema = "Session"},
        VerifyTotp);
  r.Add("POST", base + "/totp/enroll",
        {.summary = "Start TOTP enrolment (administrators at first sign-in)", .tag = "auth",
         .access = Access::kSessionAnyStage, .request_schema = "Empty",
         .response_schema = "TotpEnrollment"},
        EnrollTotp);
  r.Add("POST", base + "/totp/confirm",
        {.summary = "Confirm TOTP enrolment with a first code", .tag = "auth",
         .access = Access::kSessionAnyStage, .request_schema = "CodeRequest",
         .response_schema = "Session"},
        ConfirmTotp);
  r.Add("POST", base + "/logout",
        {.summary = "Sign out", .tag = "auth", .access = Access::kSessionAnyStage,
         .success_status = 204},
        Logout);
  r.Add("GET", base + "/session",
        {.summary = "The current session", .tag = "auth", .access = Access::kSessionAnyStage,
         .response_schema = "Session"},
        GetSession);
}

}  // namespace jiandu::api
