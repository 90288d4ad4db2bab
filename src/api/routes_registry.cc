// /api/v1/orgs, /people, /positions, /appointments: thin handlers over the registry services.
#include "api/render.h"
#include "api/routes.h"

namespace jiandu::api {
namespace {

Result<HttpResponse> ListOrgs(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> parent, c.QueryInt("parent_id"));
  std::optional<std::string> q = c.Query("q");
  if (q && parent) {
    return Status::InvalidArgument("q", "give either q or parent_id");
  }
  std::vector<registry::Org> orgs;
  if (q) {
    JIANDU_ASSIGN_OR_RETURN(orgs, c.app().orgs().Search(c.who(), *q));
  } else {
    JIANDU_ASSIGN_OR_RETURN(orgs, c.app().orgs().ListChildren(c.who(), parent));
  }
  return PageResponse(orgs);
}

Result<HttpResponse> GetOrg(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(registry::OrgWithAncestors o, c.app().orgs().GetOrg(c.who(), id));
  return RecordResponse(o);
}

Result<HttpResponse> CreateOrg(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  registry::NewOrg in;
  JIANDU_ASSIGN_OR_RETURN(in.parent_id, body.OptInt64("parent_id"));
  if (!in.parent_id) {
    return Status::InvalidArgument("parent_id", "is required");
  }
  JIANDU_ASSIGN_OR_RETURN(in.code, body.String("code"));
  JIANDU_ASSIGN_OR_RETURN(in.name, body.String("name"));
  JIANDU_ASSIGN_OR_RETURN(in.kind, body.String("kind"));
  JIANDU_ASSIGN_OR_RETURN(in.region_code, body.String("region_code"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(registry::Org o, c.app().orgs().CreateOrg(c.who(), in));
  return RecordResponse(o, 201);
}

Result<HttpResponse> UpdateOrg(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  registry::OrgPatch p;
  JIANDU_ASSIGN_OR_RETURN(p.version, body.OptInt64("version"));
  JIANDU_ASSIGN_OR_RETURN(p.name, body.OptString("name"));
  JIANDU_ASSIGN_OR_RETURN(p.kind, body.OptString("kind"));
  JIANDU_ASSIGN_OR_RETURN(p.region_code, body.OptString("region_code"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(registry::Org o, c.app().orgs().UpdateOrg(c.who(), id, p));
  return RecordResponse(o);
}

Result<HttpResponse> ListPeople(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(core::PageRequest page, c.Page());
  registry::PersonFilter f;
  f.name_contains = c.Query("q");
  f.id_number = c.Query("id_number");
  JIANDU_ASSIGN_OR_RETURN(f.org_id, c.QueryInt("org_id"));
  if (f.name_contains && f.name_contains->empty()) {
    f.name_contains.reset();
  }
  if (f.id_number && f.id_number->empty()) {
    f.id_number.reset();
  }
  JIANDU_ASSIGN_OR_RETURN(core::Page<registry::Person> people,
                          c.app().people().List(c.who(), f, page));
  return PageResponse(people.items, people.next_cursor);
}

Result<HttpResponse> GetPerson(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(registry::Person p, c.app().people().Get(c.who(), id));
  return RecordResponse(p);
}

Result<HttpResponse> CreatePerson(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  registry::NewPerson in;
  JIANDU_ASSIGN_OR_RETURN(in.name, body.String("name"));
  JIANDU_ASSIGN_OR_RETURN(in.id_number, body.String("id_number"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> ethnicity, body.OptString("ethnicity"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> phone, body.OptString("phone"));
  JIANDU_ASSIGN_OR_RETURN(in.org_id, body.Int("org_id"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> notes, body.OptString("notes"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  in.ethnicity = ethnicity.value_or("");
  in.phone = phone.value_or("");
  in.notes = notes.value_or("");
  JIANDU_ASSIGN_OR_RETURN(registry::Person p, c.app().people().Create(c.who(), in));
  return RecordResponse(p, 201);
}

Result<HttpResponse> UpdatePerson(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  registry::PersonPatch p;
  JIANDU_ASSIGN_OR_RETURN(p.version, body.OptInt64("version"));
  JIANDU_ASSIGN_OR_RETURN(p.name, body.OptString("name"));
  JIANDU_ASSIGN_OR_RETURN(p.ethnicity, body.OptString("ethnicity"));
  JIANDU_ASSIGN_OR_RETURN(p.phone, body.OptString("phone"));
  JIANDU_ASSIGN_OR_RETURN(p.notes, body.OptString("notes"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(registry::Person person, c.app().people().Update(c.who(), id, p));
  return RecordResponse(person);
}

Result<HttpResponse> RevealPerson(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::vector<std::string> fields, body.StringArray("fields"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(registry::RevealedFields r,
                          c.app().people().Reveal(c.who(), id, fields));
  JsonWriter w;
  w.BeginObject();
  if (r.id_number) {
    w.Field("id_number", *r.id_number);
  }
  if (r.phone) {
    w.Field("phone", *r.phone);
  }
  w.EndObject();
  return HttpResponse::Json(200, w.Take());
}

Result<HttpResponse> ListPositions(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> org, c.QueryInt("org_id"));
  if (!org) {
    return Status::InvalidArgument("org_id", "is required");
  }
  JIANDU_ASSIGN_OR_RETURN(std::vector<registry::Position> positions,
                          c.app().appointments().ListPositions(c.who(), *org));
  return PageResponse(positions);
}

Result<HttpResponse> CreatePosition(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  registry::NewPosition in;
  JIANDU_ASSIGN_OR_RETURN(in.org_id, body.Int("org_id"));
  JIANDU_ASSIGN_OR_RETURN(in.title, body.String("title"));
  JIANDU_ASSIGN_OR_RETURN(in.category, body.String("category"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(registry::Position p,
                          c.app().appointments().CreatePosition(c.who(), in));
  return RecordResponse(p, 201);
}

Result<registry::PreAppointmentInput> ReadPre(JsonReader& pre) {
  registry::PreAppointmentInput in;
  JIANDU_ASSIGN_OR_RETURN(in.exam_score, pre.OptInt("exam_score", 0, 100));
  JIANDU_ASSIGN_OR_RETURN(in.exam_pass_mark, pre.OptInt("exam_pass_mark", 1, 100));
  JIANDU_ASSIGN_OR_RETURN(in.exam_taken_on, pre.OptString("exam_taken_on"));
  JIANDU_ASSIGN_OR_RETURN(in.resit_score, pre.OptInt("resit_score", 0, 100));
  JIANDU_ASSIGN_OR_RETURN(in.resit_taken_on, pre.OptString("resit_taken_on"));
  JIANDU_ASSIGN_OR_RETURN(in.exam_exemption, pre.OptString("exam_exemption"));
  JIANDU_ASSIGN_OR_RETURN(in.statement_on, pre.OptString("statement_on"));
  JIANDU_ASSIGN_OR_RETURN(in.oath_on, pre.OptString("oath_on"));
  JIANDU_RETURN_IF_ERROR(pre.Finish());
  return in;
}

Result<HttpResponse> ListAppointments(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(core::PageRequest page, c.Page());
  registry::AppointmentFilter f;
  JIANDU_ASSIGN_OR_RETURN(f.person_id, c.QueryInt("person_id"));
  JIANDU_ASSIGN_OR_RETURN(f.org_id, c.QueryInt("org_id"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<bool> active, c.QueryBool("active"));
  f.active_only = active.value_or(false);
  JIANDU_ASSIGN_OR_RETURN(core::Page<registry::Appointment> list,
                          c.app().appointments().List(c.who(), f, page));
  return PageResponse(list.items, list.next_cursor);
}

Result<HttpResponse> GetAppointment(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(registry::Appointment a, c.app().appointments().Get(c.who(), id));
  return RecordResponse(a);
}

Result<HttpResponse> CreateAppointment(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  registry::NewAppointment in;
  JIANDU_ASSIGN_OR_RETURN(in.person_id, body.Int("person_id"));
  JIANDU_ASSIGN_OR_RETURN(in.position_id, body.Int("position_id"));
  JIANDU_ASSIGN_OR_RETURN(in.appointing_body_id, body.Int("appointing_body_id"));
  JIANDU_ASSIGN_OR_RETURN(in.decision_type, body.String("decision_type"));
  JIANDU_ASSIGN_OR_RETURN(in.meeting, body.String("meeting"));
  JIANDU_ASSIGN_OR_RETURN(in.appointed_on, body.String("appointed_on"));
  JIANDU_ASSIGN_OR_RETURN(in.term_end, body.String("term_end"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<JsonReader> pre, body.OptObject("pre_appointment"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  if (pre) {
    JIANDU_ASSIGN_OR_RETURN(in.pre, ReadPre(*pre));
  }
  JIANDU_ASSIGN_OR_RETURN(registry::Appointment a, c.app().appointments().Create(c.who(), in));
  return RecordResponse(a, 201);
}

Result<HttpResponse> UpdateAppointment(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  registry::AppointmentPatch p;
  JIANDU_ASSIGN_OR_RETURN(p.version, body.OptInt64("version"));
  JIANDU_ASSIGN_OR_RETURN(p.term_end, body.OptString("term_end"));
  JIANDU_ASSIGN_OR_RETURN(p.meeting, body.OptString("meeting"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<JsonReader> pre, body.OptObject("pre_appointment"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  if (pre) {
    JIANDU_ASSIGN_OR_RETURN(p.pre, ReadPre(*pre));
  }
  JIANDU_ASSIGN_OR_RETURN(registry::Appointment a,
                          c.app().appointments().Update(c.who(), id, p));
  return RecordResponse(a);
}

Result<HttpResponse> EndAppointment(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  registry::EndAppointment in;
  JIANDU_ASSIGN_OR_RETURN(in.version, body.OptInt64("version"));
  JIANDU_ASSIGN_OR_RETURN(in.ended_on, body.String("ended_on"));
  JIANDU_ASSIGN_OR_RETURN(in.end_reason, body.String("end_reason"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> note, body.OptString("end_note"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  in.end_note = note.value_or("");
  JIANDU_ASSIGN_OR_RETURN(registry::Appointment a, c.app().appointments().End(c.who(), id, in));
  return RecordResponse(a);
}

}  // namespace

void AddRegistryRoutes(Router& r) {
  const std::string v1 = "/api/v1";
  r.Add("GET", v1 + "/orgs",
        {.summary = "The caller's organisation, the children of one, or a name search",
         .tag = "orgs", .permission = "org.read", .response_schema = "Org", .paged = true,
         .query = {{"parent_id", "integer", "list the children of this organisation"},
                   {"q", "string", "search names within the caller's subtree"}}},
        ListOrgs);
  r.Add("POST", v1 + "/orgs",
        {.summary = "Create an organisation under a parent", .tag = "orgs",
         .permission = "org.write", .request_schema = "NewOrg", .response_schema = "Org",
         .success_status = 201},
        CreateOrg);
  r.Add("GET", v1 + "/orgs/{id}",
        {.summary = "One organisation with its ancestors in scope", .tag = "orgs",
         .permission = "org.read", .response_schema = "OrgDetail"},
        GetOrg);
  r.Add("PATCH", v1 + "/orgs/{id}",
        {.summary = "Rename or reclassify an organisation", .tag = "orgs",
         .permission = "org.write", .request_schema = "OrgPatch", .response_schema = "Org"},
        UpdateOrg);
  r.Add("GET", v1 + "/people",
        {.summary = "People in scope, newest first", .tag = "people",
         .permission = "person.read", .response_schema = "Person", .paged = true,
         .query = WithPaging({{"q", "string", "name contains (1 or more characters)"},
                         {"id_number", "string", "exact 身份证 number, any accepted spelling"},
                         {"org_id", "integer", "kept by this organisation or below"}})},
        ListPeople);
  r.Add("POST", v1 + "/people",
        {.summary = "Register a person", .tag = "people", .permission = "person.write",
         .request_schema = "NewPerson", .response_schema = "Person", .success_status = 201},
        CreatePerson);
  r.Add("GET", v1 + "/people/{id}",
        {.summary = "One person (masked)", .tag = "people", .permission = "person.read",
         .response_schema = "Person"},
        GetPerson);
  r.Add("PATCH", v1 + "/people/{id}",
        {.summary = "Update a person", .tag = "people", .permission = "person.write",
         .request_schema = "PersonPatch", .response_schema = "Person"},
        UpdatePerson);
  r.Add("POST", v1 + "/people/{id}/reveal",
        {.summary = "Reveal the ID number or phone (audited)", .tag = "people",
         .permission = "person.reveal", .request_schema = "RevealRequest",
         .response_schema = "Revealed"},
        RevealPerson);
  r.Add("GET", v1 + "/positions",
        {.summary = "Positions of an organisation", .tag = "appointments",
         .permission = "appointment.read", .response_schema = "Position", .paged = true,
         .query = {{"org_id", "integer", "the organisation (required)"}}},
        ListPositions);
  r.Add("POST", v1 + "/positions",
        {.summary = "Create a position", .tag = "appointments",
         .permission = "appointment.write", .request_schema = "NewPosition",
         .response_schema = "Position", .success_status = 201},
        CreatePosition);
  r.Add("GET", v1 + "/appointments",
        {.summary = "Appointments in scope, newest first", .tag = "appointments",
         .permission = "appointment.read", .response_schema = "Appointment", .paged = true,
         .query = WithPaging({{"person_id", "integer", "of one person"},
                         {"org_id", "integer", "positions in this organisation or below"},
                         {"active", "boolean", "only appointments not ended"}})},
        ListAppointments);
  r.Add("POST", v1 + "/appointments",
        {.summary = "Appoint a person to a position", .tag = "appointments",
         .permission = "appointment.write", .request_schema = "NewAppointment",
         .response_schema = "Appointment", .success_status = 201},
        CreateAppointment);
  r.Add("GET", v1 + "/appointments/{id}",
        {.summary = "One appointment", .tag = "appointments", .permission = "appointment.read",
         .response_schema = "Appointment"},
        GetAppointment);
  r.Add("PATCH", v1 + "/appointments/{id}",
        {.summary = "Update term end, meeting or the pre-appointment record",
         .tag = "appointments", .permission = "appointment.write",
         .request_schema = "AppointmentPatch", .response_schema = "Appointment"},
        UpdateAppointment);
  r.Add("POST", v1 + "/appointments/{id}/end",
        {.summary = "End an appointment (免职, 辞职, 罢免, 任期届满, 撤职)", .tag = "appointments",
         .permission = "appointment.write", .request_schema = "EndAppointment",
         .response_schema = "Appointment"},
        EndAppointment);
}

}  // namespace jiandu::api
