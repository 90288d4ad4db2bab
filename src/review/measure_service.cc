#include "review/measure_service.h"

#include <algorithm>
#include <set>

#include "core/code_table.h"
#include "registry/org_service.h"
#include "registry/validate.h"
#include "review/meeting_service.h"

namespace jiandu::review {
namespace {

constexpr std::pair<MeasureKind, std::string_view> kKinds[] = {
    {MeasureKind::kInquiry, "inquiry"},
    {MeasureKind::kThematicInquiry, "thematic_inquiry"},
    {MeasureKind::kInterpellation, "interpellation"},
    {MeasureKind::kSpecialInvestigation, "special_investigation"},
    {MeasureKind::kDismissalMotion, "dismissal_motion"},
};
constexpr std::pair<Proposer, std::string_view> kProposers[] = {
    {Proposer::kChairpersonsCouncil, "chairpersons_council"},
    {Proposer::kMembers, "members"},
    {Proposer::kOrgan, "organ"},
};

std::string JoinIds(const std::vector<int64_t>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(ids[i]);
  }
  return s;
}

std::vector<int64_t> SplitIds(std::string_view s) {
  std::vector<int64_t> out;
  while (!s.empty()) {
    const size_t comma = s.find(',');
    out.push_back(std::stoll(std::string(s.substr(0, comma))));
    s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
  }
  return out;
}

CommitteeLevel LevelOf(const std::string& region_code) {
  if (region_code.size() == 6 && region_code.substr(2) == "0000") return CommitteeLevel::kProvince;
  if (region_code.size() == 6 && region_code.substr(4) == "00") return CommitteeLevel::kCity;
  return CommitteeLevel::kCounty;
}

// The context every precondition needs.
struct Context {
  Review review;
  registry::Org committee;
  registry::Org target_org;
  std::set<int64_t> members;
  std::string decision_type;
  int64_t appointing_body_id = 0;
};

Result<Context> LoadContext(store::Tx& tx, const auth::Principal& who, int64_t review_id,
                            auth::Permission action) {
  Context c;
  JIANDU_ASSIGN_OR_RETURN(c.review, ReviewService::LoadVisible(tx, who, review_id, action));
  JIANDU_ASSIGN_OR_RETURN(std::optional<registry::Org> committee,
                          registry::OrgService::Load(tx, c.review.committee_org_id));
  JIANDU_ASSIGN_OR_RETURN(std::optional<registry::Org> target,
                          registry::OrgService::Load(tx, c.review.target_org_id));
  c.committee = *committee;
  c.target_org = *target;
  JIANDU_ASSIGN_OR_RETURN(std::vector<Member> members,
                          CommitteeMembersInTx(tx, c.review.committee_org_id));
  for (const Member& m : members) c.members.insert(m.person_id);
  JIANDU_ASSIGN_OR_RETURN(
      std::optional<store::Row> a,
      tx.QueryOne("SELECT decision_type, appointing_body_id FROM appointment WHERE id = ?",
                  {c.review.appointment_id}));
  c.decision_type = a->Text(0);
  c.appointing_body_id = a->Int(1);
  return c;
}

bool QuestionableOrgan(registry::OrgKind k) {
  using K = registry::OrgKind;
  return k == K::kGovernment || k == K::kGovernmentDepartment || k == K::kDisciplineCommission ||
         k == K::kCourt || k == K::kProcuratorate;
}

std::vector<MeasureOption> OptionsFor(const Context& c) {
  std::vector<MeasureOption> out;
  const bool escalated = c.review.stage == Stage::kEscalation;
  const std::string not_escalated =
      "offered when the re-vote after the re-report is still 不满意 (the review is at " +
      std::string(StageCode(c.review.stage)) + ")";
  const int64_t total = static_cast<int64_t>(c.members.size());
  const int64_t fifth = (total + 4) / 5;
  for (const auto& [kind, code] : kKinds) {
    MeasureOption o;
    o.kind = kind;
    o.available = escalated;
    o.reason = escalated ? "" : not_escalated;
    if (kind == MeasureKind::kInterpellation) {
      o.cosigners_needed = InterpellationThreshold(LevelOf(c.committee.region_code));
      if (escalated && !QuestionableOrgan(c.target_org.kind)) {
        o.available = false;
        o.reason = "质询 is addressed to the government, its departments, the supervision "
                   "commission, the court or the procuratorate";
      } else if (escalated) {
        o.reason = "needs " + std::to_string(o.cosigners_needed) + " members' joint signatures";
      }
    }
    if (kind == MeasureKind::kSpecialInvestigation) {
      o.cosigners_needed = fifth;
      if (escalated) {
        o.reason = "proposed by the 主任会议, or by " + std::to_string(fifth) +
                   " members (one fifth of " + std::to_string(total) + ")";
      }
    }
    if (kind == MeasureKind::kDismissalMotion) {
      o.cosigners_needed = fifth;
      if (escalated && (c.appointing_body_id != c.committee.id || c.decision_type == "elected")) {
        o.available = false;
        o.reason = "撤职案 applies to officials this committee appointed (监督法 art 60)";
      } else if (escalated) {
        o.reason = "proposed by the 主任会议, the official's organ, or " + std::to_string(fifth) +
                   " members; adopted by more than half of all " + std::to_string(total) +
                   " members";
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

Result<Measure> LoadMeasure(store::Tx& tx, int64_t id) {
  JIANDU_ASSIGN_OR_RETURN(
      std::optional<store::Row> r,
      tx.QueryOne("SELECT id, review_id, kind, state, proposer, cosigners, committee, content, "
                  "answer_mode, answer, defense_statement, members_total, votes_for, "
                  "votes_against, votes_abstain, outcome, created_at FROM supervision_measure "
                  "WHERE id = ?",
                  {id}));
  if (!r) {
    return Status::NotFound(auth::kNoSuchRecord);
  }
  Measure m;
  m.id = r->Int(0);
  m.review_id = r->Int(1);
  m.kind = ParseMeasureKind(r->Text(2)).value_or(MeasureKind::kInquiry);
  m.state = r->Text(3);
  m.proposer = ParseProposer(r->Text(4)).value_or(Proposer::kChairpersonsCouncil);
  m.cosigners = SplitIds(r->Text(5));
  m.committee = SplitIds(r->Text(6));
  m.content = r->Text(7);
  m.answer_mode = r->Text(8);
  m.answer = r->Text(9);
  m.defense_statement = r->Text(10);
  m.members_total = r->Int(11);
  m.votes_for = r->Int(12);
  m.votes_against = r->Int(13);
  m.votes_abstain = r->Int(14);
  m.outcome = r->Text(15);
  m.created_at = core::Timestamp::FromUnixMicros(r->Int(16));
  return m;
}

}  // namespace

std::string_view MeasureKindCode(MeasureKind k) { return core::CodeOf(kKinds, k); }
std::optional<MeasureKind> ParseMeasureKind(std::string_view s) {
  return core::ParseCode(kKinds, s);
}
std::string_view ProposerCode(Proposer p) { return core::CodeOf(kProposers, p); }
std::optional<Proposer> ParseProposer(std::string_view s) { return core::ParseCode(kProposers, s); }

int InterpellationThreshold(CommitteeLevel level) {
  return level == CommitteeLevel::kCounty ? 3 : 5;
}
bool AtLeastOneFifth(int64_t cosigners, int64_t members_total) {
  return cosigners * 5 >= members_total;
}
bool MoreThanHalf(int64_t votes, int64_t members_total) { return votes * 2 > members_total; }

Result<std::vector<MeasureOption>> MeasureService::Options(const auth::Principal& who,
                                                           int64_t review_id) {
  return store::RunInTransaction<std::vector<MeasureOption>>(
      store_, store::TxMode::kReadOnly,
      [&](store::Tx& tx) -> Result<std::vector<MeasureOption>> {
        JIANDU_ASSIGN_OR_RETURN(Context c,
                                LoadContext(tx, who, review_id, auth::Permission::kReviewRead));
        return OptionsFor(c);
      });
}

Result<std::vector<Measure>> MeasureService::List(const auth::Principal& who, int64_t review_id) {
  return store::RunInTransaction<std::vector<Measure>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<std::vector<Measure>> {
        JIANDU_RETURN_IF_ERROR(
            ReviewService::LoadVisible(tx, who, review_id, auth::Permission::kReviewRead)
                .status());
        std::vector<int64_t> ids;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT id FROM supervision_measure WHERE review_id = ? ORDER BY id",
            std::vector<store::Value>{review_id}, [&](const store::RowView& r) {
              ids.push_back(r.Int(0));
              return Status::Ok();
            }));
        std::vector<Measure> out;
        for (int64_t id : ids) {
          JIANDU_ASSIGN_OR_RETURN(Measure m, LoadMeasure(tx, id));
          out.push_back(std::move(m));
        }
        return out;
      });
}

Result<Measure> MeasureService::Propose(const auth::Principal& who, int64_t review_id,
                                        const NewMeasure& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  JIANDU_ASSIGN_OR_RETURN(std::string content,
                          registry::CheckText(in.content, "content", 10000, true, true));
  std::set<int64_t> cosigners(in.cosigners.begin(), in.cosigners.end());
  if (cosigners.size() != in.cosigners.size()) {
    return Status::InvalidArgument("cosigners", "lists a member twice");
  }
  std::set<int64_t> committee(in.committee.begin(), in.committee.end());
  if (committee.size() != in.committee.size()) {
    return Status::InvalidArgument("committee", "lists a person twice");
  }
  return store::RunInTransaction<Measure>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Measure> {
        JIANDU_ASSIGN_OR_RETURN(Context c,
                                LoadContext(tx, who, review_id, auth::Permission::kReviewWrite));
        const std::vector<MeasureOption> options = OptionsFor(c);
        const MeasureOption& opt = *std::find_if(options.begin(), options.end(),
                                                 [&](const MeasureOption& o) {
                                                   return o.kind == in.kind;
                                                 });
        if (!opt.available) {
          return Status::FailedPrecondition(opt.reason, "kind");
        }
        for (size_t i = 0; i < in.cosigners.size(); ++i) {
          if (!c.members.count(in.cosigners[i])) {
            return Status::InvalidArgument("cosigners[" + std::to_string(i) + "]",
                                           "is not a member of the standing committee");
          }
        }
        const int64_t total = static_cast<int64_t>(c.members.size());
        const int64_t n = static_cast<int64_t>(cosigners.size());
        switch (in.kind) {
          case MeasureKind::kInquiry:
          case MeasureKind::kThematicInquiry:
            break;
          case MeasureKind::kInterpellation:
            if (in.proposer != Proposer::kMembers) {
              return Status::InvalidArgument("proposer",
                                             "a 质询案 is proposed by members jointly (art 51)");
            }
            if (n < opt.cosigners_needed) {
              return Status::InvalidArgument(
                  "cosigners", "a 质询案 at this level needs at least " +
                                   std::to_string(opt.cosigners_needed) +
                                   " members' joint signatures; " + std::to_string(n) +
                                   " given");
            }
            break;
          case MeasureKind::kSpecialInvestigation:
            if (in.proposer == Proposer::kOrgan) {
              return Status::InvalidArgument(
                  "proposer", "proposed by the 主任会议 or by one fifth of the members (art 56)");
            }
            if (in.proposer == Proposer::kMembers && !AtLeastOneFifth(n, total)) {
              return Status::InvalidArgument(
                  "cosigners", "needs at least one fifth of the " + std::to_string(total) +
                                   " members (" + std::to_string(opt.cosigners_needed) + "); " +
                                   std::to_string(n) + " given");
            }
            if (committee.empty()) {
              return Status::InvalidArgument("committee",
                                             "name the members of the investigation committee");
            }
            if (committee.count(c.review.person_id)) {
              return Status::InvalidArgument(
                  "committee", "the official concerned has a conflict of interest (art 57)");
            }
            break;
          case MeasureKind::kDismissalMotion:
            if (in.proposer == Proposer::kMembers && !AtLeastOneFifth(n, total)) {
              return Status::InvalidArgument(
                  "cosigners", "a 撤职案 by members needs at least one fifth of the " +
                                   std::to_string(total) + " members (" +
                                   std::to_string(opt.cosigners_needed) + "); " +
                                   std::to_string(n) + " given");
            }
            break;
        }
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> row,
            tx.QueryOne("INSERT INTO supervision_measure (review_id, kind, state, proposer, "
                        "cosigners, committee, content, answer_mode, answer, defense_statement, "
                        "members_total, votes_for, votes_against, votes_abstain, outcome, "
                        "created_at) VALUES (?, ?, 'proposed', ?, ?, ?, ?, '', '', '', ?, 0, 0, "
                        "0, '', ?) RETURNING id",
                        {review_id, std::string(MeasureKindCode(in.kind)),
                         std::string(ProposerCode(in.proposer)), JoinIds(in.cosigners),
                         JoinIds(in.committee), content, total, clock_.Now().unix_micros()}));
        audit::EventInput ev{.actor = who.AuditActor(), .action = "measure.propose",
                             .entity_type = "review", .entity_id = std::to_string(review_id),
                             .org_path = c.review.target_org_path};
        ev.change.Created("measure_id", row->Text(0));
        ev.change.Created("kind", MeasureKindCode(in.kind));
        ev.change.Created("proposer", ProposerCode(in.proposer));
        ev.change.Created("cosigners", JoinIds(in.cosigners));
        ev.change.Created("content", content);
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        return LoadMeasure(tx, row->Int(0));
      });
}

