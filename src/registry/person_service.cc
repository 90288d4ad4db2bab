#include "registry/person_service.h"

#include "core/region_codes.h"
#include "core/resident_id.h"
#include "core/text.h"
#include "registry/org_service.h"
#include "registry/validate.h"

namespace jiandu::registry {
namespace {

constexpr char kPersonSelect[] =
    "SELECT p.id, p.name, p.id_number_masked, p.gender, p.birth_date, p.ethnicity, "
    "p.phone_masked, p.org_id, o.name, p.org_path, p.notes, p.version, p.created_at, "
    "p.updated_at FROM person p JOIN org o ON o.id = p.org_id ";

// A person is in scope through the organisation keeping the record or any post they hold.
std::string VisibleCondition() {
  return "(" + store::StartsWith("p.org_path") +
         " OR EXISTS (SELECT 1 FROM appointment a WHERE a.person_id = p.id AND " +
         store::StartsWith("a.org_path") + "))";
}

// From a copied Row or a RowView read in place (lists use the latter: no copy per cell).
template <typename R>
Person PersonFromRow(const R& r) {
  Person p;
  p.id = r.Int(0);
  p.name = r.Text(1);
  p.id_number_masked = r.Text(2);
  p.gender = r.Text(3);
  p.birth_date = core::CivilDate::Parse(r.Text(4)).value_or(core::CivilDate());
  p.ethnicity = r.Text(5);
  p.phone_masked = r.Text(6);
  p.org_id = r.Int(7);
  p.org_name = r.Text(8);
  p.org_path = r.Text(9);
  p.notes = r.Text(10);
  p.version = r.Int(11);
  p.created_at = core::Timestamp::FromUnixMicros(r.Int(12));
  p.updated_at = core::Timestamp::FromUnixMicros(r.Int(13));
  return p;
}


Result<std::vector<std::string>> PersonPaths(store::Tx& tx, const Person& p) {
  std::vector<std::string> paths{p.org_path};
  JIANDU_ASSIGN_OR_RETURN(
      store::Rows rows,
      tx.Query("SELECT DISTINCT org_path FROM appointment WHERE person_id = ?", {p.id}));
  for (const store::Row& r : rows) {
    paths.push_back(r.Text(0));
  }
  return paths;
}

struct CheckedPerson {
  std::string name;
  std::string ethnicity;
  std::string phone;
  std::string notes;
};

Result<CheckedPerson> CheckFields(std::optional<std::string> name, std::optional<std::string> eth,
                                  std::optional<std::string> phone,
                                  std::optional<std::string> notes) {
  CheckedPerson c;
  if (name) {
    JIANDU_ASSIGN_OR_RETURN(c.name, CheckPersonName(*name));
  }
  if (eth) {
    JIANDU_ASSIGN_OR_RETURN(c.ethnicity, CheckEthnicity(*eth));
  }
  if (phone) {
    JIANDU_ASSIGN_OR_RETURN(c.phone, CheckPhone(*phone));
  }
  if (notes) {
    JIANDU_ASSIGN_OR_RETURN(c.notes, CheckText(*notes, "notes", 2000, false, true));
  }
  return c;
}

}  // namespace

Result<Person> PersonService::LoadVisible(store::Tx& tx, const auth::Principal& who, int64_t id,
                                          auth::Permission action) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, action));
  JIANDU_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne(std::string(kPersonSelect) + "WHERE p.id = ?", {id}));
  if (!row) {
    return Status::NotFound(auth::kNoSuchRecord);
  }
  Person p = PersonFromRow(*row);
  JIANDU_ASSIGN_OR_RETURN(std::vector<std::string> paths, PersonPaths(tx, p));
  JIANDU_RETURN_IF_ERROR(auth::Authorize(who, action, auth::Resource::InOrgs(std::move(paths))));
  return p;
}

