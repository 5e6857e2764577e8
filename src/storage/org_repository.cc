#include "storage/org_repository.h"

#include "storage/hiring_repository.h"

namespace zm::storage {
namespace {
constexpr char kDeptColumns[] = "id, name, description, created_at, updated_at";
constexpr char kUserColumns[] =
    "id, email, name, role, status, created_at, updated_at, last_login_at";

domain::Department DeptFromRow(const Row& r) {
  return domain::Department{r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4)};
}

Result<domain::User> UserFromRow(Tx& tx, const Row& r) {
  domain::User u;
  u.id = r.Text(0);
  u.email = r.Text(1);
  u.name = r.Text(2);
  auto role = domain::ParseRole(r.Text(3));
  auto status = domain::ParseUserStatus(r.Text(4));
  if (!role || !status) return Internal("corrupt user row " + u.id);
  u.role = *role;
  u.status = *status;
  u.created_at = r.Int(5);
  u.updated_at = r.Int(6);
  u.last_login_at = r.OptInt(7);
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query("SELECT department_id FROM user_departments WHERE "
                                        "user_id = ? ORDER BY department_id",
                                        {u.id}));
  for (const auto& d : rs.rows) u.department_ids.push_back(d.Text(0));
  return u;
}

Status WriteUserDepartments(Tx& tx, const domain::User& u) {
  ZM_RETURN_IF_ERROR(tx.Exec("DELETE FROM user_departments WHERE user_id = ?", {u.id}));
  for (const auto& d : u.department_ids)
    ZM_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO user_departments (user_id, department_id) VALUES (?, ?)", {u.id, d}));
  return Ok();
}
}  // namespace

Status InsertDepartment(Tx& tx, const domain::Department& d) {
  ZM_RETURN_IF_ERROR(
      tx.Exec(std::string("INSERT INTO departments (") + kDeptColumns + ") VALUES (?, ?, ?, ?, ?)",
              {d.id, d.name, d.description, d.created_at, d.updated_at}));
  return Ok();
}

Result<std::optional<domain::Department>> GetDepartment(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(
      auto r,
      tx.QueryOne(std::string("SELECT ") + kDeptColumns + " FROM departments WHERE id = ?", {id}));
  if (!r) return std::optional<domain::Department>{};
  return std::optional<domain::Department>{DeptFromRow(*r)};
}

Status UpdateDepartment(Tx& tx, const domain::Department& d) {
  ZM_ASSIGN_OR_RETURN(auto n, tx.Exec("UPDATE departments SET name = ?, description = ?, "
                                      "updated_at = ? WHERE id = ?",
                                      {d.name, d.description, d.updated_at, d.id}));
  if (n == 0) return NotFound("department");
  return Ok();
}

Status DeleteDepartment(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(
      auto used, tx.QueryOne("SELECT 1 WHERE EXISTS (SELECT 1 FROM jobs WHERE department_id = ?) "
                             "OR EXISTS (SELECT 1 FROM user_departments WHERE department_id = ?) "
                             "OR EXISTS (SELECT 1 FROM applications WHERE department_id = ?)",
                             {id, id, id}));
  if (used)
    return Conflict("in_use", "department still has jobs, applications or users; move them first");
  ZM_ASSIGN_OR_RETURN(auto n,
                      InUseOnForeignKey(tx.Exec("DELETE FROM departments WHERE id = ?", {id})));
  if (n == 0) return NotFound("department");
  return Ok();
}

Result<Page<domain::Department>> ListDepartments(Tx& tx, const PageRequest& page) {
  std::vector<Value> params;
  std::string sql = std::string("SELECT ") + kDeptColumns + " FROM departments WHERE 1 = 1" +
                    PageClause(page, "id", params);
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<domain::Department> items;
  for (const auto& r : rs.rows) items.push_back(DeptFromRow(r));
  return MakePage(std::move(items), page, [](const auto& d) { return d.id; });
}

Status InsertUser(Tx& tx, const domain::User& u, const std::string& password_hash) {
  ZM_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO users (id, email, name, role, password_hash, status, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {u.id, u.email, u.name, std::string(domain::ToString(u.role)), password_hash,
       std::string(domain::ToString(u.status)), u.created_at, u.updated_at}));
  return WriteUserDepartments(tx, u);
}

Result<std::optional<domain::User>> GetUser(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(
      auto r,
      tx.QueryOne(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {id}));
  if (!r) return std::optional<domain::User>{};
  ZM_ASSIGN_OR_RETURN(auto u, UserFromRow(tx, *r));
  return std::optional<domain::User>{std::move(u)};
}

Result<std::optional<domain::User>> GetUserByEmail(Tx& tx, const std::string& email) {
  ZM_ASSIGN_OR_RETURN(
      auto r,
      tx.QueryOne(std::string("SELECT ") + kUserColumns + " FROM users WHERE email = ?", {email}));
  if (!r) return std::optional<domain::User>{};
  ZM_ASSIGN_OR_RETURN(auto u, UserFromRow(tx, *r));
  return std::optional<domain::User>{std::move(u)};
}

Status UpdateUser(Tx& tx, const domain::User& u, const std::optional<std::string>& password_hash) {
  ZM_ASSIGN_OR_RETURN(
      auto n,
      tx.Exec("UPDATE users SET name = ?, role = ?, status = ?, updated_at = ? WHERE id = ?",
              {u.name, std::string(domain::ToString(u.role)),
               std::string(domain::ToString(u.status)), u.updated_at, u.id}));
  if (n == 0) return NotFound("user");
  if (password_hash) {
    ZM_RETURN_IF_ERROR(
        tx.Exec("UPDATE users SET password_hash = ? WHERE id = ?", {*password_hash, u.id}));
    // A new password ends every session of the account.
    ZM_RETURN_IF_ERROR(tx.Exec("DELETE FROM sessions WHERE user_id = ?", {u.id}));
  }
  if (u.status == domain::UserStatus::kDisabled)
    ZM_RETURN_IF_ERROR(tx.Exec("DELETE FROM sessions WHERE user_id = ?", {u.id}));
  return WriteUserDepartments(tx, u);
}

Result<Page<domain::User>> ListUsers(Tx& tx, const UserFilter& f, const PageRequest& page) {
  std::vector<Value> params;
  std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE 1 = 1";
  if (f.role) {
    sql += " AND role = ?";
    params.push_back(*f.role);
  }
  if (f.status) {
    sql += " AND status = ?";
    params.push_back(*f.status);
  }
  if (f.department_id) {
    sql += " AND id IN (SELECT user_id FROM user_departments WHERE department_id = ?)";
    params.push_back(*f.department_id);
  }
  sql += PageClause(page, "id", params);
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<domain::User> items;
  for (const auto& r : rs.rows) {
    ZM_ASSIGN_OR_RETURN(auto u, UserFromRow(tx, r));
    items.push_back(std::move(u));
  }
  return MakePage(std::move(items), page, [](const auto& u) { return u.id; });
}

Result<int64_t> CountUsers(Tx& tx) {
  ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT COUNT(*) FROM users"));
  return r ? r->Int(0) : 0;
}

}  // namespace zm::storage
