#include "notify/notify.h"

#include <set>

namespace jiandu::notify {
namespace {

// "/1/2/5/" → {"/1/", "/1/2/", "/1/2/5/"}: the organisations whose scope covers the path.
std::vector<std::string> CoveringPaths(const std::string& path) {
  std::vector<std::string> out;
  for (size_t i = 1; i < path.size(); ++i) {
    if (path[i] == '/') {
      out.push_back(path.substr(0, i + 1));
    }
  }
  return out;
}

Result<std::set<int64_t>> Resolve(store::Tx& tx, const Notice& notice) {
  std::set<int64_t> ids(notice.user_ids.begin(), notice.user_ids.end());
  for (const Audience& a : notice.recipients) {
    if (a.roles.empty() || a.org_path.empty()) {
      continue;
    }
    std::vector<std::string> paths =
        a.exact_org ? std::vector<std::string>{a.org_path} : CoveringPaths(a.org_path);
    std::vector<store::Value> params;
    std::string sql = "SELECT id FROM app_user WHERE disabled = 0 AND org_path IN (";
    for (size_t i = 0; i < paths.size(); ++i) {
      sql += i ? ", ?" : "?";
      params.emplace_back(paths[i]);
    }
    sql += ") AND role IN (";
    for (size_t i = 0; i < a.roles.size(); ++i) {
      sql += i ? ", ?" : "?";
      params.emplace_back(std::string(auth::RoleName(a.roles[i])));
    }
    sql += ")";
    JIANDU_RETURN_IF_ERROR(tx.ForEachRow(sql, params, [&](const store::RowView& r) {
      ids.insert(r.Int(0));
      return Status::Ok();
    }));
  }
  return ids;
}

template <typename R>
Notification FromRow(const R& r) {
  Notification n;
  n.id = r.Int(0);
  n.kind = std::string(r.Text(1));
  n.title = std::string(r.Text(2));
  n.body = std::string(r.Text(3));
  n.entity_type = std::string(r.Text(4));
  n.entity_id = std::string(r.Text(5));
  n.created_at = core::Timestamp::FromUnixMicros(r.Int(6));
  if (!r.IsNull(7)) {
    n.read_at = core::Timestamp::FromUnixMicros(r.Int(7));
  }
  return n;
}

}  // namespace

Result<int64_t> Post(store::Tx& tx, const Notice& notice, core::Timestamp now) {
  JIANDU_ASSIGN_OR_RETURN(std::set<int64_t> users, Resolve(tx, notice));
  int64_t written = 0;
  for (int64_t user : users) {
    JIANDU_ASSIGN_OR_RETURN(
        int64_t n,
        tx.Exec("INSERT INTO notification (user_id, kind, title, body, entity_type, entity_id, "
                "dedup_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (user_id, dedup_key) DO NOTHING",
                {user, notice.kind, notice.title, notice.body, notice.entity_type,
                 notice.entity_id, notice.dedup_key, now.unix_micros()}));
    written += n;
  }
  return written;
}

std::vector<store::Migration> Migrations() {
  return {{"notify", 1, "in-app notifications", R"sql(
CREATE TABLE notification (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES app_user (id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  read_at BIGINT,
  UNIQUE (user_id, dedup_key)
);
CREATE INDEX notification_inbox ON notification (user_id, id);
)sql"}};
}

Result<core::Page<Notification>> InboxService::List(const auth::Principal& who, bool unread_only,
                                                    const core::PageRequest& page) {
  if (who.user_id == 0) {
    return Status::Unauthenticated("sign in to read notifications");
  }
  return store::RunInTransaction<core::Page<Notification>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<core::Page<Notification>> {
        std::string sql =
            "SELECT id, kind, title, body, entity_type, entity_id, created_at, read_at "
            "FROM notification WHERE user_id = ? AND id < ?";
        if (unread_only) {
          sql += " AND read_at IS NULL";
        }
        sql += " ORDER BY id DESC LIMIT ?";
        std::vector<Notification> out;
        std::vector<store::Value> params{who.user_id, page.after.value_or(INT64_MAX),
                                         static_cast<int64_t>(page.limit + 1)};
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(sql, params, [&](const store::RowView& r) {
          out.push_back(FromRow(r));
          return Status::Ok();
        }));
        return core::MakePage(std::move(out), page, [](const Notification& n) { return n.id; });
      });
}

Result<int64_t> InboxService::UnreadCount(const auth::Principal& who) {
  if (who.user_id == 0) {
    return Status::Unauthenticated("sign in to read notifications");
  }
  return store::RunInTransaction<int64_t>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<int64_t> {
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> row,
            tx.QueryOne("SELECT COUNT(*) FROM notification WHERE user_id = ? AND read_at IS NULL",
                        {who.user_id}));
        return row->Int(0);
      });
}

Status InboxService::MarkRead(const auth::Principal& who, int64_t id) {
  if (who.user_id == 0) {
    return Status::Unauthenticated("sign in to read notifications");
  }
  return store::RunInTransaction(store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Status {
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("SELECT read_at FROM notification WHERE id = ? AND user_id = ?",
                    {id, who.user_id}));
    if (!row) {
      return Status::NotFound(auth::kNoSuchRecord);
    }
    if (row->IsNull(0)) {
      JIANDU_RETURN_IF_ERROR(tx.Exec("UPDATE notification SET read_at = ? WHERE id = ?",
                                     {clock_.Now().unix_micros(), id})
                                 .status());
    }
    return Status::Ok();
  });
}

Result<int64_t> InboxService::MarkAllRead(const auth::Principal& who) {
  if (who.user_id == 0) {
    return Status::Unauthenticated("sign in to read notifications");
  }
  return store::RunInTransaction<int64_t>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<int64_t> {
        return tx.Exec(
            "UPDATE notification SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
            {clock_.Now().unix_micros(), who.user_id});
      });
}

}  // namespace jiandu::notify
