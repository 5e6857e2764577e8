#include "domain/user.h"

#include <array>
#include <utility>

#include "common/strings.h"
#include "domain/validation.h"

namespace zm::domain {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoles = {{
    {Role::kAdmin, "admin"},
    {Role::kHr, "hr"},
    {Role::kManager, "manager"},
    {Role::kAuditor, "auditor"},
}};

constexpr std::array<std::pair<UserStatus, std::string_view>, 2> kStatuses = {{
    {UserStatus::kActive, "active"},
    {UserStatus::kDisabled, "disabled"},
}};

void CheckName(FieldErrors& errors, std::string_view name) {
  CheckText(errors, "name", name, 1, kUserNameMax);
}

void CheckDepartments(FieldErrors& errors, const std::vector<std::string>& ids) {
  CheckIdList(errors, "department_ids", ids, kUserDepartmentsMax);
}

void CheckPassword(FieldErrors& errors, std::string_view password, std::string_view email) {
  if (!IsValidUtf8(password)) {
    errors.Add("password", "must be valid UTF-8");
    return;
  }
  size_t n = Utf8Length(password);
  if (n < kPasswordMin || n > kPasswordMax) {
    errors.Add("password", "must be 10..128 characters");
    return;
  }
  bool lower = false, upper = false, digit = false, other = false;
  for (char c : password) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      errors.Add("password", "must not contain control characters");
      return;
    }
    if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      other = true;
    }
  }
  if (int{lower} + int{upper} + int{digit} + int{other} < 3) {
    errors.Add("password",
               "must contain at least 3 of: lower-case letter, upper-case letter, digit, symbol");
    return;
  }
  size_t at = email.find('@');
  std::string_view local = email.substr(0, at);
  if (Utf8Length(local) >= 3 && AsciiLower(password).find(AsciiLower(local)) != std::string::npos)
    errors.Add("password", "must not contain the e-mail address");
}

}  // namespace

std::string_view ToString(Role role) {
  for (const auto& [r, s] : kRoles)
    if (r == role) return s;
  return "hr";
}

std::optional<Role> ParseRole(std::string_view text) {
  for (const auto& [r, s] : kRoles)
    if (s == text) return r;
  return std::nullopt;
}

std::string_view ToString(UserStatus status) {
  for (const auto& [v, s] : kStatuses)
    if (v == status) return s;
  return "active";
}

std::optional<UserStatus> ParseUserStatus(std::string_view text) {
  for (const auto& [v, s] : kStatuses)
    if (s == text) return v;
  return std::nullopt;
}

void UserPatch::Apply(User& u) const {
  if (name) u.name = *name;
  if (role) u.role = *role;
  if (department_ids) u.department_ids = *department_ids;
  if (status) u.status = *status;
}

namespace {
void CheckUser(FieldErrors& errors, const User& u) {
  if (!IsValidUtf8(u.email)) {
    errors.Add("email", "must be valid UTF-8");
  } else if (u.email.empty()) {
    errors.Add("email", "must not be empty");
  } else if (!IsPlausibleEmail(u.email)) {
    errors.Add("email", "must be a valid e-mail address");
  }
  CheckName(errors, u.name);
  CheckDepartments(errors, u.department_ids);
  if (u.role == Role::kManager && u.department_ids.empty())
    errors.Add("department_ids", "a manager needs at least one department");
}
}  // namespace

Status ValidateUser(const User& u) {
  FieldErrors errors;
  CheckUser(errors, u);
  return errors.ToStatus("invalid user");
}

Status ValidatePassword(std::string_view password, std::string_view email) {
  FieldErrors errors;
  CheckPassword(errors, password, email);
  return errors.ToStatus("password does not meet the policy");
}

Status ValidateUserCreate(const UserCreate& c) {
  FieldErrors errors;
  CheckUser(errors, c.user);
  CheckPassword(errors, c.password, c.user.email);
  return errors.ToStatus("invalid user");
}

Status ValidateUserPatch(const UserPatch& p) {
  FieldErrors errors;
  if (p.name) CheckName(errors, *p.name);
  if (p.department_ids) CheckDepartments(errors, *p.department_ids);
  if (p.role == Role::kManager && p.department_ids && p.department_ids->empty())
    errors.Add("department_ids", "a manager needs at least one department");
  if (p.password) CheckPassword(errors, *p.password, "");
  return errors.ToStatus("invalid user");
}

}  // namespace zm::domain
