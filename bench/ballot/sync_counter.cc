#include "bench/ballot/sync_counter.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>

#include "bench/common/system.h"

namespace jiandu::bench {
namespace {

enum class Kind { kWal, kDb, kOther };

struct ShimFile {
  sqlite3_file base;  // must come first: SQLite sees this
  sqlite3_file* real;
  Kind kind;
};

std::atomic<int64_t> g_wal_syncs{0}, g_wal_ns{0}, g_wal_max_ns{0};
std::atomic<int64_t> g_db_syncs{0}, g_db_ns{0}, g_other_syncs{0};

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;
sqlite3_io_methods g_methods;

sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f)->real; }

int ShimClose(sqlite3_file* f) { return Real(f)->pMethods->xClose(Real(f)); }
int ShimRead(sqlite3_file* f, void* p, int n, sqlite3_int64 off) {
  return Real(f)->pMethods->xRead(Real(f), p, n, off);
}
int ShimWrite(sqlite3_file* f, const void* p, int n, sqlite3_int64 off) {
  return Real(f)->pMethods->xWrite(Real(f), p, n, off);
}
int ShimTruncate(sqlite3_file* f, sqlite3_int64 size) {
  return Real(f)->pMethods->xTruncate(Real(f), size);
}
int ShimSync(sqlite3_file* f, int flags) {
  const int64_t t0 = NowNs();
  const int rc = Real(f)->pMethods->xSync(Real(f), flags);
  const int64_t ns = NowNs() - t0;
  switch (reinterpret_cast<ShimFile*>(f)->kind) {
    case Kind::kWal: {
      g_wal_syncs.fetch_add(1, std::memory_order_relaxed);
      g_wal_ns.fetch_add(ns, std::memory_order_relaxed);
      int64_t m = g_wal_max_ns.load(std::memory_order_relaxed);
      while (ns > m && !g_wal_max_ns.compare_exchange_weak(m, ns)) {
      }
      break;
    }
    case Kind::kDb:
      g_db_syncs.fetch_add(1, std::memory_order_relaxed);
      g_db_ns.fetch_add(ns, std::memory_order_relaxed);
      break;
    case Kind::kOther:
      g_other_syncs.fetch_add(1, std::memory_order_relaxed);
      break;
  }
  return rc;
}
int ShimFileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int ShimLock(sqlite3_file* f, int l) { return Real(f)->pMethods->xLock(Real(f), l); }
int ShimUnlock(sqlite3_file* f, int l) { return Real(f)->pMethods->xUnlock(Real(f), l); }
int ShimCheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
int ShimFileControl(sqlite3_file* f, int op, void* arg) {
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
int ShimSectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int ShimDeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
int ShimShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** p) {
  return Real(f)->pMethods->xShmMap(Real(f), page, size, extend, p);
}
int ShimShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShimShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShimShmUnmap(sqlite3_file* f, int del) { return Real(f)->pMethods->xShmUnmap(Real(f), del); }
int ShimFetch(sqlite3_file* f, sqlite3_int64 off, int n, void** p) {
  return Real(f)->pMethods->xFetch(Real(f), off, n, p);
}
int ShimUnfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  return Real(f)->pMethods->xUnfetch(Real(f), off, p);
}

int ShimOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* shim = reinterpret_cast<ShimFile*>(f);
  shim->real = reinterpret_cast<sqlite3_file*>(shim + 1);
  shim->kind = (flags & SQLITE_OPEN_WAL)       ? Kind::kWal
               : (flags & SQLITE_OPEN_MAIN_DB) ? Kind::kDb
                                               : Kind::kOther;
  const int rc = g_real->xOpen(g_real, name, shim->real, flags, out_flags);
  if (rc != SQLITE_OK || shim->real->pMethods == nullptr) {
    if (shim->real->pMethods != nullptr) {
      shim->real->pMethods->xClose(shim->real);
    }
    f->pMethods = nullptr;
    return rc == SQLITE_OK ? SQLITE_CANTOPEN : rc;
  }
  // The unix VFS gives every file the same method version; mirror it so that SQLite does not
  // call a method the real file lacks.
  static std::once_flag once;
  std::call_once(once, [r = shim->real->pMethods] {
    g_methods = sqlite3_io_methods{};
    g_methods.iVersion = r->iVersion;
    g_methods.xClose = ShimClose;
    g_methods.xRead = ShimRead;
    g_methods.xWrite = ShimWrite;
    g_methods.xTruncate = ShimTruncate;
    g_methods.xSync = ShimSync;
    g_methods.xFileSize = ShimFileSize;
    g_methods.xLock = ShimLock;
    g_methods.xUnlock = ShimUnlock;
    g_methods.xCheckReservedLock = ShimCheckReservedLock;
    g_methods.xFileControl = ShimFileControl;
    g_methods.xSectorSize = ShimSectorSize;
    g_methods.xDeviceCharacteristics = ShimDeviceCharacteristics;
    if (r->iVersion >= 2) {
      g_methods.xShmMap = ShimShmMap;
      g_methods.xShmLock = ShimShmLock;
      g_methods.xShmBarrier = ShimShmBarrier;
      g_methods.xShmUnmap = ShimShmUnmap;
    }
    if (r->iVersion >= 3) {
      g_methods.xFetch = ShimFetch;
      g_methods.xUnfetch = ShimUnfetch;
    }
  });
  f->pMethods = &g_methods;
  return SQLITE_OK;
}

