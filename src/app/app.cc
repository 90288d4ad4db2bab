#include "app/app.h"

#include <cstdlib>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/auth_schema.h"
#include "registry/registry_schema.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace jiandu::app {
namespace {

Result<std::unique_ptr<store::Store>> OpenStore(const Config& c) {
  if (!c.database_url.empty()) {
    return store::OpenPostgresStore({.conninfo = c.database_url});
  }
  std::error_code ec;
  std::filesystem::create_directories(c.data_dir, ec);
  if (ec) {
    return Status::Unavailable("cannot create the data directory: " + ec.message());
  }
  return store::OpenSqliteStore({.path = (std::filesystem::path(c.data_dir) / "jiandu.db")});
}

Result<auth::SecretKey> LoadKey(const Config& c) {
  if (!c.secret_key_file.empty()) {
    return auth::SecretKey::LoadOrCreate(c.secret_key_file);
  }
  if (!c.data_dir.empty()) {
    return auth::SecretKey::LoadOrCreate(
        (std::filesystem::path(c.data_dir) / "secret.key").string());
  }
  const char* env = std::getenv("JIANDU_SECRET_KEY");
  if (env == nullptr) {
    return Status::InvalidArgument(
        "secret_key", "with --db, give --secret-key-file or set JIANDU_SECRET_KEY");
  }
  return auth::SecretKey::FromHex(env);
}

}  // namespace

std::vector<store::Migration> AllMigrations() {
  std::vector<store::Migration> all;
  for (auto part : {audit::Migrations(), auth::Migrations(), registry::Migrations(),
                    notify::Migrations(), rectify::Migrations(), review::Migrations(),
                    monitor::Migrations()}) {
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

// The built-in years plus the YYYY.csv files of `dir` (if it exists), in name order.
Result<core::Calendar> LoadCalendar(const std::string& dir) {
  std::vector<std::string> texts;
  std::error_code ec;
  if (!dir.empty() && std::filesystem::is_directory(dir, ec)) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".csv") {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      if (!in.good() && !in.eof()) {
        return Status::InvalidArgument("calendar", "cannot read " + f.string());
      }
      texts.push_back(text.str());
    }
  }
  std::vector<std::string_view> views(texts.begin(), texts.end());
  Result<core::Calendar> cal = core::Calendar::WithExtraYears(views);
  if (!cal.ok()) {
    return cal.status().WithContext("loading the calendar files of " + dir);
  }
  return cal;
}

Result<std::unique_ptr<App>> App::Open(const Config& config) {
  if (config.data_dir.empty() == config.database_url.empty()) {
    return Status::InvalidArgument("data_dir", "give either a data directory or a database URL");
  }
  std::unique_ptr<App> a(new App());
  a->clock_ = config.clock ? config.clock : &core::SystemClock();
  const std::string calendar_dir = !config.calendar_dir.empty() ? config.calendar_dir
                                   : !config.data_dir.empty()    ? config.data_dir + "/calendar"
                                                                 : std::string();
  JIANDU_ASSIGN_OR_RETURN(core::Calendar loaded, LoadCalendar(calendar_dir));
  a->calendar_ = std::make_unique<core::Calendar>(std::move(loaded));
  JIANDU_ASSIGN_OR_RETURN(a->store_, OpenStore(config));
  if (config.migrate) {
    std::vector<store::Migration> migrations = AllMigrations();
    JIANDU_RETURN_IF_ERROR(a->store_->Migrate(migrations));
  }
  JIANDU_ASSIGN_OR_RETURN(auth::SecretKey key, LoadKey(config));
  a->key_ = std::make_unique<auth::SecretKey>(std::move(key));
  a->audit_ = std::make_unique<audit::AuditLog>(*a->clock_);
  store::Store& s = *a->store_;
  a->orgs_ = std::make_unique<registry::OrgService>(s, *a->audit_, *a->clock_);
  a->people_ = std::make_unique<registry::PersonService>(s, *a->audit_, *a->key_, *a->clock_);
  a->appointments_ = std::make_unique<registry::AppointmentService>(s, *a->audit_, *a->clock_);
  a->trail_ = std::make_unique<registry::TrailService>(s, *a->audit_, *a->clock_);
  a->users_ = std::make_unique<auth::UserService>(s, *a->audit_, *a->orgs_, *a->clock_);
  a->sessions_ = std::make_unique<auth::SessionService>(s, *a->audit_, *a->key_, *a->clock_,
                                                        config.session_policy);
  a->users_->set_on_sessions_ended(
      [sessions = a->sessions_.get()](int64_t user_id) { sessions->ForgetUser(user_id); });
  const core::Calendar& calendar = *a->calendar_;
  a->inbox_ = std::make_unique<notify::InboxService>(s, *a->clock_);
  a->findings_ =
      std::make_unique<rectify::FindingService>(s, *a->audit_, *a->clock_, calendar);
  a->reviews_ = std::make_unique<review::ReviewService>(s, *a->audit_, *a->clock_, calendar,
                                                        *a->findings_);
  a->meetings_ =
      std::make_unique<review::MeetingService>(s, *a->audit_, *a->clock_, *a->reviews_);
  a->measures_ =
      std::make_unique<review::MeasureService>(s, *a->audit_, *a->clock_, *a->appointments_);
  a->monitor_ = std::make_unique<monitor::MonitorService>(s, *a->audit_, *a->clock_, calendar,
                                                          *a->findings_);
  // Audit trails of the records of the modules above the registry.
  a->trail_->AddEntityType("review", [](store::Tx& tx, const auth::Principal& who, int64_t id) {
    return review::ReviewService::LoadVisible(tx, who, id, auth::Permission::kAuditReadEntity)
        .status();
  });
  a->trail_->AddEntityType("finding", [](store::Tx& tx, const auth::Principal& who, int64_t id) {
    return rectify::FindingService::LoadVisible(tx, who, id, auth::Permission::kAuditReadEntity)
        .status();
  });
  a->trail_->AddEntityType("meeting", [](store::Tx& tx, const auth::Principal& who, int64_t id) {
    return review::MeetingService::CheckVisible(tx, who, id, auth::Permission::kAuditReadEntity);
  });
  return a;
}

App::~App() = default;

}  // namespace jiandu::app
