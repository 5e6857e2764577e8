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

// The password policy (the only implementation in the product). Reports every broken rule.
constexpr std::string_view kCommonPasswords[] = {
    "password123!", "password@123", "p@ssw0rd123", "p@ssword123",  "passw0rd!23",  "qwerty12345",
    "qwerty@12345", "qwer1234!@#$", "admin@12345", "admin@123456", "abc@1234567",  "abcd@123456",
    "aa123456789",  "aa@123456789", "asdf@123456", "welcome@123",  "welcome123!",  "changeme123!",
    "letmein123!",  "iloveyou123!", "woaini1314!", "1qaz@wsx3edc", "1qaz2wsx#edc", "test@123456",
    "root@123456",  "zhimian@123",
};

void CheckPassword(FieldErrors& errors, std::string_view password, std::string_view email) {
  if (!IsValidUtf8(password)) {
    errors.Add("password", "must be valid UTF-8 text");
    return;
  }
  size_t length = Utf8Length(password);
  if (length < kPasswordMin || length > kPasswordMax)
    errors.Add("password", "must be 10 to 128 characters long");
  bool lower = false, upper = false, digit = false, other = false, control = false;
  for (char c : password) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      control = true;
    } else if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      other = true;
    }
  }
  if (control) errors.Add("password", "must not contain control characters");
  if (int{lower} + int{upper} + int{digit} + int{other} < 3)
    errors.Add(
        "password",
        "must contain at least 3 of: lower-case letters, upper-case letters, digits, symbols");
  const std::string lowered = AsciiLower(password);
  std::string_view mail = Trim(email);
  size_t at = mail.rfind('@');
  const std::string local = AsciiLower(at == std::string_view::npos ? mail : mail.substr(0, at));
  if (Utf8Length(local) >= 3 && lowered.find(local) != std::string::npos)
    errors.Add("password", "must not contain the e-mail address's user name");
  for (std::string_view common : kCommonPasswords) {
    if (lowered == common) {
      errors.Add("password", "is too common; choose a less predictable password");
      break;
    }
  }
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
