// OrgDirectory: how auth learns an organisation's place in the tree without depending on the
// registry module above it. The registry implements it; app/ wires the two together.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace jiandu::auth {

struct OrgRef {
  int64_t id = 0;
  std::string path;  // materialized path, "/1/2/5/"; never changes once the org exists
  std::string name;
};

class OrgDirectory {
 public:
  virtual ~OrgDirectory() = default;
  // The organisation with this id, or nullopt.
  virtual Result<std::optional<OrgRef>> FindOrg(store::Tx& tx, int64_t id) const = 0;
  // The organisation with this code (e.g. "420322"), or nullopt.
  virtual Result<std::optional<OrgRef>> FindOrgByCode(store::Tx& tx,
                                                      const std::string& code) const = 0;
  // Whether a person record with this id exists (a user account may be linked to one).
  virtual Result<bool> PersonExists(store::Tx& tx, int64_t id) const = 0;
};

}  // namespace jiandu::auth
