#include "review/meeting_service.h"

#include <algorithm>
#include <map>
#include <set>

#include <sodium.h>

#include "core/code_table.h"
#include "core/sha256.h"
#include "registry/org_service.h"
#include "registry/validate.h"

namespace jiandu::review {
namespace {

constexpr std::pair<Choice, std::string_view> kChoices[] = {
    {Choice::kSatisfied, "satisfied"},
    {Choice::kBasicallySatisfied, "basically_satisfied"},
    {Choice::kDissatisfied, "dissatisfied"},
    {Choice::kAbstain, "abstain"},
};

core::CivilDate DateOf(std::string_view t) {
  return core::CivilDate::Parse(t).value_or(core::CivilDate());
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// A receipt code people can read out: 4 groups of 4 from an alphabet without 0/O, 1/I/L.
std::string RandomReceipt() {
  static constexpr char kAlphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  constexpr unsigned kSize = sizeof(kAlphabet) - 1;           // 31
  constexpr unsigned kLimit = 256 / kSize * kSize;            // 248: unbiased below this
  // One random draw per receipt (each draw may be a system call), with rejection sampling.
  unsigned char bytes[48];
  size_t used = sizeof bytes;
  std::string out;
  for (int i = 0; i < 16;) {
    if (used == sizeof bytes) {
      randombytes_buf(bytes, sizeof bytes);
      used = 0;
    }
    const unsigned v = bytes[used++];
    if (v >= kLimit) continue;
    if (i && i % 4 == 0) out += '-';
    out += kAlphabet[v % kSize];
    ++i;
  }
  sodium_memzero(bytes, sizeof bytes);
  return out;
}

std::string ReceiptHash(int64_t sheet_id, std::string_view receipt) {
  std::string normalized;
  for (char c : receipt) {
    if (c == '-' || c == ' ') continue;
    normalized += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return core::Sha256Hex("jiandu-ballot-receipt|" + std::to_string(sheet_id) + "|" + normalized);
}

Status CheckPurpose(const std::string& purpose) {
  if (purpose != "hearing" && purpose != "re_report" && purpose != "follow_up") {
    return Status::InvalidArgument("purpose", "must be hearing, re_report or follow_up");
  }
  return Status::Ok();
}

// The agenda of a meeting, in the order the items were added.
Result<std::vector<AgendaItem>> LoadAgenda(store::Tx& tx, int64_t meeting_id) {
  std::vector<AgendaItem> out;
  JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
      "SELECT i.review_id, i.purpose, p.name, pos.title, o.name FROM review_meeting_item i "
      "JOIN review r ON r.id = i.review_id JOIN appointment a ON a.id = r.appointment_id "
      "JOIN person p ON p.id = a.person_id JOIN position pos ON pos.id = a.position_id "
      "JOIN org o ON o.id = a.org_id WHERE i.meeting_id = ? ORDER BY i.id",
      std::vector<store::Value>{meeting_id}, [&](const store::RowView& r) {
        out.push_back({r.Int(0), std::string(r.Text(1)), std::string(r.Text(2)),
                       std::string(r.Text(3)), std::string(r.Text(4))});
        return Status::Ok();
      }));
  return out;
}

// The members marked as voting on paper on a sheet.
Result<int64_t> PaperVoters(store::Tx& tx, int64_t sheet_id) {
  JIANDU_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT COUNT(*) FROM vote_participation WHERE sheet_id = ? AND "
                  "channel = 'paper'",
                  {sheet_id}));
  return row->Int(0);
}

}  // namespace

std::string_view SheetStateCode(SheetState s) {
  switch (s) {
    case SheetState::kDraft: return "draft";
    case SheetState::kOpen: return "open";
    case SheetState::kClosed: return "closed";
  }
  return "";
}

std::string_view ChoiceCode(Choice c) { return core::CodeOf(kChoices, c); }

std::optional<Choice> ParseChoice(std::string_view s) { return core::ParseCode(kChoices, s); }

int64_t DrawIndex(std::string_view seed_hex, const std::vector<int64_t>& candidates) {
  if (candidates.empty()) return -1;
  std::string input(seed_hex);
  input += '|';
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (i) input += ',';
    input += std::to_string(candidates[i]);
  }
  const std::string digest = core::Sha256(input);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v = (v << 8) | static_cast<unsigned char>(digest[i]);
  }
  return static_cast<int64_t>(v % candidates.size());
}

Result<std::vector<Member>> CommitteeMembersInTx(store::Tx& tx, int64_t committee_id) {
  std::vector<Member> out;
  JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
      "SELECT p.id, p.name, MIN(pos.title) FROM appointment a JOIN position pos ON "
      "pos.id = a.position_id JOIN person p ON p.id = a.person_id WHERE pos.org_id = ? AND "
      "a.ended_on IS NULL GROUP BY p.id, p.name ORDER BY p.id",
      std::vector<store::Value>{committee_id}, [&](const store::RowView& r) {
        out.push_back({r.Int(0), std::string(r.Text(1)), std::string(r.Text(2))});
        return Status::Ok();
      }));
  return out;
}

