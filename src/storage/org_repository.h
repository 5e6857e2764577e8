// Repositories of the organisation aggregates: departments and staff users.
// Functions run inside the caller's transaction; errors as in database.h (kConflict with
// reason "unique_violation" for duplicate names/e-mails, "foreign_key_violation" for unknown
// referenced ids).
#pragma once

#include <optional>
#include <string>

#include "domain/department.h"
#include "domain/user.h"
#include "storage/database.h"
#include "storage/page.h"

namespace zm::storage {

Status InsertDepartment(Tx& tx, const domain::Department& d);
Result<std::optional<domain::Department>> GetDepartment(Tx& tx, const std::string& id);
Status UpdateDepartment(Tx& tx, const domain::Department& d);
// kConflict "in_use" when jobs, applications or users still reference it.
Status DeleteDepartment(Tx& tx, const std::string& id);
Result<Page<domain::Department>> ListDepartments(Tx& tx, const PageRequest& page);

// password_hash is stored beside the user; it never leaves the security layer.
Status InsertUser(Tx& tx, const domain::User& u, const std::string& password_hash);
Result<std::optional<domain::User>> GetUser(Tx& tx, const std::string& id);
Result<std::optional<domain::User>> GetUserByEmail(Tx& tx, const std::string& email);
// Updates profile fields and department bindings; password_hash when given.
Status UpdateUser(Tx& tx, const domain::User& u, const std::optional<std::string>& password_hash);
struct UserFilter {
  std::optional<std::string> role, department_id, status;
};
Result<Page<domain::User>> ListUsers(Tx& tx, const UserFilter& filter, const PageRequest& page);
Result<int64_t> CountUsers(Tx& tx);

}  // namespace zm::storage
