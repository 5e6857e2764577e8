// The background job queue for admins (auditors read): /api/v1/background-jobs. The path is not
// /api/v1/jobs, which names job postings.
#include "common/time.h"
#include "http/route_util.h"
#include "http/routes/routes.h"
#include "jobs/admin.h"

namespace zm::http {

namespace {
using security::Permission;

nlohmann::json TimeOrNull(const std::optional<int64_t>& t) {
  return t ? nlohmann::json(FormatIso8601(*t)) : nlohmann::json(nullptr);
}

nlohmann::json JobJson(const jobs::JobRecord& j) {
  auto payload = nlohmann::json::parse(j.payload_json, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) payload = nlohmann::json::object();
  return {{"id", j.id},
          {"kind", j.kind},
          {"state", jobs::ToString(j.state)},
          {"payload", payload},
          {"idempotency_key", j.idempotency_key},
          {"attempts", j.attempts},
          {"max_attempts", j.max_attempts},
          {"run_at", FormatIso8601(j.run_at)},
          {"lease_owner", j.lease_owner ? nlohmann::json(*j.lease_owner) : nlohmann::json(nullptr)},
          {"lease_expires_at", TimeOrNull(j.lease_expires_at)},
          {"last_error", j.last_error ? nlohmann::json(*j.last_error) : nlohmann::json(nullptr)},
          {"created_at", FormatIso8601(j.created_at)},
          {"updated_at", FormatIso8601(j.updated_at)},
          {"finished_at", TimeOrNull(j.finished_at)}};
}

Result<jobs::JobFilter> FilterFrom(const Request& req) {
  jobs::JobFilter f;
  std::vector<FieldError> errors;
  if (auto s = QueryParam(req, "state")) {
    f.state = jobs::ParseJobState(*s);
    if (!f.state) errors.push_back({"state", "must be one of queued, running, done, dead"});
  }
  if (auto k = QueryParam(req, "kind")) {
    if (k->size() > jobs::kMaxKindChars)
      errors.push_back({"kind", "at most 100 characters"});
    else
      f.kind = *k;
  }
  if (!errors.empty()) return InvalidArgument("invalid filter", std::move(errors));
  return f;
}
}  // namespace

void RegisterJobQueueRoutes(Server& server, const RouteDeps& d) {
  server.Add({"GET", "/api/v1/background-jobs", Access::Need(Permission::kQueueRead),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto page, PageFrom(req));
                ZM_HTTP_ASSIGN(auto filter, FilterFrom(req));
                ZM_HTTP_ASSIGN(auto result, d.queue_admin.List(req.MakeContext(), filter, page));
                std::vector<nlohmann::json> items;
                items.reserve(result.items.size());
                for (const auto& j : result.items) items.push_back(JobJson(j));
                auto body = json::Page(items, result.next_cursor);
                return JsonResponse(200, body);
              }});
  server.Add({"GET", "/api/v1/background-jobs/{id}", Access::Need(Permission::kQueueRead),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto job, d.queue_admin.Get(req.MakeContext(), id));
                return JsonResponse(200, JobJson(job));
              }});
  server.Add({"POST", "/api/v1/background-jobs/{id}/retry", Access::Need(Permission::kQueueManage),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto job, d.queue_admin.Retry(req.MakeContext(), id));
                return JsonResponse(200, JobJson(job));
              }});
}

}  // namespace zm::http
