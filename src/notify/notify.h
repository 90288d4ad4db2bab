// The in-app inbox: notices to users about deadlines coming due, overdue findings, ballots
// opened and opinions received. Domain modules post notices inside their own transaction, so a
// notice exists exactly when the write that caused it committed.
//
//   JIANDU_RETURN_IF_ERROR(notify::Post(tx, {.recipients = notify::Officers(finding.org_path),
//       .kind = "finding.overdue", .title = "整改逾期", .entity_type = "finding",
//       .entity_id = "12", .dedup_key = "finding:12:overdue:2025-05-20"}, clock.Now()));
//
// A notice names its entity and carries a short Chinese title; it never contains personal data
// beyond what its recipients may already read. The dedup key makes posting idempotent per user,
// so a periodic sweep can post the same notice again without duplicating it.
//
// Writes of notices are covered by the audit event of the write that caused them; marking a
// notice read is the user's own bookkeeping and is not audited (docs/audit-format.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/authorizer.h"
#include "core/clock.h"
#include "core/page.h"
#include "store/store.h"

namespace jiandu::notify {

// Who receives a notice: users with one of `roles` whose scope covers `org_path` (their
// organisation is that organisation or one of its ancestors). With `exact_org`, only users of
// that very organisation.
struct Audience {
  std::string org_path;
  std::vector<auth::Role> roles;
  bool exact_org = false;
};

struct Notice {
  std::vector<Audience> recipients;
  std::vector<int64_t> user_ids;  // further recipients named directly
  std::string kind;               // "finding.overdue", "ballot.opened", ...
  std::string title;              // short, Chinese
  std::string body;
  std::string entity_type;
  std::string entity_id;
  std::string dedup_key;          // one notice per user and key
};

struct Notification {
  int64_t id = 0;
  std::string kind;
  std::string title;
  std::string body;
  std::string entity_type;
  std::string entity_id;
  core::Timestamp created_at;
  std::optional<core::Timestamp> read_at;
};

// Posts a notice to every recipient (disabled users excluded); returns how many new rows were
// written (0 when every recipient already had the key).
Result<int64_t> Post(store::Tx& tx, const Notice& notice, core::Timestamp now);

std::vector<store::Migration> Migrations();

class InboxService {
 public:
  InboxService(store::Store& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  // The caller's own notices, newest first.
  Result<core::Page<Notification>> List(const auth::Principal& who, bool unread_only,
                                        const core::PageRequest& page);
  Result<int64_t> UnreadCount(const auth::Principal& who);
  // not_found unless the notice is the caller's.
  Status MarkRead(const auth::Principal& who, int64_t id);
  // Marks every notice of the caller read; returns how many changed.
  Result<int64_t> MarkAllRead(const auth::Principal& who);

 private:
  store::Store& store_;
  const core::Clock& clock_;
};

}  // namespace jiandu::notify
