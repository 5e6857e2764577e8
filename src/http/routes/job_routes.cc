#include "http/route_util.h"
#include "http/routes/routes.h"
#include "services/services.h"

namespace zm::http {
using security::Permission;

void RegisterJobRoutes(Server& server, const RouteDeps& d) {
  // ---- jobs ----
  server.Add({"GET", "/api/v1/jobs", Access::Need(Permission::kJobsRead), [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto page, PageFrom(req));
                services::JobService::JobFilter f{QueryParam(req, "department_id"),
                                                  QueryParam(req, "status"), QueryParam(req, "q")};
                ZM_HTTP_ASSIGN(auto result, d.jobs.ListJobs(req.MakeContext(), f, page));
                return PageResponse(result);
              }});
  server.Add(
      {"POST", "/api/v1/jobs", Access::Need(Permission::kJobsWrite), [&d](const Request& req) {
         ZM_HTTP_ASSIGN(auto body, JsonBody(req));
         ZM_HTTP_ASSIGN(auto job, json::ParseJobCreate(body));
         ZM_HTTP_ASSIGN(auto created, d.jobs.CreateJob(req.MakeContext(), job));
         return JsonResponse(201, json::ToJson(created));
       }});
  server.Add(
      {"GET", "/api/v1/jobs/{id}", Access::Need(Permission::kJobsRead), [&d](const Request& req) {
         ZM_HTTP_ASSIGN(auto id, IdParam(req));
         ZM_HTTP_ASSIGN(auto job, d.jobs.GetJob(req.MakeContext(), id));
         return JsonResponse(200, json::ToJson(job));
       }});
  server.Add({"PATCH", "/api/v1/jobs/{id}", Access::Need(Permission::kJobsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto patch, json::ParseJobPatch(body));
                ZM_HTTP_ASSIGN(auto job, d.jobs.UpdateJob(req.MakeContext(), id, patch));
                return JsonResponse(200, json::ToJson(job));
              }});
  server.Add({"DELETE", "/api/v1/jobs/{id}", Access::Need(Permission::kJobsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_CHECK(d.jobs.DeleteJob(req.MakeContext(), id));
                return NoContent();
              }});
  server.Add({"GET", "/api/v1/jobs/{id}/competency-model", Access::Need(Permission::kJobsRead),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto model, d.jobs.GetCompetencyModel(req.MakeContext(), id));
                return JsonResponse(200, json::ToJson(model));
              }});
  server.Add({"PUT", "/api/v1/jobs/{id}/competency-model", Access::Need(Permission::kJobsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto model, json::ParseCompetencyModelPut(body));
                ZM_HTTP_ASSIGN(auto saved, d.jobs.PutCompetencyModel(req.MakeContext(), id, model));
                return JsonResponse(200, json::ToJson(saved));
              }});
  server.Add({"GET", "/api/v1/jobs/{id}/interview-plan", Access::Need(Permission::kJobsRead),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto plan, d.jobs.GetInterviewPlan(req.MakeContext(), id));
                return JsonResponse(200, json::ToJson(plan));
              }});
  server.Add({"PUT", "/api/v1/jobs/{id}/interview-plan", Access::Need(Permission::kJobsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto plan, json::ParseInterviewPlanPut(body));
                ZM_HTTP_ASSIGN(auto saved, d.jobs.PutInterviewPlan(req.MakeContext(), id, plan));
                return JsonResponse(200, json::ToJson(saved));
              }});

  // ---- questions ----
  server.Add({"GET", "/api/v1/questions", Access::Need(Permission::kQuestionsRead),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto page, PageFrom(req));
                services::JobService::QuestionFilter f{
                    QueryParam(req, "job_id"), QueryParam(req, "type"),
                    QueryParam(req, "dimension_key"), QueryParam(req, "q")};
                ZM_HTTP_ASSIGN(auto result, d.jobs.ListQuestions(req.MakeContext(), f, page));
                return PageResponse(result);
              }});
  server.Add({"POST", "/api/v1/questions", Access::Need(Permission::kQuestionsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto q, json::ParseQuestionCreate(body));
                ZM_HTTP_ASSIGN(auto created, d.jobs.CreateQuestion(req.MakeContext(), q));
                return JsonResponse(201, json::ToJson(created));
              }});
  server.Add({"GET", "/api/v1/questions/{id}", Access::Need(Permission::kQuestionsRead),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto q, d.jobs.GetQuestion(req.MakeContext(), id));
                return JsonResponse(200, json::ToJson(q));
              }});
  server.Add({"PATCH", "/api/v1/questions/{id}", Access::Need(Permission::kQuestionsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto patch, json::ParseQuestionPatch(body));
                ZM_HTTP_ASSIGN(auto q, d.jobs.UpdateQuestion(req.MakeContext(), id, patch));
                return JsonResponse(200, json::ToJson(q));
              }});
  server.Add({"DELETE", "/api/v1/questions/{id}", Access::Need(Permission::kQuestionsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_CHECK(d.jobs.DeleteQuestion(req.MakeContext(), id));
                return NoContent();
              }});
}

}  // namespace zm::http
