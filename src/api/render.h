// JSON renderings of the records the API returns (docs/api.md), written with JsonWriter.
// Personal data appears only in its masked form here; reveals have their own endpoint.
//
//   return RecordResponse(person);                         // 200 {"id":…}
//   return RecordResponse(person, 201);
//   return PageResponse(page.items, page.next_cursor);     // {"items":[…],"next_cursor":…}
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.h"
#include "api/json_writer.h"
#include "audit/audit_log.h"
#include "auth/session_service.h"
#include "auth/user_service.h"
#include "notify/notify.h"
#include "rectify/finding_service.h"
#include "registry/org_service.h"
#include "registry/trail_service.h"
#include "registry/types.h"
#include "review/measure_service.h"
#include "review/meeting_service.h"
#include "review/review_service.h"

namespace jiandu::api {

class JsonReader;  // api/json_io.h

// Reads {"unit","amount"} of a rectification deadline; errors name `field`.unit / .amount.
Result<rectify::Deadline> ReadDeadline(JsonReader& d, const std::string& field);

void Write(JsonWriter& w, const registry::Org& o);
void Write(JsonWriter& w, const registry::OrgWithAncestors& o);
void Write(JsonWriter& w, const registry::Person& p);
void Write(JsonWriter& w, const registry::Position& p);
void Write(JsonWriter& w, const registry::Appointment& a);
void Write(JsonWriter& w, const auth::User& u);
void Write(JsonWriter& w, const registry::TrailEntry& t);
void Write(JsonWriter& w, const audit::VerifyReport& r);
// The session as the web client needs it, with the name of the user's organisation.
void Write(JsonWriter& w, const auth::SessionInfo& s, std::string_view org_name);
// Reviews, rectification and notifications (render_review.cc).
void Write(JsonWriter& w, const notify::Notification& n);
void Write(JsonWriter& w, const rectify::Finding& f);
void Write(JsonWriter& w, const rectify::FindingDetail& d);
void Write(JsonWriter& w, const rectify::FindingReport& r);
void Write(JsonWriter& w, const rectify::EvidenceFile& e);
void Write(JsonWriter& w, const rectify::Verification& v);
void Write(JsonWriter& w, const rectify::AccountabilityRecord& a);
void Write(JsonWriter& w, const review::Review& r);
void Write(JsonWriter& w, const review::ReviewDetail& d);
void Write(JsonWriter& w, const review::VoteOutcome& o);
void Write(JsonWriter& w, const review::Coverage& c);
void Write(JsonWriter& w, const review::AgendaItem& i);
void Write(JsonWriter& w, const review::Draw& d);
void Write(JsonWriter& w, const review::Question& q);
void Write(JsonWriter& w, const review::Meeting& m);
void Write(JsonWriter& w, const review::ItemResult& r);
void Write(JsonWriter& w, const review::Sheet& s);
void Write(JsonWriter& w, const review::Measure& m);
void Write(JsonWriter& w, const review::MeasureOption& o);
void Write(JsonWriter& w, const review::ReviewStats& s);
void Write(JsonWriter& w, const review::PublishedResult& p);
void Write(JsonWriter& w, const review::PublicNotice& n);

template <typename T>
HttpResponse RecordResponse(const T& record, int status = 200) {
  JsonWriter w;
  Write(w, record);
  return HttpResponse::Json(status, w.Take());
}

template <typename T>
HttpResponse PageResponse(const std::vector<T>& items,
                          const std::optional<std::string>& next_cursor = std::nullopt) {
  JsonWriter w;
  w.Reserve(64 + items.size() * 512);
  w.BeginObject().Key("items").BeginArray();
  for (const T& item : items) {
    Write(w, item);
  }
  w.EndArray();
  if (next_cursor) {
    w.Field("next_cursor", *next_cursor);
  }
  w.EndObject();
  return HttpResponse::Json(200, w.Take());
}

}  // namespace jiandu::api
