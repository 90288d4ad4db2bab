#include "store/migrate.h"

#include <map>
#include <utility>

#include "core/sha256.h"

namespace jiandu::store {
namespace {

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

}  // namespace

std::string RenderMigrationSql(std::string_view sql, const Dialect& dialect) {
  std::string out(sql);
  ReplaceAll(out, "{{id}}", dialect.id_type);
  ReplaceAll(out, "{{blob}}", dialect.blob_type);
  ReplaceAll(out, "{{int64_pk}}", dialect.int64_pk);
  return out;
}

Status ApplyMigrations(Store& store, std::span<const Migration> migrations, const Dialect& dialect,
                       const core::Clock& clock) {
  JIANDU_RETURN_IF_ERROR(RunInTransaction(store, TxMode::kReadWrite, [](Tx& tx) {
    return tx.ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " module TEXT NOT NULL, version BIGINT NOT NULL, name TEXT NOT NULL,"
        " checksum TEXT NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (module, version))");
  }));

  std::map<std::pair<std::string, int64_t>, std::string> applied;
  JIANDU_RETURN_IF_ERROR(RunInTransaction(store, TxMode::kReadOnly, [&](Tx& tx) -> Status {
    JIANDU_ASSIGN_OR_RETURN(Rows rows,
                            tx.Query("SELECT module, version, checksum FROM schema_migrations"));
    for (const Row& r : rows) {
      applied[{r.Text(0), r.Int(1)}] = r.Text(2);
    }
    return Status::Ok();
  }));

  std::map<std::pair<std::string, int64_t>, bool> known;
  for (const Migration& m : migrations) {
    known[{m.module, m.version}] = true;
  }
  for (const auto& [key, checksum] : applied) {
    if (!known.count(key)) {
      return Status::FailedPrecondition("database has migration " + key.first + "/" +
                                        std::to_string(key.second) +
                                        " that this program does not know; upgrade the program");
    }
  }

  for (const Migration& m : migrations) {
    std::string checksum = core::Sha256Hex(m.sql);
    auto it = applied.find({m.module, m.version});
    if (it != applied.end()) {
      if (it->second != checksum) {
        return Status::FailedPrecondition("migration " + m.module + "/" +
                                          std::to_string(m.version) +
                                          " was changed after it was applied");
      }
      continue;
    }
    Status s = RunInTransaction(store, TxMode::kReadWrite, [&](Tx& tx) -> Status {
      JIANDU_RETURN_IF_ERROR(tx.ExecScript(RenderMigrationSql(m.sql, dialect)));
      return tx
          .Exec("INSERT INTO schema_migrations (module, version, name, checksum, applied_at)"
                " VALUES (?, ?, ?, ?, ?)",
                {m.module, m.version, m.name, checksum, clock.Now().unix_micros()})
          .status();
    });
    if (!s.ok()) {
      return s.WithContext("migration " + m.module + "/" + std::to_string(m.version));
    }
  }
  return Status::Ok();
}

}  // namespace jiandu::store
