#include "api/openapi.h"

namespace jiandu::api {
namespace {

// Component schemas of the request and response bodies (docs/api.md describes the same).
constexpr char kSchemas[] = R"json({
  "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
    "required": ["code", "message"], "properties": {"code": {"type": "string"},
    "message": {"type": "string"}, "field": {"type": "string"}}}}},
  "Empty": {"type": "object", "additionalProperties": false},
  "LoginRequest": {"type": "object", "additionalProperties": false,
    "required": ["username", "password"], "properties": {"username": {"type": "string"},
    "password": {"type": "string", "format": "password"}}},
  "CodeRequest": {"type": "object", "additionalProperties": false, "required": ["code"],
    "properties": {"code": {"type": "string", "pattern": "^[0-9]{6}$"}}},
  "TotpEnrollment": {"type": "object", "properties": {"secret": {"type": "string"},
    "otpauth_uri": {"type": "string"}}},
  "Session": {"type": "object", "properties": {
    "stage": {"type": "string", "enum": ["active", "totp_required", "totp_enrollment_required"]},
    "csrf_token": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"},
    "permissions": {"type": "array", "items": {"type": "string"}},
    "user": {"type": "object", "properties": {"id": {"type": "integer"},
      "username": {"type": "string"}, "display_name": {"type": "string"},
      "role": {"type": "string"}, "org": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "path": {"type": "string"}}}}}}},
  "Org": {"type": "object", "properties": {"id": {"type": "integer"},
    "code": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string",
    "enum": ["region", "peoples_congress", "standing_committee", "discipline_commission",
    "government", "government_department", "court", "procuratorate", "township",
    "party_committee", "organization_department", "other"]},
    "region_code": {"type": "string"}, "parent_id": {"type": "integer", "nullable": true},
    "path": {"type": "string"}, "depth": {"type": "integer"},
    "has_children": {"type": "boolean"}, "version": {"type": "integer"}}},
  "OrgDetail": {"allOf": [{"$ref": "#/components/schemas/Org"}, {"type": "object",
    "properties": {"ancestors": {"type": "array", "items": {"type": "object", "properties": {
    "id": {"type": "integer"}, "name": {"type": "string"}}}}}}]},
  "NewOrg": {"type": "object", "additionalProperties": false,
    "required": ["parent_id", "code", "name", "kind", "region_code"],
    "properties": {"parent_id": {"type": "integer"}, "code": {"type": "string"},
    "name": {"type": "string"}, "kind": {"type": "string"},
    "region_code": {"type": "string", "pattern": "^[0-9]{6}$"}}},
  "OrgPatch": {"type": "object", "additionalProperties": false, "properties": {
    "version": {"type": "integer"}, "name": {"type": "string"}, "kind": {"type": "string"},
    "region_code": {"type": "string"}}},
  "Person": {"type": "object", "properties": {"id": {"type": "integer"},
    "name": {"type": "string"}, "id_number": {"type": "string", "description": "masked"},
    "gender": {"type": "string", "enum": ["male", "female"]},
    "birth_date": {"type": "string", "format": "date"}, "ethnicity": {"type": "string"},
    "phone": {"type": "string", "description": "masked"}, "org_id": {"type": "integer"},
    "org_name": {"type": "string"}, "notes": {"type": "string"}, "version": {"type": "integer"},
    "created_at": {"type": "string", "format": "date-time"},
    "updated_at": {"type": "string", "format": "date-time"}}},
  "NewPerson": {"type": "object", "additionalProperties": false,
    "required": ["name", "id_number", "org_id"], "properties": {"name": {"type": "string"},
    "id_number": {"type": "string"}, "ethnicity": {"type": "string"},
    "phone": {"type": "string"}, "org_id": {"type": "integer"}, "notes": {"type": "string"}}},
  "PersonPatch": {"type": "object", "additionalProperties": false, "properties": {
    "version": {"type": "integer"}, "name": {"type": "string"},
    "ethnicity": {"type": "string"}, "phone": {"type": "string"}, "notes": {"type": "string"}}},
  "RevealRequest": {"type": "object", "additionalProperties": false, "required": ["fields"],
    "properties": {"fields": {"type": "array", "items": {"type": "string",
    "enum": ["id_number", "phone"]}}}},
  "Revealed": {"type": "object", "properties": {"id_number": {"type": "string"},
    "phone": {"type": "string"}}},
  "Position": {"type": "object", "properties": {"id": {"type": "integer"},
    "org_id": {"type": "integer"}, "org_name": {"type": "string"}, "title": {"type": "string"},
    "category": {"type": "string", "enum": ["head", "deputy_head", "quota_judge",
    "quota_prosecutor", "commission_member", "other"]},
    "active_holders": {"type": "integer"}}},
  "NewPosition": {"type": "object", "additionalProperties": false,
    "required": ["org_id", "title", "category"], "properties": {"org_id": {"type": "integer"},
    "title": {"type": "string"}, "category": {"type": "string"}}},
  "PreAppointment": {"type": "object", "additionalProperties": false, "properties": {
    "exam_score": {"type": "integer", "nullable": true},
    "exam_pass_mark": {"type": "integer", "nullable": true},
    "exam_taken_on": {"type": "string", "format": "date", "nullable": true},
    "resit_score": {"type": "integer", "nullable": true},
    "resit_taken_on": {"type": "string", "format": "date", "nullable": true},
    "exam_exemption": {"type": "string", "nullable": true,
      "enum": ["lateral_transfer", "internal_transfer", "re_appointed", null]},
    "statement_on": {"type": "string", "format": "date", "nullable": true},
    "oath_on": {"type": "string", "format": "date", "nullable": true}}},
  "Appointment": {"type": "object", "properties": {"id": {"type": "integer"},
    "person_id": {"type": "integer"}, "person_name": {"type": "string"},
    "position_id": {"type": "integer"}, "position_title": {"type": "string"},
    "org_id": {"type": "integer"}, "org_name": {"type": "string"},
    "appointing_body_id": {"type": "integer"}, "appointing_body_name": {"type": "string"},
    "decision_type": {"type": "string", "enum": ["decided", "appointed", "approved", "acting",
    "elected"]}, "meeting": {"type": "string"},
    "appointed_on": {"type": "string", "format": "date"},
    "term_end": {"type": "string", "format": "date"},
    "ended_on": {"type": "string", "format": "date", "nullable": true},
    "end_reason": {"type": "string", "nullable": true}, "end_note": {"type": "string",
    "nullable": true}, "pre_appointment": {"$ref": "#/components/schemas/PreAppointment"},
    "version": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"}}},
  "NewAppointment": {"type": "object", "additionalProperties": false,
    "required": ["person_id", "position_id", "appointing_body_id", "decision_type", "meeting",
    "appointed_on", "term_end"], "properties": {"person_id": {"type": "integer"},
    "position_id": {"type": "integer"}, "appointing_body_id": {"type": "integer"},
    "decision_type": {"type": "string"}, "meeting": {"type": "string"},
    "appointed_on": {"type": "string", "format": "date"},
    "term_end": {"type": "string", "format": "date"},
    "pre_appointment": {"$ref": "#/components/schemas/PreAppointment"}}},
  "AppointmentPatch": {"type": "object", "additionalProperties": false, "properties": {
    "version": {"type": "integer"}, "term_end": {"type": "string", "format": "date"},
    "meeting": {"type": "string"},
    "pre_appointment": {"$ref": "#/components/schemas/PreAppointment"}}},
  "EndAppointment": {"type": "object", "additionalProperties": false,
    "required": ["ended_on", "end_reason"], "properties": {"version": {"type": "integer"},
    "ended_on": {"type": "string", "format": "date"}, "end_reason": {"type": "string",
    "enum": ["removed", "resigned", "recalled", "term_expired", "dismissed"]},
    "end_note": {"type": "string"}}},
  "User": {"type": "object", "properties": {"id": {"type": "integer"},
    "username": {"type": "string"}, "display_name": {"type": "string"},
    "role": {"type": "string"}, "org_id": {"type": "integer"},
    "totp_enrolled": {"type": "boolean"},
    "locked_until": {"type": "string", "format": "date-time", "nullable": true},
    "disabled": {"type": "boolean"}}},
  "NewUser": {"type": "object", "additionalProperties": false,
    "required": ["username", "display_name", "role", "org_id", "password"],
    "properties": {"username": {"type": "string"}, "display_name": {"type": "string"},
    "role": {"type": "string", "enum": ["sys_admin", "security_admin", "audit_admin",
    "congress_officer", "discipline_officer", "department_liaison", "deputy", "analyst",
    "viewer"]}, "org_id": {"type": "integer"},
    "password": {"type": "string", "format": "password", "minLength": 10}}},
  "AuditEvent": {"type": "object", "properties": {"seq": {"type": "integer"},
    "at": {"type": "string", "format": "date-time"}, "actor": {"type": "string"},
    "actor_name": {"type": "string"}, "action": {"type": "string"},
    "entity_type": {"type": "string"}, "entity_id": {"type": "string"},
    "fields": {"type": "array", "items": {"type": "string"}}, "hash": {"type": "string"}}},
  "VerifyReport": {"type": "object", "properties": {"ok": {"type": "boolean"},
    "events_checked": {"type": "integer"},
    "first_broken_seq": {"type": "integer", "nullable": true}, "reason": {"type": "string"}}}
})json";

