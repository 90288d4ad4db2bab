#include "registry/appointment_service.h"

#include "registry/internal/appointment_rules.h"
#include "registry/org_service.h"
#include "registry/person_service.h"
#include "registry/validate.h"

namespace jiandu::registry {
namespace {

using internal::CheckPreAppointment;
using internal::ParseOptionalPastDate;

constexpr char kAppointmentSelect[] =
    "SELECT a.id, a.person_id, p.name, a.position_id, pos.title, a.org_id, o.name, a.org_path, "
    "a.appointing_body_id, b.name, a.decision_type, a.meeting, a.appointed_on, a.term_end, "
    "a.ended_on, a.end_reason, a.end_note, a.exam_score, a.exam_pass_mark, a.exam_taken_on, "
    "a.resit_score, a.resit_taken_on, a.exam_exemption, a.statement_on, a.oath_on, a.version, "
    "a.created_at, b.path FROM appointment a JOIN person p ON p.id = a.person_id "
    "JOIN position pos ON pos.id = a.position_id JOIN org o ON o.id = a.org_id "
    "JOIN org b ON b.id = a.appointing_body_id ";

template <typename R>
std::optional<core::CivilDate> OptDate(const R& r, size_t i) {
  if (r.IsNull(i)) {
    return std::nullopt;
  }
  return core::CivilDate::Parse(r.Text(i)).value_or(core::CivilDate());
}

template <typename R>
std::optional<int> OptScore(const R& r, size_t i) {
  return r.IsNull(i) ? std::nullopt : std::optional<int>(static_cast<int>(r.Int(i)));
}

struct Loaded {
  Appointment appointment;
  std::string body_path;
};

// From a copied Row or a RowView read in place (lists use the latter: no copy per cell).
template <typename R>
Loaded AppointmentFromRow(const R& r) {
  Appointment a;
  a.id = r.Int(0);
  a.person_id = r.Int(1);
  a.person_name = r.Text(2);
  a.position_id = r.Int(3);
  a.position_title = r.Text(4);
  a.org_id = r.Int(5);
  a.org_name = r.Text(6);
  a.org_path = r.Text(7);
  a.appointing_body_id = r.Int(8);
  a.appointing_body_name = r.Text(9);
  a.decision_type = ParseDecisionType(r.Text(10)).value_or(DecisionType::kAppointed);
  a.meeting = r.Text(11);
  a.appointed_on = OptDate(r, 12).value_or(core::CivilDate());
  a.term_end = OptDate(r, 13).value_or(core::CivilDate());
  a.ended_on = OptDate(r, 14);
  if (!r.IsNull(15)) {
    a.end_reason = ParseEndReason(r.Text(15));
  }
  if (!r.IsNull(16)) {
    a.end_note = std::string(r.Text(16));
  }
  a.pre.exam_score = OptScore(r, 17);
  a.pre.exam_pass_mark = OptScore(r, 18);
  a.pre.exam_taken_on = OptDate(r, 19);
  a.pre.resit_score = OptScore(r, 20);
  a.pre.resit_taken_on = OptDate(r, 21);
  if (!r.IsNull(22)) {
    a.pre.exam_exemption = ParseExamExemption(r.Text(22));
  }
  a.pre.statement_on = OptDate(r, 23);
  a.pre.oath_on = OptDate(r, 24);
  a.version = r.Int(25);
  a.created_at = core::Timestamp::FromUnixMicros(r.Int(26));
  return Loaded{std::move(a), std::string(r.Text(27))};
}

store::Value DateValue(const std::optional<core::CivilDate>& d) {
  return d ? store::Value(d->ToString()) : store::Value();
}

// The pre-appointment columns, in the order of the INSERT and UPDATE statements below.
std::vector<store::Value> PreValues(const PreAppointment& pre) {
  return {pre.exam_score ? store::Value(*pre.exam_score) : store::Value(),
          pre.exam_pass_mark ? store::Value(*pre.exam_pass_mark) : store::Value(),
          DateValue(pre.exam_taken_on),
          pre.resit_score ? store::Value(*pre.resit_score) : store::Value(),
          DateValue(pre.resit_taken_on),
          pre.exam_exemption ? store::Value(std::string(Code(*pre.exam_exemption)))
                             : store::Value(),
          DateValue(pre.statement_on),
          DateValue(pre.oath_on)};
}

std::string PreSummary(const PreAppointment& pre) {
  std::string s;
  for (const store::Value& v : PreValues(pre)) {
    s += v.AsText();
    s += '|';
  }
  return s;
}

Result<core::CivilDate> ParseTermEnd(const std::string& text, core::CivilDate appointed_on) {
  JIANDU_ASSIGN_OR_RETURN(core::CivilDate end, core::CivilDate::Parse(text, "term_end"));
  if (end <= appointed_on) {
    return Status::InvalidArgument("term_end", "must be after appointed_on");
  }
  return end;
}

}  // namespace

Result<Position> AppointmentService::CreatePosition(const auth::Principal& who,
                                                    const NewPosition& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kAppointmentWrite));
  JIANDU_ASSIGN_OR_RETURN(std::string title, CheckText(in.title, "title", 50, true));
  std::optional<PositionCategory> category = ParsePositionCategory(in.category);
  if (!category) {
    return Status::InvalidArgument("category", "unknown position category");
  }
  return store::RunInTransaction<Position>(store_, store::TxMode::kReadWrite, [&](store::Tx& tx)
                                                                                  -> Result<Position> {
    JIANDU_ASSIGN_OR_RETURN(std::optional<Org> org, OrgService::Load(tx, in.org_id));
    JIANDU_RETURN_IF_ERROR(auth::AuthorizeReference(who, auth::Permission::kAppointmentWrite,
                                                    org ? &org->path : nullptr, "org_id",
                                                    "organisation"));
    JIANDU_ASSIGN_OR_RETURN(std::optional<store::Row> dup,
                            tx.QueryOne("SELECT id FROM position WHERE org_id = ? AND title = ?",
                                        {in.org_id, title}));
    if (dup) {
      return Status::Conflict("the organisation already has a position with this title", "title");
    }
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("INSERT INTO position (org_id, title, category, created_at) VALUES "
                    "(?, ?, ?, ?) RETURNING id",
                    {in.org_id, title, std::string(Code(*category)), clock_.Now().unix_micros()}));
    audit::EventInput ev{.actor = who.AuditActor(), .action = "position.create",
                         .entity_type = "position", .entity_id = row->Text(0),
                         .org_path = org->path};
    ev.change.Created("org_id", std::to_string(in.org_id));
    ev.change.Created("title", title);
    ev.change.Created("category", Code(*category));
    JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
    return Position{row->Int(0), org->id, org->name, org->path, title, *category, 0};
  });
}

