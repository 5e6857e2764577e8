// HR workspace routes: the applications table with server-side filters and its CSV export,
// bulk actions, the dashboard, comments with @mentions and notifications, application history
// and the manager's review queue with decisions. Registered before the other routes so that
// literal paths (/applications/export.csv, /applications/bulk) win over /applications/{id}.
#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/json_writer.h"
#include "common/time.h"
#include "http/route_util.h"
#include "http/routes/routes.h"
#include "services/workspace_service.h"

namespace zm::http {
using security::Permission;

namespace {

using nlohmann::json;

// A strict reader of the workspace's small request bodies: unknown members and wrong types are
// reported per field (400 validation_failed), like the domain codec does; null counts as
// absent.
class BodyReader {
 public:
  explicit BodyReader(const json& body) : body_(body) {}

  Status CheckObject() const {
    if (!body_.is_object()) return InvalidArgument("request body must be a JSON object");
    return Ok();
  }
  void AllowOnly(std::initializer_list<std::string_view> keys) {
    for (const auto& [k, _] : body_.items())
      if (std::find(keys.begin(), keys.end(), k) == keys.end())
        errors_.push_back({k, "unknown field"});
  }
  const json* Get(const char* key, bool required) {
    auto it = body_.find(key);
    if (it == body_.end() || it->is_null()) {
      if (required) errors_.push_back({key, "is required"});
      return nullptr;
    }
    return &*it;
  }
  std::optional<std::string> String(const char* key, bool required) {
    const json* v = Get(key, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      errors_.push_back({key, "must be a string"});
      return std::nullopt;
    }
    return v->get<std::string>();
  }
  std::optional<std::vector<std::string>> StringArray(const char* key, bool required) {
    const json* v = Get(key, required);
    if (!v) return std::nullopt;
    if (!v->is_array()) {
      errors_.push_back({key, "must be an array"});
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) {
        errors_.push_back({std::string(key) + "[" + std::to_string(i) + "]", "must be a string"});
        out.emplace_back();
      } else {
        out.push_back((*v)[i].get<std::string>());
      }
    }
    return out;
  }
  std::optional<int64_t> Int(const char* key, int64_t min, int64_t max) {
    const json* v = Get(key, false);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) {
      errors_.push_back({key, "must be an integer"});
      return std::nullopt;
    }
    int64_t n = v->get<int64_t>();
    if (n < min || n > max) {
      errors_.push_back({key, "must be " + std::to_string(min) + ".." + std::to_string(max)});
      return std::nullopt;
    }
    return n;
  }
  std::optional<bool> Bool(const char* key) {
    const json* v = Get(key, false);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) {
      errors_.push_back({key, "must be a boolean"});
      return std::nullopt;
    }
    return v->get<bool>();
  }
  Status Done(const char* message) {
    if (errors_.empty()) return Ok();
    return InvalidArgument(message, std::move(errors_));
  }

 private:
  const json& body_;
  std::vector<FieldError> errors_;
};

Result<services::CommentCreate> ParseCommentCreate(const json& body) {
  BodyReader r(body);
  ZM_RETURN_IF_ERROR(r.CheckObject());
  r.AllowOnly({"body", "mentions"});
  services::CommentCreate c;
  if (auto v = r.String("body", true)) c.body = std::move(*v);
  if (auto v = r.StringArray("mentions", false)) c.mentions = std::move(*v);
  ZM_RETURN_IF_ERROR(r.Done("invalid comment"));
  return c;
}

Result<services::MarkReadRequest> ParseMarkRead(const json& body) {
  BodyReader r(body);
  ZM_RETURN_IF_ERROR(r.CheckObject());
  r.AllowOnly({"ids", "all"});
  services::MarkReadRequest m;
  m.ids = r.StringArray("ids", false);
  m.all = r.Bool("all").value_or(false);
  ZM_RETURN_IF_ERROR(r.Done("invalid request"));
  return m;
}

Result<services::BulkRequest> ParseBulk(const json& body) {
  BodyReader r(body);
  ZM_RETURN_IF_ERROR(r.CheckObject());
  r.AllowOnly({"action", "ids", "stage", "expires_in_days", "send_email"});
  services::BulkRequest b;
  if (auto v = r.String("action", true)) b.action = std::move(*v);
  if (auto v = r.StringArray("ids", true)) b.ids = std::move(*v);
  b.stage = r.String("stage", false);
  if (auto v = r.Int("expires_in_days", 1, 90)) b.expires_in_days = static_cast<int>(*v);
  b.send_email = r.Bool("send_email").value_or(false);
  ZM_RETURN_IF_ERROR(r.Done("invalid bulk request"));
  return b;
}

Result<services::ReinviteRequest> ParseReinvite(const json& body) {
  BodyReader r(body);
  ZM_RETURN_IF_ERROR(r.CheckObject());
  r.AllowOnly({"job_id", "expires_in_days", "send_email"});
  services::ReinviteRequest q;
  if (auto v = r.String("job_id", true)) q.job_id = std::move(*v);
  if (auto v = r.Int("expires_in_days", 1, 90)) q.expires_in_days = static_cast<int>(*v);
  q.send_email = r.Bool("send_email").value_or(false);
  ZM_RETURN_IF_ERROR(r.Done("invalid re-invitation"));
  return q;
}