Result<Meeting> MeetingService::LoadMeeting(store::Tx& tx, const auth::Principal& who, int64_t id,
                                            auth::Permission action, bool details) const {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, action));
  JIANDU_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT m.id, m.committee_org_id, c.name, c.path, m.name, m.held_on, "
                  "m.version, (SELECT s.id FROM vote_sheet s WHERE s.meeting_id = m.id) "
                  "FROM review_meeting m JOIN org c ON c.id = m.committee_org_id WHERE m.id = ?",
                  {id}));
  if (!row) {
    return Status::NotFound(auth::kNoSuchRecord);
  }
  Meeting m;
  m.id = row->Int(0);
  m.committee_org_id = row->Int(1);
  m.committee_name = row->Text(2);
  m.committee_path = row->Text(3);
  m.name = row->Text(4);
  m.held_on = DateOf(row->Text(5));
  m.version = row->Int(6);
  if (!row->IsNull(7)) m.sheet_id = row->Int(7);
  JIANDU_RETURN_IF_ERROR(auth::Authorize(who, action, auth::Resource::InOrg(m.committee_path)));
  JIANDU_ASSIGN_OR_RETURN(m.agenda, LoadAgenda(tx, id));
  JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
      "SELECT person_id FROM review_attendance WHERE meeting_id = ? ORDER BY person_id",
      std::vector<store::Value>{id}, [&](const store::RowView& r) {
        m.present.push_back(r.Int(0));
        return Status::Ok();
      }));
  if (details) {
    JIANDU_ASSIGN_OR_RETURN(m.members, CommitteeMembersInTx(tx, m.committee_org_id));
    std::map<int64_t, std::string> names;
    for (const Member& mem : m.members) names[mem.person_id] = mem.name;
    JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
        "SELECT id, review_id, asker_person_id, question, answer, draw_id FROM review_question "
        "WHERE meeting_id = ? ORDER BY id",
        std::vector<store::Value>{id}, [&](const store::RowView& r) {
          Question q{r.Int(0), r.Int(1), r.Int(2), names[r.Int(2)], std::string(r.Text(3)),
                     std::string(r.Text(4)), {}};
          if (!r.IsNull(5)) q.draw_id = r.Int(5);
          m.questions.push_back(std::move(q));
          return Status::Ok();
        }));
    JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
        "SELECT id, review_id, seed, candidates, chosen_person_id FROM review_draw WHERE "
        "meeting_id = ? ORDER BY id",
        std::vector<store::Value>{id}, [&](const store::RowView& r) {
          Draw d;
          d.id = r.Int(0);
          d.meeting_id = id;
          d.review_id = r.Int(1);
          d.seed_hex = std::string(r.Text(2));
          std::string_view c = r.Text(3);
          while (!c.empty()) {
            const size_t comma = c.find(',');
            d.candidates.push_back(std::stoll(std::string(c.substr(0, comma))));
            c = comma == std::string_view::npos ? std::string_view() : c.substr(comma + 1);
          }
          d.chosen_person_id = r.Int(4);
          d.chosen_name = names[d.chosen_person_id];
          m.draws.push_back(std::move(d));
          return Status::Ok();
        }));
  }
  return m;
}

Status MeetingService::CheckVisible(store::Tx& tx, const auth::Principal& who, int64_t id,
                                    auth::Permission action) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, action));
  JIANDU_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT c.path FROM review_meeting m JOIN org c ON c.id = m.committee_org_id "
                  "WHERE m.id = ?",
                  {id}));
  if (!row) {
    return Status::NotFound(auth::kNoSuchRecord);
  }
  return auth::Authorize(who, action, auth::Resource::InOrg(row->Text(0)));
}

Result<Meeting> MeetingService::Create(const auth::Principal& who, const NewMeeting& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  JIANDU_ASSIGN_OR_RETURN(std::string name, registry::CheckText(in.name, "name", 100, true));
  const core::CivilDate today = clock_.Today();
  const core::CivilDate held = in.held_on.value_or(today);
  if (held > today) {
    return Status::InvalidArgument("held_on", "must not be in the future");
  }
  return store::RunInTransaction<Meeting>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Meeting> {
        JIANDU_ASSIGN_OR_RETURN(std::optional<registry::Org> c,
                                registry::OrgService::Load(tx, in.committee_id));
        JIANDU_RETURN_IF_ERROR(auth::AuthorizeReference(who, auth::Permission::kReviewWrite,
                                                        c ? &c->path : nullptr, "committee_id",
                                                        "standing committee"));
        if (c->kind != registry::OrgKind::kStandingCommittee) {
          return Status::InvalidArgument("committee_id", "is not a standing committee (人大常委会)");
        }
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> row,
            tx.QueryOne("INSERT INTO review_meeting (committee_org_id, name, held_on, version, "
                        "created_at) VALUES (?, ?, ?, 1, ?) RETURNING id",
                        {c->id, name, held.ToString(), clock_.Now().unix_micros()}));
        audit::EventInput ev{.actor = who.AuditActor(), .action = "meeting.create",
                             .entity_type = "meeting", .entity_id = row->Text(0),
                             .org_path = c->path};
        ev.change.Created("name", name);
        ev.change.Created("held_on", held.ToString());
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        return LoadMeeting(tx, who, row->Int(0), auth::Permission::kReviewWrite, true);
      });
}

Result<Meeting> MeetingService::Get(const auth::Principal& who, int64_t id) {
  return store::RunInTransaction<Meeting>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<Meeting> {
        return LoadMeeting(tx, who, id, auth::Permission::kReviewRead, true);
      });
}

Result<core::Page<Meeting>> MeetingService::List(const auth::Principal& who,
                                                 const core::PageRequest& page) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewRead));
  return store::RunInTransaction<core::Page<Meeting>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<core::Page<Meeting>> {
        std::vector<store::Value> params{page.after.value_or(INT64_MAX)};
        std::string sql =
            "SELECT m.id FROM review_meeting m JOIN org c ON c.id = m.committee_org_id "
            "WHERE m.id < ?";
        if (!who.system) {
          sql += " AND " + store::StartsWith("c.path");
          store::AppendStartsWith(params, who.org_path);
        }
        sql += " ORDER BY m.id DESC LIMIT ?";
        params.emplace_back(static_cast<int64_t>(page.limit + 1));
        std::vector<int64_t> ids;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(sql, params, [&](const store::RowView& r) {
          ids.push_back(r.Int(0));
          return Status::Ok();
        }));
        std::vector<Meeting> out;
        for (int64_t id : ids) {
          JIANDU_ASSIGN_OR_RETURN(Meeting m,
                                  LoadMeeting(tx, who, id, auth::Permission::kReviewRead, false));
          out.push_back(std::move(m));
        }
        return core::MakePage(std::move(out), page, [](const Meeting& m) { return m.id; });
      });
}