Result<std::vector<Position>> AppointmentService::ListPositions(const auth::Principal& who,
                                                                int64_t org_id) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kAppointmentRead));
  return store::RunInTransaction<std::vector<Position>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<std::vector<Position>> {
        JIANDU_ASSIGN_OR_RETURN(std::optional<Org> org, OrgService::Load(tx, org_id));
        if (!org) {
          return Status::NotFound(auth::kNoSuchRecord);
        }
        JIANDU_RETURN_IF_ERROR(auth::Authorize(who, auth::Permission::kAppointmentRead,
                                               auth::Resource::InOrg(org->path)));
        JIANDU_ASSIGN_OR_RETURN(
            store::Rows rows,
            tx.Query("SELECT pos.id, pos.title, pos.category, (SELECT COUNT(*) FROM appointment a "
                     "WHERE a.position_id = pos.id AND a.ended_on IS NULL) FROM position pos "
                     "WHERE pos.org_id = ? ORDER BY pos.id",
                     {org_id}));
        std::vector<Position> out;
        for (const store::Row& r : rows) {
          out.push_back(Position{r.Int(0), org->id, org->name, org->path, r.Text(1),
                                 ParsePositionCategory(r.Text(2)).value_or(PositionCategory::kOther),
                                 static_cast<int>(r.Int(3))});
        }
        return out;
      });
}

Result<Appointment> AppointmentService::LoadVisible(store::Tx& tx, const auth::Principal& who,
                                                    int64_t id, auth::Permission action) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, action));
  JIANDU_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne(std::string(kAppointmentSelect) + "WHERE a.id = ?", {id}));
  if (!row) {
    return Status::NotFound(auth::kNoSuchRecord);
  }
  Loaded l = AppointmentFromRow(*row);
  // 谁任命、谁监督: the appointing body's officers see the appointment as well as the unit's.
  JIANDU_RETURN_IF_ERROR(auth::Authorize(
      who, action, auth::Resource::InOrgs({l.appointment.org_path, l.body_path})));
  return l.appointment;
}

