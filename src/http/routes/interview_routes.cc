// Interview routes: HR's invitation and result endpoints under /applications/{id}, the
// candidate's endpoints under /interview/{token} (public: the token is the credential), the
// course catalog and HR tasks.
#include <charconv>

#include "http/route_util.h"
#include "http/routes/routes.h"
#include "services/interview_service.h"
#include "services/workspace_service.h"

namespace zm::http {
using security::Permission;

namespace {

// The {position} path parameter: a question index 0..999; anything else answers 404.
Result<int> PositionParam(const Request& req) {
  const std::string& text = req.Param("position");
  int value = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  // Canonical decimal only: "01" and "-0" name no question.
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0 || value > 999 ||
      text != std::to_string(value))
    return NotFound("question " + text);
  return value;
}

// The candidate's {token}; its format is checked by the service (unknown tokens answer 404).
const std::string& TokenParam(const Request& req) { return req.Param("token"); }

// An optional JSON body: absent or empty means {}.
Result<nlohmann::json> OptionalJsonBody(const Request& req) {
  if (req.body.empty()) return nlohmann::json::object();
  return JsonBody(req);
}

}  // namespace

void RegisterInterviewRoutes(Server& server, const RouteDeps& d) {
  auto& svc = d.interviews;

  // ---- HR: invitations and results ----
  server.Add({"POST", "/api/v1/applications/{id}/invitation",
              Access::Need(Permission::kApplicationsWrite), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, OptionalJsonBody(req));
                ZM_HTTP_ASSIGN(auto invitation, json::ParseInvitationRequest(body));
                ZM_HTTP_ASSIGN(auto view,
                               svc.Invite(req.MakeContext(), id, invitation.expires_in_days,
                                          invitation.send_email));
                return JsonResponse(201, view);
              }});
  server.Add({"POST", "/api/v1/applications/{id}/invitation/resend",
              Access::Need(Permission::kApplicationsWrite), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, OptionalJsonBody(req));
                ZM_HTTP_ASSIGN(auto resend, json::ParseResendRequest(body));
                ZM_HTTP_ASSIGN(auto view, svc.Resend(req.MakeContext(), id, resend));
                return JsonResponse(200, view);
              }});
  server.Add({"POST", "/api/v1/applications/{id}/invitation/revoke",
              Access::Need(Permission::kApplicationsWrite), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto view, svc.Revoke(req.MakeContext(), id));
                return JsonResponse(200, view);
              }});
  server.Add({"POST", "/api/v1/applications/{id}/invitation/extend",
              Access::Need(Permission::kApplicationsWrite), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto days, json::ParseExtendRequest(body));
                ZM_HTTP_ASSIGN(auto view, svc.Extend(req.MakeContext(), id, days));
                return JsonResponse(200, view);
              }});
  server.Add({"GET", "/api/v1/applications/{id}/interview",
              Access::Need(Permission::kApplicationsRead), [&svc, &d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto view, svc.GetForApplication(req.MakeContext(), id));
                ZM_HTTP_CHECK(d.workspace.RecordResultView(req.MakeContext(), id));
                return JsonResponse(200, view);
              }});
  server.Add({"POST", "/api/v1/applications/{id}/interview/overrides",
              Access::Need(Permission::kApplicationsWrite), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto o, json::ParseScoreOverride(body));
                ZM_HTTP_ASSIGN(auto view, svc.Override(req.MakeContext(), id, std::move(o)));
                return JsonResponse(201, view);
              }});
  server.Add({"POST", "/api/v1/applications/{id}/interview/rescore",
              Access::Need(Permission::kApplicationsWrite), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto view, svc.Rescore(req.MakeContext(), id));
                return JsonResponse(200, view);
              }});
  server.Add({"POST", "/api/v1/applications/{id}/interview/release-report",
              Access::Need(Permission::kApplicationsWrite), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto view, svc.ReleaseReport(req.MakeContext(), id));
                return JsonResponse(200, view);
              }});

  // ---- candidate (the token in the path is the credential) ----
  server.Add({"GET", "/api/v1/interview/{token}", Access::Public(), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto view, svc.Overview(req.MakeContext(), TokenParam(req)));
                return JsonResponse(200, view);
              }});
  server.Add(
      {"POST", "/api/v1/interview/{token}/consent", Access::Public(), [&svc](const Request& req) {
         ZM_HTTP_ASSIGN(auto body, JsonBody(req));
         ZM_HTTP_ASSIGN(auto consent, json::ParseConsent(body));
         ZM_HTTP_ASSIGN(auto view, svc.Consent(req.MakeContext(), TokenParam(req), consent));
         return JsonResponse(200, view);
       }});
  server.Add(
      {"GET", "/api/v1/interview/{token}/current", Access::Public(), [&svc](const Request& req) {
         // Showing the question starts its timer: a HEAD (link previewers, prefetchers) must not.
         if (req.method == "HEAD") {
           auto res = ErrorResponse(405, "method_not_allowed", "use GET: it starts the question");
           res.headers.emplace_back("Allow", "GET");
           return res;
         }
         ZM_HTTP_ASSIGN(auto view, svc.Current(req.MakeContext(), TokenParam(req)));
         return JsonResponse(200, view);
       }});
  server.Add({"PUT", "/api/v1/interview/{token}/questions/{position}/draft", Access::Public(),
              [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto position, PositionParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto draft, json::ParseAnswer(body));
                ZM_HTTP_CHECK(
                    svc.SaveDraft(req.MakeContext(), TokenParam(req), position, draft.text));
                return NoContent();
              }});
  server.Add({"POST", "/api/v1/interview/{token}/questions/{position}/answers", Access::Public(),
              [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto position, PositionParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto answer, json::ParseAnswer(body));
                ZM_HTTP_ASSIGN(auto view,
                               svc.Answer(req.MakeContext(), TokenParam(req), position, answer));
                return JsonResponse(201, view);
              }});
  server.Add({"POST", "/api/v1/interview/{token}/questions/{position}/follow-up", Access::Public(),
              [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto position, PositionParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto answer, json::ParseAnswer(body));
                ZM_HTTP_ASSIGN(auto view, svc.AnswerFollowUp(req.MakeContext(), TokenParam(req),
                                                             position, answer));
                return JsonResponse(201, view);
              }});
  server.Add({"POST", "/api/v1/interview/{token}/questions/{position}/next", Access::Public(),
              [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto position, PositionParam(req));
                ZM_HTTP_ASSIGN(auto view,
                               svc.Advance(req.MakeContext(), TokenParam(req), position));
                return JsonResponse(200, view);
              }});
  server.Add(
      {"POST", "/api/v1/interview/{token}/events", Access::Public(), [&svc](const Request& req) {
         ZM_HTTP_ASSIGN(auto body, JsonBody(req));
         ZM_HTTP_ASSIGN(auto event, json::ParseIntegrityEvent(body));
         ZM_HTTP_CHECK(svc.RecordIntegrityEvent(req.MakeContext(), TokenParam(req), event));
         return NoContent();
       }});
  server.Add(
      {"POST", "/api/v1/interview/{token}/finish", Access::Public(), [&svc](const Request& req) {
         ZM_HTTP_ASSIGN(auto view, svc.Finish(req.MakeContext(), TokenParam(req)));
         return JsonResponse(200, view);
       }});
  server.Add(
      {"GET", "/api/v1/interview/{token}/report", Access::Public(), [&svc](const Request& req) {
         ZM_HTTP_ASSIGN(auto view, svc.Report(req.MakeContext(), TokenParam(req)));
         return JsonResponse(200, view);
       }});
  server.Add({"POST", "/api/v1/interview/{token}/review-request", Access::Public(),
              [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto body, OptionalJsonBody(req));
                ZM_HTTP_ASSIGN(auto reason, json::ParseReviewRequest(body));
                ZM_HTTP_ASSIGN(auto view,
                               svc.RequestHumanReview(req.MakeContext(), TokenParam(req), reason));
                return JsonResponse(201, view);
              }});

  // ---- course catalog ----
  server.Add({"GET", "/api/v1/courses", Access::Authenticated(), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto page, PageFrom(req));
                ZM_HTTP_ASSIGN(
                    auto result,
                    svc.ListCourses(req.MakeContext(), QueryParam(req, "dimension_key"), page));
                return PageResponse(result);
              }});
  server.Add({"POST", "/api/v1/courses", Access::Need(Permission::kCoursesWrite),
              [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto c, json::ParseCourseCreate(body));
                ZM_HTTP_ASSIGN(auto created, svc.CreateCourse(req.MakeContext(), std::move(c)));
                return JsonResponse(201, json::ToJson(created));
              }});
  server.Add({"GET", "/api/v1/courses/{id}", Access::Authenticated(), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto c, svc.GetCourse(req.MakeContext(), id));
                return JsonResponse(200, json::ToJson(c));
              }});
  server.Add({"PATCH", "/api/v1/courses/{id}", Access::Need(Permission::kCoursesWrite),
              [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto patch, json::ParseCoursePatch(body));
                ZM_HTTP_ASSIGN(auto c, svc.UpdateCourse(req.MakeContext(), id, patch));
                return JsonResponse(200, json::ToJson(c));
              }});
  server.Add({"DELETE", "/api/v1/courses/{id}", Access::Need(Permission::kCoursesWrite),
              [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_CHECK(svc.DeleteCourse(req.MakeContext(), id));
                return NoContent();
              }});

  // ---- HR tasks ----
  server.Add({"GET", "/api/v1/tasks", Access::Need(Permission::kApplicationsRead),
              [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto page, PageFrom(req));
                services::InterviewService::TaskFilter f{QueryParam(req, "status"),
                                                         QueryParam(req, "kind"),
                                                         QueryParam(req, "application_id")};
                ZM_HTTP_ASSIGN(auto result, svc.ListTasks(req.MakeContext(), f, page));
                return PageResponse(result);
              }});
  server.Add({"PATCH", "/api/v1/tasks/{id}", Access::Need(Permission::kApplicationsWrite),
              [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto resolution, json::ParseTaskResolve(body));
                ZM_HTTP_ASSIGN(auto t, svc.ResolveTask(req.MakeContext(), id, resolution));
                return JsonResponse(200, json::ToJson(t));
              }});
}

}  // namespace zm::http
