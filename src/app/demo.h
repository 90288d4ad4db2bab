// The demo county: a county people's congress standing committee modelled on seed 001 (郧西),
// with the county's congress and committee members, 26 government departments and their heads,
// the court and the procuratorate with their appointed judges and prosecutors, the discipline
// commission, and one user per role. All people are fictional; their ID numbers are well-formed
// (region 420322, valid check digits) but belong to no one.
#pragma once

#include <string>
#include <vector>

#include "app/app.h"

namespace jiandu::app {

inline constexpr char kDemoPassword[] = "jiandu-demo-2026";

struct DemoLogin {
  std::string username;
  std::string role;
  std::string org_name;
  bool needs_totp = false;  // administrators enrol a second factor at first sign-in
};

struct DemoSummary {
  bool created = false;  // false when the demo county already existed
  int orgs = 0;
  int people = 0;
  int appointments = 0;
  std::vector<DemoLogin> logins;
};

// Creates the demo county unless it exists (idempotent). Every record goes through the
// services, so the audit log records it all.
Result<DemoSummary> CreateDemoCounty(App& app);

}  // namespace jiandu::app
