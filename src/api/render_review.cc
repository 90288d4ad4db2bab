// JSON renderings of the review, rectification and notification records (docs/api.md).
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

void GradeField(JsonWriter& w, std::string_view key, const std::optional<review::Grade>& g) {
  if (g) {
    w.Field(key, review::GradeCode(*g));
  } else {
    w.Key(key).Null();
  }
}

void Counts(JsonWriter& w, const review::TallyCounts& t) {
  w.Field("members_total", t.members_total)
      .Field("present", t.present)
      .Field("satisfied", t.satisfied)
      .Field("basically_satisfied", t.basically_satisfied)
      .Field("dissatisfied", t.dissatisfied)
      .Field("abstain", t.abstain)
      .Field("invalid", t.invalid);
}

void Rate(JsonWriter& w, int64_t num, int64_t den) {
  w.Key("satisfaction_rate").BeginObject().Field("num", num).Field("den", den).EndObject();
}

template <typename T>
void Array(JsonWriter& w, std::string_view key, const std::vector<T>& items) {
  w.Key(key).BeginArray();
  for (const T& item : items) {
    Write(w, item);
  }
  w.EndArray();
}

void Ids(JsonWriter& w, std::string_view key, const std::vector<int64_t>& ids) {
  w.Key(key).BeginArray();
  for (int64_t id : ids) {
    w.Int(id);
  }
  w.EndArray();
}

}  // namespace

void Write(JsonWriter& w, const notify::Notification& n) {
  w.BeginObject()
      .Field("id", n.id)
      .Field("kind", n.kind)
      .Field("title", n.title)
      .Field("body", n.body)
      .Field("entity_type", n.entity_type)
      .Field("entity_id", n.entity_id)
      .Field("created_at", n.created_at.ToRfc3339());
  if (n.read_at) {
    w.Field("read_at", n.read_at->ToRfc3339());
  } else {
    w.Key("read_at").Null();
  }
  w.EndObject();
}

void Write(JsonWriter& w, const rectify::Finding& f) {
  w.BeginObject()
      .Field("id", f.id)
      .Field("source_kind", rectify::Code(f.source_kind))
      .Field("source_ref", f.source_ref)
      .Field("title", f.title)
      .Field("detail", f.detail)
      .Field("severity", rectify::Code(f.severity))
      .Field("responsible_org_id", f.responsible_org_id)
      .Field("responsible_org_name", f.responsible_org_name)
      .Field("responsible_person_id", f.responsible_person_id)
      .Field("responsible_person_name", f.responsible_person_name)
      .Field("supervising_org_id", f.supervising_org_id)
      .Field("supervising_org_name", f.supervising_org_name)
      .Key("deadline")
      .BeginObject()
      .Field("unit", rectify::Code(f.deadline.unit))
      .Field("amount", f.deadline.amount)
      .EndObject()
      .Field("opened_on", f.opened_on.ToString())
      .Field("due_on", f.due_on.ToString())
      .Field("state", rectify::Code(f.state))
      .Field("round", f.round);
  if (f.verdict) {
    w.Field("verdict", rectify::Code(*f.verdict));
  } else {
    w.Key("verdict").Null();
  }
  Date(w, "verified_on", f.verified_on);
  Date(w, "escalated_on", f.escalated_on);
  w.Field("version", f.version)
      .Field("created_at", f.created_at.ToRfc3339())
      .Field("updated_at", f.updated_at.ToRfc3339())
      .EndObject();
}

void Write(JsonWriter& w, const rectify::EvidenceFile& e) {
  w.BeginObject()
      .Field("id", e.id)
      .Field("name", e.name)
      .Field("content_type", e.content_type)
      .Field("sha256", e.sha256)
      .Field("size", e.size)
      .EndObject();
}

void Write(JsonWriter& w, const rectify::FindingReport& r) {
  w.BeginObject()
      .Field("id", r.id)
      .Field("finding_id", r.finding_id)
      .Field("round", r.round)
      .Field("kind", rectify::Code(r.kind))
      .Field("body", r.body)
      .Field("reported_on", r.reported_on.ToString())
      .Field("reporter", r.reporter);
  Array(w, "evidence", r.evidence);
  w.Field("created_at", r.created_at.ToRfc3339()).EndObject();
}

