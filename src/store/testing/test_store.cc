#include "store/testing/test_store.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace jiandu::store::testing {
namespace {

// Forwards to an inner store and runs a clean-up when destroyed (after the inner store closed).
class OwningStore : public Store {
 public:
  OwningStore(std::unique_ptr<Store> inner, std::string label, std::function<void()> cleanup)
      : inner_(std::move(inner)), label_(std::move(label)), cleanup_(std::move(cleanup)) {}
  ~OwningStore() override {
    inner_.reset();
    if (cleanup_) {
      cleanup_();
    }
  }
  Result<std::unique_ptr<Tx>> Begin(TxMode mode) override { return inner_->Begin(mode); }
  Status RunWrite(const std::function<Status(Tx&)>& fn) override { return inner_->RunWrite(fn); }
  Status Migrate(std::span<const Migration> m) override { return inner_->Migrate(m); }
  std::string_view backend_name() const override { return inner_->backend_name(); }
  const std::string& label() const { return label_; }

 private:
  std::unique_ptr<Store> inner_;
  std::string label_;
  std::function<void()> cleanup_;
};

std::string UniqueSuffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(rd() % 1000000);
}

}  // namespace

std::unique_ptr<Store> MakeTempSqliteStore() {
  auto dir = std::filesystem::temp_directory_path() / ("jiandu_test_" + UniqueSuffix());
  std::filesystem::create_directories(dir);
  std::string path = (dir / "test.db").string();
  auto store = OpenSqliteStore({.path = path, .durable = false});
  if (!store.ok()) {
    ADD_FAILURE() << "cannot open temp SQLite store: " << store.status().ToString();
    return nullptr;
  }
  return std::make_unique<OwningStore>(std::move(*store), path,
                                       [dir] { std::filesystem::remove_all(dir); });
}

std::unique_ptr<Store> MakeTestPostgresStore() {
  const char* base = std::getenv("JIANDU_TEST_PG_URL");
  if (base == nullptr || *base == '\0') {
    ADD_FAILURE() << "JIANDU_TEST_PG_URL is not set: run PostgreSQL tests through "
                     "scripts/with-postgres.sh (make test does)";
    return nullptr;
  }
  std::string name = "jiandu_test_" + UniqueSuffix();
  Status created = ExecPostgresAdminStatement({.conninfo = base}, "CREATE DATABASE " + name);
  if (!created.ok()) {
    ADD_FAILURE() << "cannot create test database: " << created.ToString();
    return nullptr;
  }
  // Later keywords override earlier ones in a key=value conninfo; a URI gets ?dbname=…
  std::string conninfo(base);
  if (conninfo.rfind("postgres", 0) == 0) {
    conninfo += (conninfo.find('?') == std::string::npos ? "?dbname=" : "&dbname=") + name;
  } else {
    conninfo += " dbname=" + name;
  }
  auto store = OpenPostgresStore({.conninfo = conninfo, .pool_size = 4});
  if (!store.ok()) {
    ADD_FAILURE() << "cannot open test PostgreSQL store: " << store.status().ToString();
    return nullptr;
  }
  std::string admin(base);
  return std::make_unique<OwningStore>(std::move(*store), name, [admin, name] {
    (void)ExecPostgresAdminStatement({.conninfo = admin},
                                     "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  });
}

std::vector<Backend> AllBackends() {
  return {{"Sqlite", &MakeTempSqliteStore}, {"Postgres", &MakeTestPostgresStore}};
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) { return info.param.name; }

std::string SqlitePathOf(const Store& store) {
  auto* owning = dynamic_cast<const OwningStore*>(&store);
  return owning ? owning->label() : std::string();
}

}  // namespace jiandu::store::testing
