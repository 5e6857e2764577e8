// Notifications: message templates (admins, HR), channels, webhook subscriptions and the
// delivery log (admins). The service parses the bodies and answers API-shaped JSON.
#include "http/route_util.h"
#include "http/routes/routes.h"
#include "notify/notify.h"

namespace zm::http {

namespace {
using security::Permission;

// One pattern of CRUD routes on a collection: list, create, get, patch, delete.
template <class List, class Create, class Get, class Update, class Delete>
void Crud(Server& server, const std::string& base, Permission perm, List list, Create create,
          Get get, Update update, Delete del) {
  server.Add({"GET", base, Access::Need(perm), [list](const Request& req) {
                ZM_HTTP_ASSIGN(auto page, PageFrom(req));
                ZM_HTTP_ASSIGN(auto out, list(req.MakeContext(), page));
                return JsonResponse(200, out);
              }});
  server.Add({"POST", base, Access::Need(perm), [create](const Request& req) {
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto out, create(req.MakeContext(), body));
                return JsonResponse(201, out);
              }});
  server.Add({"GET", base + "/{id}", Access::Need(perm), [get](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto out, get(req.MakeContext(), id));
                return JsonResponse(200, out);
              }});
  server.Add({"PATCH", base + "/{id}", Access::Need(perm), [update](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto out, update(req.MakeContext(), id, body));
                return JsonResponse(200, out);
              }});
  server.Add({"DELETE", base + "/{id}", Access::Need(perm), [del](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_CHECK(del(req.MakeContext(), id));
                return NoContent();
              }});
}
}  // namespace

void RegisterNotifyRoutes(Server& server, const RouteDeps& d) {
  notify::NotifyService& n = d.notify;
  using Ctx = const security::Context&;
  using Json = const nlohmann::json&;
  using Id = const std::string&;
  using PageReq = const storage::PageRequest&;

  // Literal path first: /message-templates/preview must not be read as an {id}.
  server.Add({"POST", "/api/v1/message-templates/preview",
              Access::Need(Permission::kTemplatesManage), [&n](const Request& req) {
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                ZM_HTTP_ASSIGN(auto out, n.PreviewTemplate(req.MakeContext(), body));
                return JsonResponse(200, out);
              }});
  Crud(
      server, "/api/v1/message-templates", Permission::kTemplatesManage,
      [&n](Ctx c, PageReq p) { return n.ListTemplates(c, p); },
      [&n](Ctx c, Json b) { return n.CreateTemplate(c, b); },
      [&n](Ctx c, Id id) { return n.GetTemplate(c, id); },
      [&n](Ctx c, Id id, Json b) { return n.UpdateTemplate(c, id, b); },
      [&n](Ctx c, Id id) { return n.DeleteTemplate(c, id); });
  Crud(
      server, "/api/v1/notification-channels", Permission::kIntegrationsManage,
      [&n](Ctx c, PageReq p) { return n.ListChannels(c, p); },
      [&n](Ctx c, Json b) { return n.CreateChannel(c, b); },
      [&n](Ctx c, Id id) { return n.GetChannel(c, id); },
      [&n](Ctx c, Id id, Json b) { return n.UpdateChannel(c, id, b); },
      [&n](Ctx c, Id id) { return n.DeleteChannel(c, id); });
  Crud(
      server, "/api/v1/webhooks", Permission::kIntegrationsManage,
      [&n](Ctx c, PageReq p) { return n.ListWebhooks(c, p); },
      [&n](Ctx c, Json b) { return n.CreateWebhook(c, b); },
      [&n](Ctx c, Id id) { return n.GetWebhook(c, id); },
      [&n](Ctx c, Id id, Json b) { return n.UpdateWebhook(c, id, b); },
      [&n](Ctx c, Id id) { return n.DeleteWebhook(c, id); });

  server.Add({"POST", "/api/v1/webhooks/{id}/test", Access::Need(Permission::kIntegrationsManage),
              [&n](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto out, n.TestWebhook(req.MakeContext(), id));
                return JsonResponse(202, out);
              }});
  server.Add({"GET", "/api/v1/deliveries", Access::Need(Permission::kIntegrationsManage),
              [&n](const Request& req) {
                ZM_HTTP_ASSIGN(auto page, PageFrom(req));
                notify::DeliveryFilter f;
                f.kind = QueryParam(req, "kind");
                f.status = QueryParam(req, "status");
                f.subscription_id = QueryParam(req, "subscription_id");
                f.channel_id = QueryParam(req, "channel_id");
                f.application_id = QueryParam(req, "application_id");
                ZM_HTTP_ASSIGN(auto out, n.ListDeliveries(req.MakeContext(), f, page));
                return JsonResponse(200, out);
              }});
  server.Add({"GET", "/api/v1/deliveries/{id}", Access::Need(Permission::kIntegrationsManage),
              [&n](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto out, n.GetDelivery(req.MakeContext(), id));
                return JsonResponse(200, out);
              }});
  server.Add({"POST", "/api/v1/deliveries/{id}/replay",
              Access::Need(Permission::kIntegrationsManage), [&n](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto out, n.ReplayDelivery(req.MakeContext(), id));
                return JsonResponse(202, out);
              }});
}

}  // namespace zm::http