void Write(JsonWriter& w, const rectify::Verification& v) {
  w.BeginObject()
      .Field("id", v.id)
      .Field("round", v.round)
      .Field("verdict", rectify::Code(v.verdict))
      .Field("note", v.note)
      .Field("verified_on", v.verified_on.ToString());
  Date(w, "new_due_on", v.new_due_on);
  w.EndObject();
}

void Write(JsonWriter& w, const rectify::AccountabilityRecord& a) {
  w.BeginObject()
      .Field("id", a.id)
      .Field("person_id", a.person_id)
      .Field("person_name", a.person_name)
      .Field("measure", a.measure)
      .Field("note", a.note)
      .Field("decided_on", a.decided_on.ToString())
      .EndObject();
}

void Write(JsonWriter& w, const rectify::FindingDetail& d) {
  w.BeginObject().Key("finding");
  Write(w, d.finding);
  Array(w, "reports", d.reports);
  Array(w, "verifications", d.verifications);
  Array(w, "accountability", d.accountability);
  w.EndObject();
}

void Write(JsonWriter& w, const review::Review& r) {
  w.BeginObject()
      .Field("id", r.id)
      .Field("committee_id", r.committee_org_id)
      .Field("committee_name", r.committee_name)
      .Field("appointment_id", r.appointment_id)
      .Field("person_id", r.person_id)
      .Field("person_name", r.person_name)
      .Field("position_title", r.position_title)
      .Field("org_id", r.target_org_id)
      .Field("org_name", r.target_org_name)
      .Field("year", r.year)
      .Field("stage", review::StageCode(r.stage));
  GradeField(w, "grade", r.grade);
  GradeField(w, "re_vote_grade", r.re_vote_grade);
  GradeField(w, "follow_up_grade", r.follow_up_grade);
  w.Field("investigation_report", r.investigation_report).Field("work_report", r.work_report);
  Date(w, "work_report_on", r.work_report_on);
  w.Field("re_report", r.re_report);
  Date(w, "re_report_on", r.re_report_on);
  Date(w, "re_report_due_on", r.re_report_due_on);
  w.Field("adopted_by", r.adopted_by);
  Date(w, "adopted_on", r.adopted_on);
  Date(w, "delivered_on", r.delivered_on);
  w.Field("rectify_months", r.rectify_months)
      .Field("published", r.published)
      .Field("version", r.version)
      .Field("created_at", r.created_at.ToRfc3339())
      .Field("updated_at", r.updated_at.ToRfc3339())
      .EndObject();
}

void Write(JsonWriter& w, const review::VoteOutcome& o) {
  w.BeginObject()
      .Field("purpose", o.purpose)
      .Field("sheet_id", o.sheet_id)
      .Field("meeting_id", o.meeting_id)
      .Field("meeting_name", o.meeting_name)
      .Field("held_on", o.held_on.ToString());
  w.Field("quorum_met", o.quorum_met);
  GradeField(w, "grade", o.grade);
  Counts(w, o.counts);
  Rate(w, o.rate_num, o.rate_den);
  w.Field("explanation", o.explanation).EndObject();
}

void Write(JsonWriter& w, const review::ReviewDetail& d) {
  w.BeginObject().Key("review");
  Write(w, d.review);
  w.Key("team").BeginArray();
  for (const review::TeamMember& m : d.team) {
    w.BeginObject()
        .Field("name", m.name)
        .Field("role", m.role)
        .Field("affiliation", m.affiliation)
        .EndObject();
  }
  w.EndArray().Key("tasks").BeginArray();
  for (const review::Task& t : d.tasks) {
    w.BeginObject()
        .Field("id", t.id)
        .Field("method", review::TaskMethodCode(t.method))
        .Field("title", t.title);
    Date(w, "done_on", t.done_on);
    w.Field("summary", t.summary).Field("open_to_public", t.open_to_public).EndObject();
  }
  w.EndArray().Key("opinions").BeginArray();
  for (const review::Opinion& o : d.opinions) {
    w.BeginObject()
        .Field("id", o.id)
        .Field("seq", o.seq)
        .Field("body", o.body)
        .Field("finding_id", o.finding_id)
        .EndObject();
  }
  w.EndArray().Key("deliveries").BeginArray();
  for (const review::Delivery& d2 : d.deliveries) {
    w.BeginObject()
        .Field("recipient", review::RecipientCode(d2.recipient))
        .Field("delivered_on", d2.delivered_on.ToString());
    Date(w, "acknowledged_on", d2.acknowledged_on);
    w.Field("acknowledged_by", d2.acknowledged_by).EndObject();
  }
  w.EndArray();
  Array(w, "votes", d.votes);
  Array(w, "findings", d.findings);
  w.Field("public_opinions", d.public_opinions)
      .Field("questionnaire_responses", d.questionnaire_responses)
      .EndObject();
}