Result<services::DecisionRequest> ParseDecision(const json& body) {
  BodyReader r(body);
  ZM_RETURN_IF_ERROR(r.CheckObject());
  r.AllowOnly({"decision", "comment"});
  services::DecisionRequest d;
  if (auto v = r.String("decision", true)) d.decision = std::move(*v);
  if (auto v = r.String("comment", false)) d.comment = std::move(*v);
  ZM_RETURN_IF_ERROR(r.Done("invalid decision"));
  return d;
}

std::vector<std::string> QueryAll(const Request& req, const std::string& name) {
  std::vector<std::string> out;
  auto [begin, end] = req.query.equal_range(name);
  for (auto it = begin; it != end; ++it)
    if (!it->second.empty()) out.push_back(it->second);
  return out;
}

// The table's filters from the query string (validated by the service).
Result<services::ApplicationListParams> ListParams(const Request& req) {
  services::ApplicationListParams p;
  ZM_ASSIGN_OR_RETURN(p.limit, LimitFrom(req));
  p.job_id = QueryParam(req, "job_id");
  p.department_id = QueryParam(req, "department_id");
  p.candidate_id = QueryParam(req, "candidate_id");
  p.stages = QueryAll(req, "stage");
  p.q = QueryParam(req, "q");
  p.interview_status = QueryParam(req, "interview_status");
  p.recommendation = QueryParam(req, "recommendation");
  p.min_score = QueryParam(req, "min_score");
  p.max_score = QueryParam(req, "max_score");
  p.dims = QueryAll(req, "dim");
  p.sort = QueryParam(req, "sort");
  p.cursor = QueryParam(req, "cursor");
  return p;
}

// An integer query parameter in [min, max], `fallback` when absent.
Result<int> IntParam(const Request& req, const char* name, int fallback, int min, int max) {
  auto v = QueryParam(req, name);
  if (!v) return fallback;
  int n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < min || n > max)
    return InvalidArgument(
        "invalid " + std::string(name),
        {{name, "must be an integer " + std::to_string(min) + ".." + std::to_string(max)}});
  return n;
}

Result<bool> BoolParam(const Request& req, const char* name) {
  auto v = QueryParam(req, name);
  if (!v || *v == "false") return false;
  if (*v == "true") return true;
  return InvalidArgument("invalid " + std::string(name), {{name, "must be true or false"}});
}

void WriteSummary(JsonWriter& w, const storage::InterviewSummary& iv) {
  w.BeginObject().Key("dimension_scores").BeginObject();
  for (const auto& [key, score] : iv.dimension_scores)
    w.Key(key).Double(std::round(score * 10.0) / 10.0);
  w.EndObject()
      .Key("finished_at")
      .OptTime(iv.finished_at)
      .Key("flags_count")
      .Int(iv.flags_count)
      .Key("id")
      .String(iv.id)
      .Key("overall");
  if (iv.overall)
    w.Double(std::round(*iv.overall * 10.0) / 10.0);
  else
    w.Null();
  w.Key("recommendation")
      .OptString(iv.recommendation)
      .Key("score_version")
      .Int(iv.score_version)
      .Key("status")
      .String(iv.status)
      .Key("viewed_at")
      .OptTime(iv.viewed_at)
      .Key("viewed_by")
      .OptString(iv.viewed_by)
      .EndObject();
}

// {"items": [application + interview summary], "next_cursor": ..., "total": n}, streamed.
Response ListResponse(const services::ApplicationListPage& page) {
  Response res;
  res.body.reserve(256 + page.items.size() * 700);
  JsonWriter w(res.body);
  w.BeginObject().Key("items").BeginArray();
  for (const auto& item : page.items) {
    zm::json::WriteJson(w, item.application, [&](JsonWriter& out) {
      out.Key("interview");
      if (item.interview)
        WriteSummary(out, *item.interview);
      else
        out.Null();
    });
  }
  w.EndArray()
      .Key("next_cursor")
      .OptString(page.next_cursor)
      .Key("total")
      .Int(page.total)
      .EndObject();
  return res;
}

}  // namespace

