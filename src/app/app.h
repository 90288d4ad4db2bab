// App: the services of one Jiandu deployment, wired from configuration. The only module that
// names a concrete storage backend.
//
//   JIANDU_ASSIGN_OR_RETURN(std::unique_ptr<app::App> a,
//                           app::App::Open({.data_dir = "./data"}));
//   a->people().Create(who, {...});
#pragma once

#include <memory>
#include <string>

#include "audit/audit_log.h"
#include "auth/secret_key.h"
#include "auth/session_service.h"
#include "auth/user_service.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "notify/notify.h"
#include "rectify/finding_service.h"
#include "registry/appointment_service.h"
#include "registry/org_service.h"
#include "registry/person_service.h"
#include "registry/trail_service.h"
#include "monitor/service/monitor_service.h"
#include "review/measure_service.h"
#include "review/meeting_service.h"
#include "review/review_service.h"
#include "store/store.h"

namespace jiandu::app {

struct Config {
  // Embedded SQLite database and key file under this directory (created if missing)...
  std::string data_dir;
  // ...or a PostgreSQL connection string (postgres://… or key=value). The secret key then comes
  // from `secret_key_file` or the JIANDU_SECRET_KEY environment variable (64 hex characters).
  std::string database_url;
  std::string secret_key_file;
  const core::Clock* clock = nullptr;  // default: the system clock
  auth::SessionPolicy session_policy;
  bool migrate = true;  // apply pending migrations on open
  // Further years of the working-day calendar (YYYY.csv files, DOMAIN.md §8.3) beyond those
  // built in; default: <data_dir>/calendar when it exists.
  std::string calendar_dir;
};

class App {
 public:
  // Opens the store, applies migrations and loads (or creates) the secret key.
  // invalid_argument naming "data_dir"/"database_url" when neither or both are given;
  // unavailable when the database cannot be reached.
  static Result<std::unique_ptr<App>> Open(const Config& config);
  ~App();

  store::Store& store() { return *store_; }
  const core::Clock& clock() const { return *clock_; }
  const core::Calendar& calendar() const { return *calendar_; }
  const audit::AuditLog& audit() const { return *audit_; }
  registry::OrgService& orgs() { return *orgs_; }
  registry::PersonService& people() { return *people_; }
  registry::AppointmentService& appointments() { return *appointments_; }
  registry::TrailService& trail() { return *trail_; }
  auth::UserService& users() { return *users_; }
  auth::SessionService& sessions() { return *sessions_; }
  notify::InboxService& inbox() { return *inbox_; }
  rectify::FindingService& findings() { return *findings_; }
  review::ReviewService& reviews() { return *reviews_; }
  review::MeetingService& meetings() { return *meetings_; }
  review::MeasureService& measures() { return *measures_; }
  monitor::MonitorService& monitor() { return *monitor_; }
  // "sqlite" or "postgres".
  std::string_view backend() const { return store_->backend_name(); }

 private:
  App() = default;

  const core::Clock* clock_ = nullptr;
  std::unique_ptr<core::Calendar> calendar_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<auth::SecretKey> key_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<registry::OrgService> orgs_;
  std::unique_ptr<registry::PersonService> people_;
  std::unique_ptr<registry::AppointmentService> appointments_;
  std::unique_ptr<registry::TrailService> trail_;
  std::unique_ptr<auth::UserService> users_;
  std::unique_ptr<auth::SessionService> sessions_;
  std::unique_ptr<notify::InboxService> inbox_;
  std::unique_ptr<rectify::FindingService> findings_;
  std::unique_ptr<review::ReviewService> reviews_;
  std::unique_ptr<review::MeetingService> meetings_;
  std::unique_ptr<review::MeasureService> measures_;
  std::unique_ptr<monitor::MonitorService> monitor_;
};

// Every module's migrations, in dependency order.
std::vector<store::Migration> AllMigrations();

}  // namespace jiandu::app