Result<Meeting> MeetingService::AddItem(const auth::Principal& who, int64_t meeting_id,
                                        int64_t review_id, const std::string& purpose) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  JIANDU_RETURN_IF_ERROR(CheckPurpose(purpose));
  return store::RunInTransaction<Meeting>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Meeting> {
        JIANDU_ASSIGN_OR_RETURN(
            Meeting m, LoadMeeting(tx, who, meeting_id, auth::Permission::kReviewWrite, false));
        if (m.sheet_id) {
          return Status::FailedPrecondition("the ballot is open: the agenda is frozen", "agenda");
        }
        Result<Review> r =
            ReviewService::LoadVisible(tx, who, review_id, auth::Permission::kReviewWrite);
        if (!r.ok()) {
          return r.status().code() == StatusCode::kNotFound
                     ? Status::InvalidArgument("review_id", "no such review in your scope")
                     : r.status();
        }
        if (r->committee_org_id != m.committee_org_id) {
          return Status::InvalidArgument("review_id", "is a review of another committee");
        }
        Stage need = purpose == "hearing"     ? Stage::kReportSubmitted
                     : purpose == "re_report" ? Stage::kReReported
                                              : Stage::kFollowUp;
        bool ready = r->stage == need;
        if (purpose == "hearing" && r->stage == Stage::kHearing) {
          // A first vote without quorum did not take place (ApplyVoteInTx): the review is heard
          // again at a later meeting once each earlier hearing of it ended that way.
          JIANDU_ASSIGN_OR_RETURN(
              std::optional<store::Row> k,
              tx.QueryOne("SELECT (SELECT COUNT(*) FROM review_meeting_item WHERE review_id = ? "
                          "AND purpose = 'hearing'), (SELECT COUNT(*) FROM vote_result WHERE "
                          "review_id = ? AND purpose = 'hearing' AND quorum_met = 0)",
                          {review_id, review_id}));
          ready = k->Int(0) > 0 && k->Int(0) == k->Int(1);
        }
        if (!ready) {
          return Status::FailedPrecondition(
              "a review is put on the agenda for " + purpose + " at stage " +
                  std::string(StageCode(need)) + "; it is at " + std::string(StageCode(r->stage)),
              "stage");
        }
        if (purpose == "hearing" && r->investigation_report.empty()) {
          return Status::FailedPrecondition(
              "record the investigation report (调研报告) before the hearing",
              "investigation_report");
        }
        Result<int64_t> ins = tx.Exec(
            "INSERT INTO review_meeting_item (meeting_id, review_id, purpose) VALUES (?, ?, ?)",
            {meeting_id, review_id, purpose});
        if (!ins.ok()) {
          return ins.status().code() == StatusCode::kConflict
                     ? Status::Conflict("the review is already on this agenda", "review_id")
                     : ins.status();
        }
        if (purpose == "hearing") {
          JIANDU_RETURN_IF_ERROR(tx.Exec("UPDATE review SET stage = 'hearing', version = "
                                         "version + 1, updated_at = ? WHERE id = ?",
                                         {clock_.Now().unix_micros(), review_id})
                                     .status());
        }
        audit::EventInput ev{.actor = who.AuditActor(), .action = "meeting.agenda",
                             .entity_type = "meeting", .entity_id = std::to_string(meeting_id),
                             .org_path = m.committee_path};
        ev.change.Created("review_id", std::to_string(review_id));
        ev.change.Created("purpose", purpose);
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        return LoadMeeting(tx, who, meeting_id, auth::Permission::kReviewWrite, true);
      });
}

Result<Meeting> MeetingService::SetAttendance(const auth::Principal& who, int64_t meeting_id,
                                              const std::vector<int64_t>& person_ids) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  std::set<int64_t> ids(person_ids.begin(), person_ids.end());
  if (ids.size() != person_ids.size()) {
    return Status::InvalidArgument("person_ids", "lists a member twice");
  }
  return store::RunInTransaction<Meeting>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Meeting> {
        JIANDU_ASSIGN_OR_RETURN(
            Meeting m, LoadMeeting(tx, who, meeting_id, auth::Permission::kReviewWrite, false));
        if (m.sheet_id) {
          return Status::FailedPrecondition("the ballot is open: attendance is frozen",
                                            "person_ids");
        }
        JIANDU_ASSIGN_OR_RETURN(std::vector<Member> members,
                                CommitteeMembersInTx(tx, m.committee_org_id));
        std::set<int64_t> in_office;
        for (const Member& mem : members) in_office.insert(mem.person_id);
        for (size_t i = 0; i < person_ids.size(); ++i) {
          if (!in_office.count(person_ids[i])) {
            return Status::InvalidArgument("person_ids[" + std::to_string(i) + "]",
                                           "is not a member of the committee in office");
          }
        }
        JIANDU_RETURN_IF_ERROR(
            tx.Exec("DELETE FROM review_attendance WHERE meeting_id = ?", {meeting_id}).status());
        std::string list;
        for (int64_t id : ids) {
          JIANDU_RETURN_IF_ERROR(
              tx.Exec("INSERT INTO review_attendance (meeting_id, person_id) VALUES (?, ?)",
                      {meeting_id, id})
                  .status());
          list += std::to_string(id) + ",";
        }
        audit::EventInput ev{.actor = who.AuditActor(), .action = "meeting.attendance",
                             .entity_type = "meeting", .entity_id = std::to_string(meeting_id),
                             .org_path = m.committee_path};
        ev.change.Set("present", std::to_string(m.present.size()), std::to_string(ids.size()));
        ev.change.Created("present_ids", list);
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        return LoadMeeting(tx, who, meeting_id, auth::Permission::kReviewWrite, true);
      });
}

Result<Draw> MeetingService::DrawQuestioner(const auth::Principal& who, int64_t meeting_id,
                                            int64_t review_id) {
  return store::RunInTransaction<Draw>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Draw> {
        JIANDU_ASSIGN_OR_RETURN(
            Meeting m, LoadMeeting(tx, who, meeting_id, auth::Permission::kReviewWrite, true));
        if (std::none_of(m.agenda.begin(), m.agenda.end(),
                         [&](const AgendaItem& i) { return i.review_id == review_id; })) {
          return Status::InvalidArgument("review_id", "is not on this meeting's agenda");
        }
        std::set<int64_t> drawn;
        for (const Draw& d : m.draws) {
          if (d.review_id == review_id) drawn.insert(d.chosen_person_id);
        }
        std::vector<int64_t> candidates;
        for (int64_t p : m.present) {
          if (!drawn.count(p)) candidates.push_back(p);
        }
        if (candidates.empty()) {
          return Status::FailedPrecondition(
              m.present.empty() ? "record the attendance first: nobody is present"
                                : "every member present has been drawn for this item",
              "attendance");
        }
        Draw d;
        d.meeting_id = meeting_id;
        d.review_id = review_id;
        d.seed_hex = RandomHex(32);
        d.candidates = candidates;
        d.chosen_person_id = candidates[DrawIndex(d.seed_hex, candidates)];
        for (const Member& mem : m.members) {
          if (mem.person_id == d.chosen_person_id) d.chosen_name = mem.name;
        }
        std::string list;
        for (size_t i = 0; i < candidates.size(); ++i) {
          if (i) list += ',';
          list += std::to_string(candidates[i]);
        }
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> row,
            tx.QueryOne("INSERT INTO review_draw (meeting_id, review_id, seed, candidates, "
                        "chosen_person_id, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                        {meeting_id, review_id, d.seed_hex, list, d.chosen_person_id,
                         clock_.Now().unix_micros()}));
        d.id = row->Int(0);
        audit::EventInput ev{.actor = who.AuditActor(), .action = "meeting.draw",
                             .entity_type = "meeting", .entity_id = std::to_string(meeting_id),
                             .org_path = m.committee_path};
        ev.change.Created("draw_id", row->Text(0));
        ev.change.Created("seed", d.seed_hex);
        ev.change.Created("candidates", list);
        ev.change.Created("chosen", std::to_string(d.chosen_person_id));
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        return d;
      });
}