void RegisterWorkspaceRoutes(Server& server, const RouteDeps& d) {
  auto& svc = d.workspace;

  // ---- the applications table ----
  server.Add({"GET", "/api/v1/applications", Access::Need(Permission::kApplicationsRead),
              [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto params, ListParams(req));
                ZM_HTTP_ASSIGN(auto page, svc.ListApplications(req.MakeContext(), params));
                return ListResponse(page);
              }});
  server.Add({"GET", "/api/v1/applications/export.csv", Access::Need(Permission::kApplicationsRead),
              [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto params, ListParams(req));
                ZM_HTTP_ASSIGN(auto csv, svc.ExportCsv(req.MakeContext(), params));
                Response res{200, std::move(csv), "text/csv; charset=utf-8"};
                std::string stamp = FormatIso8601(NowMillis()).substr(0, 19);
                std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
                res.headers.emplace_back("Content-Disposition",
                                         "attachment; filename=\"applications-" + stamp + ".csv\"");
                res.headers.emplace_back("Cache-Control", "no-store");
                return res;
              }});
  server.Add({"POST", "/api/v1/applications/bulk", Access::Need(Permission::kApplicationsStage),
              [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto bulk, ParseBulk(body));
                ZM_HTTP_ASSIGN(auto result, svc.Bulk(req.MakeContext(), bulk));
                return JsonResponse(200, result);
              }});

  // ---- talent pool ----
  server.Add({"GET", "/api/v1/talent-pool", Access::Need(Permission::kApplicationsRead),
              [&svc](const Request& req) {
                services::TalentPoolParams p;
                ZM_HTTP_ASSIGN(p.limit, LimitFrom(req));
                p.q = QueryParam(req, "q");
                p.tag = QueryParam(req, "tag");
                p.min_score = QueryParam(req, "min_score");
                p.cursor = QueryParam(req, "cursor");
                ZM_HTTP_ASSIGN(auto page, svc.TalentPool(req.MakeContext(), p));
                return JsonResponse(200, page);
              }});
  server.Add({"POST", "/api/v1/talent-pool/{id}/reinvite",
              Access::Need(Permission::kApplicationsWrite), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto r, ParseReinvite(body));
                ZM_HTTP_ASSIGN(auto result, svc.Reinvite(req.MakeContext(), id, r));
                return JsonResponse(201, result);
              }});

  // ---- dashboard ----
  server.Add({"GET", "/api/v1/dashboard", Access::Need(Permission::kApplicationsRead),
              [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(int todo, IntParam(req, "todo_limit", 20, 1, 100));
                ZM_HTTP_ASSIGN(int activity, IntParam(req, "activity_limit", 20, 1, 100));
                ZM_HTTP_ASSIGN(auto view, svc.Dashboard(req.MakeContext(), todo, activity));
                return JsonResponse(200, view);
              }});

  // ---- one application: history, comments ----
  server.Add({"GET", "/api/v1/applications/{id}/history",
              Access::Need(Permission::kApplicationsRead), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto view, svc.History(req.MakeContext(), id));
                return JsonResponse(200, view);
              }});
  server.Add({"GET", "/api/v1/applications/{id}/comments",
              Access::Need(Permission::kApplicationsRead), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto page, PageFrom(req));
                ZM_HTTP_ASSIGN(auto view, svc.ListComments(req.MakeContext(), id, page));
                return JsonResponse(200, view);
              }});
  server.Add({"POST", "/api/v1/applications/{id}/comments",
              Access::Need(Permission::kApplicationsComment), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto comment, ParseCommentCreate(body));
                ZM_HTTP_ASSIGN(auto view, svc.AddComment(req.MakeContext(), id, comment));
                return JsonResponse(201, view);
              }});
  server.Add({"GET", "/api/v1/applications/{id}/mentionable-users",
              Access::Need(Permission::kApplicationsComment), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto view, svc.MentionableUsers(req.MakeContext(), id));
                return JsonResponse(200, view);
              }});

  // ---- notifications (the caller's own) ----
  server.Add({"GET", "/api/v1/notifications", Access::Authenticated(), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto page, PageFrom(req));
                ZM_HTTP_ASSIGN(bool unread, BoolParam(req, "unread"));
                ZM_HTTP_ASSIGN(auto view, svc.ListNotifications(req.MakeContext(), unread, page));
                return JsonResponse(200, view);
              }});
  server.Add(
      {"POST", "/api/v1/notifications/read", Access::Authenticated(), [&svc](const Request& req) {
         ZM_HTTP_ASSIGN(auto body, JsonBody(req));
         ZM_HTTP_ASSIGN(auto mark, ParseMarkRead(body));
         ZM_HTTP_ASSIGN(auto view, svc.MarkNotificationsRead(req.MakeContext(), mark));
         return JsonResponse(200, view);
       }});

  // ---- manager review ----
  server.Add({"GET", "/api/v1/reviews", Access::Need(Permission::kApplicationsDecide),
              [&svc](const Request& req) {
                services::ApplicationListParams p;
                ZM_HTTP_ASSIGN(p.limit, LimitFrom(req));
                p.job_id = QueryParam(req, "job_id");
                p.sort = QueryParam(req, "sort");
                p.cursor = QueryParam(req, "cursor");
                ZM_HTTP_ASSIGN(auto page, svc.ListReviews(req.MakeContext(), std::move(p)));
                return ListResponse(page);
              }});
  server.Add({"POST", "/api/v1/applications/{id}/decision",
              Access::Need(Permission::kApplicationsDecide), [&svc](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto decision, ParseDecision(body));
                ZM_HTTP_ASSIGN(auto view, svc.Decide(req.MakeContext(), id, decision));
                return JsonResponse(200, view);
              }});
}

}  // namespace zm::http
