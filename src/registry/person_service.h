// PersonService: the people the system supervises, identified by a checked 身份证 number.
//
// ID numbers and phone numbers are stored three ways: a masked form for display
// (4203**********0011, 138****1234), a ciphertext (XChaCha20-Poly1305 under the server key) for
// authorised reveals, and, for ID numbers, a keyed hash for exact search and duplicate checks.
// Every reveal appends an audit event naming who saw which field (never the value).
//
// A person is visible to a principal whose subtree contains the organisation keeping the
// record, or an organisation where the person holds (or held) a post.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/authorizer.h"
#include "auth/secret_key.h"
#include "core/clock.h"
#include "core/page.h"
#include "registry/types.h"
#include "store/store.h"

namespace jiandu::registry {

struct NewPerson {
  std::string name;
  std::string id_number;
  std::string ethnicity;
  std::string phone;
  int64_t org_id = 0;
  std::string notes;
};

struct PersonPatch {
  std::optional<int64_t> version;
  std::optional<std::string> name;
  std::optional<std::string> ethnicity;
  std::optional<std::string> phone;
  std::optional<std::string> notes;
};

struct PersonFilter {
  std::optional<std::string> name_contains;  // 1+ characters (2-character names work)
  std::optional<std::string> id_number;      // exact, any accepted spelling
  std::optional<int64_t> org_id;             // kept by this organisation or its descendants
};

struct RevealedFields {
  std::optional<std::string> id_number;
  std::optional<std::string> phone;
};

class PersonService {
 public:
  PersonService(store::Store& store, const audit::AuditLog& audit, const auth::SecretKey& key,
                const core::Clock& clock)
      : store_(store), audit_(audit), key_(key), clock_(clock) {}

  // invalid_argument naming name, id_number (format, check digit, birth date, unknown region
  // prefix), ethnicity, phone, notes or org_id (unknown or outside scope); conflict naming
  // id_number when the person is already registered.
  Result<Person> Create(const auth::Principal& who, const NewPerson& in);
  Result<Person> Get(const auth::Principal& who, int64_t id);
  Result<Person> Update(const auth::Principal& who, int64_t id, const PersonPatch& patch);
  Result<core::Page<Person>> List(const auth::Principal& who, const PersonFilter& filter,
                                  const core::PageRequest& page);
  // `fields` ⊆ {"id_number", "phone"}; needs person.reveal; audited.
  Result<RevealedFields> Reveal(const auth::Principal& who, int64_t id,
                                const std::vector<std::string>& fields);

  // The person inside a transaction if `who` may read it; not_found otherwise (for other
  // services: appointments, audit trails).
  static Result<Person> LoadVisible(store::Tx& tx, const auth::Principal& who, int64_t id,
                                    auth::Permission action);

 private:
  store::Store& store_;
  const audit::AuditLog& audit_;
  const auth::SecretKey& key_;
  const core::Clock& clock_;
};

}  // namespace jiandu::registry