Result<Question> MeetingService::AddQuestion(const auth::Principal& who, int64_t meeting_id,
                                             int64_t review_id, int64_t asker_person_id,
                                             const std::string& question,
                                             const std::string& answer,
                                             std::optional<int64_t> draw_id) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  JIANDU_ASSIGN_OR_RETURN(std::string q,
                          registry::CheckText(question, "question", 2000, true, true));
  JIANDU_ASSIGN_OR_RETURN(std::string a, registry::CheckText(answer, "answer", 5000, false, true));
  return store::RunInTransaction<Question>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Question> {
        JIANDU_ASSIGN_OR_RETURN(
            Meeting m, LoadMeeting(tx, who, meeting_id, auth::Permission::kReviewWrite, true));
        if (std::none_of(m.agenda.begin(), m.agenda.end(),
                         [&](const AgendaItem& i) { return i.review_id == review_id; })) {
          return Status::InvalidArgument("review_id", "is not on this meeting's agenda");
        }
        if (std::find(m.present.begin(), m.present.end(), asker_person_id) == m.present.end()) {
          return Status::InvalidArgument("asker_person_id", "is not a member present");
        }
        if (draw_id) {
          auto it = std::find_if(m.draws.begin(), m.draws.end(),
                                 [&](const Draw& d) { return d.id == *draw_id; });
          if (it == m.draws.end() || it->review_id != review_id ||
              it->chosen_person_id != asker_person_id) {
            return Status::InvalidArgument("draw_id",
                                           "is not a draw of this member for this item");
          }
        }
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> row,
            tx.QueryOne("INSERT INTO review_question (meeting_id, review_id, asker_person_id, "
                        "question, answer, draw_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                        "RETURNING id",
                        {meeting_id, review_id, asker_person_id, q, a,
                         draw_id ? store::Value(*draw_id) : store::Value(),
                         clock_.Now().unix_micros()}));
        audit::EventInput ev{.actor = who.AuditActor(), .action = "meeting.question",
                             .entity_type = "meeting", .entity_id = std::to_string(meeting_id),
                             .org_path = m.committee_path};
        ev.change.Created("question_id", row->Text(0));
        ev.change.Created("question", q);
        ev.change.Created("answer", a);
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        std::string name;
        for (const Member& mem : m.members) {
          if (mem.person_id == asker_person_id) name = mem.name;
        }
        return Question{row->Int(0), review_id, asker_person_id, name, q, a, draw_id};
      });
}

Result<Sheet> MeetingService::LoadSheet(store::Tx& tx, const auth::Principal& who, int64_t id,
                                        auth::Permission action) const {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, action));
  JIANDU_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT s.id, s.meeting_id, m.name, s.state, s.rule, s.members_total, "
                  "s.present, s.opened_at, s.closed_at, c.path, "
                  "(SELECT COUNT(*) FROM vote_participation v WHERE v.sheet_id = s.id), "
                  "s.opens_at, s.closes_at "
                  "FROM vote_sheet s JOIN review_meeting m ON m.id = s.meeting_id "
                  "JOIN org c ON c.id = m.committee_org_id WHERE s.id = ?",
                  {id}));
  if (!row) {
    return Status::NotFound(auth::kNoSuchRecord);
  }
  JIANDU_RETURN_IF_ERROR(auth::Authorize(who, action, auth::Resource::InOrg(row->Text(9))));
  Sheet s;
  s.id = row->Int(0);
  s.meeting_id = row->Int(1);
  s.meeting_name = row->Text(2);
  const std::string state = row->Text(3);
  s.state = state == "open" ? SheetState::kOpen
            : state == "closed" ? SheetState::kClosed
                                : SheetState::kDraft;
  s.rule_text = row->Text(4);
  s.members_total = row->Int(5);
  s.present = row->Int(6);
  if (!row->IsNull(7)) s.opened_at = core::Timestamp::FromUnixMicros(row->Int(7));
  if (!row->IsNull(8)) s.closed_at = core::Timestamp::FromUnixMicros(row->Int(8));
  s.voted = row->Int(10);
  s.committee_path = row->Text(9);
  s.opens_at = core::Timestamp::FromUnixMicros(row->Int(11));
  if (!row->IsNull(12)) s.closes_at = core::Timestamp::FromUnixMicros(row->Int(12));
  if (s.state == SheetState::kOpen && clock_.Now() < s.opens_at) {
    s.state = SheetState::kDraft;  // opened with a delay: not yet accepting ballots
  }
  JIANDU_ASSIGN_OR_RETURN(s.items, LoadAgenda(tx, s.meeting_id));
  if (s.state == SheetState::kClosed) {
    JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
        "SELECT review_id, purpose, members_total, present, satisfied, basically_satisfied, "
        "dissatisfied, abstain, invalid, quorum_met, grade, rate_num, rate_den, explanation "
        "FROM vote_result WHERE sheet_id = ? ORDER BY review_id",
        std::vector<store::Value>{id}, [&](const store::RowView& r) {
          ItemResult ir;
          ir.review_id = r.Int(0);
          ir.purpose = std::string(r.Text(1));
          ir.counts = {r.Int(2), r.Int(3), r.Int(4), r.Int(5), r.Int(6), r.Int(7), r.Int(8)};
          ir.quorum_met = r.Int(9) != 0;
          if (!r.IsNull(10)) ir.grade = ParseGrade(r.Text(10));
          ir.rate_num = r.Int(11);
          ir.rate_den = r.Int(12);
          ir.explanation = std::string(r.Text(13));
          s.results.push_back(std::move(ir));
          return Status::Ok();
        }));
  }
  if (who.person_id != 0) {
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> e,
        tx.QueryOne("SELECT (SELECT COUNT(*) FROM review_attendance WHERE meeting_id = ? AND "
                    "person_id = ?), (SELECT COUNT(*) FROM vote_participation WHERE sheet_id = ? "
                    "AND person_id = ?)",
                    {s.meeting_id, who.person_id, id, who.person_id}));
    s.eligible = e->Int(0) > 0;
    s.has_voted = e->Int(1) > 0;
  }
  return s;
}

