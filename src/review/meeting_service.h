// Meetings of the standing committee that hear reviews (专题评议会议), and the secret ballot
// (民主测评) held at them.
//
// A meeting has an agenda of reviews, each with a purpose: "hearing" (the first vote), "re_report"
// (the re-vote after a 不满意 grade) or "follow_up" (the 回头看 second vote). Officers record the
// attendance of the committee's members; the questioner for each item is drawn at random from
// the members present (reproducible: the seed and the candidates are stored, and anyone can
// recompute the draw with VerifyDraw's rule); questions and answers are recorded.
//
// The ballot. One sheet per meeting lists every review on the agenda. A member present votes
// once per sheet, from a phone or a meeting-room screen, choosing satisfied / basically_satisfied
// / dissatisfied / abstain for every review on it. Secrecy:
//  - who voted (vote_participation) and what was voted (vote_count: one counter per review and
//    choice) are kept apart; there is no ballot row at all, so no id order, timestamp or audit
//    event links a voter to a choice. The audit event of a cast names the sheet, never a choice;
//  - one vote per voter and sheet is enforced by a unique key inside the transaction that
//    increments the counters, so two concurrent requests cannot both count;
//  - the voter gets a receipt code, stored only as a SHA-256 hash, with which they can check
//    that their ballot was counted without revealing it.
// Paper ballots: officers mark the members voting on paper; two different tellers each enter the
// paper counts, which are added only when both entries agree.
// The live tally shows turnout while voting is open; per-review counts and grades exist only
// once the sheet is closed, graded with the sheet's grading rule (grading_rule.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "audit/audit_log.h"
#include "auth/authorizer.h"
#include "core/clock.h"
#include "notify/notify.h"
#include "review/grading_rule.h"
#include "review/review_service.h"
#include "store/store.h"

namespace jiandu::review {

enum class SheetState { kDraft, kOpen, kClosed };
std::string_view SheetStateCode(SheetState s);

enum class Choice { kSatisfied, kBasicallySatisfied, kDissatisfied, kAbstain };
std::string_view ChoiceCode(Choice c);
std::optional<Choice> ParseChoice(std::string_view s);

struct AgendaItem {
  int64_t review_id = 0;
  std::string purpose;  // hearing | re_report | follow_up
  std::string person_name;
  std::string position_title;
  std::string org_name;
};

struct Member {
  int64_t person_id = 0;
  std::string name;
  std::string position_title;
};

struct Question {
  int64_t id = 0;
  int64_t review_id = 0;
  int64_t asker_person_id = 0;
  std::string asker_name;
  std::string question;
  std::string answer;
  std::optional<int64_t> draw_id;
};

struct Draw {
  int64_t id = 0;
  int64_t meeting_id = 0;
  int64_t review_id = 0;
  std::string seed_hex;                // 32 random bytes, hex
  std::vector<int64_t> candidates;     // person ids, ascending
  int64_t chosen_person_id = 0;
  std::string chosen_name;
};

struct Meeting {
  int64_t id = 0;
  int64_t committee_org_id = 0;
  std::string committee_name;
  std::string committee_path;
  std::string name;
  core::CivilDate held_on;
  std::vector<AgendaItem> agenda;
  std::vector<Member> members;   // every member of the committee (at the time of reading)
  std::vector<int64_t> present;  // person ids recorded present
  std::vector<Question> questions;
  std::vector<Draw> draws;
  std::optional<int64_t> sheet_id;
  int64_t version = 0;
};

struct ItemResult {
  int64_t review_id = 0;
  std::string purpose;
  TallyCounts counts;
  bool quorum_met = false;
  std::optional<Grade> grade;
  int64_t rate_num = 0;
  int64_t rate_den = 0;
  std::string explanation;
};

struct Sheet {
  int64_t id = 0;
  int64_t meeting_id = 0;
  std::string meeting_name;
  SheetState state = SheetState::kDraft;
  std::string rule_text;  // the grading rule, encoded
  int64_t members_total = 0;
  int64_t present = 0;
  int64_t voted = 0;  // ballots cast so far (electronic + paper voters)
  std::optional<core::Timestamp> opened_at;
  std::optional<core::Timestamp> closed_at;
  core::Timestamp opens_at;                  // the voting window: ballots from here...
  std::optional<core::Timestamp> closes_at;  // ...until here (then only the close remains)
  std::vector<AgendaItem> items;
  std::vector<ItemResult> results;  // only once closed
  // For the signed-in member: whether they may vote and whether they have.
  bool eligible = false;
  bool has_voted = false;
  std::string committee_path;  // for audit events; not rendered
};

struct NewMeeting {
  int64_t committee_id = 0;
  std::string name;
  std::optional<core::CivilDate> held_on;  // default today; never in the future
};

struct BallotChoice {
  int64_t review_id = 0;
  Choice choice = Choice::kAbstain;
};

struct PaperCounts {
  int64_t review_id = 0;
  int64_t satisfied = 0;
  int64_t basically_satisfied = 0;
  int64_t dissatisfied = 0;
  int64_t abstain = 0;
  int64_t invalid = 0;
};

class MeetingService {
 public:
  MeetingService(store::Store& store, const audit::AuditLog& audit, const core::Clock& clock,
                 const ReviewService& reviews)
      : store_(store), audit_(audit), clock_(clock), reviews_(reviews) {}

  // OK if the meeting exists and its committee is in `who`'s scope for `action`.
  static Status CheckVisible(store::Tx& tx, const auth::Principal& who, int64_t id,
                             auth::Permission action);

