// Reviews (工作评议) of appointed officials by the standing committee, and the term plan that
// schedules them (seed 001, DOMAIN.md §3).
//
// A review moves through fixed stages; every transition is checked and an illegal one answers
// failed_precondition naming the current stage:
//
//   planned ─▶ investigating ─▶ report_submitted ─▶ hearing ─▶ voted ─▶ opinions_adopted
//      (调研组, tasks)   (work report)   (on a meeting's agenda) (tally)  (主任会议)
//   ─▶ delivered ─┬─(满意/基本满意)──────────────────────────────▶ rectifying ─▶ follow_up ─▶ closed
//                 └─(不满意)─▶ re_reporting ─▶ re_reported ─▶ (re-vote) ─┬▶ rectifying
//                     (3 months)                                           └▶ escalation ─▶ closed
//
// Delivery of the adopted opinions opens one finding per opinion in the rectification engine
// (rectify/), due `rectify_months` months after delivery (6 by default). 回头看 (follow_up)
// starts when every finding has its final report; a second satisfaction vote is held and the
// findings are verified; the review closes when every finding is closed. Votes happen at
// meetings (meeting_service.h), which move reviews from hearing to voted, from re_reported to
// rectifying or escalation, and record the follow-up grade.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "auth/authorizer.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/page.h"
#include "rectify/finding_service.h"
#include "review/grading_rule.h"
#include "store/store.h"

