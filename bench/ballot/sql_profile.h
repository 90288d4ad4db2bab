// Per-statement SQLite timings, from inside the benchmark process, without touching the store:
// sqlite3_auto_extension() hooks every connection opened after InstallSqlProfiler() and
// registers sqlite3_trace_v2(SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE) on it; the time from a
// statement's first step to its reset (so a ForEachRow callback's own time is included) is
// added up under its SQL text. Statements run through sqlite3_exec (BEGIN, SAVEPOINT, RELEASE, COMMIT …) are reported
// too; COMMIT includes its fsync.
//
//   bench::InstallSqlProfiler();      // before the store is opened
//   bench::SqlProfileStart();  ...;  std::vector<bench::SqlStat> s = bench::SqlProfileStop();
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jiandu::bench {

struct SqlStat {
  std::string sql;
  int64_t count = 0;
  int64_t ns = 0;
};

// The single writer connection's turns (store/sqlite: a read-write Tx runs inside
// SAVEPOINT jiandu_tx … RELEASE jiandu_tx on the one writer connection; a batch starts with
// BEGIN IMMEDIATE and ends with one COMMIT). Whatever part of the span is neither a transaction
// nor a BEGIN/COMMIT is the writer connection standing idle between turns: the next writer
// thread being woken and scheduled, or no transaction ready to run.
struct WriterTimeline {
  int64_t txs = 0;
  int64_t tx_ns = 0;  // SAVEPOINT start to RELEASE end, summed
  int64_t commits = 0;
  int64_t commit_ns = 0;  // COMMIT (with its fsync), summed
  int64_t begin_ns = 0;   // BEGIN IMMEDIATE, summed
  int64_t span_ns = 0;    // first writer event to last
  int64_t idle_ns() const { return span_ns - tx_ns - commit_ns - begin_ns; }
};

bool InstallSqlProfiler();
// Clears the figures and starts collecting.
void SqlProfileStart();
// Stops collecting; the statements by total time, longest first.
std::vector<SqlStat> SqlProfileStop();
// The writer's turns between the last SqlProfileStart and SqlProfileStop.
WriterTimeline SqlWriterTimeline();

}  // namespace jiandu::bench