int ShimDelete(sqlite3_vfs*, const char* name, int sync_dir) {
  return g_real->xDelete(g_real, name, sync_dir);
}
int ShimAccess(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_real->xAccess(g_real, name, flags, out);
}
int ShimFullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
void* ShimDlOpen(sqlite3_vfs*, const char* name) { return g_real->xDlOpen(g_real, name); }
void ShimDlError(sqlite3_vfs*, int n, char* msg) { g_real->xDlError(g_real, n, msg); }
void (*ShimDlSym(sqlite3_vfs*, void* h, const char* sym))(void) {
  return g_real->xDlSym(g_real, h, sym);
}
void ShimDlClose(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int ShimRandomness(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int ShimSleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int ShimCurrentTime(sqlite3_vfs*, double* t) { return g_real->xCurrentTime(g_real, t); }
int ShimGetLastError(sqlite3_vfs*, int n, char* out) {
  return g_real->xGetLastError ? g_real->xGetLastError(g_real, n, out) : 0;
}
int ShimCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* t) {
  return g_real->xCurrentTimeInt64(g_real, t);
}
int ShimSetSystemCall(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr p) {
  return g_real->xSetSystemCall(g_real, name, p);
}
sqlite3_syscall_ptr ShimGetSystemCall(sqlite3_vfs*, const char* name) {
  return g_real->xGetSystemCall(g_real, name);
}
const char* ShimNextSystemCall(sqlite3_vfs*, const char* name) {
  return g_real->xNextSystemCall(g_real, name);
}

}  // namespace

bool InstallSyncCounter() {
  if (g_real != nullptr) {
    return true;
  }
  if (sqlite3_initialize() != SQLITE_OK) {
    return false;
  }
  g_real = sqlite3_vfs_find(nullptr);
  if (g_real == nullptr) {
    return false;
  }
  std::memset(&g_vfs, 0, sizeof g_vfs);
  g_vfs.iVersion = std::min(g_real->iVersion, 3);
  g_vfs.szOsFile = static_cast<int>(sizeof(ShimFile)) + g_real->szOsFile;
  g_vfs.mxPathname = g_real->mxPathname;
  g_vfs.zName = "jiandu-bench-sync-counter";
  g_vfs.xOpen = ShimOpen;
  g_vfs.xDelete = ShimDelete;
  g_vfs.xAccess = ShimAccess;
  g_vfs.xFullPathname = ShimFullPathname;
  g_vfs.xDlOpen = ShimDlOpen;
  g_vfs.xDlError = ShimDlError;
  g_vfs.xDlSym = ShimDlSym;
  g_vfs.xDlClose = ShimDlClose;
  g_vfs.xRandomness = ShimRandomness;
  g_vfs.xSleep = ShimSleep;
  g_vfs.xCurrentTime = ShimCurrentTime;
  g_vfs.xGetLastError = ShimGetLastError;
  if (g_vfs.iVersion >= 2) {
    g_vfs.xCurrentTimeInt64 = ShimCurrentTimeInt64;
  }
  if (g_vfs.iVersion >= 3) {
    g_vfs.xSetSystemCall = ShimSetSystemCall;
    g_vfs.xGetSystemCall = ShimGetSystemCall;
    g_vfs.xNextSystemCall = ShimNextSystemCall;
  }
  if (sqlite3_vfs_register(&g_vfs, /*makeDflt=*/1) != SQLITE_OK) {
    g_real = nullptr;
    return false;
  }
  return true;
}

SyncStats ReadSyncStats() {
  return {g_wal_syncs.load(), g_wal_ns.load(), g_wal_max_ns.load(),
          g_db_syncs.load(),  g_db_ns.load(),  g_other_syncs.load()};
}

void ResetSyncMax() { g_wal_max_ns.store(0); }

}  // namespace jiandu::bench
