#include "registry/trail_service.h"

#include <charconv>
#include <map>

#include "auth/user_service.h"
#include "registry/appointment_service.h"
#include "registry/org_service.h"
#include "registry/person_service.h"

namespace jiandu::registry {
namespace {

bool IsRegistryEntity(const std::string& type) {
  return type == "person" || type == "appointment" || type == "position" || type == "org";
}

}  // namespace

Status TrailService::CheckEntityAccess(store::Tx& tx, const auth::Principal& who,
                                       const std::string& entity_type, int64_t id) {
  const auth::Permission read = auth::Permission::kAuditReadEntity;
  if (entity_type == "person") {
    return PersonService::LoadVisible(tx, who, id, read).status();
  }
  if (entity_type == "appointment") {
    return AppointmentService::LoadVisible(tx, who, id, read).status();
  }
  if (entity_type == "org" || entity_type == "position") {
    JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, read));
    std::optional<Org> org;
    if (entity_type == "org") {
      JIANDU_ASSIGN_OR_RETURN(org, OrgService::Load(tx, id));
    } else {
      JIANDU_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                              tx.QueryOne("SELECT org_id FROM position WHERE id = ?", {id}));
      if (row) {
        JIANDU_ASSIGN_OR_RETURN(org, OrgService::Load(tx, row->Int(0)));
      }
    }
    if (!org) {
      return Status::NotFound(auth::kNoSuchRecord);
    }
    return auth::Authorize(who, read, auth::Resource::InOrg(org->path));
  }
  auto other = other_types_.find(entity_type);
  if (other != other_types_.end()) {
    JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, read));
    return other->second(tx, who, id);
  }
  return Status::InvalidArgument("entity_type",
                                 "must be person, appointment, position, org, review, finding "
                                 "or meeting");
}

Result<std::vector<TrailEntry>> TrailService::Named(store::Tx& tx,
                                                    std::vector<audit::Event> events) {
  std::map<std::string, std::string> names;
  std::vector<TrailEntry> out;
  out.reserve(events.size());
  for (audit::Event& e : events) {
    TrailEntry entry{std::move(e), ""};
    const std::string& actor = entry.event.actor;
    if (actor.rfind("user:", 0) == 0) {
      auto it = names.find(actor);
      if (it == names.end()) {
        Result<auth::User> u = auth::LoadUser(tx, std::stoll(actor.substr(5)), clock_);
        it = names.emplace(actor, u.ok() ? u->display_name : std::string()).first;
      }
      entry.actor_name = it->second;
    }
    out.push_back(std::move(entry));
  }
  return out;
}

Result<core::Page<TrailEntry>> TrailService::EntityTrail(const auth::Principal& who,
                                                         const std::string& entity_type,
                                                         const std::string& entity_id,
                                                         const core::PageRequest& page) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(entity_id.data(), entity_id.data() + entity_id.size(), id);
  if (ec != std::errc() || end != entity_id.data() + entity_id.size() || id <= 0) {
    return Status::InvalidArgument("entity_id", "must be a positive integer");
  }
  return store::RunInTransaction<core::Page<TrailEntry>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<core::Page<TrailEntry>> {
        audit::EventFilter filter;
        filter.entity_type = entity_type;
        filter.entity_id = entity_id;
        filter.before_seq = page.after;
        filter.limit = page.limit + 1;
        if (IsRegistryEntity(entity_type) || other_types_.count(entity_type)) {
          // Absent and out-of-scope records answer alike, for the audit administrator too.
          JIANDU_RETURN_IF_ERROR(CheckEntityAccess(tx, who, entity_type, id));
        } else if (auth::AuthorizeAction(who, auth::Permission::kAuditRead).ok()) {
          // Users and sessions: the audit administrator reads by the events' organisation.
          filter.org_path_prefix = who.system ? "/" : who.org_path;
        } else {
          return Status::InvalidArgument("entity_type",
                                         "must be person, appointment, position, org, review, "
                                         "finding or meeting");
        }
        JIANDU_ASSIGN_OR_RETURN(std::vector<audit::Event> events, audit_.List(tx, filter));
        JIANDU_ASSIGN_OR_RETURN(std::vector<TrailEntry> named, Named(tx, std::move(events)));
        return core::MakePage(std::move(named), page,
                              [](const TrailEntry& t) { return t.event.seq; });
      });
}

Result<core::Page<TrailEntry>> TrailService::AllEvents(const auth::Principal& who,
                                                       const core::PageRequest& page) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kAuditRead));
  return store::RunInTransaction<core::Page<TrailEntry>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<core::Page<TrailEntry>> {
        audit::EventFilter filter;
        filter.org_path_prefix = who.system ? "/" : who.org_path;
        filter.before_seq = page.after;
        filter.limit = page.limit + 1;
        JIANDU_ASSIGN_OR_RETURN(std::vector<audit::Event> events, audit_.List(tx, filter));
        JIANDU_ASSIGN_OR_RETURN(std::vector<TrailEntry> named, Named(tx, std::move(events)));
        return core::MakePage(std::move(named), page,
                              [](const TrailEntry& t) { return t.event.seq; });
      });
}

Result<audit::VerifyReport> TrailService::Verify(const auth::Principal& who) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kAuditVerify));
  return audit_.Verify(store_);
}

}  // namespace jiandu::registry
