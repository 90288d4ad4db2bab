// /api/v1/users (security administrator) and /api/v1/audit (trails, verification).
#include "api/render.h"
#include "api/routes.h"

namespace jiandu::api {
namespace {

Result<HttpResponse> ListUsers(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(core::PageRequest page, c.Page());
  JIANDU_ASSIGN_OR_RETURN(core::Page<auth::User> users, c.app().users().ListUsers(c.who(), page));
  return PageResponse(users.items, users.next_cursor);
}

Result<HttpResponse> CreateUser(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  auth::NewUser in;
  JIANDU_ASSIGN_OR_RETURN(in.username, body.String("username"));
  JIANDU_ASSIGN_OR_RETURN(in.display_name, body.String("display_name"));
  JIANDU_ASSIGN_OR_RETURN(std::string role, body.String("role"));
  JIANDU_ASSIGN_OR_RETURN(in.org_id, body.Int("org_id"));
  JIANDU_ASSIGN_OR_RETURN(in.password, body.String("password"));
  JIANDU_ASSIGN_OR_RETURN(in.person_id, body.OptInt64("person_id"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  std::optional<auth::Role> parsed = auth::ParseRole(role);
  if (!parsed) {
    return Status::InvalidArgument("role", "unknown role");
  }
  in.role = *parsed;
  JIANDU_ASSIGN_OR_RETURN(auth::User u, c.app().users().CreateUser(c.who(), in));
  return RecordResponse(u, 201);
}

// POST /users/{id}/<action> with an empty JSON object.
template <Result<auth::User> (auth::UserService::*Method)(const auth::Principal&, int64_t)>
Result<HttpResponse> UserAction(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  if (!c.req().body.empty()) {
    JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
    JIANDU_RETURN_IF_ERROR(body.Finish());
  }
  JIANDU_ASSIGN_OR_RETURN(auth::User u, (c.app().users().*Method)(c.who(), id));
  return RecordResponse(u);
}

Result<HttpResponse> ListEvents(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(core::PageRequest page, c.Page());
  std::optional<std::string> type = c.Query("entity_type");
  std::optional<std::string> id = c.Query("entity_id");
  if (type.has_value() != id.has_value()) {
    return Status::InvalidArgument(type ? "entity_id" : "entity_type",
                                   "entity_type and entity_id go together");
  }
  core::Page<registry::TrailEntry> events;
  if (type) {
    JIANDU_ASSIGN_OR_RETURN(events, c.app().trail().EntityTrail(c.who(), *type, *id, page));
  } else {
    JIANDU_ASSIGN_OR_RETURN(events, c.app().trail().AllEvents(c.who(), page));
  }
  return PageResponse(events.items, events.next_cursor);
}

Result<HttpResponse> Verify(Context& c) {
  if (!c.req().body.empty()) {
    JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
    JIANDU_RETURN_IF_ERROR(body.Finish());
  }
  JIANDU_ASSIGN_OR_RETURN(audit::VerifyReport r, c.app().trail().Verify(c.who()));
  return RecordResponse(r);
}

}  // namespace

void AddAdminRoutes(Router& r) {
  const std::string v1 = "/api/v1";
  r.Add("GET", v1 + "/users",
        {.summary = "Users in scope", .tag = "users", .permission = "user.read",
         .response_schema = "User", .paged = true,
         .query = WithPaging()},
        ListUsers);
  r.Add("POST", v1 + "/users",
        {.summary = "Create a user", .tag = "users", .permission = "user.write",
         .request_schema = "NewUser", .response_schema = "User", .success_status = 201},
        CreateUser);
  r.Add("POST", v1 + "/users/{id}/unlock",
        {.summary = "Clear a lock-out", .tag = "users", .permission = "user.write",
         .response_schema = "User"},
        UserAction<&auth::UserService::Unlock>);
  r.Add("POST", v1 + "/users/{id}/reset-totp",
        {.summary = "Remove a user's TOTP enrolment", .tag = "users",
         .permission = "user.write", .response_schema = "User"},
        UserAction<&auth::UserService::ResetTotp>);
  r.Add("POST", v1 + "/users/{id}/disable",
        {.summary = "Disable a user and end their sessions", .tag = "users",
         .permission = "user.write", .response_schema = "User"},
        UserAction<&auth::UserService::Disable>);
  r.Add("GET", v1 + "/audit/events",
        {.summary = "The audit trail of one record, or every event in scope", .tag = "audit",
         .permission = "audit.read_entity or audit.read", .response_schema = "AuditEvent",
         .paged = true,
         .query = WithPaging({{"entity_type", "string", "person, appointment, position or org"},
                              {"entity_id", "string", "the record's id"}})},
        ListEvents);
  r.Add("POST", v1 + "/audit/verify",
        {.summary = "Recompute the audit hash chain", .tag = "audit",
         .permission = "audit.verify", .response_schema = "VerifyReport"},
        Verify);
}

}  // namespace jiandu::api

namespace jiandu::api {

// "2024-10-15" or "2024-10-15T09:30:00", read as China Standard Time (UTC+8).
static Result<core::Timestamp> ParseChinaTime(const std::string& text) {
  JIANDU_ASSIGN_OR_RETURN(core::CivilDate day,
                          core::CivilDate::Parse(text.substr(0, 10), "now"));
  int h = 0, m = 0, s = 0;
  if (text.size() > 10) {
    if (text.size() != 19 || text[10] != 'T' ||
        std::sscanf(text.c_str() + 11, "%2d:%2d:%2d", &h, &m, &s) != 3 || h > 23 || m > 59 ||
        s > 59) {
      return Status::InvalidArgument("now", "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS");
    }
  }
  const int64_t seconds =
      static_cast<int64_t>(day.day_number()) * 86400 + h * 3600 + m * 60 + s - 8 * 3600;
  return core::Timestamp::FromUnixSeconds(seconds);
}

void AddTestClockRoute(Router& r, core::FakeClock* clock) {
  r.Add("POST", "/api/v1/test/clock",
        {.summary = "Set the server's clock (test servers only)", .tag = "test",
         .access = Access::kPublic, .permission = "public", .hidden = true},
        [clock](Context& c) -> Result<HttpResponse> {
          JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
          JIANDU_ASSIGN_OR_RETURN(std::string now, body.String("now"));
          JIANDU_RETURN_IF_ERROR(body.Finish());
          JIANDU_ASSIGN_OR_RETURN(core::Timestamp t, ParseChinaTime(now));
          clock->SetNowForTest(t);
          JsonWriter w;
          w.BeginObject().Field("now", t.ToRfc3339()).EndObject();
          return HttpResponse::Json(200, w.Take());
        });
}

}  // namespace jiandu::api
