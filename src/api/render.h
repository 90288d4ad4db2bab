// JSON renderings of the records the API returns (docs/api.md). Personal data appears only in
// its masked form here; reveals have their own endpoint.
#pragma once

#include "api/json_io.h"
#include "audit/audit_log.h"
#include "auth/session_service.h"
#include "auth/user_service.h"
#include "registry/org_service.h"
#include "registry/trail_service.h"
#include "registry/types.h"

namespace jiandu::api {

Json ToJson(const registry::Org& o);
Json ToJson(const registry::OrgWithAncestors& o);
Json ToJson(const registry::Person& p);
Json ToJson(const registry::Position& p);
Json ToJson(const registry::Appointment& a);
Json ToJson(const auth::User& u);
Json ToJson(const auth::SessionInfo& s);
Json ToJson(const registry::TrailEntry& t);
Json ToJson(const audit::VerifyReport& r);

template <typename T>
Json ToJsonArray(const std::vector<T>& items) {
  Json out = Json::array();
  for (const T& item : items) {
    out.push_back(ToJson(item));
  }
  return out;
}

}  // namespace jiandu::api
