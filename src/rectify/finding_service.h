// The rectification engine (整改): ONE loop for every problem found, whatever found it.
//
// A finding comes from a source — a review opinion, an inspection, a warning, a tip, a case —
// named by a kind and an opaque reference, so new sources plug in without changing this module
// (it knows nothing about reviews). The supervising organisation opens it against a responsible
// organisation (and optionally a person) with a deadline counted in working days, calendar days
// or months from the day it is opened (DOMAIN.md §8: the start day is not counted; a deadline
// that falls on a rest day moves to the next working day).
//
//   open ──plan──▶ rectifying ──final report──▶ reported ──verify──▶ closed (eliminated)
//     │                ▲                                    │
//     └─progress──▶ ───┘ ◀──── reopened with a new deadline ─┘ (partly / not eliminated)
//
// The responsible organisation (its users with finding.report, in that organisation or below)
// submits the plan, progress reports with evidence files, and the final report. The supervising
// organisation's officers verify (回头看) with a verdict per finding; a verdict other than
// eliminated reopens the finding for another round with a new deadline. Accountability records
// (问责) may be added at any time. Findings past their deadline and not yet reported are overdue:
// SweepOverdue notifies the responsible unit and the supervisors, and escalates to the officers
// above the supervising organisation.
//
// Other domain modules open findings inside their own transaction (OpenInTx) and read their
// progress (ListBySource); every write appends an audit event in the same transaction.
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
#include "store/store.h"

namespace jiandu::rectify {

enum class SourceKind { kReviewOpinion, kInspection, kWarning, kTip, kCase };
enum class Severity { kLow, kMedium, kHigh };
enum class DeadlineUnit { kWorkingDays, kCalendarDays, kMonths };
enum class FindingState { kOpen, kRectifying, kReported, kClosed };
enum class Verdict { kEliminated, kPartlyEliminated, kNotEliminated };
enum class ReportKind { kPlan, kProgress, kFinal };

std::string_view Code(SourceKind v);
std::string_view Code(Severity v);
std::string_view Code(DeadlineUnit v);
std::string_view Code(FindingState v);
std::string_view Code(Verdict v);
std::string_view Code(ReportKind v);
std::optional<SourceKind> ParseSourceKind(std::string_view s);
std::optional<Severity> ParseSeverity(std::string_view s);
std::optional<DeadlineUnit> ParseDeadlineUnit(std::string_view s);
std::optional<FindingState> ParseFindingState(std::string_view s);
std::optional<Verdict> ParseVerdict(std::string_view s);
std::optional<ReportKind> ParseReportKind(std::string_view s);

struct Deadline {
  DeadlineUnit unit = DeadlineUnit::kWorkingDays;
  int amount = 0;  // 1..3650 days or 1..120 months
};

// The due date of `d` counted from `start` (start excluded; rest days skipped at the end).
// invalid_argument naming "deadline.amount"; failed_precondition when the calendar lacks a year.
Result<core::CivilDate> DueDate(const core::Calendar& cal, core::CivilDate start, Deadline d);

struct Finding {
  int64_t id = 0;
  SourceKind source_kind = SourceKind::kReviewOpinion;
  std::string source_ref;
  std::string title;
  std::string detail;
  Severity severity = Severity::kMedium;
  int64_t responsible_org_id = 0;
  std::string responsible_org_name;
  std::string responsible_org_path;
  std::optional<int64_t> responsible_person_id;
  std::string responsible_person_name;
  int64_t supervising_org_id = 0;
  std::string supervising_org_name;
  std::string supervising_org_path;
  Deadline deadline;
  core::CivilDate opened_on;
  core::CivilDate due_on;
  FindingState state = FindingState::kOpen;
  int round = 1;
  std::optional<Verdict> verdict;  // of the last verification
  std::optional<core::CivilDate> verified_on;
  std::optional<core::CivilDate> overdue_notified_on;
  std::optional<core::CivilDate> escalated_on;
  int64_t version = 0;
  core::Timestamp created_at;
  core::Timestamp updated_at;