Result<Person> PersonService::Create(const auth::Principal& who, const NewPerson& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kPersonWrite));
  JIANDU_ASSIGN_OR_RETURN(CheckedPerson c,
                          CheckFields(in.name, in.ethnicity, in.phone, in.notes));
  JIANDU_ASSIGN_OR_RETURN(core::ParsedResidentId parsed,
                          core::ParseResidentId(in.id_number, clock_.Today()));
  const core::ResidentId& rid = parsed.id;
  if (!core::IsKnownIdRegion(core::RegionTable::Default(), rid)) {
    return Status::InvalidArgument("id_number",
                                   "the region prefix is not a known GB/T 2260 division code");
  }
  const std::string id_hash = key_.KeyedHash(auth::KeyPurpose::kIdNumberLookup, rid.value());

  return store::RunInTransaction<Person>(store_, store::TxMode::kReadWrite, [&](store::Tx& tx)
                                                                                -> Result<Person> {
    JIANDU_ASSIGN_OR_RETURN(std::optional<Org> org, OrgService::Load(tx, in.org_id));
    JIANDU_RETURN_IF_ERROR(auth::AuthorizeReference(who, auth::Permission::kPersonWrite,
                                                    org ? &org->path : nullptr, "org_id",
                                                    "organisation"));
    JIANDU_ASSIGN_OR_RETURN(std::optional<store::Row> dup,
                            tx.QueryOne("SELECT id FROM person WHERE id_number_hash = ?",
                                        {id_hash}));
    if (dup) {
      return Status::Conflict("a person with this ID number is already registered", "id_number");
    }
    const int64_t now = clock_.Now().unix_micros();
    std::optional<store::Value> phone_sealed;
    if (!c.phone.empty()) {
      phone_sealed = store::Blob{key_.Seal(auth::KeyPurpose::kIdNumber, c.phone, "phone:" + id_hash)};
    }
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne(
            "INSERT INTO person (org_id, org_path, name, id_number_hash, id_number_masked, "
            "id_number_sealed, gender, birth_date, ethnicity, phone_masked, phone_sealed, notes, "
            "version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) "
            "RETURNING id",
            {org->id, org->path, c.name, id_hash, core::MaskIdNumber(rid.value()),
             store::Blob{key_.Seal(auth::KeyPurpose::kIdNumber, rid.value(),
                                   "id_number:" + id_hash)},
             rid.gender() == core::Gender::kMale ? "male" : "female",
             rid.birth_date().ToString(), c.ethnicity,
             c.phone.empty() ? std::string() : core::MaskPhone(c.phone),
             phone_sealed.value_or(store::Value()), c.notes, now, now}));
    const int64_t id = row->Int(0);
    audit::EventInput ev{.actor = who.AuditActor(), .action = "person.create",
                         .entity_type = "person", .entity_id = std::to_string(id),
                         .org_path = org->path};
    ev.change.Created("name", c.name);
    ev.change.Created("id_number_hash", id_hash);
    ev.change.Created("org_id", std::to_string(org->id));
    ev.change.Created("ethnicity", c.ethnicity);
    ev.change.Created("notes", c.notes);
    if (!c.phone.empty()) {
      ev.change.Touch("phone");
    }
    JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
    return LoadVisible(tx, auth::Principal::System(), id, auth::Permission::kPersonRead);
  });
}

Result<Person> PersonService::Get(const auth::Principal& who, int64_t id) {
  return store::RunInTransaction<Person>(store_, store::TxMode::kReadOnly, [&](store::Tx& tx) {
    return LoadVisible(tx, who, id, auth::Permission::kPersonRead);
  });
}

Result<Person> PersonService::Update(const auth::Principal& who, int64_t id,
                                     const PersonPatch& patch) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kPersonWrite));
  JIANDU_ASSIGN_OR_RETURN(CheckedPerson c,
                          CheckFields(patch.name, patch.ethnicity, patch.phone, patch.notes));
  return store::RunInTransaction<Person>(store_, store::TxMode::kReadWrite, [&](store::Tx& tx)
                                                                                -> Result<Person> {
    JIANDU_ASSIGN_OR_RETURN(Person before,
                            LoadVisible(tx, who, id, auth::Permission::kPersonWrite));
    if (patch.version && *patch.version != before.version) {
      return Status::Conflict("the record was changed by someone else; reload it", "version");
    }
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> secret,
        tx.QueryOne("SELECT id_number_hash, phone_sealed FROM person WHERE id = ?", {id}));
    const std::string id_hash = secret->Text(0);
    std::string old_phone;
    if (!secret->IsNull(1)) {
      JIANDU_ASSIGN_OR_RETURN(old_phone, key_.Open(auth::KeyPurpose::kIdNumber,
                                                   secret->Bytes(1).bytes, "phone:" + id_hash));
    }
    audit::EventInput ev{.actor = who.AuditActor(), .action = "person.update",
                         .entity_type = "person", .entity_id = std::to_string(id),
                         .org_path = before.org_path};
    const std::string name = patch.name ? c.name : before.name;
    const std::string ethnicity = patch.ethnicity ? c.ethnicity : before.ethnicity;
    const std::string notes = patch.notes ? c.notes : before.notes;
    const std::string phone = patch.phone ? c.phone : old_phone;
    ev.change.Set("name", before.name, name);
    ev.change.Set("ethnicity", before.ethnicity, ethnicity);
    ev.change.Set("notes", before.notes, notes);
    if (phone != old_phone) {
      ev.change.Touch("phone");
    }
    if (ev.change.empty()) {
      return before;
    }
    store::Value sealed;
    if (!phone.empty()) {
      sealed = store::Blob{key_.Seal(auth::KeyPurpose::kIdNumber, phone, "phone:" + id_hash)};
    }
    JIANDU_RETURN_IF_ERROR(tx.Exec(
        "UPDATE person SET name = ?, ethnicity = ?, notes = ?, phone_masked = ?, "
        "phone_sealed = ?, version = version + 1, updated_at = ? WHERE id = ?",
        {name, ethnicity, notes, phone.empty() ? std::string() : core::MaskPhone(phone), sealed,
         clock_.Now().unix_micros(), id}));
    JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
    return LoadVisible(tx, who, id, auth::Permission::kPersonRead);
  });
}