void Write(JsonWriter& w, const review::Coverage& c) {
  w.BeginObject()
      .Field("committee_id", c.committee_id)
      .Field("first_year", c.first_year)
      .Field("last_year", c.last_year)
      .Field("scheduled", c.scheduled)
      .Field("reviewed", c.reviewed)
      .Key("officials")
      .BeginArray();
  for (const review::CoverageEntry& e : c.officials) {
    w.BeginObject()
        .Field("appointment_id", e.appointment_id)
        .Field("person_id", e.person_id)
        .Field("person_name", e.person_name)
        .Field("position_title", e.position_title)
        .Field("position_category", e.position_category)
        .Field("org_id", e.org_id)
        .Field("org_name", e.org_name)
        .Field("review_id", e.review_id)
        .Field("year", e.year);
    if (e.stage) {
      w.Field("stage", review::StageCode(*e.stage));
    } else {
      w.Key("stage").Null();
    }
    GradeField(w, "grade", e.grade);
    w.EndObject();
  }
  w.EndArray().EndObject();
}

void Write(JsonWriter& w, const review::AgendaItem& i) {
  w.BeginObject()
      .Field("review_id", i.review_id)
      .Field("purpose", i.purpose)
      .Field("person_name", i.person_name)
      .Field("position_title", i.position_title)
      .Field("org_name", i.org_name)
      .EndObject();
}

void Write(JsonWriter& w, const review::Draw& d) {
  w.BeginObject()
      .Field("id", d.id)
      .Field("meeting_id", d.meeting_id)
      .Field("review_id", d.review_id)
      .Field("seed", d.seed_hex);
  Ids(w, "candidates", d.candidates);
  w.Field("chosen_person_id", d.chosen_person_id)
      .Field("chosen_name", d.chosen_name)
      .Field("rule", "index = first 8 bytes of SHA-256(seed|candidates joined by ',') mod n")
      .EndObject();
}

void Write(JsonWriter& w, const review::Question& q) {
  w.BeginObject()
      .Field("id", q.id)
      .Field("review_id", q.review_id)
      .Field("asker_person_id", q.asker_person_id)
      .Field("asker_name", q.asker_name)
      .Field("question", q.question)
      .Field("answer", q.answer)
      .Field("draw_id", q.draw_id)
      .EndObject();
}

void Write(JsonWriter& w, const review::Meeting& m) {
  w.BeginObject()
      .Field("id", m.id)
      .Field("committee_id", m.committee_org_id)
      .Field("committee_name", m.committee_name)
      .Field("name", m.name)
      .Field("held_on", m.held_on.ToString())
      .Field("sheet_id", m.sheet_id);
  Array(w, "agenda", m.agenda);
  w.Key("members").BeginArray();
  for (const review::Member& mem : m.members) {
    w.BeginObject()
        .Field("person_id", mem.person_id)
        .Field("name", mem.name)
        .Field("position_title", mem.position_title)
        .EndObject();
  }
  w.EndArray();
  Ids(w, "present", m.present);
  Array(w, "questions", m.questions);
  Array(w, "draws", m.draws);
  w.Field("version", m.version).EndObject();
}

void Write(JsonWriter& w, const review::ItemResult& r) {
  w.BeginObject().Field("review_id", r.review_id).Field("purpose", r.purpose);
  Counts(w, r.counts);
  w.Field("quorum_met", r.quorum_met);
  GradeField(w, "grade", r.grade);
  Rate(w, r.rate_num, r.rate_den);
  w.Field("explanation", r.explanation).EndObject();
}

