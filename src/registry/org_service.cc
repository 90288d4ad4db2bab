#include "registry/org_service.h"

#include "core/region_codes.h"
#include "registry/validate.h"

namespace jiandu::registry {
namespace {

constexpr char kOrgSelect[] =
    "SELECT o.id, o.parent_id, o.code, o.name, o.kind, o.region_code, o.path, o.depth, "
    "o.version, EXISTS (SELECT 1 FROM org c WHERE c.parent_id = o.id) FROM org o ";

Org OrgFromRow(const store::Row& r) {
  Org o;
  o.id = r.Int(0);
  o.parent_id = r.OptInt(1);
  o.code = r.Text(2);
  o.name = r.Text(3);
  o.kind = ParseOrgKind(r.Text(4)).value_or(OrgKind::kOther);
  o.region_code = r.Text(5);
  o.path = r.Text(6);
  o.depth = static_cast<int>(r.Int(7));
  o.version = r.Int(8);
  o.has_children = r.Bool(9);
  return o;
}

Result<std::vector<Org>> QueryOrgs(store::Tx& tx, const std::string& where,
                                   std::initializer_list<store::Value> params) {
  JIANDU_ASSIGN_OR_RETURN(store::Rows rows, tx.Query(kOrgSelect + where, params));
  std::vector<Org> out;
  out.reserve(rows.size());
  for (const store::Row& r : rows) {
    out.push_back(OrgFromRow(r));
  }
  return out;
}

Status CheckRegion(const std::string& code) {
  if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument("region_code", "must be a 6-digit GB/T 2260 code");
  }
  if (!core::RegionTable::Default().IsKnown(code)) {
    return Status::InvalidArgument("region_code", "is not a known GB/T 2260 division code");
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<Org>> OrgService::Load(store::Tx& tx, int64_t id) {
  JIANDU_ASSIGN_OR_RETURN(std::vector<Org> orgs, QueryOrgs(tx, "WHERE o.id = ?", {id}));
  if (orgs.empty()) {
    return std::optional<Org>();
  }
  return std::optional<Org>(std::move(orgs.front()));
}

Result<Org> OrgService::CreateOrg(const auth::Principal& who, const NewOrg& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kOrgWrite));
  JIANDU_RETURN_IF_ERROR(CheckOrgCode(in.code));
  JIANDU_ASSIGN_OR_RETURN(std::string name, CheckText(in.name, "name", 100, true));
  std::optional<OrgKind> kind = ParseOrgKind(in.kind);
  if (!kind) {
    return Status::InvalidArgument("kind", "unknown organisation kind");
  }
  JIANDU_RETURN_IF_ERROR(CheckRegion(in.region_code));
  if (!in.parent_id && !who.system) {
    return Status::InvalidArgument("parent_id", "is required");
  }
  return store::RunInTransaction<Org>(store_, store::TxMode::kReadWrite, [&](store::Tx& tx)
                                                                             -> Result<Org> {
    std::string parent_path = "/";
    int depth = 0;
    if (in.parent_id) {
      JIANDU_ASSIGN_OR_RETURN(std::optional<Org> parent, Load(tx, *in.parent_id));
      JIANDU_RETURN_IF_ERROR(auth::AuthorizeReference(who, auth::Permission::kOrgWrite,
                                                      parent ? &parent->path : nullptr,
                                                      "parent_id", "organisation"));
      parent_path = parent->path;
      depth = parent->depth + 1;
    }
    JIANDU_ASSIGN_OR_RETURN(std::optional<store::Row> dup,
                            tx.QueryOne("SELECT id FROM org WHERE code = ?", {in.code}));
    if (dup) {
      return Status::Conflict("an organisation with this code exists", "code");
    }
    const int64_t now = clock_.Now().unix_micros();
    // The path needs the new id: insert under a unique placeholder, then set it.
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("INSERT INTO org (parent_id, code, name, kind, region_code, path, depth, "
                    "version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) "
                    "RETURNING id",
                    {in.parent_id, in.code, name, std::string(Code(*kind)), in.region_code,
                     parent_path + "#" + in.code, depth, now, now}));
    const int64_t id = row->Int(0);
    const std::string path = parent_path + std::to_string(id) + "/";
    JIANDU_RETURN_IF_ERROR(tx.Exec("UPDATE org SET path = ? WHERE id = ?", {path, id}));
    audit::EventInput ev{.actor = who.AuditActor(), .action = "org.create",
                         .entity_type = "org", .entity_id = std::to_string(id), .org_path = path};
    ev.change.Created("code", in.code);
    ev.change.Created("name", name);
    ev.change.Created("kind", Code(*kind));
    ev.change.Created("region_code", in.region_code);
    ev.change.Created("parent_id", in.parent_id ? std::to_string(*in.parent_id) : "");
    JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
    JIANDU_ASSIGN_OR_RETURN(std::optional<Org> created, Load(tx, id));
    return *created;
  });
}

