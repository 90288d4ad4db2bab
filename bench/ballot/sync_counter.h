// Counts the fsyncs SQLite makes, from inside the benchmark process, without touching the store.
//
// InstallSyncCounter() registers, as SQLite's default VFS, a thin shim over the default one
// ("unix") whose files forward every call and time xSync. Call it before the store is opened;
// every connection opened afterwards goes through it. With WAL and synchronous=FULL each COMMIT
// syncs the -wal file once, so the WAL sync count over a run is the number of commits that
// reached the disk (group commit: several transactions per commit); checkpoints sync the main
// database file.
//
//   bench::InstallSyncCounter();
//   bench::SyncStats before = bench::ReadSyncStats();
//   ...;
//   bench::SyncStats d = bench::ReadSyncStats() - before;   // d.wal_syncs, d.wal_ns, ...
#pragma once

#include <cstdint>

namespace jiandu::bench {

struct SyncStats {
  int64_t wal_syncs = 0;
  int64_t wal_ns = 0;      // time spent in them
  int64_t wal_max_ns = 0;  // longest (not a difference: the maximum since installation)
  int64_t db_syncs = 0;    // main database file (checkpoints)
  int64_t db_ns = 0;
  int64_t other_syncs = 0;  // journals, directories

  SyncStats operator-(const SyncStats& o) const {
    return {wal_syncs - o.wal_syncs, wal_ns - o.wal_ns,   wal_max_ns,
            db_syncs - o.db_syncs,   db_ns - o.db_ns,     other_syncs - o.other_syncs};
  }
};

// False if SQLite refused the registration (then nothing is counted).
bool InstallSyncCounter();
SyncStats ReadSyncStats();
// Resets the running maximum (wal_max_ns).
void ResetSyncMax();

}  // namespace jiandu::bench