Result<Sheet> MeetingService::OpenSheet(const auth::Principal& who, int64_t meeting_id,
                                        const std::string& rule_text, int delay_seconds,
                                        std::optional<int> duration_minutes) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  if (delay_seconds < 0 || delay_seconds > 7 * 86400) {
    return Status::InvalidArgument("delay_seconds", "must be between 0 and 604800");
  }
  if (duration_minutes && (*duration_minutes < 1 || *duration_minutes > 24 * 60)) {
    return Status::InvalidArgument("duration_minutes", "must be between 1 and 1440");
  }
  GradingRule rule = DefaultGradingRule();
  if (!rule_text.empty()) {
    JIANDU_ASSIGN_OR_RETURN(rule, DecodeGradingRule(rule_text));
  }
  return store::RunInTransaction<Sheet>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Sheet> {
        JIANDU_ASSIGN_OR_RETURN(
            Meeting m, LoadMeeting(tx, who, meeting_id, auth::Permission::kReviewWrite, true));
        if (m.sheet_id) {
          return Status::Conflict("the meeting's ballot is already open (sheet " +
                                      std::to_string(*m.sheet_id) + ")",
                                  "meeting");
        }
        if (m.agenda.empty()) {
          return Status::FailedPrecondition("put at least one review on the agenda first",
                                            "agenda");
        }
        if (m.present.empty()) {
          return Status::FailedPrecondition("record the attendance first", "attendance");
        }
        const int64_t now = clock_.Now().unix_micros();
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> row,
            tx.QueryOne("INSERT INTO vote_sheet (meeting_id, state, rule, members_total, "
                        "present, opened_at, opens_at, closes_at) VALUES "
                        "(?, 'open', ?, ?, ?, ?, ?, ?) RETURNING id",
                        {meeting_id, Encode(rule), static_cast<int64_t>(m.members.size()),
                         static_cast<int64_t>(m.present.size()), now,
                         now + int64_t{delay_seconds} * 1'000'000,
                         duration_minutes ? store::Value(now + int64_t{delay_seconds} * 1'000'000 +
                                                         int64_t{*duration_minutes} * 60'000'000)
                                          : store::Value()}));
        const int64_t sheet_id = row->Int(0);
        for (const AgendaItem& item : m.agenda) {
          for (const auto& [choice, code] : kChoices) {
            JIANDU_RETURN_IF_ERROR(
                tx.Exec("INSERT INTO vote_count (sheet_id, review_id, choice, n) VALUES "
                        "(?, ?, ?, 0)",
                        {sheet_id, item.review_id, std::string(code)})
                    .status());
          }
          JIANDU_RETURN_IF_ERROR(
              tx.Exec("INSERT INTO vote_count (sheet_id, review_id, choice, n) VALUES "
                      "(?, ?, 'invalid', 0)",
                      {sheet_id, item.review_id})
                  .status());
        }
        audit::EventInput ev{.actor = who.AuditActor(), .action = "ballot.open",
                             .entity_type = "vote_sheet", .entity_id = row->Text(0),
                             .org_path = m.committee_path};
        ev.change.Created("meeting_id", std::to_string(meeting_id));
        ev.change.Created("rule", Encode(rule));
        ev.change.Created("members_total", std::to_string(m.members.size()));
        ev.change.Created("present", std::to_string(m.present.size()));
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        // The members present are told their ballot is open (through their linked accounts).
        std::vector<int64_t> users;
        for (int64_t p : m.present) {
          JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
              "SELECT id FROM app_user WHERE person_id = ? AND disabled = 0",
              std::vector<store::Value>{p}, [&](const store::RowView& r) {
                users.push_back(r.Int(0));
                return Status::Ok();
              }));
        }
        JIANDU_RETURN_IF_ERROR(notify::Post(tx,
                                            {.user_ids = users,
                                             .kind = "ballot.opened",
                                             .title = "民主测评已开始：" + m.name,
                                             .entity_type = "vote_sheet",
                                             .entity_id = row->Text(0),
                                             .dedup_key = "sheet:" + row->Text(0) + ":opened"},
                                            clock_.Now())
                                   .status());
        return LoadSheet(tx, who, sheet_id, auth::Permission::kReviewWrite);
      });
}

Result<Sheet> MeetingService::GetSheet(const auth::Principal& who, int64_t sheet_id) {
  // A member voting reads the sheet with vote.cast; officers and viewers with review.read.
  const auth::Permission perm = auth::RoleHasPermission(who.role, auth::Permission::kReviewRead)
                                    ? auth::Permission::kReviewRead
                                    : auth::Permission::kVoteCast;
  return store::RunInTransaction<Sheet>(
      store_, store::TxMode::kReadOnly,
      [&](store::Tx& tx) -> Result<Sheet> { return LoadSheet(tx, who, sheet_id, perm); });
}

Result<std::vector<Sheet>> MeetingService::ListSheets(const auth::Principal& who, bool mine,
                                                      bool open_only) {
  const auth::Permission perm =
      mine ? auth::Permission::kVoteCast : auth::Permission::kReviewRead;
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, perm));
  return store::RunInTransaction<std::vector<Sheet>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<std::vector<Sheet>> {
        std::string sql =
            "SELECT s.id FROM vote_sheet s JOIN review_meeting m ON m.id = s.meeting_id "
            "JOIN org c ON c.id = m.committee_org_id WHERE 1 = 1";
        std::vector<store::Value> params;
        if (mine) {
          sql += " AND EXISTS (SELECT 1 FROM review_attendance a WHERE a.meeting_id = m.id AND "
                 "a.person_id = ?)";
          params.emplace_back(who.person_id);
        }
        if (!who.system) {
          sql += " AND " + store::StartsWith("c.path");
          store::AppendStartsWith(params, who.org_path);
        }
        if (open_only) {
          sql += " AND s.state <> 'closed'";
        }
        sql += " ORDER BY s.id DESC LIMIT 100";
        std::vector<int64_t> ids;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(sql, params, [&](const store::RowView& r) {
          ids.push_back(r.Int(0));
          return Status::Ok();
        }));
        std::vector<Sheet> out;
        for (int64_t id : ids) {
          JIANDU_ASSIGN_OR_RETURN(Sheet s, LoadSheet(tx, who, id, perm));
          out.push_back(std::move(s));
        }
        return out;
      });
}

