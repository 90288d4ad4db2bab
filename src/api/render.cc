#include "api/render.h"

namespace jiandu::api {
namespace {

Json OptDate(const std::optional<core::CivilDate>& d) {
  return d ? Json(d->ToString()) : Json(nullptr);
}

template <typename T>
Json Opt(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

}  // namespace

Json ToJson(const registry::Org& o) {
  return {{"id", o.id},
          {"code", o.code},
          {"name", o.name},
          {"kind", registry::Code(o.kind)},
          {"region_code", o.region_code},
          {"parent_id", Opt(o.parent_id)},
          {"path", o.path},
          {"depth", o.depth},
          {"has_children", o.has_children},
          {"version", o.version}};
}

Json ToJson(const registry::OrgWithAncestors& o) {
  Json j = ToJson(o.org);
  Json ancestors = Json::array();
  for (const registry::Org& a : o.ancestors) {
    ancestors.push_back({{"id", a.id}, {"name", a.name}});
  }
  j["ancestors"] = std::move(ancestors);
  return j;
}

Json ToJson(const registry::Person& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"id_number", p.id_number_masked},
          {"gender", p.gender},
          {"birth_date", p.birth_date.ToString()},
          {"ethnicity", p.ethnicity},
          {"phone", p.phone_masked},
          {"org_id", p.org_id},
          {"org_name", p.org_name},
          {"notes", p.notes},
          {"version", p.version},
          {"created_at", p.created_at.ToRfc3339()},
          {"updated_at", p.updated_at.ToRfc3339()}};
}

Json ToJson(const registry::Position& p) {
  return {{"id", p.id},
          {"org_id", p.org_id},
          {"org_name", p.org_name},
          {"title", p.title},
          {"category", registry::Code(p.category)},
          {"active_holders", p.active_holders}};
}

Json ToJson(const registry::Appointment& a) {
  const registry::PreAppointment& pre = a.pre;
  Json j = {{"id", a.id},
            {"person_id", a.person_id},
            {"person_name", a.person_name},
            {"position_id", a.position_id},
            {"position_title", a.position_title},
            {"org_id", a.org_id},
            {"org_name", a.org_name},
            {"appointing_body_id", a.appointing_body_id},
            {"appointing_body_name", a.appointing_body_name},
            {"decision_type", registry::Code(a.decision_type)},
            {"meeting", a.meeting},
            {"appointed_on", a.appointed_on.ToString()},
            {"term_end", a.term_end.ToString()},
            {"ended_on", OptDate(a.ended_on)},
            {"end_reason", a.end_reason ? Json(registry::Code(*a.end_reason)) : Json(nullptr)},
            {"end_note", Opt(a.end_note)},
            {"version", a.version},
            {"created_at", a.created_at.ToRfc3339()}};
  j["pre_appointment"] = {
      {"exam_score", Opt(pre.exam_score)},
      {"exam_pass_mark", Opt(pre.exam_pass_mark)},
      {"exam_taken_on", OptDate(pre.exam_taken_on)},
      {"resit_score", Opt(pre.resit_score)},
      {"resit_taken_on", OptDate(pre.resit_taken_on)},
      {"exam_exemption",
       pre.exam_exemption ? Json(registry::Code(*pre.exam_exemption)) : Json(nullptr)},
      {"statement_on", OptDate(pre.statement_on)},
      {"oath_on", OptDate(pre.oath_on)}};
  return j;
}

Json ToJson(const auth::User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", auth::RoleName(u.role)},
          {"org_id", u.org_id},
          {"totp_enrolled", u.totp_enrolled},
          {"locked_until", u.locked_until ? Json(u.locked_until->ToRfc3339()) : Json(nullptr)},
          {"disabled", u.disabled}};
}

Json ToJson(const auth::SessionInfo& s) {
  Json permissions = Json::array();
  for (auth::Permission p : auth::PermissionsOf(s.principal.role)) {
    permissions.push_back(auth::PermissionName(p));
  }
  return {{"stage", auth::SessionStageName(s.principal.stage)},
          {"csrf_token", s.csrf_token},
          {"user",
           {{"id", s.user.id},
            {"username", s.user.username},
            {"display_name", s.user.display_name},
            {"role", auth::RoleName(s.user.role)},
            {"org", {{"id", s.user.org_id}, {"path", s.user.org_path}}}}},
          {"permissions", std::move(permissions)},
          {"expires_at", s.expires_at.ToRfc3339()}};
}

Json ToJson(const registry::TrailEntry& t) {
  const audit::Event& e = t.event;
  Json fields = Json::array();
  size_t start = 0;
  while (start < e.summary.size()) {
    size_t comma = e.summary.find(',', start);
    if (comma == std::string::npos) {
      comma = e.summary.size();
    }
    fields.push_back(e.summary.substr(start, comma - start));
    start = comma + 1;
  }
  return {{"seq", e.seq},
          {"at", e.at.ToRfc3339()},
          {"actor", e.actor},
          {"actor_name", t.actor_name},
          {"action", e.action},
          {"entity_type", e.entity_type},
          {"entity_id", e.entity_id},
          {"fields", std::move(fields)},
          {"hash", e.hash}};
}

Json ToJson(const audit::VerifyReport& r) {
  return {{"ok", r.ok},
          {"events_checked", r.events_checked},
          {"first_broken_seq", Opt(r.first_broken_seq)},
          {"reason", r.reason}};
}

}  // namespace jiandu::api