  // Not reported (or closed) by its due date.
  bool IsOverdue(core::CivilDate today) const {
    return (state == FindingState::kOpen || state == FindingState::kRectifying) && today > due_on;
  }
};

struct EvidenceFile {
  int64_t id = 0;
  std::string name;
  std::string content_type;
  std::string sha256;
  int64_t size = 0;
};

struct FindingReport {
  int64_t id = 0;
  int64_t finding_id = 0;
  int round = 1;
  ReportKind kind = ReportKind::kProgress;
  std::string body;
  core::CivilDate reported_on;
  std::string reporter;  // display name of the user
  std::vector<EvidenceFile> evidence;
  core::Timestamp created_at;
};

struct Verification {
  int64_t id = 0;
  int round = 1;
  Verdict verdict = Verdict::kEliminated;
  std::string note;
  core::CivilDate verified_on;
  std::optional<core::CivilDate> new_due_on;  // when reopened
  core::Timestamp created_at;
};

struct AccountabilityRecord {
  int64_t id = 0;
  std::optional<int64_t> person_id;
  std::string person_name;
  std::string measure;  // 诫勉, 通报批评, 组织调整, ... (free text; the ledger module classifies)
  std::string note;
  core::CivilDate decided_on;
  core::Timestamp created_at;
};

struct FindingDetail {
  Finding finding;
  std::vector<FindingReport> reports;
  std::vector<Verification> verifications;
  std::vector<AccountabilityRecord> accountability;
};

struct NewFinding {
  SourceKind source_kind = SourceKind::kReviewOpinion;
  std::string source_ref;  // 1..100 characters, e.g. "review:12/opinion:3"
  std::string title;
  std::string detail;
  Severity severity = Severity::kMedium;
  int64_t responsible_org_id = 0;
  std::optional<int64_t> responsible_person_id;
  int64_t supervising_org_id = 0;
  Deadline deadline;
  std::optional<core::CivilDate> opened_on;  // default today; never in the future
};

struct NewReport {
  ReportKind kind = ReportKind::kProgress;
  std::string body;
  std::optional<int64_t> version;
};

struct NewEvidence {
  std::string name;          // file name as uploaded
  std::string content_type;  // declared; checked against the bytes
  std::string data;
};

struct NewVerification {
  Verdict verdict = Verdict::kEliminated;
  std::string note;
  std::optional<Deadline> new_deadline;  // required unless eliminated
  std::optional<int64_t> version;
};

struct NewAccountability {
  std::optional<int64_t> person_id;
  std::string measure;
  std::string note;
  std::optional<core::CivilDate> decided_on;  // default today
};

struct FindingFilter {
  std::optional<FindingState> state;
  std::optional<SourceKind> source_kind;
  std::optional<std::string> source_ref;
  std::optional<int64_t> responsible_org_id;  // that organisation or below
  bool overdue_only = false;
};

struct SweepResult {
  int64_t overdue = 0;      // findings found overdue
  int64_t notified = 0;     // notices written
  int64_t escalated = 0;    // findings escalated for the first time
  int64_t due_soon = 0;     // findings due within the warning window
};

// Evidence files: at most this many bytes each, of these types (sniffed from the bytes).
inline constexpr int64_t kMaxEvidenceBytes = 8 * 1024 * 1024;

class FindingService {
 public:
  FindingService(store::Store& store, const audit::AuditLog& audit, const core::Clock& clock,
                 const core::Calendar& calendar)
      : store_(store), audit_(audit), clock_(clock), calendar_(calendar) {}

  // Opens a finding inside the caller's transaction: for other domain modules, which have
  // already authorised their own action. Checks the organisations exist, the deadline is not
  // already past, and the texts; appends "finding.open".
  Result<Finding> OpenInTx(store::Tx& tx, const auth::Principal& who, const NewFinding& in) const;
  // The findings of one source, in the caller's transaction, oldest first (no scope check:
  // the calling module has checked access to the source).
  Result<std::vector<Finding>> ListBySourceInTx(store::Tx& tx, SourceKind kind,
                                                std::string_view source_ref) const;

  // The finding in `tx` if `who` may do `action` on it; not_found otherwise.
  static Result<Finding> LoadVisible(store::Tx& tx, const auth::Principal& who, int64_t id,
                                     auth::Permission action);

  // Opens a finding directly (inspections and officers' own findings): finding.write, with the
  // supervising organisation in the caller's scope. Not for review opinions (invalid_argument
  // naming source_kind): those are opened by their review.
  Result<Finding> Open(const auth::Principal& who, const NewFinding& in);
  Result<FindingDetail> Get(const auth::Principal& who, int64_t id);
  Result<core::Page<Finding>> List(const auth::Principal& who, const FindingFilter& f,
                                   const core::PageRequest& page);

  // The responsible organisation reports: a plan (open → rectifying), progress (open or
  // rectifying → rectifying), or the final report (→ reported). finding.report, from the
  // responsible organisation or below.
  Result<FindingReport> Report(const auth::Principal& who, int64_t id, const NewReport& in);
  // Attaches an evidence file to one of the finding's reports (same rule as Report).
  Result<EvidenceFile> AttachEvidence(const auth::Principal& who, int64_t finding_id,
                                      int64_t report_id, const NewEvidence& in);
  // The bytes of an evidence file, for whoever may read the finding.
  Result<std::pair<EvidenceFile, std::string>> ReadEvidence(const auth::Principal& who,
                                                            int64_t finding_id, int64_t file_id);
  // 回头看: the supervisors' verdict on a reported finding. eliminated closes it; otherwise it
  // reopens for another round with `new_deadline` counted from today.
  Result<Finding> Verify(const auth::Principal& who, int64_t id, const NewVerification& in);
  Result<AccountabilityRecord> AddAccountability(const auth::Principal& who, int64_t id,
                                                 const NewAccountability& in);

  // Notifies about findings due within `warn_days` calendar days and overdue ones, and
  // escalates overdue findings to the officers above the supervising organisation. Idempotent
  // per day. Run by the server periodically and by `jiandu rectify sweep`.
  Result<SweepResult> SweepOverdue(int warn_days = 10);

 private:
  store::Store& store_;
  const audit::AuditLog& audit_;
  const core::Clock& clock_;
  const core::Calendar& calendar_;
};

// Statistics of a set of findings, for reports (整改率 = closed / all).
struct FindingStats {
  int64_t total = 0;
  int64_t closed = 0;
  int64_t reported = 0;
  int64_t overdue = 0;
};
// The findings of exactly one source (overdue as of `today`), counted in the database.
Result<FindingStats> StatsBySourceInTx(store::Tx& tx, SourceKind kind,
                                       std::string_view source_ref, core::CivilDate today);

std::vector<store::Migration> Migrations();

}  // namespace jiandu::rectify