namespace jiandu::review {

enum class Stage {
  kPlanned,
  kInvestigating,
  kReportSubmitted,
  kHearing,
  kVoted,
  kOpinionsAdopted,
  kDelivered,
  kReReporting,
  kReReported,
  kRectifying,
  kFollowUp,
  kEscalation,
  kClosed,
};
std::string_view StageCode(Stage s);
std::optional<Stage> ParseStage(std::string_view s);

// Values of investigation_method (GLOSSARY §3).
enum class TaskMethod { kInterview, kDocumentReview, kQuestionnaire, kClientFeedback, kOnlineNotice };
std::string_view TaskMethodCode(TaskMethod m);
std::optional<TaskMethod> ParseTaskMethod(std::string_view s);

// The recipients of review opinions (seed 001): the official, the unit, 县委, 县政府, 组织部.
enum class Recipient { kOfficial, kUnit, kPartyCommittee, kGovernment, kOrganizationDepartment };
std::string_view RecipientCode(Recipient r);
std::optional<Recipient> ParseRecipient(std::string_view s);
inline constexpr Recipient kAllRecipients[] = {Recipient::kOfficial, Recipient::kUnit,
                                               Recipient::kPartyCommittee, Recipient::kGovernment,
                                               Recipient::kOrganizationDepartment};

struct TeamMember {
  std::string name;
  std::string role;         // "leader" (a member of the committee's leadership) or "member"
  std::string affiliation;  // 常委会委员, 专工委, 人大代表, expert
};

struct Task {
  int64_t id = 0;
  TaskMethod method = TaskMethod::kInterview;
  std::string title;
  std::optional<core::CivilDate> done_on;
  std::string summary;
  bool open_to_public = false;  // online notice and questionnaire tasks accept public input
};

struct Opinion {
  int64_t id = 0;
  int seq = 0;
  std::string body;
  std::optional<int64_t> finding_id;
};

struct Delivery {
  Recipient recipient = Recipient::kOfficial;
  core::CivilDate delivered_on;
  std::optional<core::CivilDate> acknowledged_on;
  std::string acknowledged_by;
};

struct VoteOutcome {
  std::string purpose;  // "hearing", "re_report", "follow_up"
  int64_t sheet_id = 0;
  int64_t meeting_id = 0;
  std::string meeting_name;
  core::CivilDate held_on;
  bool quorum_met = false;
  std::optional<Grade> grade;
  TallyCounts counts;
  int64_t rate_num = 0;
  int64_t rate_den = 0;
  std::string explanation;
};

struct Review {
  int64_t id = 0;
  int64_t committee_org_id = 0;
  std::string committee_name;
  std::string committee_path;
  int64_t appointment_id = 0;
  int64_t person_id = 0;
  std::string person_name;
  std::string position_title;
  int64_t target_org_id = 0;
  std::string target_org_name;
  std::string target_org_path;
  int year = 0;
  Stage stage = Stage::kPlanned;
  std::optional<Grade> grade;            // of the first vote
  std::optional<Grade> re_vote_grade;    // after the re-report (不满意 path)
  std::optional<Grade> follow_up_grade;  // 回头看 second vote
  std::string investigation_report;
  std::string work_report;
  std::optional<core::CivilDate> work_report_on;
  std::string re_report;
  std::optional<core::CivilDate> re_report_on;
  std::optional<core::CivilDate> re_report_due_on;
  std::string adopted_by;  // the 主任会议 that adopted the opinions
  std::optional<core::CivilDate> adopted_on;
  std::optional<core::CivilDate> delivered_on;
  int rectify_months = 6;
  bool published = false;
  int64_t version = 0;
  core::Timestamp created_at;
  core::Timestamp updated_at;
};

struct ReviewDetail {
  Review review;
  std::vector<TeamMember> team;
  std::vector<Task> tasks;
  std::vector<Opinion> opinions;
  std::vector<Delivery> deliveries;
  std::vector<VoteOutcome> votes;
  std::vector<rectify::Finding> findings;
  int64_t public_opinions = 0;
  int64_t questionnaire_responses = 0;
};

struct ReviewFilter {
  std::optional<int64_t> committee_id;
  std::optional<int> year;
  std::optional<Stage> stage;
  std::optional<int64_t> person_id;
};

// One official in the coverage view of a term plan.
struct CoverageEntry {
  int64_t appointment_id = 0;
  int64_t person_id = 0;
  std::string person_name;
  std::string position_title;
  std::string position_category;
  int64_t org_id = 0;
  std::string org_name;
  std::optional<int64_t> review_id;
  std::optional<int> year;
  std::optional<Stage> stage;
  std::optional<Grade> grade;
};

struct Coverage {
  int64_t committee_id = 0;
  int first_year = 0;
  int last_year = 0;
  std::vector<CoverageEntry> officials;
  int64_t scheduled = 0;
  int64_t reviewed = 0;  // voted or beyond
};

struct PlanRequest {
  int64_t committee_id = 0;
  int first_year = 0;
  int last_year = 0;
  int per_year = 6;  // 5–6 in 郧西
};

struct NewReview {
  int64_t committee_id = 0;
  int64_t appointment_id = 0;
  int year = 0;
};

struct InvestigationStart {
  std::vector<TeamMember> team;
  std::vector<std::pair<TaskMethod, std::string>> tasks;  // method and title
  std::optional<int64_t> version;
};

struct Delivered {
  Recipient recipient = Recipient::kOfficial;
  std::optional<core::CivilDate> delivered_on;  // default today
};

// Statistics of one committee's year or term, computed from the records (seed 001's figures).
struct ReviewStats {
  int first_year = 0;
  int last_year = 0;
  int64_t scheduled = 0;
  int64_t heard = 0;           // reviews voted on (first vote)
  int64_t satisfied = 0;
  int64_t basically_satisfied = 0;
  int64_t dissatisfied = 0;
  int64_t opinions = 0;        // opinions adopted
  int64_t findings = 0;
  int64_t findings_closed = 0;
  int64_t findings_overdue = 0;
  // 满意率: (满意 + 基本满意) ballots over the valid ballots of every first vote of the period.
  int64_t rate_num = 0;
  int64_t rate_den = 0;
  // 整改率: closed findings over all findings of the period's reviews.
  double RectificationRate() const {
    return findings == 0 ? 0.0 : static_cast<double>(findings_closed) / findings;
  }
  double SatisfactionRate() const {
    return rate_den == 0 ? 0.0 : static_cast<double>(rate_num) / rate_den;
  }
  struct Year {
    int year = 0;
    int64_t scheduled = 0;
    int64_t heard = 0;
    int64_t satisfied = 0;
    int64_t basically_satisfied = 0;
    int64_t dissatisfied = 0;
    int64_t opinions = 0;
  };
  std::vector<Year> years;
};

// A published result (public page): no personal data beyond the official's name and post,
// which the congress publishes anyway.
struct PublishedResult {
  int64_t review_id = 0;
  int year = 0;
  std::string person_name;
  std::string position_title;
  std::string org_name;
  std::optional<Grade> grade;
  int64_t rate_num = 0;
  int64_t rate_den = 0;
  int64_t opinions = 0;
  int64_t findings = 0;
  int64_t findings_closed = 0;
  std::optional<Grade> follow_up_grade;
  Stage stage = Stage::kPlanned;
};

// What the public sees of a review's online notice (网上公告征集意见).
struct PublicNotice {
  int64_t review_id = 0;
  std::string title;
  std::string person_name;
  std::string position_title;
  std::string org_name;
  std::string committee_name;
  bool accepts_opinions = false;
  bool accepts_questionnaire = false;
};

// One questionnaire answer: a grade per criterion and an optional comment.
struct QuestionnaireAnswer {
  std::vector<Grade> ratings;  // one per criterion, kQuestionnaireCriteria of them
  std::string comment;
};
inline constexpr int kQuestionnaireCriteria = 6;  // 暂行办法 art 4: six criteria

class ReviewService {
 public:
  ReviewService(store::Store& store, const audit::AuditLog& audit, const core::Clock& clock,
                const core::Calendar& calendar, const rectify::FindingService& findings)
      : store_(store), audit_(audit), clock_(clock), calendar_(calendar), findings_(findings) {}