Result<Appointment> AppointmentService::Create(const auth::Principal& who,
                                               const NewAppointment& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kAppointmentWrite));
  const core::CivilDate today = clock_.Today();
  std::optional<DecisionType> decision = ParseDecisionType(in.decision_type);
  if (!decision) {
    return Status::InvalidArgument("decision_type",
                                   "must be decided, appointed, approved, acting or elected");
  }
  JIANDU_ASSIGN_OR_RETURN(std::string meeting, CheckText(in.meeting, "meeting", 100, true));
  JIANDU_ASSIGN_OR_RETURN(core::CivilDate appointed_on,
                          core::CivilDate::Parse(in.appointed_on, "appointed_on"));
  if (appointed_on > today) {
    return Status::InvalidArgument("appointed_on", "must not be in the future");
  }
  JIANDU_ASSIGN_OR_RETURN(core::CivilDate term_end, ParseTermEnd(in.term_end, appointed_on));
  JIANDU_ASSIGN_OR_RETURN(PreAppointment pre, CheckPreAppointment(in.pre, appointed_on, today));

  return store::RunInTransaction<Appointment>(store_, store::TxMode::kReadWrite, [&](store::Tx& tx)
                                                                                     -> Result<Appointment> {
    if (!PersonService::LoadVisible(tx, who, in.person_id, auth::Permission::kPersonRead).ok()) {
      return Status::InvalidArgument("person_id", "no such person in your scope");
    }
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> pos,
        tx.QueryOne("SELECT pos.org_id, o.path, pos.category FROM position pos "
                    "JOIN org o ON o.id = pos.org_id WHERE pos.id = ?",
                    {in.position_id}));
    const std::string pos_path = pos ? pos->Text(1) : "";
    JIANDU_RETURN_IF_ERROR(auth::AuthorizeReference(who, auth::Permission::kAppointmentWrite,
                                                    pos ? &pos_path : nullptr, "position_id",
                                                    "position"));
    JIANDU_ASSIGN_OR_RETURN(std::optional<Org> body, OrgService::Load(tx, in.appointing_body_id));
    JIANDU_RETURN_IF_ERROR(auth::AuthorizeReference(who, auth::Permission::kAppointmentWrite,
                                                    body ? &body->path : nullptr,
                                                    "appointing_body_id", "organisation"));
    // The standing committee appoints; the congress itself elects (the committee's members).
    const bool elected = *decision == DecisionType::kElected;
    if (body->kind != (elected ? OrgKind::kPeoplesCongress : OrgKind::kStandingCommittee)) {
      return Status::InvalidArgument(
          "appointing_body_id", elected ? "an election is made by a people's congress"
                                        : "must be a people's congress standing committee");
    }
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> held,
        tx.QueryOne("SELECT COUNT(*), SUM(CASE WHEN person_id = ? THEN 1 ELSE 0 END) "
                    "FROM appointment WHERE position_id = ? AND ended_on IS NULL",
                    {in.person_id, in.position_id}));
    if (held->Int(1) > 0) {
      return Status::Conflict("the person already holds this position", "person_id");
    }
    if (ParsePositionCategory(pos->Text(2)) == PositionCategory::kHead && held->Int(0) > 0) {
      return Status::Conflict("the position already has an active holder; end that appointment "
                              "first",
                              "position_id");
    }
    const int64_t now = clock_.Now().unix_micros();
    std::vector<store::Value> values{in.person_id, in.position_id, pos->Int(0), pos->Text(1),
                                     in.appointing_body_id, std::string(Code(*decision)), meeting,
                                     appointed_on.ToString(), term_end.ToString()};
    for (store::Value& v : PreValues(pre)) {
      values.push_back(std::move(v));
    }
    values.insert(values.end(), {now, now});
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne(std::string("INSERT INTO appointment (person_id, position_id, org_id, "
                                "org_path, appointing_body_id, decision_type, meeting, "
                                "appointed_on, term_end, exam_score, exam_pass_mark, "
                                "exam_taken_on, resit_score, resit_taken_on, exam_exemption, "
                                "statement_on, oath_on, version, created_at, updated_at) VALUES "
                                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) "
                                "RETURNING id"),
                    values));
    const int64_t id = row->Int(0);
    audit::EventInput ev{.actor = who.AuditActor(), .action = "appointment.create",
                         .entity_type = "appointment", .entity_id = std::to_string(id),
                         .org_path = pos->Text(1)};
    ev.change.Created("person_id", std::to_string(in.person_id));
    ev.change.Created("position_id", std::to_string(in.position_id));
    ev.change.Created("appointing_body_id", std::to_string(in.appointing_body_id));
    ev.change.Created("decision_type", Code(*decision));
    ev.change.Created("meeting", meeting);
    ev.change.Created("appointed_on", appointed_on.ToString());
    ev.change.Created("term_end", term_end.ToString());
    ev.change.Created("pre_appointment", PreSummary(pre));
    JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
    // Record the appointment on the person's trail too, so the person's history shows it.
    audit::EventInput person_ev{.actor = who.AuditActor(), .action = "person.appointed",
                                .entity_type = "person", .entity_id = std::to_string(in.person_id),
                                .org_path = pos->Text(1)};
    person_ev.change.Created("appointment_id", std::to_string(id));
    JIANDU_RETURN_IF_ERROR(audit_.Append(tx, person_ev));
    return LoadVisible(tx, auth::Principal::System(), id, auth::Permission::kAppointmentRead);
  });
}