Json SchemaRef(const std::string& name) {
  return {{"$ref", "#/components/schemas/" + name}};
}

Json ErrorResponse(const std::string& description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", SchemaRef("Error")}}}}}};
}

Json Operation(const Route& r) {
  const RouteInfo& i = r.info;
  Json op = {{"summary", i.summary}, {"tags", Json::array({i.tag})},
             {"operationId", r.method + " " + r.pattern}};
  if (!i.permission.empty()) {
    op["x-jiandu-permission"] = i.permission;
  }
  Json params = Json::array();
  for (const std::string& seg : r.segments) {
    if (seg.size() > 2 && seg.front() == '{') {
      params.push_back({{"name", seg.substr(1, seg.size() - 2)},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "integer"}}}});
    }
  }
  for (const QueryParam& q : i.query) {
    params.push_back({{"name", q.name},
                      {"in", "query"},
                      {"required", false},
                      {"description", q.description},
                      {"schema", {{"type", q.type}}}});
  }
  if (!params.empty()) {
    op["parameters"] = params;
  }
  if (!i.request_schema.empty()) {
    op["requestBody"] = {
        {"required", true},
        {"content", {{"application/json", {{"schema", SchemaRef(i.request_schema)}}}}}};
  }
  Json ok = {{"description", "success"}};
  if (!i.response_schema.empty()) {
    Json schema = SchemaRef(i.response_schema);
    if (i.paged) {
      schema = {{"type", "object"},
                {"properties",
                 {{"items", {{"type", "array"}, {"items", schema}}},
                  {"next_cursor", {{"type", "string"}}}}}};
    }
    ok["content"] = {{"application/json", {{"schema", schema}}}};
  }
  op["responses"] = {{std::to_string(i.success_status), ok},
                     {"400", ErrorResponse("invalid input; error.field names the field")},
                     {"404", ErrorResponse("not found, or outside the caller's scope")}};
  if (i.access != Access::kPublic) {
    op["security"] = Json::array({{{"session", Json::array()}}});
    op["responses"]["401"] = ErrorResponse("not signed in, or the session expired");
    op["responses"]["403"] = ErrorResponse("the role lacks the permission, or no CSRF token");
  } else {
    op["security"] = Json::array();
  }
  return op;
}

}  // namespace

