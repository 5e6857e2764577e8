// Staff user: role, status and department scope, plus the password policy. Value type, no I/O.
// The password never lives in User; the security layer hashes it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace zm::domain {

enum class Role { kAdmin, kHr, kManager, kAuditor };
// "admin" | "hr" | "manager" | "auditor".
std::string_view ToString(Role role);
std::optional<Role> ParseRole(std::string_view text);

enum class UserStatus { kActive, kDisabled };
// "active" | "disabled".
std::string_view ToString(UserStatus status);
std::optional<UserStatus> ParseUserStatus(std::string_view text);

inline constexpr size_t kUserNameMax = 100;
inline constexpr size_t kEmailMax = 254;
inline constexpr size_t kPasswordMin = 10;
inline constexpr size_t kPasswordMax = 128;
inline constexpr size_t kUserDepartmentsMax = 100;

struct User {
  std::string id;
  std::string email;  // plausible address, <= 254 bytes
  std::string name;   // 1..100 chars
  Role role = Role::kHr;
  std::vector<std::string> department_ids;  // unique ids; a manager needs >= 1
  UserStatus status = UserStatus::kActive;
  int64_t created_at = 0;  // Unix ms
  int64_t updated_at = 0;
  std::optional<int64_t> last_login_at;
};

// POST /users body: the user plus the plaintext password to hash.
struct UserCreate {
  User user;
  std::string password;
};

// PATCH body. `password` is not applied by Apply(): the caller hashes it after checking it
// with ValidatePassword(password, user.email).
struct UserPatch {
  std::optional<std::string> name;
  std::optional<Role> role;
  std::optional<std::vector<std::string>> department_ids;
  std::optional<UserStatus> status;
  std::optional<std::string> password;

  bool empty() const { return !name && !role && !department_ids && !status && !password; }
  void Apply(User& u) const;
};

// Checks email, name, department_ids and the manager rule (field "department_ids").
Status ValidateUser(const User& u);
// Password policy, reported on field "password": 10..128 chars, at least 3 of (lower case,
// upper case, digit, other), no control characters, and not containing the local part of
// `email` (case-insensitive; only checked when that local part has >= 3 chars), not a well-known
// password. Every broken rule is reported. The only implementation of the policy.
Status ValidatePassword(std::string_view password, std::string_view email);
// ValidateUser + ValidatePassword, all problems together.
Status ValidateUserCreate(const UserCreate& c);
// Per-field rules of the present fields; the password is checked without the e-mail rule
// (the caller re-checks with the stored e-mail). The manager rule needs the stored user: run
// ValidateUser after Apply.
Status ValidateUserPatch(const UserPatch& p);

}  // namespace zm::domain
