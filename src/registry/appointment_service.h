// AppointmentService: positions in organisations and the appointments of people to them, with
// the pre-appointment record (任前法律知识考试, 表态发言, 宪法宣誓).
//
// Rules enforced (each failure names its field):
//  - term_end after appointed_on; appointed_on not in the future;
//  - the law exam passed (score or the single resit ≥ pass mark) unless exempted
//    (平职调整, 本机关内调整, 换届留任 — DOMAIN.md §1.6); a resit only after a failed exam;
//  - the statement speech (表态发言) on or before the vote, the oath (宪法宣誓) on or after it;
//  - the appointing body is a standing committee (人大常委会) in the caller's scope;
//  - a head (正职) position has at most one active holder; a person holds a position once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/authorizer.h"
#include "core/clock.h"
#include "core/page.h"
#include "registry/types.h"
#include "store/store.h"

namespace jiandu::registry {

struct NewPosition {
  int64_t org_id = 0;
  std::string title;
  std::string category;  // PositionCategory code
};

// Pre-appointment input as text, so each field's error names it.
struct PreAppointmentInput {
  std::optional<int> exam_score;
  std::optional<int> exam_pass_mark;
  std::optional<std::string> exam_taken_on;
  std::optional<int> resit_score;
  std::optional<std::string> resit_taken_on;
  std::optional<std::string> exam_exemption;
  std::optional<std::string> statement_on;
  std::optional<std::string> oath_on;
};

struct NewAppointment {
  int64_t person_id = 0;
  int64_t position_id = 0;
  int64_t appointing_body_id = 0;
  std::string decision_type;
  std::string meeting;
  std::string appointed_on;
  std::string term_end;
  PreAppointmentInput pre;
};

struct AppointmentPatch {
  std::optional<int64_t> version;
  std::optional<std::string> term_end;
  std::optional<std::string> meeting;
  std::optional<PreAppointmentInput> pre;
};

struct EndAppointment {
  std::optional<int64_t> version;
  std::string ended_on;
  std::string end_reason;
  std::string end_note;
};

struct AppointmentFilter {
  std::optional<int64_t> person_id;
  std::optional<int64_t> org_id;  // positions in this organisation or its descendants
  bool active_only = false;
};

class AppointmentService {
 public:
  AppointmentService(store::Store& store, const audit::AuditLog& audit, const core::Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  Result<Position> CreatePosition(const auth::Principal& who, const NewPosition& in);
  Result<std::vector<Position>> ListPositions(const auth::Principal& who, int64_t org_id);

  Result<Appointment> Create(const auth::Principal& who, const NewAppointment& in);
  Result<Appointment> Get(const auth::Principal& who, int64_t id);
  Result<Appointment> Update(const auth::Principal& who, int64_t id, const AppointmentPatch& p);
  Result<Appointment> End(const auth::Principal& who, int64_t id, const EndAppointment& in);
  // As End, inside the caller's transaction (an adopted 撤职案 ends the post in the same
  // transaction as the vote).
  Result<Appointment> EndInTx(store::Tx& tx, const auth::Principal& who, int64_t id,
                              const EndAppointment& in) const;
  Result<core::Page<Appointment>> List(const auth::Principal& who, const AppointmentFilter& f,
                                       const core::PageRequest& page);

  // The appointment inside a transaction if `who` may do `action` on it; not_found otherwise.
  static Result<Appointment> LoadVisible(store::Tx& tx, const auth::Principal& who, int64_t id,
                                         auth::Permission action);

 private:
  store::Store& store_;
  const audit::AuditLog& audit_;
  const core::Clock& clock_;
};

}  // namespace jiandu::registry