Result<Sheet> MeetingService::GetResults(const auth::Principal& who, int64_t sheet_id) {
  JIANDU_ASSIGN_OR_RETURN(Sheet s, GetSheet(who, sheet_id));
  if (s.state != SheetState::kClosed) {
    return Status::FailedPrecondition(
        "the ballot is still open: results are counted when it closes", "sheet");
  }
  return s;
}

Result<std::shared_ptr<const MeetingService::SheetFacts>> MeetingService::FrozenSheetFacts(
    int64_t sheet_id) {
  {
    std::lock_guard lock(facts_mu_);
    auto it = facts_.find(sheet_id);
    if (it != facts_.end()) return it->second;
  }
  auto facts = std::make_shared<SheetFacts>();
  JIANDU_RETURN_IF_ERROR(store::RunInTransaction(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Status {
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> s,
            tx.QueryOne("SELECT s.meeting_id, c.path FROM vote_sheet s JOIN review_meeting m ON "
                        "m.id = s.meeting_id JOIN org c ON c.id = m.committee_org_id WHERE "
                        "s.id = ?",
                        {sheet_id}));
        if (!s) {
          return Status::NotFound(auth::kNoSuchRecord);
        }
        facts->committee_path = s->Text(1);
        const std::vector<store::Value> meeting{s->Int(0)};
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT review_id FROM review_meeting_item WHERE meeting_id = ? ORDER BY review_id",
            meeting, [&](const store::RowView& r) {
              facts->items.push_back(r.Int(0));
              return Status::Ok();
            }));
        return tx.ForEachRow(
            "SELECT person_id FROM review_attendance WHERE meeting_id = ? ORDER BY person_id",
            meeting, [&](const store::RowView& r) {
              facts->present.push_back(r.Int(0));
              return Status::Ok();
            });
      }));
  std::lock_guard lock(facts_mu_);
  if (facts_.size() >= 1024) facts_.clear();  // old meetings' sheets; re-read if ever needed
  facts_.emplace(sheet_id, facts);
  return std::shared_ptr<const SheetFacts>(std::move(facts));
}

Result<std::function<Status(store::Tx&)>> MeetingService::PrepareCast(
    const auth::Principal& who, int64_t sheet_id, const std::vector<BallotChoice>& choices,
    std::string* receipt_out) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kVoteCast));
  if (who.person_id == 0) {
    return Status::PermissionDenied(
        "this account is not linked to a member of the standing committee");
  }
  // Validation runs before the write, against the sheet's frozen facts (read once per sheet);
  // only the sheet's state and window can change, so the write checks those again.
  JIANDU_ASSIGN_OR_RETURN(std::shared_ptr<const SheetFacts> facts, FrozenSheetFacts(sheet_id));
  JIANDU_RETURN_IF_ERROR(auth::Authorize(who, auth::Permission::kVoteCast,
                                         auth::Resource::InOrg(facts->committee_path)));
  if (!std::binary_search(facts->present.begin(), facts->present.end(), who.person_id)) {
    return Status::PermissionDenied(
        "only members recorded present at the meeting vote; you are not on the attendance list");
  }
  std::set<int64_t> seen;
  for (size_t i = 0; i < choices.size(); ++i) {
    const std::string f = "choices[" + std::to_string(i) + "].review_id";
    if (!std::binary_search(facts->items.begin(), facts->items.end(), choices[i].review_id)) {
      return Status::InvalidArgument(f, "names an official who is not on this ballot");
    }
    if (!seen.insert(choices[i].review_id).second) {
      return Status::InvalidArgument(f, "names an official twice");
    }
  }
  if (seen.size() != facts->items.size()) {
    return Status::InvalidArgument(
        "choices", "must give a choice (or abstain) for every official on the ballot");
  }
  std::string committee_path = facts->committee_path;
  // All the counts in one statement; it must touch exactly one row per official.
  std::string count_sql = "UPDATE vote_count SET n = n + 1 WHERE sheet_id = ? AND (";
  std::vector<store::Value> count_params{sheet_id};
  for (size_t i = 0; i < choices.size(); ++i) {
    count_sql += i == 0 ? "(review_id = ? AND choice = ?)" : " OR (review_id = ? AND choice = ?)";
    count_params.emplace_back(choices[i].review_id);
    count_params.emplace_back(std::string(ChoiceCode(choices[i].choice)));
  }
  count_sql += ")";
  *receipt_out = RandomReceipt();
  const size_t choice_count = choices.size();
  return [this, sheet_id, person_id = who.person_id, actor = who.AuditActor(),
          committee_path = std::move(committee_path), count_sql = std::move(count_sql),
          count_params = std::move(count_params), choice_count,
          receipt_hash = ReceiptHash(sheet_id, *receipt_out)](store::Tx& tx) -> Status {
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> s,
        tx.QueryOne("SELECT state, opens_at, closes_at FROM vote_sheet WHERE id = ?", {sheet_id}));
    if (!s) {
      return Status::NotFound(auth::kNoSuchRecord);
    }
    const int64_t now = clock_.Now().unix_micros();
    if (s->Text(0) == "draft" || now < s->Int(1)) {
      return Status::FailedPrecondition("voting has not opened yet", "sheet");
    }
    if (s->Text(0) != "open" || (!s->IsNull(2) && now > s->Int(2))) {
      return Status::FailedPrecondition("voting has closed", "sheet");
    }
    // One vote per member and sheet: the unique key decides between concurrent requests.
    Result<int64_t> joined = tx.Exec(
        "INSERT INTO vote_participation (sheet_id, person_id, channel) VALUES "
        "(?, ?, 'electronic')",
        {sheet_id, person_id});
    if (!joined.ok()) {
      return joined.status().code() == StatusCode::kConflict
                 ? Status::Conflict("you have already voted on this ballot", "sheet")
                 : joined.status();
    }
    JIANDU_ASSIGN_OR_RETURN(int64_t counted, tx.Exec(count_sql, count_params));
    if (counted != static_cast<int64_t>(choice_count)) {
      return Status::Internal("the ballot's counts do not match its officials");
    }
    JIANDU_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO vote_receipt (sheet_id, receipt_hash) VALUES (?, ?)",
                {sheet_id, receipt_hash})
            .status());
    // The event names the voter and the sheet, never a choice.
    audit::EventInput ev{.actor = actor,
                         .action = "ballot.cast",
                         .entity_type = "vote_sheet",
                         .entity_id = std::to_string(sheet_id),
                         .org_path = committee_path};
    ev.change.Touch("participation");
    return audit_.Append(tx, ev).status();
  };
}

