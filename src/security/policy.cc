#include <algorithm>
#include <array>

#include "security/principal.h"

namespace zm::security {
namespace {
using P = Permission;
constexpr std::array<std::string_view, static_cast<size_t>(P::kCount)> kNames = {
    "departments:read",     "departments:write", "users:read",
    "users:write",          "jobs:read",         "jobs:write",
    "questions:read",       "questions:write",   "candidates:read",
    "candidates:write",     "applications:read", "applications:write",
    "applications:stage",   "pii:read",          "tokens:manage",
    "audit:read",           "courses:write",     "applications:decide",
    "applications:comment", "templates:manage",  "integrations:manage",
    "queue:read",           "queue:manage",
};

PermissionSet Of(std::initializer_list<P> ps) {
  PermissionSet s;
  for (P p : ps) s.set(static_cast<size_t>(p));
  return s;
}
}  // namespace

std::string_view PermissionName(Permission p) { return kNames.at(static_cast<size_t>(p)); }

std::optional<Permission> ParsePermission(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<Permission>(i);
  return std::nullopt;
}

std::vector<std::string> PermissionNames(const PermissionSet& set) {
  std::vector<std::string> out;
  for (size_t i = 0; i < kNames.size(); ++i)
    if (set.test(i)) out.emplace_back(kNames[i]);
  return out;
}

PermissionSet PermissionsForRole(Role role) {
  switch (role) {
    case Role::kAdmin:
      return PermissionSet{}.set();
    case Role::kHr:
      return Of({P::kDepartmentsRead, P::kDepartmentsWrite, P::kUsersRead, P::kJobsRead,
                 P::kJobsWrite, P::kQuestionsRead, P::kQuestionsWrite, P::kCandidatesRead,
                 P::kCandidatesWrite, P::kApplicationsRead, P::kApplicationsWrite,
                 P::kApplicationsStage, P::kApplicationsDecide, P::kApplicationsComment,
                 P::kPiiRead, P::kTemplatesManage});
    case Role::kManager:
      // No pii:read: managers see masked contact data; scoped to their departments.
      return Of({P::kDepartmentsRead, P::kUsersRead, P::kJobsRead, P::kQuestionsRead,
                 P::kCandidatesRead, P::kApplicationsRead, P::kApplicationsStage,
                 P::kApplicationsDecide, P::kApplicationsComment});
    case Role::kAuditor:
      return Of({P::kAuditRead, P::kDepartmentsRead, P::kUsersRead, P::kJobsRead, P::kQuestionsRead,
                 P::kQueueRead});
  }
  return {};
}

PermissionSet PermissionsForTokenScopes(const std::vector<std::string>& scopes) {
  PermissionSet s;
  bool read = std::ranges::find(scopes, "read") != scopes.end();
  bool write = std::ranges::find(scopes, "write") != scopes.end();
  if (read || write)
    s |= Of({P::kDepartmentsRead, P::kJobsRead, P::kQuestionsRead, P::kCandidatesRead,
             P::kApplicationsRead, P::kPiiRead});
  if (write)
    s |= Of({P::kJobsWrite, P::kQuestionsWrite, P::kCandidatesWrite, P::kApplicationsWrite,
             P::kApplicationsStage});
  return s;
}

bool Principal::InScope(std::string_view department_id) const {
  if (!department_scope) return true;
  return std::ranges::find(*department_scope, department_id) != department_scope->end();
}

std::string_view Principal::ActorType() const {
  switch (kind) {
    case Kind::kAnonymous:
      return "anonymous";
    case Kind::kUser:
      return "user";
    case Kind::kToken:
      return "token";
    case Kind::kSystem:
      return "system";
    case Kind::kCandidate:
      return "candidate";
  }
  return "anonymous";
}

Principal Principal::System() {
  Principal p;
  p.kind = Kind::kSystem;
  p.id = "system";
  p.permissions.set();
  return p;
}

}  // namespace zm::security