  Result<Meeting> Create(const auth::Principal& who, const NewMeeting& in);
  Result<Meeting> Get(const auth::Principal& who, int64_t id);
  Result<core::Page<Meeting>> List(const auth::Principal& who, const core::PageRequest& page);
  // Puts a review on the agenda: purpose hearing needs the review at report_submitted (and
  // an investigation report), re_report needs re_reported, follow_up needs follow_up.
  Result<Meeting> AddItem(const auth::Principal& who, int64_t meeting_id, int64_t review_id,
                          const std::string& purpose);
  // Records the members present (replaces the list) until the ballot opens.
  Result<Meeting> SetAttendance(const auth::Principal& who, int64_t meeting_id,
                                const std::vector<int64_t>& person_ids);
  // Draws a questioner for an agenda item among the members present who have not yet been
  // drawn for it.
  Result<Draw> DrawQuestioner(const auth::Principal& who, int64_t meeting_id, int64_t review_id);
  Result<Question> AddQuestion(const auth::Principal& who, int64_t meeting_id, int64_t review_id,
                               int64_t asker_person_id, const std::string& question,
                               const std::string& answer, std::optional<int64_t> draw_id);

  // --- the ballot ---
  // Opens the sheet (one per meeting): the agenda is frozen, members_total is the number of
  // members in office, the grading rule is recorded. `rule_text` empty: the default rule.
  // Voting starts after `delay_seconds` (0: at once) and, with `duration_minutes`, ends that
  // long after it started; the sheet is `draft` until then.
  Result<Sheet> OpenSheet(const auth::Principal& who, int64_t meeting_id,
                          const std::string& rule_text, int delay_seconds = 0,
                          std::optional<int> duration_minutes = std::nullopt);
  Result<Sheet> GetSheet(const auth::Principal& who, int64_t sheet_id);
  // Sheets, newest first (at most 100): with `mine`, those the caller is recorded present for
  // (vote.cast; none without a linked person); otherwise those of committees in the caller's
  // scope (review.read). `open_only` keeps the ones not yet closed.
  Result<std::vector<Sheet>> ListSheets(const auth::Principal& who, bool mine, bool open_only);
  // The per-review results: failed_precondition while the ballot is open.
  Result<Sheet> GetResults(const auth::Principal& who, int64_t sheet_id);
  // Casts the caller's ballot; returns the receipt code (shown once).
  Result<std::string> Cast(const auth::Principal& who, int64_t sheet_id,
                           const std::vector<BallotChoice>& choices);
  // Cast without waiting for the write: validates here, then queues the write
  // (store::Store::RunWriteAsync) and calls `done` once with what Cast would return — on this
  // thread when validation refuses the ballot, else on whichever thread committed the write.
  // `done` must not block. The HTTP route uses it so that no server thread waits on the fsync.
  void CastAsync(const auth::Principal& who, int64_t sheet_id,
                 const std::vector<BallotChoice>& choices,
                 std::function<void(Result<std::string>)> done);
  // Whether a ballot with this receipt was counted on the sheet.
  Result<bool> CheckReceipt(const auth::Principal& who, int64_t sheet_id,
                            const std::string& receipt);
  // Marks members present as voting on paper (they cannot vote electronically after).
  Result<Sheet> MarkPaperVoters(const auth::Principal& who, int64_t sheet_id,
                                const std::vector<int64_t>& person_ids);
  // One teller's entry of the paper counts. The second entry, by another user, must match the
  // first exactly; then the counts are added. Returns the sheet.
  Result<Sheet> EnterPaperCounts(const auth::Principal& who, int64_t sheet_id,
                                 const std::vector<PaperCounts>& counts);
  // Closes the sheet, grades each item and moves the reviews on.
  Result<Sheet> CloseSheet(const auth::Principal& who, int64_t sheet_id);

 private:
  // What a ballot on a sheet is checked against: the committee, the agenda and the attendance,
  // all frozen once the sheet exists (AddItem and RecordAttendance refuse changes then; org paths
  // never change), so they are read once per sheet and kept in memory — also safe with several
  // server processes. not_found when there is no such sheet.
  struct SheetFacts {
    std::string committee_path;
    std::vector<int64_t> items;    // review ids on the agenda, ascending
    std::vector<int64_t> present;  // person ids recorded present, ascending
  };
  Result<std::shared_ptr<const SheetFacts>> FrozenSheetFacts(int64_t sheet_id);

  // Cast's validation (read-only, before the write) and the write that records the ballot,
  // which owns everything it needs; sets `receipt` to the code the write stores the hash of.
  Result<std::function<Status(store::Tx&)>> PrepareCast(const auth::Principal& who,
                                                        int64_t sheet_id,
                                                        const std::vector<BallotChoice>& choices,
                                                        std::string* receipt);
  Result<Meeting> LoadMeeting(store::Tx& tx, const auth::Principal& who, int64_t id,
                              auth::Permission action, bool details) const;
  Result<Sheet> LoadSheet(store::Tx& tx, const auth::Principal& who, int64_t id,
                          auth::Permission action) const;

  store::Store& store_;
  const audit::AuditLog& audit_;
  const core::Clock& clock_;
  std::mutex facts_mu_;
  std::unordered_map<int64_t, std::shared_ptr<const SheetFacts>> facts_;  // guarded by facts_mu_
  const ReviewService& reviews_;
};

// The committee members in office on `on`: persons with an active appointment to a position of
// the committee organisation, by person id.
Result<std::vector<Member>> CommitteeMembersInTx(store::Tx& tx, int64_t committee_id);

// The draw rule: index = (first 8 bytes of SHA-256(seed_hex || "|" || ids joined by ",")) as a
// big-endian unsigned integer, modulo the number of candidates.
int64_t DrawIndex(std::string_view seed_hex, const std::vector<int64_t>& candidates);

}  // namespace jiandu::review
