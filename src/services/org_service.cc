#include "common/ids.h"
#include "common/strings.h"
#include "common/time.h"
#include "domain/json/mapping.h"
#include "security/audit_log.h"
#include "security/password.h"
#include "services/audit_changes.h"
#include "services/services.h"
#include "storage/org_repository.h"

namespace zm::services {
namespace json = zm::json;
using storage::Tx;

namespace {
// Unique-name violations become a domain-specific conflict.
Status MapUnique(Status st, const char* reason, const char* message) {
  if (!st && st.error().code == ErrorCode::kConflict && st.error().reason == "unique_violation")
    return Conflict(reason, message);
  return st;
}

Status CheckDepartmentsExist(Tx& tx, const std::vector<std::string>& ids) {
  std::vector<FieldError> details;
  for (size_t i = 0; i < ids.size(); ++i) {
    ZM_ASSIGN_OR_RETURN(auto d, storage::GetDepartment(tx, ids[i]));
    if (!d) details.push_back({"department_ids[" + std::to_string(i) + "]", "no such department"});
  }
  if (!details.empty()) return InvalidArgument("unknown department", std::move(details));
  return Ok();
}
}  // namespace

Result<Page<domain::Department>> OrgService::ListDepartments(const Context&,
                                                             const PageRequest& page) {
  return db_.ReadValue<Page<domain::Department>>(
      [&](Tx& tx) { return storage::ListDepartments(tx, page); });
}

Result<domain::Department> OrgService::GetDepartment(const Context&, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto d, db_.ReadValue<std::optional<domain::Department>>(
                                  [&](Tx& tx) { return storage::GetDepartment(tx, id); }));
  if (!d) return NotFound("department");
  return *d;
}

Result<domain::Department> OrgService::CreateDepartment(const Context& ctx, domain::Department d) {
  d.id = NewId();
  d.created_at = d.updated_at = NowMillis();
  ZM_RETURN_IF_ERROR(domain::ValidateDepartment(d));
  ZM_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(MapUnique(storage::InsertDepartment(tx, d), "conflict",
                                 "a department with this name exists"));
    return security::AppendAudit(
        tx, ctx, {"department.create", "department", d.id, Changes(std::nullopt, json::ToJson(d))});
  }));
  return d;
}

Result<domain::Department> OrgService::UpdateDepartment(const Context& ctx, const std::string& id,
                                                        const domain::DepartmentPatch& patch) {
  ZM_RETURN_IF_ERROR(domain::ValidateDepartmentPatch(patch));
  return db_.WriteValue<domain::Department>([&](Tx& tx) -> Result<domain::Department> {
    ZM_ASSIGN_OR_RETURN(auto before, storage::GetDepartment(tx, id));
    if (!before) return NotFound("department");
    domain::Department d = *before;
    patch.Apply(d);
    d.updated_at = NowMillis();
    ZM_RETURN_IF_ERROR(domain::ValidateDepartment(d));
    ZM_RETURN_IF_ERROR(MapUnique(storage::UpdateDepartment(tx, d), "conflict",
                                 "a department with this name exists"));
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx,
        {"department.update", "department", id, Changes(json::ToJson(*before), json::ToJson(d))}));
    return d;
  });
}

Status OrgService::DeleteDepartment(const Context& ctx, const std::string& id) {
  return db_.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto before, storage::GetDepartment(tx, id));
    if (!before) return NotFound("department");
    ZM_RETURN_IF_ERROR(storage::DeleteDepartment(tx, id));
    return security::AppendAudit(
        tx, ctx, {"department.delete", "department", id, Changes(json::ToJson(*before), {})});
  });
}

Result<Page<domain::User>> OrgService::ListUsers(const Context&, const UserFilter& f,
                                                 const PageRequest& page) {
  return db_.ReadValue<Page<domain::User>>([&](Tx& tx) {
    return storage::ListUsers(tx, {f.role, f.department_id, f.status}, page);
  });
}

Result<domain::User> OrgService::GetUser(const Context&, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto u, db_.ReadValue<std::optional<domain::User>>(
                                  [&](Tx& tx) { return storage::GetUser(tx, id); }));
  if (!u) return NotFound("user");
  return *u;
}

Result<domain::User> OrgService::CreateUser(const Context& ctx, domain::UserCreate create) {
  domain::User& u = create.user;
  u.id = NewId();
  u.email = AsciiLower(Trim(u.email));
  u.created_at = u.updated_at = NowMillis();
  ZM_RETURN_IF_ERROR(domain::ValidateUserCreate(create));
  ZM_ASSIGN_OR_RETURN(auto hash, security::HashPassword(create.password));
  ZM_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(CheckDepartmentsExist(tx, u.department_ids));
    ZM_RETURN_IF_ERROR(
        MapUnique(storage::InsertUser(tx, u, hash), "conflict", "a user with this e-mail exists"));
    return security::AppendAudit(tx, ctx,
                                 {"user.create", "user", u.id, Changes({}, json::ToJson(u))});
  }));
  return u;
}

Result<domain::User> OrgService::UpdateUser(const Context& ctx, const std::string& id,
                                            const domain::UserPatch& patch) {
  ZM_RETURN_IF_ERROR(domain::ValidateUserPatch(patch));
  ZM_ASSIGN_OR_RETURN(auto current, GetUser(ctx, id));
  std::optional<std::string> hash;
  if (patch.password) {
    ZM_RETURN_IF_ERROR(domain::ValidatePassword(*patch.password, current.email));
    ZM_ASSIGN_OR_RETURN(auto h, security::HashPassword(*patch.password));
    hash = std::move(h);
  }
  return db_.WriteValue<domain::User>([&](Tx& tx) -> Result<domain::User> {
    ZM_ASSIGN_OR_RETURN(auto before, storage::GetUser(tx, id));
    if (!before) return NotFound("user");
    domain::User u = *before;
    patch.Apply(u);
    u.updated_at = NowMillis();
    ZM_RETURN_IF_ERROR(domain::ValidateUser(u));
    ZM_RETURN_IF_ERROR(CheckDepartmentsExist(tx, u.department_ids));
    ZM_RETURN_IF_ERROR(storage::UpdateUser(tx, u, hash));
    auto after = json::ToJson(u);
    if (hash) after["password"] = "[changed]";
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx, {"user.update", "user", id, Changes(json::ToJson(*before), after)}));
    return u;
  });
}

Result<std::optional<std::string>> OrgService::EnsureFirstAdmin(const std::string& email,
                                                                const std::string& password) {
  ZM_ASSIGN_OR_RETURN(auto count,
                      db_.ReadValue<int64_t>([](Tx& tx) { return storage::CountUsers(tx); }));
  if (count > 0) return std::optional<std::string>{};
  domain::UserCreate create;
  create.user.email = email;
  create.user.name = "Administrator";
  create.user.role = domain::Role::kAdmin;
  std::string generated;
  create.password = password;
  if (password.empty()) {
    generated = security::GeneratePassword(email);
    create.password = generated;
  }
  ZM_RETURN_IF_ERROR(CreateUser(Context{security::Principal::System(), "", "", ""}, create));
  return std::optional<std::string>{generated};
}

}  // namespace zm::services
