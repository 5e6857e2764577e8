#include "common/ids.h"
#include "common/time.h"
#include "http/route_util.h"
#include "http/routes/routes.h"
#include "security/audit_log.h"
#include "security/auth.h"

namespace zm::embedded {
extern const char kOpenApiJson[];
}

namespace zm::http {

namespace {
using security::Permission;

nlohmann::json TokenJson(const security::ApiTokenInfo& t) {
  domain::ApiToken d;
  d.id = t.id;
  d.name = t.name;
  d.scopes = t.scopes;
  d.prefix = t.prefix;
  d.created_by = t.created_by;
  d.created_at = t.created_at_ms;
  d.last_used_at = t.last_used_at_ms;
  d.revoked_at = t.revoked_at_ms;
  return json::ToJson(d);
}

nlohmann::json AuditJson(const security::AuditEntry& e) {
  nlohmann::json changes = nullptr;
  if (!e.changes_json.empty()) changes = nlohmann::json::parse(e.changes_json, nullptr, false);
  if (changes.is_discarded()) changes = nullptr;
  return {{"seq", e.seq},
          {"id", e.id},
          {"at", FormatIso8601(e.at_ms)},
          {"actor_type", e.actor_type},
          {"actor_id", e.actor_id},
          {"action", e.action},
          {"target_type", e.target_type},
          {"target_id", e.target_id},
          {"changes", changes},
          {"request_id", e.request_id},
          {"ip", e.ip},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

Result<std::optional<int64_t>> TimeParam(const Request& req, const char* name) {
  auto v = QueryParam(req, name);
  if (!v) return std::optional<int64_t>{};
  auto t = ParseIso8601(*v);
  if (!t) return InvalidArgument("invalid time", {{name, "must be an ISO-8601 time"}});
  return std::optional<int64_t>{*t};
}
}  // namespace

void RegisterAdminRoutes(Server& server, const RouteDeps& d) {
  server.Add({"GET", "/api/v1/openapi.json", Access::Public(), [](const Request&) {
                return Response{200, embedded::kOpenApiJson};
              }});

  // ---- API tokens ----
  server.Add({"GET", "/api/v1/api-tokens", Access::Need(Permission::kTokensManage),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto page, PageFrom(req));
                ZM_HTTP_ASSIGN(auto tokens, d.auth.ListTokens(page.cursor, page.limit + 1));
                auto result =
                    storage::MakePage(std::move(tokens), page, [](const auto& t) { return t.id; });
                std::vector<nlohmann::json> items;
                for (const auto& t : result.items) items.push_back(TokenJson(t));
                return JsonResponse(200, json::Page(items, result.next_cursor));
              }});
  server.Add({"POST", "/api/v1/api-tokens", Access::Need(Permission::kTokensManage),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto t, json::ParseApiTokenCreate(body));
                ZM_HTTP_ASSIGN(auto created,
                               d.auth.CreateToken(req.MakeContext(), t.name, t.scopes));
                auto out = TokenJson(created.first);
                out["token"] = created.second;
                return JsonResponse(201, out);
              }});
  server.Add({"DELETE", "/api/v1/api-tokens/{id}", Access::Need(Permission::kTokensManage),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_CHECK(d.auth.RevokeToken(req.MakeContext(), id));
                return NoContent();
              }});

  // ---- audit log ----
  server.Add(
      {"GET", "/api/v1/audit-log", Access::Need(Permission::kAuditRead), [&d](const Request& req) {
         security::AuditFilter f;
         ZM_HTTP_ASSIGN(int limit, LimitFrom(req));
         f.limit = limit + 1;
         // Audit cursors are sequence numbers, not ids.
         if (auto c = req.Query("cursor")) {
           char* end = nullptr;
           long long v = std::strtoll(c->c_str(), &end, 10);
           if (c->empty() || *end != '\0' || v <= 0)
             return ErrorResponse(MakeError(ErrorCode::kInvalidArgument, "validation_failed",
                                            "invalid cursor", {{"cursor", "malformed"}}));
           f.before_seq = v;
         }
         f.actor_id = QueryParam(req, "actor_id");
         f.target_type = QueryParam(req, "target_type");
         f.target_id = QueryParam(req, "target_id");
         f.action = QueryParam(req, "action");
         ZM_HTTP_ASSIGN(f.since_ms, TimeParam(req, "since"));
         ZM_HTTP_ASSIGN(f.until_ms, TimeParam(req, "until"));
         ZM_HTTP_ASSIGN(auto entries,
                        d.db.ReadValue<std::vector<security::AuditEntry>>(
                            [&](storage::Tx& tx) { return security::ListAudit(tx, f); }));
         std::optional<std::string> next;
         if (static_cast<int>(entries.size()) > limit) {
           entries.resize(static_cast<size_t>(limit));
           next = std::to_string(entries.back().seq);
         }
         std::vector<nlohmann::json> items;
         for (const auto& e : entries) items.push_back(AuditJson(e));
         return JsonResponse(200, json::Page(items, next));
       }});
}

}  // namespace zm::http
