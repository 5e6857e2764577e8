// Automation rules (per job, and organisation defaults with job_id null) and the dry run.
#include "common/ids.h"
#include "common/time.h"
#include "http/route_util.h"
#include "http/routes/routes.h"
#include "workflow/automation.h"

namespace zm::http {

namespace {
using security::Permission;

nlohmann::json RuleJson(const workflow::Rule& r) {
  auto def = nlohmann::json::parse(workflow::DefinitionJson(r.definition));
  return {{"id", r.id},
          {"job_id", r.job_id ? nlohmann::json(*r.job_id) : nlohmann::json(nullptr)},
          {"name", r.name},
          {"enabled", r.enabled},
          {"position", r.position},
          {"trigger", def["trigger"]},
          {"conditions", def["conditions"]},
          {"actions", def["actions"]},
          {"created_by", r.created_by},
          {"created_at", FormatIso8601(r.created_at)},
          {"updated_at", FormatIso8601(r.updated_at)}};
}

Result<workflow::RuleInput> InputFrom(const Request& req, bool create) {
  ZM_ASSIGN_OR_RETURN(auto body, JsonBody(req));
  return workflow::ParseRuleInput(body.dump(), create);
}
}  // namespace

void RegisterAutomationRoutes(Server& server, const RouteDeps& d) {
  server.Add(
      {"GET", "/api/v1/automation-rules", Access::Need(Permission::kJobsRead),
       [&d](const Request& req) {
         std::optional<std::string> job_id;
         bool org_only = false;
         if (auto j = QueryParam(req, "job_id")) {
           if (!IsValidId(*j))
             return ErrorResponse(MakeError(ErrorCode::kInvalidArgument, "validation_failed",
                                            "invalid filter", {{"job_id", "must be a job id"}}));
           job_id = *j;
         }
         if (auto s = QueryParam(req, "scope")) {
           if (*s != "organisation")
             return ErrorResponse(MakeError(ErrorCode::kInvalidArgument, "validation_failed",
                                            "invalid filter", {{"scope", "must be organisation"}}));
           org_only = true;
         }
         ZM_HTTP_ASSIGN(auto rules, d.automation.List(req.MakeContext(), job_id, org_only));
         nlohmann::json items = nlohmann::json::array();
         for (const auto& r : rules) items.push_back(RuleJson(r));
         return JsonResponse(200, {{"items", items}});
       }});
  server.Add({"POST", "/api/v1/automation-rules", Access::Need(Permission::kJobsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto in, InputFrom(req, true));
                ZM_HTTP_ASSIGN(auto rule, d.automation.Create(req.MakeContext(), in));
                return JsonResponse(201, RuleJson(rule));
              }});
  server.Add({"GET", "/api/v1/automation-rules/{id}", Access::Need(Permission::kJobsRead),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto rule, d.automation.Get(req.MakeContext(), id));
                return JsonResponse(200, RuleJson(rule));
              }});
  server.Add({"PATCH", "/api/v1/automation-rules/{id}", Access::Need(Permission::kJobsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto in, InputFrom(req, false));
                ZM_HTTP_ASSIGN(auto rule, d.automation.Update(req.MakeContext(), id, in));
                return JsonResponse(200, RuleJson(rule));
              }});
  server.Add({"DELETE", "/api/v1/automation-rules/{id}", Access::Need(Permission::kJobsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_CHECK(d.automation.Delete(req.MakeContext(), id));
                return NoContent();
              }});
  server.Add(
      {"POST", "/api/v1/jobs/{id}/automation-rules/dry-run", Access::Need(Permission::kJobsRead),
       [&d](const Request& req) {
         ZM_HTTP_ASSIGN(auto id, IdParam(req));
         std::optional<workflow::RuleInput> proposed;
         if (!req.body.empty()) {
           ZM_HTTP_ASSIGN(auto body, JsonBody(req));
           if (!body.empty()) {
             ZM_HTTP_ASSIGN(auto in, workflow::ParseRuleInput(body.dump(), true));
             proposed = std::move(in);
           }
         }
         ZM_HTTP_ASSIGN(auto items, d.automation.DryRun(req.MakeContext(), id, proposed));
         nlohmann::json out = nlohmann::json::array();
         for (const auto& it : items) {
           nlohmann::json rules = nlohmann::json::array();
           for (const auto& r : it.rules) {
             nlohmann::json actions = nlohmann::json::array();
             for (const auto& a : r.actions)
               actions.push_back({{"type", a.type}, {"detail", a.detail}, {"allowed", a.allowed}});
             rules.push_back({{"rule_id", r.rule_id.empty() ? nlohmann::json(nullptr)
                                                            : nlohmann::json(r.rule_id)},
                              {"name", r.name},
                              {"would_fire", r.would_fire},
                              {"already_fired", r.already_fired},
                              {"actions", actions}});
           }
           out.push_back(
               {{"application_id", it.application_id},
                {"interview_id", it.interview_id},
                {"stage", it.stage},
                {"overall", it.overall ? nlohmann::json(*it.overall) : nlohmann::json(nullptr)},
                {"rules", rules}});
         }
         return JsonResponse(200, {{"job_id", id}, {"items", out}});
       }});
}

}  // namespace zm::http
