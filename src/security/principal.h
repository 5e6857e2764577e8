// Who is acting, and what they may do. The single authorization policy of the product lives
// in policy.cc: role -> permissions, token scope -> permissions, department scoping.
#pragma once

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/user.h"

namespace zm::security {

enum class Permission {
  kDepartmentsRead,
  kDepartmentsWrite,
  kUsersRead,
  kUsersWrite,
  kJobsRead,
  kJobsWrite,
  kQuestionsRead,
  kQuestionsWrite,
  kCandidatesRead,
  kCandidatesWrite,
  kApplicationsRead,
  kApplicationsWrite,
  kApplicationsStage,
  kPiiRead,
  kTokensManage,
  kAuditRead,
  kCoursesWrite,         // the course catalog of candidate reports (admins)
  kApplicationsDecide,   // approve the next round or decline (people only: no token scope)
  kApplicationsComment,  // comment on applications and @mention colleagues (people only)
  kTemplatesManage,      // message templates (admins, HR)
  kIntegrationsManage,   // notification channels, webhook subscriptions, delivery log (admins)
  kQueueRead,            // the background job queue: list and read jobs (admins, auditors)
  kQueueManage,          // retry dead background jobs (admins)
  kCount,
};
using PermissionSet = std::bitset<static_cast<size_t>(Permission::kCount)>;

// "jobs:read" etc.; the names the API and OpenAPI spec use.
std::string_view PermissionName(Permission p);
std::optional<Permission> ParsePermission(std::string_view name);
std::vector<std::string> PermissionNames(const PermissionSet& set);

// Staff roles are domain::Role. Candidates are not principals of this kind: they act through
// invitation tokens.
using domain::Role;

PermissionSet PermissionsForRole(Role role);
// scopes: "read", "write" (write implies read). Unknown scopes grant nothing.
PermissionSet PermissionsForTokenScopes(const std::vector<std::string>& scopes);

struct Principal {
  // kCandidate: a candidate acting through an invitation token (id = the interview id); holds
  // no permissions.
  enum class Kind { kAnonymous, kUser, kToken, kSystem, kCandidate };
  Kind kind = Kind::kAnonymous;
  std::string id;  // user id, token id, "system"
  std::optional<Role> role;
  PermissionSet permissions;
  // When set, the principal sees only records of these departments (managers).
  std::optional<std::vector<std::string>> department_scope;
  // Session-authenticated principals must echo this on unsafe methods.
  std::string csrf_token;
  std::string session_id;  // hashed session id (never the cookie value)

  bool Has(Permission p) const { return permissions.test(static_cast<size_t>(p)); }
  bool IsAuthenticated() const { return kind != Kind::kAnonymous; }
  bool InScope(std::string_view department_id) const;
  std::string_view ActorType() const;
  static Principal System();
};

// What every service call carries: the actor and request metadata for the audit log.
struct Context {
  Principal principal;
  std::string request_id;
  std::string ip;
  std::string user_agent;
};

}  // namespace zm::security
