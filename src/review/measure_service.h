// The statutory measures of the 监督法 that follow a review still graded 不满意 after its re-vote
// (DOMAIN.md §1): 询问, 专题询问, 质询, 特定问题调查, 撤职案. Each is offered only when its legal
// precondition holds and is recorded with its outcome.
//
//   kind                    precondition checked here
//   inquiry (询问)           the review is in escalation
//   thematic_inquiry         the review is in escalation
//   interpellation (质询)    cosigned by ≥ 3 members (county) / ≥ 5 (city, province); the
//                            questioned organ is the government, a department, the supervision
//                            commission, the court or the procuratorate (arts 51–54)
//   special_investigation   proposed by the 主任会议 or cosigned by ≥ 1/5 of all members; nobody
//                            with a conflict of interest (the official) on the committee (55–59)
//   dismissal_motion (撤职案) the official was appointed (not elected) by this committee; proposed
//                            by the 主任会议, the official's organ, or ≥ 1/5 of all members; a
//                            reason; adopted by a secret ballot with more than half of ALL
//                            members in favour (arts 60–62), after the defence statement;
//                            an adopted motion ends the appointment (reason `dismissed`) in the
//                            same transaction
//
// "N人以上" and "五分之一以上" include N; "过半数" is strictly more than half (DOMAIN.md counting
// words), implemented as explicit integer comparisons.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/authorizer.h"
#include "core/clock.h"
#include "registry/appointment_service.h"
#include "review/review_service.h"
#include "store/store.h"

namespace jiandu::review {

enum class MeasureKind {
  kInquiry,
  kThematicInquiry,
  kInterpellation,
  kSpecialInvestigation,
  kDismissalMotion,
};
std::string_view MeasureKindCode(MeasureKind k);
std::optional<MeasureKind> ParseMeasureKind(std::string_view s);

// Who proposes: the 主任会议, members jointly (联名), or the organ itself (撤职案 only).
enum class Proposer { kChairpersonsCouncil, kMembers, kOrgan };
std::string_view ProposerCode(Proposer p);
std::optional<Proposer> ParseProposer(std::string_view s);

// The level of a standing committee, from its region code (GB/T 2260).
enum class CommitteeLevel { kProvince, kCity, kCounty };
// Members needed to cosign a 质询案: 5 above the county, 3 at the county (监督法 art 51).
int InterpellationThreshold(CommitteeLevel level);
// "五分之一以上": cosigners × 5 ≥ members_total.
bool AtLeastOneFifth(int64_t cosigners, int64_t members_total);
// "过半数": votes × 2 > members_total.
bool MoreThanHalf(int64_t votes, int64_t members_total);

struct MeasureOption {
  MeasureKind kind = MeasureKind::kInquiry;
  bool available = false;
  std::string reason;  // why not, or the condition that still applies
  int64_t cosigners_needed = 0;
};

struct Measure {
  int64_t id = 0;
  int64_t review_id = 0;
  MeasureKind kind = MeasureKind::kInquiry;
  std::string state;  // proposed, concluded
  Proposer proposer = Proposer::kChairpersonsCouncil;
  std::vector<int64_t> cosigners;
  std::vector<int64_t> committee;  // special investigation committee members (person ids)
  std::string content;
  std::string answer_mode;  // oral_answer / written_answer (质询)
  std::string answer;
  std::string defense_statement;
  int64_t members_total = 0;
  int64_t votes_for = 0;
  int64_t votes_against = 0;
  int64_t votes_abstain = 0;
  std::string outcome;
  core::Timestamp created_at;
};

struct NewMeasure {
  MeasureKind kind = MeasureKind::kInquiry;
  Proposer proposer = Proposer::kChairpersonsCouncil;
  std::vector<int64_t> cosigners;
  std::vector<int64_t> committee;
  std::string content;
};

struct Conclusion {
  std::string answer_mode;  // 质询 only: oral_answer or written_answer
  std::string answer;
  std::string outcome;
};

struct DismissalVote {
  std::string defense_statement;
  int64_t votes_for = 0;
  int64_t votes_against = 0;
  int64_t votes_abstain = 0;
};

class MeasureService {
 public:
  MeasureService(store::Store& store, const audit::AuditLog& audit, const core::Clock& clock,
                 const registry::AppointmentService& appointments)
      : store_(store), audit_(audit), clock_(clock), appointments_(appointments) {}

  Result<std::vector<MeasureOption>> Options(const auth::Principal& who, int64_t review_id);
  Result<std::vector<Measure>> List(const auth::Principal& who, int64_t review_id);
  Result<Measure> Propose(const auth::Principal& who, int64_t review_id, const NewMeasure& in);
  Result<Measure> Conclude(const auth::Principal& who, int64_t measure_id, const Conclusion& in);
  Result<Measure> RecordDismissalVote(const auth::Principal& who, int64_t measure_id,
                                      const DismissalVote& in);

 private:
  store::Store& store_;
  const audit::AuditLog& audit_;
  const core::Clock& clock_;
  const registry::AppointmentService& appointments_;
};

}  // namespace jiandu::review