Result<Measure> MeasureService::Conclude(const auth::Principal& who, int64_t measure_id,
                                         const Conclusion& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  JIANDU_ASSIGN_OR_RETURN(std::string outcome,
                          registry::CheckText(in.outcome, "outcome", 10000, true, true));
  JIANDU_ASSIGN_OR_RETURN(std::string answer,
                          registry::CheckText(in.answer, "answer", 20000, false, true));
  return store::RunInTransaction<Measure>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Measure> {
        JIANDU_ASSIGN_OR_RETURN(Measure m, LoadMeasure(tx, measure_id));
        JIANDU_ASSIGN_OR_RETURN(Review r, ReviewService::LoadVisible(
                                              tx, who, m.review_id, auth::Permission::kReviewWrite));
        if (m.state != "proposed") {
          return Status::FailedPrecondition("the measure is already " + m.state, "state");
        }
        if (m.kind == MeasureKind::kDismissalMotion) {
          return Status::FailedPrecondition(
              "a 撤职案 concludes with its vote (dismissal-vote)", "kind");
        }
        if (m.kind == MeasureKind::kInterpellation) {
          if (in.answer_mode != "oral_answer" && in.answer_mode != "written_answer") {
            return Status::InvalidArgument("answer_mode",
                                           "the 主任会议 decides oral_answer or written_answer");
          }
          if (answer.empty()) {
            return Status::InvalidArgument("answer", "record the organ's answer");
          }
        } else if (!in.answer_mode.empty()) {
          return Status::InvalidArgument("answer_mode", "applies to a 质询案 only");
        }
        JIANDU_RETURN_IF_ERROR(
            tx.Exec("UPDATE supervision_measure SET state = 'concluded', answer_mode = ?, "
                    "answer = ?, outcome = ? WHERE id = ?",
                    {in.answer_mode, answer, outcome, measure_id})
                .status());
        audit::EventInput ev{.actor = who.AuditActor(), .action = "measure.conclude",
                             .entity_type = "review", .entity_id = std::to_string(m.review_id),
                             .org_path = r.target_org_path};
        ev.change.Created("measure_id", std::to_string(measure_id));
        ev.change.Created("outcome", outcome);
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        return LoadMeasure(tx, measure_id);
      });
}