Result<Org> OrgService::UpdateOrg(const auth::Principal& who, int64_t id, const OrgPatch& patch) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kOrgWrite));
  std::optional<std::string> name;
  if (patch.name) {
    JIANDU_ASSIGN_OR_RETURN(name, CheckText(*patch.name, "name", 100, true));
  }
  std::optional<OrgKind> kind;
  if (patch.kind) {
    kind = ParseOrgKind(*patch.kind);
    if (!kind) {
      return Status::InvalidArgument("kind", "unknown organisation kind");
    }
  }
  if (patch.region_code) {
    JIANDU_RETURN_IF_ERROR(CheckRegion(*patch.region_code));
  }
  return store::RunInTransaction<Org>(store_, store::TxMode::kReadWrite, [&](store::Tx& tx)
                                                                             -> Result<Org> {
    JIANDU_ASSIGN_OR_RETURN(std::optional<Org> before, Load(tx, id));
    if (!before) {
      return Status::NotFound(auth::kNoSuchRecord);
    }
    JIANDU_RETURN_IF_ERROR(
        auth::Authorize(who, auth::Permission::kOrgWrite, auth::Resource::InOrg(before->path)));
    if (patch.version && *patch.version != before->version) {
      return Status::Conflict("the organisation was changed by someone else; reload it",
                              "version");
    }
    Org after = *before;
    if (name) after.name = *name;
    if (kind) after.kind = *kind;
    if (patch.region_code) after.region_code = *patch.region_code;
    audit::EventInput ev{.actor = who.AuditActor(), .action = "org.update", .entity_type = "org",
                         .entity_id = std::to_string(id), .org_path = before->path};
    ev.change.Set("name", before->name, after.name);
    ev.change.Set("kind", Code(before->kind), Code(after.kind));
    ev.change.Set("region_code", before->region_code, after.region_code);
    if (ev.change.empty()) {
      return *before;
    }
    JIANDU_RETURN_IF_ERROR(tx.Exec(
        "UPDATE org SET name = ?, kind = ?, region_code = ?, version = version + 1, "
        "updated_at = ? WHERE id = ?",
        {after.name, std::string(Code(after.kind)), after.region_code,
         clock_.Now().unix_micros(), id}));
    JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
    JIANDU_ASSIGN_OR_RETURN(std::optional<Org> updated, Load(tx, id));
    return *updated;
  });
}

Result<OrgWithAncestors> OrgService::GetOrg(const auth::Principal& who, int64_t id) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kOrgRead));
  return store::RunInTransaction<OrgWithAncestors>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<OrgWithAncestors> {
        JIANDU_ASSIGN_OR_RETURN(std::optional<Org> org, Load(tx, id));
        if (!org) {
          return Status::NotFound(auth::kNoSuchRecord);
        }
        JIANDU_RETURN_IF_ERROR(
            auth::Authorize(who, auth::Permission::kOrgRead, auth::Resource::InOrg(org->path)));
        OrgWithAncestors out{*org, {}};
        // Ancestor ids are the path's segments; keep those inside the caller's scope.
        std::string_view path = org->path;
        size_t start = 1;
        for (size_t slash = path.find('/', start); slash != std::string_view::npos;
             start = slash + 1, slash = path.find('/', start)) {
          std::string prefix(path.substr(0, slash + 1));
          if (prefix == org->path || !auth::PathWithin(prefix, who.org_path)) {
            continue;
          }
          JIANDU_ASSIGN_OR_RETURN(std::optional<Org> a,
                                  Load(tx, std::stoll(std::string(path.substr(start, slash - start)))));
          if (a) {
            out.ancestors.push_back(*a);
          }
        }
        return out;
      });
}

Result<std::vector<Org>> OrgService::ListChildren(const auth::Principal& who,
                                                  std::optional<int64_t> parent_id) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kOrgRead));
  return store::RunInTransaction<std::vector<Org>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<std::vector<Org>> {
        if (!parent_id) {
          if (who.system) {
            return QueryOrgs(tx, "WHERE o.parent_id IS NULL ORDER BY o.id", {});
          }
          return QueryOrgs(tx, "WHERE o.id = ?", {who.org_id});
        }
        JIANDU_ASSIGN_OR_RETURN(std::optional<Org> parent, Load(tx, *parent_id));
        if (!parent) {
          return Status::NotFound(auth::kNoSuchRecord);
        }
        JIANDU_RETURN_IF_ERROR(auth::Authorize(who, auth::Permission::kOrgRead,
                                               auth::Resource::InOrg(parent->path)));
        return QueryOrgs(tx, "WHERE o.parent_id = ? ORDER BY o.id", {*parent_id});
      });
}

Result<std::vector<Org>> OrgService::Search(const auth::Principal& who, const std::string& query) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kOrgRead));
  JIANDU_ASSIGN_OR_RETURN(std::string q, CheckText(query, "q", 50, true));
  return store::RunInTransaction<std::vector<Org>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) {
        const std::string scope = who.system ? "/" : who.org_path;
        return QueryOrgs(tx,
                         "WHERE " + store::StartsWith("o.path") +
                             " AND o.name LIKE ? ESCAPE '\\' ORDER BY o.depth, o.id LIMIT 50",
                         {static_cast<int64_t>(scope.size()), scope,
                          "%" + store::EscapeLike(q) + "%"});
      });
}

Result<std::optional<auth::OrgRef>> OrgService::FindOrg(store::Tx& tx, int64_t id) const {
  JIANDU_ASSIGN_OR_RETURN(std::optional<Org> org, Load(tx, id));
  if (!org) {
    return std::optional<auth::OrgRef>();
  }
  return std::optional<auth::OrgRef>(auth::OrgRef{org->id, org->path, org->name});
}

Result<std::optional<auth::OrgRef>> OrgService::FindOrgByCode(store::Tx& tx,
                                                              const std::string& code) const {
  JIANDU_ASSIGN_OR_RETURN(std::vector<Org> orgs, QueryOrgs(tx, "WHERE o.code = ?", {code}));
  if (orgs.empty()) {
    return std::optional<auth::OrgRef>();
  }
  return std::optional<auth::OrgRef>(auth::OrgRef{orgs[0].id, orgs[0].path, orgs[0].name});
}

Result<bool> OrgService::PersonExists(store::Tx& tx, int64_t id) const {
  JIANDU_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne("SELECT id FROM person WHERE id = ?", {id}));
  return row.has_value();
}

}  // namespace jiandu::registry
