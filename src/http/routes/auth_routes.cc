#include "common/strings.h"
#include "http/route_util.h"
#include "http/routes/routes.h"
#include "security/auth.h"
#include "services/services.h"

namespace zm::http {
namespace {
using security::Permission;

std::optional<std::string> CookieValue(const Request& req, std::string_view name) {
  auto header = req.Header("cookie");
  if (!header) return std::nullopt;
  for (const auto& part : Split(*header, ';')) {
    auto kv = Trim(part);
    auto eq = kv.find('=');
    if (eq != std::string_view::npos && kv.substr(0, eq) == name)
      return std::string(kv.substr(eq + 1));
  }
  return std::nullopt;
}

std::string SessionCookie(const Config& config, const std::string& value, int64_t max_age_s) {
  return "zm_session=" + value +
         "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age_s) +
         (config.secure_cookies ? "; Secure" : "");
}
}  // namespace

Authenticator MakeAuthenticator(security::Auth& auth) {
  return [&auth](const Request& req) -> Result<security::Principal> {
    if (auto authz = req.Header("authorization")) {
      if (!StartsWith(*authz, "Bearer "))
        return Unauthenticated("unsupported Authorization scheme");
      return auth.FromBearer(Trim(std::string_view(*authz).substr(7)));
    }
    if (auto cookie = CookieValue(req, "zm_session")) return auth.FromSession(*cookie);
    return security::Principal{};
  };
}

void RegisterAuthRoutes(Server& server, const RouteDeps& d) {
  server.Add(
      {"POST", "/api/v1/auth/login", Access::Public(), [&d](const Request& req) {
         ZM_HTTP_ASSIGN(auto body, JsonBody(req));
         ZM_HTTP_ASSIGN(auto login, json::ParseLoginRequest(body));
         auto ctx = req.MakeContext();
         ZM_HTTP_ASSIGN(auto result, d.auth.Login(ctx, login.email, login.password));
         ZM_HTTP_ASSIGN(auto user, d.org.GetUser(security::Context{security::Principal::System()},
                                                 result.user_id));
         auto res =
             JsonResponse(200, {{"user", json::ToJson(user)}, {"csrf_token", result.csrf_token}});
         res.headers.emplace_back("Set-Cookie",
                                  SessionCookie(d.config, result.session_token,
                                                int64_t{d.config.session_ttl_minutes} * 60));
         return res;
       }});
  server.Add({"POST", "/api/v1/auth/logout", Access::Authenticated(), [&d](const Request& req) {
                if (!req.principal.session_id.empty())
                  ZM_HTTP_CHECK(d.auth.Logout(req.MakeContext()));
                auto res = NoContent();
                res.headers.emplace_back("Set-Cookie", SessionCookie(d.config, "", 0));
                return res;
              }});
  server.Add({"GET", "/api/v1/me", Access::Authenticated(), [&d](const Request& req) {
                nlohmann::json out;
                out["permissions"] = security::PermissionNames(req.principal.permissions);
                out["csrf_token"] = req.principal.csrf_token;
                out["user"] = nullptr;
                if (req.principal.kind == security::Principal::Kind::kUser) {
                  ZM_HTTP_ASSIGN(auto user, d.org.GetUser(req.MakeContext(), req.principal.id));
                  out["user"] = json::ToJson(user);
                }
                return JsonResponse(200, out);
              }});
}

}  // namespace zm::http
