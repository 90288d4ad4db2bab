#include "api/render.h"

namespace jiandu::api {
namespace {

void Date(JsonWriter& w, std::string_view key, const std::optional<core::CivilDate>& d) {
  if (d) {
    w.Field(key, d->ToString());
  } else {
    w.Key(key).Null();
  }
}

template <typename E>
void Code(JsonWriter& w, std::string_view key, const std::optional<E>& v) {
  if (v) {
    w.Field(key, registry::Code(*v));
  } else {
    w.Key(key).Null();
  }
}

}  // namespace

namespace {

// The fields of an organisation, inside an object the caller opened.
void OrgFields(JsonWriter& w, const registry::Org& o) {
  w.Field("id", o.id)
      .Field("code", o.code)
      .Field("name", o.name)
      .Field("kind", registry::Code(o.kind))
      .Field("region_code", o.region_code)
      .Field("parent_id", o.parent_id)
      .Field("path", o.path)
      .Field("depth", o.depth)
      .Field("has_children", o.has_children)
      .Field("version", o.version);
}

}  // namespace

void Write(JsonWriter& w, const registry::Org& o) {
  w.BeginObject();
  OrgFields(w, o);
  w.EndObject();
}

void Write(JsonWriter& w, const registry::OrgWithAncestors& o) {
  w.BeginObject();
  OrgFields(w, o.org);
  w.Key("ancestors").BeginArray();
  for (const registry::Org& a : o.ancestors) {
    w.BeginObject().Field("id", a.id).Field("name", a.name).EndObject();
  }
  w.EndArray().EndObject();
}

void Write(JsonWriter& w, const registry::Person& p) {
  w.BeginObject()
      .Field("id", p.id)
      .Field("name", p.name)
      .Field("id_number", p.id_number_masked)
      .Field("gender", p.gender)
      .Field("birth_date", p.birth_date.ToString())
      .Field("ethnicity", p.ethnicity)
      .Field("phone", p.phone_masked)
      .Field("org_id", p.org_id)
      .Field("org_name", p.org_name)
      .Field("notes", p.notes)
      .Field("version", p.version)
      .Field("created_at", p.created_at.ToRfc3339())
      .Field("updated_at", p.updated_at.ToRfc3339())
      .EndObject();
}

void Write(JsonWriter& w, const registry::Position& p) {
  w.BeginObject()
      .Field("id", p.id)
      .Field("org_id", p.org_id)
      .Field("org_name", p.org_name)
      .Field("title", p.title)
      .Field("category", registry::Code(p.category))
      .Field("active_holders", p.active_holders)
      .EndObject();
}

void Write(JsonWriter& w, const registry::Appointment& a) {
  const registry::PreAppointment& pre = a.pre;
  w.BeginObject()
      .Field("id", a.id)
      .Field("person_id", a.person_id)
      .Field("person_name", a.person_name)
      .Field("position_id", a.position_id)
      .Field("position_title", a.position_title)
      .Field("org_id", a.org_id)
      .Field("org_name", a.org_name)
      .Field("appointing_body_id", a.appointing_body_id)
      .Field("appointing_body_name", a.appointing_body_name)
      .Field("decision_type", registry::Code(a.decision_type))
      .Field("meeting", a.meeting)
      .Field("appointed_on", a.appointed_on.ToString())
      .Field("term_end", a.term_end.ToString());
  Date(w, "ended_on", a.ended_on);
  Code(w, "end_reason", a.end_reason);
  w.Field("end_note", a.end_note)
      .Field("version", a.version)
      .Field("created_at", a.created_at.ToRfc3339())
      .Key("pre_appointment")
      .BeginObject()
      .Field("exam_score", pre.exam_score)
      .Field("exam_pass_mark", pre.exam_pass_mark);
  Date(w, "exam_taken_on", pre.exam_taken_on);
  w.Field("resit_score", pre.resit_score);
  Date(w, "resit_taken_on", pre.resit_taken_on);
  Code(w, "exam_exemption", pre.exam_exemption);
  Date(w, "statement_on", pre.statement_on);
  Date(w, "oath_on", pre.oath_on);
  w.EndObject().EndObject();
}

void Write(JsonWriter& w, const auth::User& u) {
  w.BeginObject()
      .Field("id", u.id)
      .Field("username", u.username)
      .Field("display_name", u.display_name)
      .Field("role", auth::RoleName(u.role))
      .Field("org_id", u.org_id)
      .Field("person_id", u.person_id)
      .Field("totp_enrolled", u.totp_enrolled);
  if (u.locked_until) {
    w.Field("locked_until", u.locked_until->ToRfc3339());
  } else {
    w.Key("locked_until").Null();
  }
  w.Field("disabled", u.disabled).EndObject();
}

void Write(JsonWriter& w, const auth::SessionInfo& s, std::string_view org_name) {
  w.BeginObject()
      .Field("stage", auth::SessionStageName(s.principal.stage))
      .Field("csrf_token", s.csrf_token)
      .Key("user")
      .BeginObject()
      .Field("id", s.user.id)
      .Field("username", s.user.username)
      .Field("display_name", s.user.display_name)
      .Field("role", auth::RoleName(s.user.role))
      .Field("person_id", s.user.person_id)
      .Key("org")
      .BeginObject()
      .Field("id", s.user.org_id)
      .Field("name", org_name)
      .Field("path", s.user.org_path)
      .EndObject()
      .EndObject()
      .Key("permissions")
      .BeginArray();
  for (auth::Permission p : auth::PermissionsOf(s.principal.role)) {
    w.String(auth::PermissionName(p));
  }
  w.EndArray().Field("expires_at", s.expires_at.ToRfc3339()).EndObject();
}

void Write(JsonWriter& w, const registry::TrailEntry& t) {
  const audit::Event& e = t.event;
  w.BeginObject()
      .Field("seq", e.seq)
      .Field("at", e.at.ToRfc3339())
      .Field("actor", e.actor)
      .Field("actor_name", t.actor_name)
      .Field("action", e.action)
      .Field("entity_type", e.entity_type)
      .Field("entity_id", e.entity_id)
      .Key("fields")
      .BeginArray();
  for (size_t start = 0; start < e.summary.size();) {
    size_t comma = e.summary.find(',', start);
    if (comma == std::string::npos) {
      comma = e.summary.size();
    }
    w.String(std::string_view(e.summary).substr(start, comma - start));
    start = comma + 1;
  }
  w.EndArray().Field("hash", e.hash).EndObject();
}

void Write(JsonWriter& w, const audit::VerifyReport& r) {
  w.BeginObject()
      .Field("ok", r.ok)
      .Field("events_checked", r.events_checked)
      .Field("first_broken_seq", r.first_broken_seq)
      .Field("reason", r.reason)
      .EndObject();
}

}  // namespace jiandu::api