Result<core::Page<Person>> PersonService::List(const auth::Principal& who,
                                               const PersonFilter& filter,
                                               const core::PageRequest& page) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kPersonRead));
  std::string sql = std::string(kPersonSelect) + "WHERE " + VisibleCondition();
  const std::string scope = who.system ? "/" : who.org_path;
  std::vector<store::Value> params;
  store::AppendStartsWith(params, scope);
  store::AppendStartsWith(params, scope);
  if (filter.name_contains) {
    JIANDU_ASSIGN_OR_RETURN(std::string q, CheckText(core::NormalizeWidth(*filter.name_contains),
                                                     "q", 50, true));
    sql += " AND p.name LIKE ? ESCAPE '\\'";
    params.emplace_back("%" + store::EscapeLike(q) + "%");
  }
  if (filter.id_number) {
    JIANDU_ASSIGN_OR_RETURN(core::ParsedResidentId parsed,
                            core::ParseResidentId(*filter.id_number, clock_.Today()));
    sql += " AND p.id_number_hash = ?";
    params.emplace_back(key_.KeyedHash(auth::KeyPurpose::kIdNumberLookup, parsed.id.value()));
  }
  return store::RunInTransaction<core::Page<Person>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<core::Page<Person>> {
        if (filter.org_id) {
          JIANDU_ASSIGN_OR_RETURN(std::optional<Org> org, OrgService::Load(tx, *filter.org_id));
          if (!org) {
            return Status::NotFound(auth::kNoSuchRecord);
          }
          JIANDU_RETURN_IF_ERROR(auth::Authorize(who, auth::Permission::kPersonRead,
                                                 auth::Resource::InOrg(org->path)));
          sql += " AND " + store::StartsWith("p.org_path");
          store::AppendStartsWith(params, org->path);
        }
        if (page.after) {
          sql += " AND p.id < ?";
          params.emplace_back(*page.after);
        }
        sql += " ORDER BY p.id DESC LIMIT ?";
        params.emplace_back(page.limit + 1);
        std::vector<Person> people;
        people.reserve(page.limit + 1);
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(sql, params, [&](const store::RowView& r) {
          people.push_back(PersonFromRow(r));
          return Status::Ok();
        }));
        return core::MakePage(std::move(people), page, [](const Person& p) { return p.id; });
      });
}

Result<RevealedFields> PersonService::Reveal(const auth::Principal& who, int64_t id,
                                             const std::vector<std::string>& fields) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kPersonReveal));
  bool want_id = false, want_phone = false;
  for (const std::string& f : fields) {
    if (f == "id_number") {
      want_id = true;
    } else if (f == "phone") {
      want_phone = true;
    } else {
      return Status::InvalidArgument("fields", "only id_number and phone can be revealed");
    }
  }
  if (!want_id && !want_phone) {
    return Status::InvalidArgument("fields", "name at least one field to reveal");
  }
  return store::RunInTransaction<RevealedFields>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<RevealedFields> {
        JIANDU_ASSIGN_OR_RETURN(Person p,
                                LoadVisible(tx, who, id, auth::Permission::kPersonReveal));
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> row,
            tx.QueryOne("SELECT id_number_hash, id_number_sealed, phone_sealed FROM person "
                        "WHERE id = ?",
                        {id}));
        const std::string id_hash = row->Text(0);
        RevealedFields out;
        audit::EventInput ev{.actor = who.AuditActor(), .action = "person.reveal",
                             .entity_type = "person", .entity_id = std::to_string(id),
                             .org_path = p.org_path};
        if (want_id) {
          JIANDU_ASSIGN_OR_RETURN(out.id_number,
                                  key_.Open(auth::KeyPurpose::kIdNumber, row->Bytes(1).bytes,
                                            "id_number:" + id_hash));
          ev.change.Touch("id_number");
        }
        if (want_phone) {
          if (row->IsNull(2)) {
            out.phone = std::string();
          } else {
            JIANDU_ASSIGN_OR_RETURN(out.phone,
                                    key_.Open(auth::KeyPurpose::kIdNumber, row->Bytes(2).bytes,
                                              "phone:" + id_hash));
          }
          ev.change.Touch("phone");
        }
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        return out;
      });
}

}  // namespace jiandu::registry
