#include "audit/audit_log.h"

#include "audit/event_encoding.h"
#include "core/sha256.h"

namespace jiandu::audit {
namespace {

constexpr int kVerifyChunk = 20000;
constexpr char kEventColumns[] =
    "seq, at, actor, action, entity_type, entity_id, org_path, summary, change_digest, "
    "prev_hash, hash";

Event EventFromRow(const store::Row& r) {
  Event e;
  e.seq = r.Int(0);
  e.at = core::Timestamp::FromUnixMicros(r.Int(1));
  e.actor = r.Text(2);
  e.action = r.Text(3);
  e.entity_type = r.Text(4);
  e.entity_id = r.Text(5);
  e.org_path = r.Text(6);
  e.summary = r.Text(7);
  e.change_digest = r.Text(8);
  e.prev_hash = r.Text(9);
  e.hash = r.Text(10);
  return e;
}

VerifyReport Broken(int64_t checked, int64_t seq, std::string reason) {
  VerifyReport r;
  r.ok = false;
  r.events_checked = checked;
  r.first_broken_seq = seq;
  r.reason = std::move(reason);
  return r;
}

}  // namespace

std::vector<store::Migration> Migrations() {
  return {{"audit", 1, "hash-chained event log", std::string(R"sql(
CREATE TABLE audit_event (
  seq {{int64_pk}},
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  org_path TEXT NOT NULL,
  summary TEXT NOT NULL,
  change_digest TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_event_entity ON audit_event (entity_type, entity_id, seq);
CREATE INDEX audit_event_org ON audit_event (org_path, seq);
CREATE TABLE audit_head (
  id BIGINT PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, ')sql") + kZeroHashHex + "');\n"}};
}

Result<int64_t> AuditLog::Append(store::Tx& tx, const EventInput& in) const {
  if (in.actor.empty() || in.action.empty() || in.entity_type.empty() || in.entity_id.empty()) {
    return Status::InvalidArgument("audit_event", "actor, action and entity are required");
  }
  // The head row is the chain's lock: the UPDATE serialises concurrent writers on PostgreSQL
  // (SQLite has one writer anyway) and hands out the next sequence number.
  JIANDU_ASSIGN_OR_RETURN(
      std::optional<store::Row> head,
      tx.QueryOne("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash"));
  if (!head) {
    return Status::Internal("audit chain head is missing");
  }
  Event e;
  e.seq = head->Int(0);
  e.at = clock_.Now();
  e.actor = in.actor;
  e.action = in.action;
  e.entity_type = in.entity_type;
  e.entity_id = in.entity_id;
  e.org_path = in.org_path;
  e.summary = in.change.Summary();
  e.change_digest = in.change.Digest();
  e.prev_hash = head->Text(1);
  e.hash = ChainHashHex(e.prev_hash, LeafHash(e));
  JIANDU_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO audit_event (seq, at, actor, action, entity_type, entity_id, org_path, "
      "summary, change_digest, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.seq, e.at.unix_micros(), e.actor, e.action, e.entity_type, e.entity_id, e.org_path,
       e.summary, e.change_digest, e.prev_hash, e.hash}));
  JIANDU_RETURN_IF_ERROR(tx.Exec("UPDATE audit_head SET hash = ? WHERE id = 1", {e.hash}));
  return e.seq;
}

Result<std::vector<Event>> AuditLog::List(store::Tx& tx, const EventFilter& f) const {
  std::string sql = std::string("SELECT ") + kEventColumns + " FROM audit_event WHERE 1 = 1";
  std::vector<store::Value> params;
  if (f.entity_type) {
    sql += " AND entity_type = ?";
    params.emplace_back(*f.entity_type);
  }
  if (f.entity_id) {
    sql += " AND entity_id = ?";
    params.emplace_back(*f.entity_id);
  }
  if (f.org_path_prefix) {
    sql += " AND " + store::StartsWith("org_path");
    store::AppendStartsWith(params, *f.org_path_prefix);
  }
  if (f.before_seq) {
    sql += " AND seq < ?";
    params.emplace_back(*f.before_seq);
  }
  sql += " ORDER BY seq DESC LIMIT ?";
  params.emplace_back(f.limit);
  JIANDU_ASSIGN_OR_RETURN(store::Rows rows, tx.Query(sql, params));
  std::vector<Event> out;
  out.reserve(rows.size());
  for (const store::Row& r : rows) {
    out.push_back(EventFromRow(r));
  }
  return out;
}

Result<VerifyReport> AuditLog::Verify(store::Store& store,
                                      const std::function<void(int64_t)>& progress) const {
  JIANDU_ASSIGN_OR_RETURN(std::unique_ptr<store::Tx> tx, store.Begin(store::TxMode::kReadOnly));
  JIANDU_ASSIGN_OR_RETURN(std::optional<store::Row> head,
                          tx->QueryOne("SELECT seq, hash FROM audit_head WHERE id = 1"));
  if (!head) {
    return Broken(0, 1, "the chain head row is missing");
  }
  // Rows are read in place (no copy of any field) and in chunks, so memory stays flat on
  // PostgreSQL, which delivers a whole result at once.
  const std::string sql = std::string("SELECT ") + kEventColumns +
                          " FROM audit_event WHERE seq > ? ORDER BY seq LIMIT ?";
  int64_t expected = 1;
  std::string running = kZeroHashHex;
  std::string running_raw(core::kSha256Size, '\0');
  ChainHasher hasher;
  std::optional<VerifyReport> broken;
  for (;;) {
    int64_t in_chunk = 0;
    Status scanned = tx->ForEachRow(
        sql, std::vector<store::Value>{expected - 1, kVerifyChunk},
        [&](const store::RowView& r) -> Status {
          ++in_chunk;
          const int64_t checked = expected - 1;
          const EventView e{r.Int(0),  r.Int(1),  r.Text(2), r.Text(3), r.Text(4),
                            r.Text(5), r.Text(6), r.Text(7), r.Text(8)};
          if (e.seq != expected) {
            broken = Broken(checked, expected,
                            "event " + std::to_string(expected) + " is missing from the log");
          } else if (r.Text(9) != running) {
            broken = Broken(checked, e.seq, "previous-hash link does not match the event before");
          } else {
            std::string link = hasher.Next(e, running_raw);
            running = core::HexEncode(link);
            if (running != r.Text(10)) {
              broken = Broken(checked, e.seq, "event content does not match its hash");
            }
            running_raw = std::move(link);
          }
          if (broken) {
            return Status::Internal("stop");  // ends the scan; the report says why
          }
          ++expected;
          if (progress && (expected - 1) % 100000 == 0) {
            progress(expected - 1);
          }
          return Status::Ok();
        });
    if (broken) {
      return *broken;
    }
    JIANDU_RETURN_IF_ERROR(scanned);
    if (in_chunk < kVerifyChunk) {
      break;
    }
  }
  const int64_t last = expected - 1;
  const int64_t checked = last;
  if (head->Int(0) > last) {
    return Broken(checked, last + 1,
                  "event " + std::to_string(last + 1) + " is missing from the log (the head "
                  "records " + std::to_string(head->Int(0)) + " events)");
  }
  if (head->Int(0) < last) {
    return Broken(checked, head->Int(0) + 1,
                  "event " + std::to_string(head->Int(0) + 1) + " is not covered by the chain head");
  }
  if (head->Text(1) != running) {
    return Broken(checked, last, "chain head hash does not match the last event");
  }
  tx->Rollback();
  VerifyReport ok;
  ok.events_checked = checked;
  return ok;
}

}  // namespace jiandu::audit