Result<std::string> MeetingService::Cast(const auth::Principal& who, int64_t sheet_id,
                                         const std::vector<BallotChoice>& choices) {
  std::string receipt;
  JIANDU_ASSIGN_OR_RETURN(std::function<Status(store::Tx&)> write,
                          PrepareCast(who, sheet_id, choices, &receipt));
  JIANDU_RETURN_IF_ERROR(store::RunInTransaction(store_, store::TxMode::kReadWrite, write));
  return receipt;
}

void MeetingService::CastAsync(const auth::Principal& who, int64_t sheet_id,
                               const std::vector<BallotChoice>& choices,
                               std::function<void(Result<std::string>)> done) {
  std::string receipt;
  Result<std::function<Status(store::Tx&)>> write = PrepareCast(who, sheet_id, choices, &receipt);
  if (!write.ok()) {
    return done(write.status());
  }
  store_.RunWriteAsync(std::move(*write),
                       [receipt = std::move(receipt), done = std::move(done)](Status s) {
                         done(s.ok() ? Result<std::string>(receipt) : Result<std::string>(s));
                       });
}

Result<bool> MeetingService::CheckReceipt(const auth::Principal& who, int64_t sheet_id,
                                          const std::string& receipt) {
  if (receipt.size() < 16 || receipt.size() > 32) {
    return Status::InvalidArgument("receipt", "is not a receipt code");
  }
  return store::RunInTransaction<bool>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<bool> {
        const auth::Permission perm =
            auth::RoleHasPermission(who.role, auth::Permission::kReviewRead)
                ? auth::Permission::kReviewRead
                : auth::Permission::kVoteCast;
        JIANDU_RETURN_IF_ERROR(LoadSheet(tx, who, sheet_id, perm).status());
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> r,
            tx.QueryOne("SELECT 1 FROM vote_receipt WHERE sheet_id = ? AND receipt_hash = ?",
                        {sheet_id, ReceiptHash(sheet_id, receipt)}));
        return r.has_value();
      });
}

Result<Sheet> MeetingService::MarkPaperVoters(const auth::Principal& who, int64_t sheet_id,
                                              const std::vector<int64_t>& person_ids) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  if (person_ids.empty()) {
    return Status::InvalidArgument("person_ids", "name at least one member");
  }
  return store::RunInTransaction<Sheet>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Sheet> {
        JIANDU_ASSIGN_OR_RETURN(Sheet s,
                                LoadSheet(tx, who, sheet_id, auth::Permission::kReviewWrite));
        if (s.state != SheetState::kOpen) {
          return Status::FailedPrecondition("voting is not open", "sheet");
        }
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> entered,
            tx.QueryOne("SELECT COUNT(*) FROM vote_paper_entry WHERE sheet_id = ?", {sheet_id}));
        if (entered->Int(0) > 0) {
          return Status::FailedPrecondition("the paper counts are being entered", "person_ids");
        }
        for (size_t i = 0; i < person_ids.size(); ++i) {
          const std::string f = "person_ids[" + std::to_string(i) + "]";
          JIANDU_ASSIGN_OR_RETURN(
              std::optional<store::Row> p,
              tx.QueryOne("SELECT 1 FROM review_attendance WHERE meeting_id = ? AND "
                          "person_id = ?",
                          {s.meeting_id, person_ids[i]}));
          if (!p) {
            return Status::InvalidArgument(f, "is not a member present");
          }
          Result<int64_t> ins =
              tx.Exec("INSERT INTO vote_participation (sheet_id, person_id, channel) VALUES "
                      "(?, ?, 'paper')",
                      {sheet_id, person_ids[i]});
          if (!ins.ok()) {
            return ins.status().code() == StatusCode::kConflict
                       ? Status::Conflict("this member has already voted", f)
                       : ins.status();
          }
        }
        audit::EventInput ev{.actor = who.AuditActor(), .action = "ballot.paper_voters",
                             .entity_type = "vote_sheet", .entity_id = std::to_string(sheet_id),
                             .org_path = s.committee_path};
        ev.change.Created("paper_voters", std::to_string(person_ids.size()));
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        return LoadSheet(tx, who, sheet_id, auth::Permission::kReviewWrite);
      });
}