Result<Appointment> AppointmentService::Get(const auth::Principal& who, int64_t id) {
  return store::RunInTransaction<Appointment>(store_, store::TxMode::kReadOnly,
                                              [&](store::Tx& tx) {
    return LoadVisible(tx, who, id, auth::Permission::kAppointmentRead);
  });
}

Result<Appointment> AppointmentService::Update(const auth::Principal& who, int64_t id,
                                               const AppointmentPatch& patch) {
  const core::CivilDate today = clock_.Today();
  std::optional<std::string> meeting;
  if (patch.meeting) {
    JIANDU_ASSIGN_OR_RETURN(meeting, CheckText(*patch.meeting, "meeting", 100, true));
  }
  return store::RunInTransaction<Appointment>(store_, store::TxMode::kReadWrite, [&](store::Tx& tx)
                                                                                     -> Result<Appointment> {
    JIANDU_ASSIGN_OR_RETURN(Appointment before,
                            LoadVisible(tx, who, id, auth::Permission::kAppointmentWrite));
    if (patch.version && *patch.version != before.version) {
      return Status::Conflict("the appointment was changed by someone else; reload it",
                              "version");
    }
    if (before.ended_on) {
      return Status::FailedPrecondition("the appointment has ended and can no longer be changed");
    }
    core::CivilDate term_end = before.term_end;
    if (patch.term_end) {
      JIANDU_ASSIGN_OR_RETURN(term_end, ParseTermEnd(*patch.term_end, before.appointed_on));
    }
    PreAppointment pre = before.pre;
    if (patch.pre) {
      JIANDU_ASSIGN_OR_RETURN(pre, CheckPreAppointment(*patch.pre, before.appointed_on, today));
    }
    audit::EventInput ev{.actor = who.AuditActor(), .action = "appointment.update",
                         .entity_type = "appointment", .entity_id = std::to_string(id),
                         .org_path = before.org_path};
    ev.change.Set("term_end", before.term_end.ToString(), term_end.ToString());
    ev.change.Set("meeting", before.meeting, meeting.value_or(before.meeting));
    ev.change.Set("pre_appointment", PreSummary(before.pre), PreSummary(pre));
    if (ev.change.empty()) {
      return before;
    }
    std::vector<store::Value> values{term_end.ToString(), meeting.value_or(before.meeting)};
    for (store::Value& v : PreValues(pre)) {
      values.push_back(std::move(v));
    }
    values.insert(values.end(), {clock_.Now().unix_micros(), id});
    JIANDU_RETURN_IF_ERROR(tx.Exec(
        "UPDATE appointment SET term_end = ?, meeting = ?, exam_score = ?, exam_pass_mark = ?, "
        "exam_taken_on = ?, resit_score = ?, resit_taken_on = ?, exam_exemption = ?, "
        "statement_on = ?, oath_on = ?, version = version + 1, updated_at = ? WHERE id = ?",
        values));
    JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
    return LoadVisible(tx, who, id, auth::Permission::kAppointmentRead);
  });
}

Result<Appointment> AppointmentService::End(const auth::Principal& who, int64_t id,
                                            const EndAppointment& in) {
  return store::RunInTransaction<Appointment>(
      store_, store::TxMode::kReadWrite,
      [&](store::Tx& tx) -> Result<Appointment> { return EndInTx(tx, who, id, in); });
}