void Write(JsonWriter& w, const review::Sheet& s) {
  w.BeginObject()
      .Field("id", s.id)
      .Field("meeting_id", s.meeting_id)
      .Field("meeting_name", s.meeting_name)
      .Field("state", review::SheetStateCode(s.state))
      .Field("rule", s.rule_text)
      .Field("members_total", s.members_total)
      .Field("present", s.present)
      .Field("voted", s.voted);
  if (s.opened_at) {
    w.Field("opened_at", s.opened_at->ToRfc3339());
  } else {
    w.Key("opened_at").Null();
  }
  if (s.closed_at) {
    w.Field("closed_at", s.closed_at->ToRfc3339());
  } else {
    w.Key("closed_at").Null();
  }
  w.Field("opens_at", s.opens_at.ToRfc3339());
  if (s.closes_at) {
    w.Field("closes_at", s.closes_at->ToRfc3339());
  } else {
    w.Key("closes_at").Null();
  }
  Array(w, "items", s.items);
  Array(w, "results", s.results);
  w.Field("eligible", s.eligible).Field("has_voted", s.has_voted).EndObject();
}

void Write(JsonWriter& w, const review::Measure& m) {
  w.BeginObject()
      .Field("id", m.id)
      .Field("review_id", m.review_id)
      .Field("kind", review::MeasureKindCode(m.kind))
      .Field("state", m.state)
      .Field("proposer", review::ProposerCode(m.proposer));
  Ids(w, "cosigners", m.cosigners);
  Ids(w, "committee", m.committee);
  w.Field("content", m.content)
      .Field("answer_mode", m.answer_mode)
      .Field("answer", m.answer)
      .Field("defense_statement", m.defense_statement)
      .Field("members_total", m.members_total)
      .Field("votes_for", m.votes_for)
      .Field("votes_against", m.votes_against)
      .Field("votes_abstain", m.votes_abstain)
      .Field("outcome", m.outcome)
      .Field("created_at", m.created_at.ToRfc3339())
      .EndObject();
}

void Write(JsonWriter& w, const review::MeasureOption& o) {
  w.BeginObject()
      .Field("kind", review::MeasureKindCode(o.kind))
      .Field("available", o.available)
      .Field("reason", o.reason)
      .Field("cosigners_needed", o.cosigners_needed)
      .EndObject();
}

void Write(JsonWriter& w, const review::ReviewStats& s) {
  w.BeginObject()
      .Field("first_year", s.first_year)
      .Field("last_year", s.last_year)
      .Field("scheduled", s.scheduled)
      .Field("heard", s.heard)
      .Field("satisfied", s.satisfied)
      .Field("basically_satisfied", s.basically_satisfied)
      .Field("dissatisfied", s.dissatisfied)
      .Field("opinions", s.opinions)
      .Field("findings", s.findings)
      .Field("findings_closed", s.findings_closed)
      .Field("findings_overdue", s.findings_overdue);
  Rate(w, s.rate_num, s.rate_den);
  w.Key("rectification_rate")
      .BeginObject()
      .Field("num", s.findings_closed)
      .Field("den", s.findings)
      .EndObject()
      .Key("years")
      .BeginArray();
  for (const review::ReviewStats::Year& y : s.years) {
    w.BeginObject()
        .Field("year", y.year)
        .Field("scheduled", y.scheduled)
        .Field("heard", y.heard)
        .Field("satisfied", y.satisfied)
        .Field("basically_satisfied", y.basically_satisfied)
        .Field("dissatisfied", y.dissatisfied)
        .Field("opinions", y.opinions)
        .EndObject();
  }
  w.EndArray().EndObject();
}

void Write(JsonWriter& w, const review::PublishedResult& p) {
  w.BeginObject()
      .Field("review_id", p.review_id)
      .Field("year", p.year)
      .Field("person_name", p.person_name)
      .Field("position_title", p.position_title)
      .Field("org_name", p.org_name)
      .Field("stage", review::StageCode(p.stage));
  GradeField(w, "grade", p.grade);
  GradeField(w, "follow_up_grade", p.follow_up_grade);
  Rate(w, p.rate_num, p.rate_den);
  w.Field("opinions", p.opinions)
      .Field("findings", p.findings)
      .Field("findings_closed", p.findings_closed)
      .EndObject();
}

void Write(JsonWriter& w, const review::PublicNotice& n) {
  w.BeginObject()
      .Field("review_id", n.review_id)
      .Field("title", n.title)
      .Field("person_name", n.person_name)
      .Field("position_title", n.position_title)
      .Field("org_name", n.org_name)
      .Field("committee_name", n.committee_name)
      .Field("accepts_opinions", n.accepts_opinions)
      .Field("accepts_questionnaire", n.accepts_questionnaire)
      .Field("criteria_count", review::kQuestionnaireCriteria)
      .EndObject();
}

}  // namespace jiandu::api