Json OpenApiDocument(const Router& router) {
  Json paths = Json::object();
  for (const Route& r : router.routes()) {
    std::string method = r.method;
    for (char& ch : method) {
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    paths[r.pattern][method] = Operation(r);
  }
  paths["/healthz"]["get"] = {{"summary", "Liveness check"},
                              {"tags", Json::array({"meta"})},
                              {"operationId", "GET /healthz"},
                              {"security", Json::array()},
                              {"responses", {{"200", {{"description", "the server is up"}}}}}};
  paths["/api/v1/openapi.json"]["get"] = {
      {"summary", "This document"},
      {"tags", Json::array({"meta"})},
      {"operationId", "GET /api/v1/openapi.json"},
      {"security", Json::array()},
      {"responses", {{"200", {{"description", "OpenAPI 3.0 document"}}}}}};
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "Jiandu API"},
            {"version", "1"},
            {"description", "Supervision of appointed officials. See docs/api.md."}}},
          {"paths", paths},
          {"components",
           {{"schemas", Json::parse(kSchemas)},
            {"securitySchemes",
             {{"session",
               {{"type", "apiKey"}, {"in", "cookie"}, {"name", kSessionCookie},
                {"description", "Writes also need the X-CSRF-Token header."}}}}}}}};
}

}  // namespace jiandu::api