Result<Appointment> AppointmentService::EndInTx(store::Tx& tx, const auth::Principal& who,
                                                int64_t id, const EndAppointment& in) const {
  const core::CivilDate today = clock_.Today();
  std::optional<EndReason> reason = ParseEndReason(in.end_reason);
  if (!reason) {
    return Status::InvalidArgument(
        "end_reason", "must be removed, resigned, recalled, term_expired or dismissed");
  }
  JIANDU_ASSIGN_OR_RETURN(std::optional<core::CivilDate> ended_on,
                          ParseOptionalPastDate(in.ended_on, "ended_on", today));
  if (!ended_on) {
    return Status::InvalidArgument("ended_on", "is required");
  }
  JIANDU_ASSIGN_OR_RETURN(std::string note, CheckText(in.end_note, "end_note", 500, false, true));
  JIANDU_ASSIGN_OR_RETURN(Appointment before,
                          LoadVisible(tx, who, id, auth::Permission::kAppointmentWrite));
  if (in.version && *in.version != before.version) {
    return Status::Conflict("the appointment was changed by someone else; reload it", "version");
  }
  if (before.ended_on) {
    return Status::FailedPrecondition("the appointment has already ended");
  }
  if (*ended_on < before.appointed_on) {
    return Status::InvalidArgument("ended_on", "must not be before appointed_on");
  }
  JIANDU_RETURN_IF_ERROR(tx.Exec(
      "UPDATE appointment SET ended_on = ?, end_reason = ?, end_note = ?, "
      "version = version + 1, updated_at = ? WHERE id = ?",
      {ended_on->ToString(), std::string(Code(*reason)), note, clock_.Now().unix_micros(), id}));
  audit::EventInput ev{.actor = who.AuditActor(), .action = "appointment.end",
                       .entity_type = "appointment", .entity_id = std::to_string(id),
                       .org_path = before.org_path};
  ev.change.Created("ended_on", ended_on->ToString());
  ev.change.Created("end_reason", Code(*reason));
  ev.change.Created("end_note", note);
  JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
  return LoadVisible(tx, who, id, auth::Permission::kAppointmentRead);
}

Result<core::Page<Appointment>> AppointmentService::List(const auth::Principal& who,
                                                         const AppointmentFilter& f,
                                                         const core::PageRequest& page) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kAppointmentRead));
  return store::RunInTransaction<core::Page<Appointment>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<core::Page<Appointment>> {
        const std::string scope = who.system ? "/" : who.org_path;
        std::string sql = std::string(kAppointmentSelect) + "WHERE (" +
                          store::StartsWith("a.org_path") + " OR " +
                          store::StartsWith("b.path") + ")";
        std::vector<store::Value> params;
        store::AppendStartsWith(params, scope);
        store::AppendStartsWith(params, scope);
        if (f.person_id) {
          // The filter names a record: one the caller may not see answers like a missing one.
          JIANDU_RETURN_IF_ERROR(
              PersonService::LoadVisible(tx, who, *f.person_id, auth::Permission::kPersonRead)
                  .status());
          sql += " AND a.person_id = ?";
          params.emplace_back(*f.person_id);
        }
        if (f.org_id) {
          JIANDU_ASSIGN_OR_RETURN(std::optional<Org> org, OrgService::Load(tx, *f.org_id));
          if (!org) {
            return Status::NotFound(auth::kNoSuchRecord);
          }
          JIANDU_RETURN_IF_ERROR(auth::Authorize(who, auth::Permission::kAppointmentRead,
                                                 auth::Resource::InOrg(org->path)));
          sql += " AND " + store::StartsWith("a.org_path");
          store::AppendStartsWith(params, org->path);
        }
        if (f.active_only) {
          sql += " AND a.ended_on IS NULL";
        }
        if (page.after) {
          sql += " AND a.id < ?";
          params.emplace_back(*page.after);
        }
        sql += " ORDER BY a.id DESC LIMIT ?";
        params.emplace_back(page.limit + 1);
        std::vector<Appointment> out;
        out.reserve(page.limit + 1);
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(sql, params, [&](const store::RowView& r) {
          out.push_back(AppointmentFromRow(r).appointment);
          return Status::Ok();
        }));
        return core::MakePage(std::move(out), page, [](const Appointment& a) { return a.id; });
      });
}

}  // namespace jiandu::registry
