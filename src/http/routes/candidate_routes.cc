#include "http/route_util.h"
#include "http/routes/routes.h"
#include "services/services.h"

namespace zm::http {
using security::Permission;

void RegisterCandidateRoutes(Server& server, const RouteDeps& d) {
  // ---- candidates ----
  server.Add({"GET", "/api/v1/candidates", Access::Need(Permission::kCandidatesRead),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto page, PageFrom(req));
                services::CandidateService::CandidateFilter f{
                    QueryParam(req, "email"), QueryParam(req, "phone"), QueryParam(req, "tag")};
                ZM_HTTP_ASSIGN(auto result,
                               d.candidates.ListCandidates(req.MakeContext(), f, page));
                return PageResponse(result);
              }});
  server.Add({"POST", "/api/v1/candidates", Access::Need(Permission::kCandidatesWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto c, json::ParseCandidateCreate(body));
                ZM_HTTP_ASSIGN(auto created, d.candidates.CreateCandidate(req.MakeContext(), c));
                return JsonResponse(201, json::ToJson(created));
              }});
  server.Add({"GET", "/api/v1/candidates/{id}", Access::Need(Permission::kCandidatesRead),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto c, d.candidates.GetCandidate(req.MakeContext(), id));
                return JsonResponse(200, json::ToJson(c));
              }});
  server.Add({"PATCH", "/api/v1/candidates/{id}", Access::Need(Permission::kCandidatesWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto patch, json::ParseCandidatePatch(body));
                ZM_HTTP_ASSIGN(auto c, d.candidates.UpdateCandidate(req.MakeContext(), id, patch));
                return JsonResponse(200, json::ToJson(c));
              }});
  server.Add({"DELETE", "/api/v1/candidates/{id}", Access::Need(Permission::kCandidatesWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_CHECK(d.candidates.DeleteCandidate(req.MakeContext(), id));
                return NoContent();
              }});

  // ---- applications (GET /api/v1/applications, the filtered table: workspace_routes.cc) ----
  server.Add({"POST", "/api/v1/applications", Access::Need(Permission::kApplicationsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto a, json::ParseApplicationCreate(body));
                ZM_HTTP_ASSIGN(auto created, d.candidates.CreateApplication(req.MakeContext(), a));
                return JsonResponse(201, json::ToJson(created));
              }});
  server.Add({"GET", "/api/v1/applications/{id}", Access::Need(Permission::kApplicationsRead),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto a, d.candidates.GetApplication(req.MakeContext(), id));
                return JsonResponse(200, json::ToJson(a));
              }});
  server.Add({"PATCH", "/api/v1/applications/{id}", Access::Need(Permission::kApplicationsStage),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto patch, json::ParseApplicationPatch(body));
                if (!patch.stage)
                  return ErrorResponse(MakeError(ErrorCode::kInvalidArgument, "validation_failed",
                                                 "nothing to change", {{"stage", "required"}}));
                ZM_HTTP_ASSIGN(auto a, d.candidates.MoveStage(req.MakeContext(), id, *patch.stage));
                return JsonResponse(200, json::ToJson(a));
              }});
}

}  // namespace zm::http
