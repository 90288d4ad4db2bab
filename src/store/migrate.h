// The migration runner shared by the backends. Backends call ApplyMigrations from their
// Store::Migrate with their own Dialect; domain code calls Store::Migrate.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "store/store.h"

namespace jiandu::store {

// How a backend spells the tokens of portable migration SQL (see Migration in store.h).
struct Dialect {
  std::string_view id_type;    // replaces {{id}}
  std::string_view blob_type;  // replaces {{blob}}
  std::string_view int64_pk;   // replaces {{int64_pk}}
};

// Replaces the dialect tokens in `sql`.
std::string RenderMigrationSql(std::string_view sql, const Dialect& dialect);

// Creates schema_migrations if needed, then applies each migration not yet recorded, each in
// its own read-write transaction together with its record. failed_precondition when a recorded
// migration's checksum (SHA-256 of the portable SQL) differs from the given one, or when the
// database has a migration of a module that the given list does not know (a newer program).
Status ApplyMigrations(Store& store, std::span<const Migration> migrations, const Dialect& dialect,
                       const core::Clock& clock = core::SystemClock());

}  // namespace jiandu::store
