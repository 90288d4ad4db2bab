// Throwaway stores for tests, one fresh database per call, removed when the Store is destroyed.
//
//   INSTANTIATE_TEST_SUITE_P(Backends, MyTest, store::testing::AllBackends(),
//                            store::testing::BackendName);
//   ...
//   std::unique_ptr<store::Store> db = GetParam().make();
//
// The PostgreSQL factory needs JIANDU_TEST_PG_URL (set by scripts/with-postgres.sh, which
// `make test` uses); without it the test fails with a message saying so — never skips.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/store.h"

namespace jiandu::store::testing {

struct Backend {
  std::string name;  // "Sqlite" / "Postgres"
  std::function<std::unique_ptr<Store>()> make;  // aborts the test (ADD_FAILURE) on error
};

// A fresh SQLite database file in a temporary directory (synchronous=OFF for speed).
std::unique_ptr<Store> MakeTempSqliteStore();
// A fresh PostgreSQL database on the server named by JIANDU_TEST_PG_URL.
std::unique_ptr<Store> MakeTestPostgresStore();

std::vector<Backend> AllBackends();
std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

// Path of the SQLite file behind a store made by MakeTempSqliteStore (for tampering tests).
std::string SqlitePathOf(const Store& store);

}  // namespace jiandu::store::testing