Result<Sheet> MeetingService::EnterPaperCounts(const auth::Principal& who, int64_t sheet_id,
                                               const std::vector<PaperCounts>& counts) {
  // A mismatch discards the first entry durably (and audits it), then answers 409.
  bool mismatch = false;
  Result<Sheet> out = store::RunInTransaction<Sheet>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Sheet> {
        JIANDU_ASSIGN_OR_RETURN(Sheet s,
                                LoadSheet(tx, who, sheet_id, auth::Permission::kReviewWrite));
        if (s.state != SheetState::kOpen) {
          return Status::FailedPrecondition("voting is not open", "sheet");
        }
        JIANDU_ASSIGN_OR_RETURN(const int64_t voters, PaperVoters(tx, sheet_id));
        if (voters == 0) {
          return Status::FailedPrecondition("no member is marked as voting on paper", "counts");
        }
        if (counts.size() != s.items.size()) {
          return Status::InvalidArgument("counts", "give the counts of every official on the "
                                                   "ballot");
        }
        std::map<int64_t, PaperCounts> by_review;
        for (size_t i = 0; i < counts.size(); ++i) {
          const PaperCounts& c = counts[i];
          const std::string f = "counts[" + std::to_string(i) + "]";
          if (std::none_of(s.items.begin(), s.items.end(),
                           [&](const AgendaItem& it) { return it.review_id == c.review_id; })) {
            return Status::InvalidArgument(f + ".review_id", "is not on this ballot");
          }
          if (c.satisfied < 0 || c.basically_satisfied < 0 || c.dissatisfied < 0 ||
              c.abstain < 0 || c.invalid < 0) {
            return Status::InvalidArgument(f, "counts must not be negative");
          }
          if (c.satisfied + c.basically_satisfied + c.dissatisfied + c.abstain + c.invalid !=
              voters) {
            return Status::InvalidArgument(
                f, "the counts must add up to the " + std::to_string(voters) + " paper ballots");
          }
          if (!by_review.emplace(c.review_id, c).second) {
            return Status::InvalidArgument(f + ".review_id", "is given twice");
          }
        }
        std::string encoded;
        for (const auto& [id, c] : by_review) {
          encoded += std::to_string(id) + ":" + std::to_string(c.satisfied) + "," +
                     std::to_string(c.basically_satisfied) + "," +
                     std::to_string(c.dissatisfied) + "," + std::to_string(c.abstain) + "," +
                     std::to_string(c.invalid) + ";";
        }
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> first,
            tx.QueryOne("SELECT teller_user_id, counts FROM vote_paper_entry WHERE sheet_id = ?",
                        {sheet_id}));
        audit::EventInput ev{.actor = who.AuditActor(), .action = "ballot.paper_entry",
                             .entity_type = "vote_sheet", .entity_id = std::to_string(sheet_id),
                             .org_path = s.committee_path};
        if (!first) {
          JIANDU_RETURN_IF_ERROR(tx.Exec("INSERT INTO vote_paper_entry (sheet_id, "
                                         "teller_user_id, counts) VALUES (?, ?, ?)",
                                         {sheet_id, who.user_id, encoded})
                                     .status());
          ev.change.Created("first_entry", encoded);
          JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
          return LoadSheet(tx, who, sheet_id, auth::Permission::kReviewWrite);
        }
        if (first->Int(0) == who.user_id) {
          return Status::FailedPrecondition(
              "the second entry must come from a different teller", "counts");
        }
        if (first->Text(1) != encoded) {
          // Both tellers count again: the first entry is discarded.
          JIANDU_RETURN_IF_ERROR(
              tx.Exec("DELETE FROM vote_paper_entry WHERE sheet_id = ?", {sheet_id}).status());
          ev.change.Created("mismatch", encoded);
          JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
          mismatch = true;
          return s;
        }
        for (const auto& [id, c] : by_review) {
          const std::pair<const char*, int64_t> adds[] = {
              {"satisfied", c.satisfied},     {"basically_satisfied", c.basically_satisfied},
              {"dissatisfied", c.dissatisfied}, {"abstain", c.abstain},
              {"invalid", c.invalid}};
          for (const auto& [choice, n] : adds) {
            JIANDU_RETURN_IF_ERROR(tx.Exec("UPDATE vote_count SET n = n + ? WHERE sheet_id = ? "
                                           "AND review_id = ? AND choice = ?",
                                           {n, sheet_id, id, std::string(choice)})
                                       .status());
          }
        }
        JIANDU_RETURN_IF_ERROR(
            tx.Exec("UPDATE vote_paper_entry SET confirmed_by = ? WHERE sheet_id = ?",
                    {who.user_id, sheet_id})
                .status());
        ev.change.Created("confirmed_entry", encoded);
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        return LoadSheet(tx, who, sheet_id, auth::Permission::kReviewWrite);
      });
  if (out.ok() && mismatch) {
    return Status::Conflict(
        "the two tellers' counts differ; both entries are discarded, count again", "counts");
  }
  return out;
}

Result<Sheet> MeetingService::CloseSheet(const auth::Principal& who, int64_t sheet_id) {
  return store::RunInTransaction<Sheet>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Sheet> {
        JIANDU_ASSIGN_OR_RETURN(Sheet s,
                                LoadSheet(tx, who, sheet_id, auth::Permission::kReviewWrite));
        if (s.state != SheetState::kOpen) {
          return Status::FailedPrecondition("the ballot is not open", "sheet");
        }
        JIANDU_ASSIGN_OR_RETURN(const int64_t paper_voters, PaperVoters(tx, sheet_id));
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> confirmed,
            tx.QueryOne("SELECT COUNT(*) FROM vote_paper_entry WHERE sheet_id = ? AND "
                        "confirmed_by IS NOT NULL",
                        {sheet_id}));
        if (paper_voters > 0 && confirmed->Int(0) == 0) {
          return Status::FailedPrecondition(
              "the paper ballots have not been entered and confirmed by two tellers", "counts");
        }
        JIANDU_ASSIGN_OR_RETURN(GradingRule rule, DecodeGradingRule(s.rule_text));
        std::map<std::pair<int64_t, std::string>, int64_t> n;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT review_id, choice, n FROM vote_count WHERE sheet_id = ?",
            std::vector<store::Value>{sheet_id}, [&](const store::RowView& r) {
              n[{r.Int(0), std::string(r.Text(1))}] = r.Int(2);
              return Status::Ok();
            }));
        const int64_t now = clock_.Now().unix_micros();
        JIANDU_RETURN_IF_ERROR(
            tx.Exec("UPDATE vote_sheet SET state = 'closed', closed_at = ? WHERE id = ?",
                    {now, sheet_id})
                .status());
        audit::EventInput ev{.actor = who.AuditActor(), .action = "ballot.close",
                             .entity_type = "vote_sheet", .entity_id = std::to_string(sheet_id),
                             .org_path = s.committee_path};
        ev.change.Created("voted", std::to_string(s.voted));
        for (const AgendaItem& item : s.items) {
          TallyCounts t;
          t.members_total = s.members_total;
          t.present = s.present;
          t.satisfied = n[{item.review_id, "satisfied"}];
          t.basically_satisfied = n[{item.review_id, "basically_satisfied"}];
          t.dissatisfied = n[{item.review_id, "dissatisfied"}];
          t.abstain = n[{item.review_id, "abstain"}];
          t.invalid = n[{item.review_id, "invalid"}];
          JIANDU_ASSIGN_OR_RETURN(GradeOutcome out, Evaluate(rule, t));
          const store::Value grade =
              out.grade ? store::Value(std::string(GradeCode(*out.grade))) : store::Value();
          JIANDU_RETURN_IF_ERROR(
              tx.Exec("INSERT INTO vote_result (sheet_id, review_id, purpose, members_total, "
                      "present, satisfied, basically_satisfied, dissatisfied, abstain, invalid, "
                      "quorum_met, grade, rate_num, rate_den, explanation) VALUES "
                      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {sheet_id, item.review_id, item.purpose, t.members_total, t.present,
                       t.satisfied, t.basically_satisfied, t.dissatisfied, t.abstain, t.invalid,
                       out.quorum_met ? 1 : 0, grade, out.rate_num, out.rate_den,
                       out.explanation})
                  .status());
          ev.change.Created("result_" + std::to_string(item.review_id),
                            std::to_string(t.satisfied) + "/" +
                                std::to_string(t.basically_satisfied) + "/" +
                                std::to_string(t.dissatisfied) + "/" + std::to_string(t.abstain) +
                                "/" + std::to_string(t.invalid) + " " +
                                (out.grade ? std::string(GradeCode(*out.grade)) : "no_quorum"));
          JIANDU_RETURN_IF_ERROR(
              reviews_.ApplyVoteInTx(tx, who, item.review_id, item.purpose, out.grade));
        }
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        return LoadSheet(tx, who, sheet_id, auth::Permission::kReviewWrite);
      });
}

}  // namespace jiandu::review
