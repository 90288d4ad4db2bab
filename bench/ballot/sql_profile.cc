#include "bench/ballot/sql_profile.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "bench/common/system.h"

namespace jiandu::bench {
namespace {

std::atomic<bool> g_on{false};
std::mutex g_mu;
std::unordered_map<std::string, SqlStat>* g_stats = new std::unordered_map<std::string, SqlStat>;

WriterTimeline g_writer;          // guarded by g_mu
sqlite3* g_writer_db = nullptr;   // guarded by g_mu
int64_t g_first_ns = 0, g_last_ns = 0, g_tx_start_ns = 0, g_begin_start_ns = 0,
        g_commit_start_ns = 0;    // guarded by g_mu

bool Is(const char* sql, const char* prefix) {
  return sql != nullptr && std::strncmp(sql, prefix, std::strlen(prefix)) == 0;
}

// Writer events: SAVEPOINT/BEGIN IMMEDIATE/COMMIT start (STMT) and end (PROFILE).
void NoteWriter(sqlite3_stmt* stmt, const char* sql, bool start, int64_t now) {
  sqlite3* db = sqlite3_db_handle(stmt);
  const bool savepoint = Is(sql, "SAVEPOINT jiandu_tx"), release = Is(sql, "RELEASE jiandu_tx");
  const bool begin = Is(sql, "BEGIN IMMEDIATE"), commit = Is(sql, "COMMIT");
  if (!savepoint && !release && !begin && !commit) return;
  std::lock_guard<std::mutex> l(g_mu);
  if (savepoint || begin) g_writer_db = db;
  if (db != g_writer_db) return;  // a reader's COMMIT
  if (g_first_ns == 0 && start) g_first_ns = now;
  if (g_first_ns == 0) return;
  if (start) {
    if (savepoint) g_tx_start_ns = now;
    if (begin) g_begin_start_ns = now;
    if (commit) g_commit_start_ns = now;
    return;
  }
  g_last_ns = now;
  g_writer.span_ns = g_last_ns - g_first_ns;
  if (release && g_tx_start_ns) {
    ++g_writer.txs;
    g_writer.tx_ns += now - g_tx_start_ns;
    g_tx_start_ns = 0;
  } else if (begin && g_begin_start_ns) {
    g_writer.begin_ns += now - g_begin_start_ns;
    g_begin_start_ns = 0;
  } else if (commit && g_commit_start_ns) {
    ++g_writer.commits;
    g_writer.commit_ns += now - g_commit_start_ns;
    g_commit_start_ns = 0;
  }
}

// When each statement now running on this thread started (SQLite's own PROFILE figure has
// millisecond resolution: it reads the VFS clock).
thread_local std::unordered_map<void*, int64_t> t_started;

int OnTrace(unsigned type, void*, void* p, void*) {
  if (!g_on.load(std::memory_order_relaxed)) {
    t_started.clear();
    return 0;
  }
  if (type == SQLITE_TRACE_STMT) {
    const int64_t now = NowNs();
    if (t_started.emplace(p, now).second) {  // a trigger's own STMT event must not count
      NoteWriter(static_cast<sqlite3_stmt*>(p), sqlite3_sql(static_cast<sqlite3_stmt*>(p)), true,
                 now);
    }
    return 0;
  }
  if (type != SQLITE_TRACE_PROFILE) {
    return 0;
  }
  auto it = t_started.find(p);
  if (it == t_started.end()) {
    return 0;
  }
  const int64_t end = NowNs();
  const int64_t ns = end - it->second;
  t_started.erase(it);
  const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(p));
  NoteWriter(static_cast<sqlite3_stmt*>(p), sql, false, end);
  std::lock_guard<std::mutex> l(g_mu);
  SqlStat& s = (*g_stats)[sql ? sql : "?"];
  if (s.sql.empty()) s.sql = sql ? sql : "?";
  ++s.count;
  s.ns += ns;
  return 0;
}

int OnOpen(sqlite3* db, const char**, const sqlite3_api_routines*) {
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, OnTrace, nullptr);
  return SQLITE_OK;
}

}  // namespace

bool InstallSqlProfiler() {
  return sqlite3_auto_extension(reinterpret_cast<void (*)()>(OnOpen)) == SQLITE_OK;
}

void SqlProfileStart() {
  {
    std::lock_guard<std::mutex> l(g_mu);
    g_stats->clear();
    g_writer = {};
    g_first_ns = g_last_ns = g_tx_start_ns = g_begin_start_ns = g_commit_start_ns = 0;
  }
  g_on = true;
}

std::vector<SqlStat> SqlProfileStop() {
  g_on = false;
  std::vector<SqlStat> out;
  {
    std::lock_guard<std::mutex> l(g_mu);
    for (auto& [sql, s] : *g_stats) out.push_back(s);
  }
  std::sort(out.begin(), out.end(), [](const SqlStat& a, const SqlStat& b) { return a.ns > b.ns; });
  return out;
}

WriterTimeline SqlWriterTimeline() {
  std::lock_guard<std::mutex> l(g_mu);
  return g_writer;
}

}  // namespace jiandu::bench