Result<Measure> MeasureService::RecordDismissalVote(const auth::Principal& who,
                                                    int64_t measure_id, const DismissalVote& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  JIANDU_ASSIGN_OR_RETURN(
      std::string defense,
      registry::CheckText(in.defense_statement, "defense_statement", 20000, true, true));
  if (in.votes_for < 0 || in.votes_against < 0 || in.votes_abstain < 0) {
    return Status::InvalidArgument("votes_for", "vote counts must not be negative");
  }
  return store::RunInTransaction<Measure>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Measure> {
        JIANDU_ASSIGN_OR_RETURN(Measure m, LoadMeasure(tx, measure_id));
        JIANDU_ASSIGN_OR_RETURN(Review r, ReviewService::LoadVisible(
                                              tx, who, m.review_id, auth::Permission::kReviewWrite));
        if (m.kind != MeasureKind::kDismissalMotion) {
          return Status::FailedPrecondition("only a 撤职案 is decided by this vote", "kind");
        }
        if (m.state != "proposed") {
          return Status::FailedPrecondition("the motion is already " + m.state, "state");
        }
        if (in.votes_for + in.votes_against + in.votes_abstain > m.members_total) {
          return Status::InvalidArgument("votes_for", "more votes than the " +
                                                          std::to_string(m.members_total) +
                                                          " members");
        }
        const bool adopted = MoreThanHalf(in.votes_for, m.members_total);
        const std::string outcome =
            adopted ? "adopted: " + std::to_string(in.votes_for) + " of " +
                          std::to_string(m.members_total) + " members in favour (more than half)"
                    : "rejected: " + std::to_string(in.votes_for) + " of " +
                          std::to_string(m.members_total) +
                          " members in favour (more than half needed)";
        JIANDU_RETURN_IF_ERROR(
            tx.Exec("UPDATE supervision_measure SET state = 'concluded', defense_statement = ?, "
                    "votes_for = ?, votes_against = ?, votes_abstain = ?, outcome = ? "
                    "WHERE id = ?",
                    {defense, in.votes_for, in.votes_against, in.votes_abstain, outcome,
                     measure_id})
                .status());
        audit::EventInput ev{.actor = who.AuditActor(), .action = "measure.dismissal_vote",
                             .entity_type = "review", .entity_id = std::to_string(m.review_id),
                             .org_path = r.target_org_path};
        ev.change.Created("measure_id", std::to_string(measure_id));
        ev.change.Created("tally", std::to_string(in.votes_for) + "/" +
                                       std::to_string(in.votes_against) + "/" +
                                       std::to_string(in.votes_abstain));
        ev.change.Created("outcome", adopted ? "adopted" : "rejected");
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        if (adopted) {
          registry::EndAppointment end;
          end.ended_on = clock_.Today().ToString();
          end.end_reason = "dismissed";
          end.end_note = "撤职案通过（" + std::to_string(in.votes_for) + "/" +
                         std::to_string(m.members_total) + "）";
          JIANDU_RETURN_IF_ERROR(appointments_.EndInTx(tx, who, r.appointment_id, end).status());
        }
        return LoadMeasure(tx, measure_id);
      });
}

}  // namespace jiandu::review
