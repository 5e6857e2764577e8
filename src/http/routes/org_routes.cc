#include "http/route_util.h"
#include "http/routes/routes.h"
#include "services/services.h"

namespace zm::http {
using security::Permission;

void RegisterOrgRoutes(Server& server, const RouteDeps& d) {
  // ---- departments ----
  server.Add({"GET", "/api/v1/departments", Access::Need(Permission::kDepartmentsRead),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto page, PageFrom(req));
                ZM_HTTP_ASSIGN(auto result, d.org.ListDepartments(req.MakeContext(), page));
                return PageResponse(result);
              }});
  server.Add({"POST", "/api/v1/departments", Access::Need(Permission::kDepartmentsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto dept, json::ParseDepartmentCreate(body));
                ZM_HTTP_ASSIGN(auto created, d.org.CreateDepartment(req.MakeContext(), dept));
                return JsonResponse(201, json::ToJson(created));
              }});
  server.Add({"GET", "/api/v1/departments/{id}", Access::Need(Permission::kDepartmentsRead),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto dept, d.org.GetDepartment(req.MakeContext(), id));
                return JsonResponse(200, json::ToJson(dept));
              }});
  server.Add({"PATCH", "/api/v1/departments/{id}", Access::Need(Permission::kDepartmentsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto patch, json::ParseDepartmentPatch(body));
                ZM_HTTP_ASSIGN(auto dept, d.org.UpdateDepartment(req.MakeContext(), id, patch));
                return JsonResponse(200, json::ToJson(dept));
              }});
  server.Add({"DELETE", "/api/v1/departments/{id}", Access::Need(Permission::kDepartmentsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_CHECK(d.org.DeleteDepartment(req.MakeContext(), id));
                return NoContent();
              }});

  // ---- users ----
  server.Add(
      {"GET", "/api/v1/users", Access::Need(Permission::kUsersRead), [&d](const Request& req) {
         ZM_HTTP_ASSIGN(auto page, PageFrom(req));
         services::OrgService::UserFilter f{
             QueryParam(req, "role"), QueryParam(req, "department_id"), QueryParam(req, "status")};
         ZM_HTTP_ASSIGN(auto result, d.org.ListUsers(req.MakeContext(), f, page));
         return PageResponse(result);
       }});
  server.Add(
      {"POST", "/api/v1/users", Access::Need(Permission::kUsersWrite), [&d](const Request& req) {
         ZM_HTTP_ASSIGN(auto body, JsonBody(req));
         ZM_HTTP_ASSIGN(auto create, json::ParseUserCreate(body));
         ZM_HTTP_ASSIGN(auto user, d.org.CreateUser(req.MakeContext(), create));
         return JsonResponse(201, json::ToJson(user));
       }});
  server.Add(
      {"GET", "/api/v1/users/{id}", Access::Need(Permission::kUsersRead), [&d](const Request& req) {
         ZM_HTTP_ASSIGN(auto id, IdParam(req));
         ZM_HTTP_ASSIGN(auto user, d.org.GetUser(req.MakeContext(), id));
         return JsonResponse(200, json::ToJson(user));
       }});
  server.Add({"PATCH", "/api/v1/users/{id}", Access::Need(Permission::kUsersWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto patch, json::ParseUserPatch(body));
                ZM_HTTP_ASSIGN(auto user, d.org.UpdateUser(req.MakeContext(), id, patch));
                return JsonResponse(200, json::ToJson(user));
              }});
}

}  // namespace zm::http