  // --- the term plan ---
  Result<Coverage> GetCoverage(const auth::Principal& who, int64_t committee_id, int first_year,
                               int last_year);
  // Schedules every official not yet scheduled in [first_year, last_year], filling each year up
  // to per_year, earliest appointed first; returns the reviews created.
  Result<std::vector<Review>> GeneratePlan(const auth::Principal& who, const PlanRequest& in);
  Result<Review> Schedule(const auth::Principal& who, const NewReview& in);

  // --- one review ---
  Result<ReviewDetail> Get(const auth::Principal& who, int64_t id);
  Result<core::Page<Review>> List(const auth::Principal& who, const ReviewFilter& f,
                                  const core::PageRequest& page);
  Result<Review> StartInvestigation(const auth::Principal& who, int64_t id,
                                    const InvestigationStart& in);
  Result<Task> CompleteTask(const auth::Principal& who, int64_t review_id, int64_t task_id,
                            const std::string& summary);
  Result<Review> RecordInvestigationReport(const auth::Principal& who, int64_t id,
                                           const std::string& text,
                                           std::optional<int64_t> version);
  // The official's unit (review.report, in the target organisation) or an officer.
  Result<Review> SubmitWorkReport(const auth::Principal& who, int64_t id, const std::string& text,
                                  std::optional<int64_t> version);
  Result<Opinion> AddOpinion(const auth::Principal& who, int64_t id, const std::string& body);
  Result<Review> AdoptOpinions(const auth::Principal& who, int64_t id,
                               const std::string& chairpersons_council,
                               std::optional<core::CivilDate> adopted_on,
                               std::optional<int64_t> version);
  // Records delivery to the given recipients; once all five have it, the review is delivered
  // and its findings are opened.
  Result<Review> Deliver(const auth::Principal& who, int64_t id,
                         const std::vector<Delivered>& to, std::optional<int64_t> version);
  // The recipient's receipt (回执).
  Result<Review> Acknowledge(const auth::Principal& who, int64_t id, Recipient recipient);
  Result<Review> SubmitReReport(const auth::Principal& who, int64_t id, const std::string& text,
                                std::optional<int64_t> version);
  Result<Review> StartFollowUp(const auth::Principal& who, int64_t id,
                               std::optional<int64_t> version);
  Result<Review> Close(const auth::Principal& who, int64_t id, std::optional<int64_t> version);
  Result<Review> SetPublished(const auth::Principal& who, int64_t id, bool published);

  // --- statistics and publication ---
  Result<ReviewStats> Stats(const auth::Principal& who, int64_t committee_id, int first_year,
                            int last_year);
  Result<std::vector<PublishedResult>> PublishedResults(std::optional<int> year);

  // --- the public's input (no session; nothing about the sender is stored) ---
  Result<PublicNotice> GetPublicNotice(int64_t id);
  Status SubmitPublicOpinion(int64_t id, const std::string& body);
  Status SubmitQuestionnaire(int64_t id, const QuestionnaireAnswer& answer);
  Result<std::vector<std::string>> ListPublicOpinions(const auth::Principal& who, int64_t id);

  // For the meeting service: the review in `tx` if `who` may act on it.
  static Result<Review> LoadVisible(store::Tx& tx, const auth::Principal& who, int64_t id,
                                    auth::Permission action);
  // Applies a vote result to a review (hearing → voted, re_reported → rectifying/escalation,
  // follow_up grade), in the meeting service's transaction.
  Status ApplyVoteInTx(store::Tx& tx, const auth::Principal& who, int64_t review_id,
                       std::string_view purpose, std::optional<Grade> grade) const;

 private:
  // A stage change by the reviewed unit that submits a text (work report, re-report).
  struct ReportStep {
    const char* action;
    const char* who_may;
    Stage from;
    Stage to;
    const char* wrong_stage;
    const char* text_column;
    const char* date_column;
  };
  Result<Review> SubmitReportText(const auth::Principal& who, int64_t id,
                                  const std::string& text, std::optional<int64_t> version,
                                  const ReportStep& step);
  // A transition the unit takes (review.report, from the official's unit or below) or an
  // officer takes for it (review.write); `what` completes "only the reviewed official's unit …".
  Result<Review> UnitTransition(const auth::Principal& who, int64_t id,
                                std::optional<int64_t> version, std::string_view action,
                                std::string_view what,
                                const std::function<Status(store::Tx&, Review&,
                                                           audit::ChangeSet&)>& fn);
  Result<Review> Transition(const auth::Principal& who, int64_t id,
                            std::optional<int64_t> version, std::string_view action,
                            const std::function<Status(store::Tx&, Review&,
                                                       audit::ChangeSet&)>& fn,
                            auth::Permission permission = auth::Permission::kReviewWrite);

  store::Store& store_;
  const audit::AuditLog& audit_;
  const core::Clock& clock_;
  const core::Calendar& calendar_;
  const rectify::FindingService& findings_;
};

std::vector<store::Migration> Migrations();

}  // namespace jiandu::review
