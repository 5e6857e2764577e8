// NotifyService: templates, channels, webhook subscriptions and the delivery log (CRUD, strict
// parsing, audit). Sending lives in delivery.cc.
#include <algorithm>

#include "common/ids.h"
#include "common/strings.h"
#include "common/time.h"
#include "domain/json/reader.h"
#include "domain/validation.h"
#include "notify/internal.h"
#include "notify/notify.h"
#include "notify/signing.h"
#include "notify/url.h"
#include "security/audit_log.h"
#include "security/crypto.h"

namespace zm::notify {

using json = nlohmann::json;
using storage::Tx;
using storage::Value;
using namespace internal;
namespace ji = zm::json::internal;

namespace internal {

TemplateRow ReadTemplate(const storage::Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5),
          r.Text(6), r.Text(7), r.Bool(8), r.Bool(9), r.Int(10), r.Int(11)};
}

ChannelRow ReadChannel(const storage::Row& r) {
  ChannelRow c;
  c.id = r.Text(0);
  c.kind = r.Text(1);
  c.name = r.Text(2);
  c.enabled = r.Bool(3);
  c.config = json::parse(r.Text(4), nullptr, false);
  if (c.config.is_discarded()) c.config = json::object();
  c.secrets_enc = r.Text(5);
  c.hints = json::parse(r.Text(6), nullptr, false);
  if (c.hints.is_discarded()) c.hints = json::object();
  c.created_at = r.Int(7);
  c.updated_at = r.Int(8);
  return c;
}

WebhookRow ReadWebhook(const storage::Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), storage::FromJsonArray(r.Text(3)),
          r.Bool(4), r.Text(5), r.Int(6),  r.Int(7)};
}

DeliveryRow ReadDelivery(const storage::Row& r) {
  DeliveryRow d;
  d.id = r.Text(0);
  d.kind = r.Text(1);
  d.idempotency_key = r.Text(2);
  d.channel_id = r.OptText(3);
  d.subscription_id = r.OptText(4);
  d.template_key = r.OptText(5);
  d.event_type = r.OptText(6);
  d.message_id = r.Text(7);
  d.application_id = r.OptText(8);
  d.payload_enc = r.Text(9);
  d.status = r.Text(10);
  d.attempts = r.Int(11);
  d.last_status_code = r.OptInt(12);
  d.last_error = r.OptText(13);
  d.sending_until = r.OptInt(14);
  d.replay_of = r.OptText(15);
  d.created_at = r.Int(16);
  d.updated_at = r.Int(17);
  d.delivered_at = r.OptInt(18);
  return d;
}

Result<std::optional<TemplateRow>> FindTemplateByKey(Tx& tx, const std::string& key) {
  ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kTemplateCols +
                                                " FROM message_templates WHERE template_key = ?",
                                            {key}));
  if (!row) return std::optional<TemplateRow>{};
  return std::optional<TemplateRow>{ReadTemplate(*row)};
}

Result<std::optional<DeliveryRow>> FindDelivery(Tx& tx, const std::string& id, bool for_update) {
  std::string sql = std::string("SELECT ") + kDeliveryCols + " FROM deliveries WHERE id = ?";
  if (for_update) sql += tx.ForUpdate();
  ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, {id}));
  if (!row) return std::optional<DeliveryRow>{};
  return std::optional<DeliveryRow>{ReadDelivery(*row)};
}

Result<std::string> InsertDelivery(Tx& tx, const DeliveryRow& d) {
  ZM_ASSIGN_OR_RETURN(auto existing, tx.QueryOne("SELECT id FROM deliveries WHERE "
                                                 "idempotency_key = ?",
                                                 {d.idempotency_key}));
  if (existing) return existing->Text(0);
  ZM_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO deliveries (id, kind, idempotency_key, channel_id, subscription_id, "
      "template_key, event_type, message_id, application_id, payload_enc, status, attempts, "
      "replay_of, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, "
      "?, ?)",
      {d.id, d.kind, d.idempotency_key, storage::OptText(d.channel_id),
       storage::OptText(d.subscription_id), storage::OptText(d.template_key),
       storage::OptText(d.event_type), d.message_id, storage::OptText(d.application_id),
       d.payload_enc, storage::OptText(d.replay_of), d.created_at, d.created_at}));
  return d.id;
}

}  // namespace internal

namespace {

const std::vector<std::string_view> kEventTypes = {
    "application.created", "application.stage_changed", "interview.invited",  "interview.completed",
    "interview.scored",    "candidate.hired",           "candidate.rejected", "message.failed",
};
const std::vector<std::string_view> kChannelKinds = {"email", "sms", "wecom", "dingtalk", "feishu"};

std::string Join(const std::vector<std::string_view>& v) {
  std::string out;
  for (auto s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

Status Need(const Context& ctx, security::Permission p) {
  if (!ctx.principal.Has(p)) return PermissionDenied("permission required");
  return Ok();
}

std::unexpected<Error> Invalid(std::vector<FieldError> details) {
  return InvalidArgument("validation failed", std::move(details));
}

// Unique constraint on insert/update -> a named conflict.
Status MapUnique(const Result<int64_t>& r, const char* reason, const char* message) {
  if (r) return Ok();
  if (r.error().code == ErrorCode::kConflict && r.error().reason == "unique_violation")
    return Conflict(reason, message);
  return Fail(r.error());
}

std::string Audit(const std::optional<json>& before, const std::optional<json>& after) {
  json j = json::object();
  j["before"] = before ? *before : json(nullptr);
  j["after"] = after ? *after : json(nullptr);
  return j.dump();
}

// ---------------------------------------------------------------------------------------------
// Templates

json TemplateJson(const TemplateRow& t) {
  std::vector<FieldError> ignored;
  std::vector<std::string> vars;
  for (const auto* text : {&t.subject_zh, &t.subject_en, &t.body_zh, &t.body_en})
    for (auto& v : CheckTemplate(*text, "", ignored))
      if (std::ranges::find(vars, v) == vars.end()) vars.push_back(v);
  return {{"id", t.id},
          {"key", t.key},
          {"name", t.name},
          {"description", t.description},
          {"subject_zh", t.subject_zh},
          {"subject_en", t.subject_en},
          {"body_zh", t.body_zh},
          {"body_en", t.body_en},
          {"attach_ics", t.attach_ics},
          {"builtin", t.builtin},
          {"variables", vars},
          {"created_at", FormatIso8601(t.created_at)},
          {"updated_at", FormatIso8601(t.updated_at)}};
}

// Checks the texts of a template (length and placeholders); appends problems.
void CheckTemplateTexts(const TemplateRow& t, domain::FieldErrors& errors) {
  domain::CheckText(errors, "name", t.name, 1, 100);
  domain::CheckText(errors, "description", t.description, 0, 500);
  domain::CheckText(errors, "subject_zh", t.subject_zh, 0, 200);
  domain::CheckText(errors, "subject_en", t.subject_en, 0, 200);
  domain::CheckText(errors, "body_zh", t.body_zh, 1, 5000);
  domain::CheckText(errors, "body_en", t.body_en, 1, 5000);
  std::vector<FieldError> problems;
  CheckTemplate(t.subject_zh, "subject_zh", problems);
  CheckTemplate(t.subject_en, "subject_en", problems);
  CheckTemplate(t.body_zh, "body_zh", problems);
  CheckTemplate(t.body_en, "body_en", problems);
  for (auto& p : problems) errors.Add(p.field, p.message);
}

// Reads the template members of `body` into `t` (present members only).
void ReadTemplateMembers(ji::ObjectReader& r, TemplateRow& t, bool create) {
  using ji::Presence;
  auto req = create ? Presence::kRequired : Presence::kNonNull;
  auto opt = create ? Presence::kOptional : Presence::kNonNull;
  if (auto v = r.String("name", req)) t.name = *v;
  if (auto v = r.String("description", opt)) t.description = *v;
  if (auto v = r.String("subject_zh", opt)) t.subject_zh = *v;
  if (auto v = r.String("subject_en", opt)) t.subject_en = *v;
  if (auto v = r.String("body_zh", req)) t.body_zh = *v;
  if (auto v = r.String("body_en", req)) t.body_en = *v;
  if (auto v = r.Bool("attach_ics", opt)) t.attach_ics = *v;
}

Status InsertTemplate(Tx& tx, const TemplateRow& t) {
  return MapUnique(
      tx.Exec("INSERT INTO message_templates (id, template_key, name, description, subject_zh, "
              "subject_en, body_zh, body_en, attach_ics, builtin, created_at, updated_at) VALUES "
              "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {t.id, t.key, t.name, t.description, t.subject_zh, t.subject_en, t.body_zh, t.body_en,
               int64_t{t.attach_ics}, int64_t{t.builtin}, t.created_at, t.updated_at}),
      "duplicate_template_key", "a template with this key exists");
}

Result<std::optional<TemplateRow>> FindTemplate(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kTemplateCols +
                                                " FROM message_templates WHERE id = ?",
                                            {id}));
  if (!row) return std::optional<TemplateRow>{};
  return std::optional<TemplateRow>{ReadTemplate(*row)};
}

// ---------------------------------------------------------------------------------------------
// Channels

struct KindSpec {
  std::vector<std::string_view> config_keys, secret_keys, required_secrets;
};

KindSpec SpecOf(std::string_view kind) {
  if (kind == "email")
    return {{"host", "port", "tls", "verify_tls", "username", "from_address", "from_name"},
            {"password"},
            {}};
  if (kind == "sms") return {{"url", "method", "content_type", "body_template"}, {"api_key"}, {}};
  if (kind == "wecom") return {{}, {"webhook_url"}, {"webhook_url"}};
  return {{}, {"webhook_url", "sign_secret"}, {"webhook_url"}};  // dingtalk, feishu
}

// Validates and normalizes (defaults) a channel's config and secrets; appends problems.
void CheckChannel(const std::string& kind, json& config, const json& secrets,
                  domain::FieldErrors& errors) {
  std::vector<FieldError> problems;
  auto str = [&](const char* key) -> std::string {
    auto it = config.find(key);
    return it != config.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (kind == "email") {
    std::string host = str("host");
    if (host.empty() || host.size() > 253 || host.find_first_of(" /:@\t\r\n") != std::string::npos)
      errors.Add("config.host", "must be a host name or address");
    if (!config.contains("port")) config["port"] = 587;
    if (!config["port"].is_number_integer() || config["port"].get<int64_t>() < 1 ||
        config["port"].get<int64_t>() > 65535)
      errors.Add("config.port", "must be an integer 1..65535");
    if (!config.contains("tls")) config["tls"] = "starttls";
    std::string tls = str("tls");
    if (tls != "starttls" && tls != "tls" && tls != "none")
      errors.Add("config.tls", "must be one of: starttls, tls, none");
    if (!config.contains("verify_tls")) config["verify_tls"] = true;
    if (!config["verify_tls"].is_boolean()) errors.Add("config.verify_tls", "must be a boolean");
    if (config.contains("username") && !config["username"].is_string())
      errors.Add("config.username", "must be a string");
    if (!domain::IsPlausibleEmail(str("from_address")))
      errors.Add("config.from_address", "must be an e-mail address");
    if (config.contains("from_name")) {
      if (!config["from_name"].is_string())
        errors.Add("config.from_name", "must be a string");
      else
        domain::CheckText(errors, "config.from_name", str("from_name"), 0, 100);
    }
    if (!str("username").empty() && tls == "none")
      errors.Add("config.tls", "a password is never sent without TLS: use starttls or tls");
  } else if (kind == "sms") {
    CheckOutboundUrl(str("url"), "config.url", problems);
    if (!config.contains("method")) config["method"] = "POST";
    if (str("method") != "POST" && str("method") != "PUT")
      errors.Add("config.method", "must be one of: POST, PUT");
    if (!config.contains("content_type")) config["content_type"] = "json";
    if (str("content_type") != "json" && str("content_type") != "form")
      errors.Add("config.content_type", "must be one of: json, form");
    std::string body = str("body_template");
    domain::CheckText(errors, "config.body_template", body, 1, 2000);
    // The gateway template knows its own variables: phone, message, api_key.
    for (size_t at = body.find("{{"); at != std::string::npos; at = body.find("{{", at + 2)) {
      size_t end = body.find("}}", at);
      std::string name =
          end == std::string::npos
              ? ""
              : std::string(Trim(std::string_view(body).substr(at + 2, end - at - 2)));
      if (name != "phone" && name != "message" && name != "api_key")
        errors.Add("config.body_template", "unknown placeholder at byte " + std::to_string(at) +
                                               " (known: {{phone}}, {{message}}, {{api_key}})");
    }
    if (body.find("{{phone}}") == std::string::npos ||
        body.find("{{message}}") == std::string::npos)
      errors.Add("config.body_template", "must contain {{phone}} and {{message}}");
  }
  for (auto& p : problems) errors.Add(p.field, p.message);
  if (secrets.contains("webhook_url") && secrets["webhook_url"].is_string()) {
    problems.clear();
    CheckOutboundUrl(secrets["webhook_url"].get<std::string>(), "secrets.webhook_url", problems);
    for (auto& p : problems) errors.Add(p.field, p.message);
  }
  for (auto it = secrets.begin(); it != secrets.end(); ++it)
    if (it->is_string())
      domain::CheckText(errors, "secrets." + it.key(), it->get<std::string>(), 1, 2048);
}

json ChannelJson(const ChannelRow& c) {
  return {{"id", c.id},
          {"kind", c.kind},
          {"name", c.name},
          {"enabled", c.enabled},
          {"config", c.config},
          {"secrets", c.hints},
          {"created_at", FormatIso8601(c.created_at)},
          {"updated_at", FormatIso8601(c.updated_at)}};
}

// Reads an object member whose keys must be in `allowed` and whose values are JSON scalars
// (config) or strings (secrets).
json ReadObject(ji::ObjectReader& r, std::string_view key,
                const std::vector<std::string_view>& allowed, bool strings_only, bool create) {
  const json* v = r.Get(key, create ? ji::Presence::kOptional : ji::Presence::kNonNull);
  if (!v) return json::object();
  std::string path = r.PathOf(key);
  if (!v->is_object()) {
    r.errors().Add(path, "must be an object");
    return json::object();
  }
  json out = json::object();
  for (auto it = v->begin(); it != v->end(); ++it) {
    std::string p = domain::Member(path, it.key());
    if (std::ranges::find(allowed, it.key()) == allowed.end()) {
      r.errors().Add(p, std::string(ji::kUnknownField));
      continue;
    }
    if (it->is_null()) continue;
    if (strings_only ? !it->is_string()
                     : !(it->is_string() || it->is_boolean() || it->is_number_integer())) {
      r.errors().Add(p, strings_only ? "must be a string" : "must be a string, integer or boolean");
      continue;
    }
    out[it.key()] = *it;
  }
  return out;
}

json HintsOf(const json& secrets) {
  json hints = json::object();
  for (auto it = secrets.begin(); it != secrets.end(); ++it) {
    std::string s = it->get<std::string>();
    hints[it.key()] = it.key() == "webhook_url" ? UrlHint(s) : SecretHint(s);
  }
  return hints;
}

Result<std::optional<ChannelRow>> FindChannel(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kChannelCols +
                                                " FROM notify_channels WHERE id = ?",
                                            {id}));
  if (!row) return std::optional<ChannelRow>{};
  return std::optional<ChannelRow>{ReadChannel(*row)};
}

// ---------------------------------------------------------------------------------------------
// Webhooks

json WebhookJson(const WebhookRow& w) {
  return {{"id", w.id},
          {"url", w.url},
          {"description", w.description},
          {"event_types", w.event_types},
          {"enabled", w.enabled},
          {"created_at", FormatIso8601(w.created_at)},
          {"updated_at", FormatIso8601(w.updated_at)}};
}

void CheckWebhook(const WebhookRow& w, domain::FieldErrors& errors) {
  std::vector<FieldError> problems;
  CheckOutboundUrl(w.url, "url", problems);
  for (auto& p : problems) errors.Add(p.field, p.message);
  domain::CheckText(errors, "description", w.description, 0, 500);
  if (w.event_types.empty()) errors.Add("event_types", "must name at least one event type");
  for (size_t i = 0; i < w.event_types.size(); ++i) {
    const auto& t = w.event_types[i];
    if (std::ranges::find(kEventTypes, t) == kEventTypes.end())
      errors.Add(domain::Item("event_types", i), "must be one of: " + Join(kEventTypes));
    else if (std::find(w.event_types.begin(), w.event_types.begin() + static_cast<long>(i), t) !=
             w.event_types.begin() + static_cast<long>(i))
      errors.Add(domain::Item("event_types", i), "is listed twice");
  }
}

Result<std::optional<WebhookRow>> FindWebhook(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kWebhookCols +
                                                " FROM webhook_subscriptions WHERE id = ?",
                                            {id}));
  if (!row) return std::optional<WebhookRow>{};
  return std::optional<WebhookRow>{ReadWebhook(*row)};
}

// ---------------------------------------------------------------------------------------------
// Deliveries

json DeliveryJson(const DeliveryRow& d) {
  auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
  return {{"id", d.id},
          {"kind", d.kind},
          {"status", d.status},
          {"idempotency_key", d.idempotency_key},
          {"channel_id", opt(d.channel_id)},
          {"subscription_id", opt(d.subscription_id)},
          {"template_key", opt(d.template_key)},
          {"event_type", opt(d.event_type)},
          {"message_id", d.message_id},
          {"application_id", opt(d.application_id)},
          {"attempts", d.attempts},
          {"last_status_code", d.last_status_code ? json(*d.last_status_code) : json(nullptr)},
          {"last_error", opt(d.last_error)},
          {"replay_of", opt(d.replay_of)},
          {"created_at", FormatIso8601(d.created_at)},
          {"updated_at", FormatIso8601(d.updated_at)},
          {"delivered_at", d.delivered_at ? json(FormatIso8601(*d.delivered_at)) : json(nullptr)}};
}

json PageJson(std::vector<json> items, std::optional<std::string> next) {
  return {{"items", std::move(items)}, {"next_cursor", next ? json(*next) : json(nullptr)}};
}

template <class Row, class ToJson>
json MakePageJson(std::vector<Row> rows, const storage::PageRequest& page, ToJson to_json) {
  auto p = storage::MakePage(std::move(rows), page, [](const Row& r) { return r.id; });
  std::vector<json> items;
  for (const auto& r : p.items) items.push_back(to_json(r));
  return PageJson(std::move(items), p.next_cursor);
}

}  // namespace

const std::vector<std::string_view>& WebhookEventTypes() { return kEventTypes; }
const std::vector<std::string_view>& ChannelKinds() { return kChannelKinds; }

NotifyService::NotifyService(storage::Database& db, const security::FieldCipher& cipher,
                             NotifySettings settings)
    : deps_{db, cipher, std::move(settings)} {}

// ---- templates ----

Result<json> NotifyService::ListTemplates(const Context& ctx, const storage::PageRequest& page) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kTemplatesManage));
  return deps_.db.ReadValue<json>([&](Tx& tx) -> Result<json> {
    std::vector<Value> params;
    std::string sql = std::string("SELECT ") + kTemplateCols + " FROM message_templates WHERE 1=1" +
                      storage::PageClause(page, "id", params);
    ZM_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    std::vector<TemplateRow> out;
    for (const auto& r : rows.rows) out.push_back(ReadTemplate(r));
    return MakePageJson(std::move(out), page, TemplateJson);
  });
}

Result<json> NotifyService::GetTemplate(const Context& ctx, const std::string& id) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kTemplatesManage));
  return deps_.db.ReadValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto t, FindTemplate(tx, id));
    if (!t) return NotFound("message template");
    return TemplateJson(*t);
  });
}

Result<json> NotifyService::CreateTemplate(const Context& ctx, const json& body) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kTemplatesManage));
  if (!body.is_object()) return ji::NotAnObject();
  domain::FieldErrors errors;
  ji::ObjectReader r(body, "", errors);
  r.AllowOnly({"key", "name", "description", "subject_zh", "subject_en", "body_zh", "body_en",
               "attach_ics"});
  TemplateRow t;
  if (auto v = r.String("key", ji::Presence::kRequired)) {
    t.key = *v;
    domain::CheckKey(errors, "key", t.key);
  }
  ReadTemplateMembers(r, t, true);
  CheckTemplateTexts(t, errors);
  ZM_RETURN_IF_ERROR(errors.ToStatus("validation failed"));
  t.id = NewId();
  t.created_at = t.updated_at = NowMillis();
  return deps_.db.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_RETURN_IF_ERROR(InsertTemplate(tx, t));
    json out = TemplateJson(t);
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx, {"message_template.create", "message_template", t.id, Audit(std::nullopt, out)}));
    return out;
  });
}

Result<json> NotifyService::UpdateTemplate(const Context& ctx, const std::string& id,
                                           const json& body) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kTemplatesManage));
  if (!body.is_object()) return ji::NotAnObject();
  return deps_.db.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto before, FindTemplate(tx, id));
    if (!before) return NotFound("message template");
    TemplateRow t = *before;
    domain::FieldErrors errors;
    ji::ObjectReader r(body, "", errors);
    r.AllowOnly(
        {"name", "description", "subject_zh", "subject_en", "body_zh", "body_en", "attach_ics"});
    ReadTemplateMembers(r, t, false);
    CheckTemplateTexts(t, errors);
    ZM_RETURN_IF_ERROR(errors.ToStatus("validation failed"));
    t.updated_at = NowMillis();
    ZM_RETURN_IF_ERROR(tx.Exec(
        "UPDATE message_templates SET name = ?, description = ?, subject_zh = ?, subject_en = ?, "
        "body_zh = ?, body_en = ?, attach_ics = ?, updated_at = ? WHERE id = ?",
        {t.name, t.description, t.subject_zh, t.subject_en, t.body_zh, t.body_en,
         int64_t{t.attach_ics}, t.updated_at, id}));
    json out = TemplateJson(t);
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx,
        {"message_template.update", "message_template", id, Audit(TemplateJson(*before), out)}));
    return out;
  });
}

Status NotifyService::DeleteTemplate(const Context& ctx, const std::string& id) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kTemplatesManage));
  return deps_.db.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto before, FindTemplate(tx, id));
    if (!before) return NotFound("message template");
    if (before->builtin)
      return Conflict("builtin_template", "built-in templates can be edited, not deleted");
    ZM_RETURN_IF_ERROR(tx.Exec("DELETE FROM message_templates WHERE id = ?", {id}));
    return security::AppendAudit(tx, ctx,
                                 {"message_template.delete", "message_template", id,
                                  Audit(TemplateJson(*before), std::nullopt)});
  });
}

Result<json> NotifyService::PreviewTemplate(const Context& ctx, const json& body) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kTemplatesManage));
  if (!body.is_object()) return ji::NotAnObject();
  domain::FieldErrors errors;
  ji::ObjectReader r(body, "", errors);
  r.AllowOnly({"subject_zh", "subject_en", "body_zh", "body_en", "variables"});
  TemplateRow t;
  t.name = "preview";
  if (auto v = r.String("subject_zh", ji::Presence::kOptional)) t.subject_zh = *v;
  if (auto v = r.String("subject_en", ji::Presence::kOptional)) t.subject_en = *v;
  if (auto v = r.String("body_zh", ji::Presence::kRequired)) t.body_zh = *v;
  if (auto v = r.String("body_en", ji::Presence::kRequired)) t.body_en = *v;
  Variables given;
  if (const json* vars = r.Get("variables", ji::Presence::kOptional)) {
    if (!vars->is_object()) {
      errors.Add("variables", "must be an object");
    } else {
      for (auto it = vars->begin(); it != vars->end(); ++it) {
        std::string p = domain::Member("variables", it.key());
        if (!IsKnownVariable(it.key()))
          errors.Add(p, "unknown variable");
        else if (!it->is_string())
          errors.Add(p, "must be a string");
        else
          given[it.key()] = it->get<std::string>();
      }
    }
  }
  CheckTemplateTexts(t, errors);
  ZM_RETURN_IF_ERROR(errors.ToStatus("validation failed"));
  json out = json::object();
  for (const char* lang : {"zh", "en"}) {
    Variables vals = SampleVariables(lang);
    if (!deps_.settings.organisation_name.empty())
      vals["organisation_name"] = deps_.settings.organisation_name;
    for (auto& [k, v] : given) vals[k] = v;
    std::string l = lang;
    ZM_ASSIGN_OR_RETURN(auto subject,
                        RenderTemplate(l == "zh" ? t.subject_zh : t.subject_en, vals));
    ZM_ASSIGN_OR_RETURN(auto text, RenderTemplate(l == "zh" ? t.body_zh : t.body_en, vals));
    out["subject_" + l] = subject;
    out["body_" + l] = text;
  }
  return out;
}

// ---- channels ----

Result<json> NotifyService::ListChannels(const Context& ctx, const storage::PageRequest& page) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kIntegrationsManage));
  return deps_.db.ReadValue<json>([&](Tx& tx) -> Result<json> {
    std::vector<Value> params;
    std::string sql = std::string("SELECT ") + kChannelCols + " FROM notify_channels WHERE 1=1" +
                      storage::PageClause(page, "id", params);
    ZM_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    std::vector<ChannelRow> out;
    for (const auto& r : rows.rows) out.push_back(ReadChannel(r));
    return MakePageJson(std::move(out), page, ChannelJson);
  });
}

Result<json> NotifyService::GetChannel(const Context& ctx, const std::string& id) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kIntegrationsManage));
  return deps_.db.ReadValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto c, FindChannel(tx, id));
    if (!c) return NotFound("notification channel");
    return ChannelJson(*c);
  });
}

Result<json> NotifyService::CreateChannel(const Context& ctx, const json& body) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kIntegrationsManage));
  if (!body.is_object()) return ji::NotAnObject();
  domain::FieldErrors errors;
  ji::ObjectReader r(body, "", errors);
  r.AllowOnly({"kind", "name", "enabled", "config", "secrets"});
  ChannelRow c;
  if (auto v = r.String("kind", ji::Presence::kRequired)) {
    c.kind = *v;
    if (std::ranges::find(kChannelKinds, c.kind) == kChannelKinds.end()) {
      errors.Add("kind", "must be one of: " + Join(kChannelKinds));
      c.kind.clear();
    }
  }
  if (auto v = r.String("name", ji::Presence::kRequired)) c.name = *v;
  domain::CheckText(errors, "name", c.name, 1, 100);
  if (auto v = r.Bool("enabled", ji::Presence::kOptional)) c.enabled = *v;
  json secrets = json::object();
  if (!c.kind.empty()) {
    KindSpec spec = SpecOf(c.kind);
    c.config = ReadObject(r, "config", spec.config_keys, false, true);
    secrets = ReadObject(r, "secrets", spec.secret_keys, true, true);
    for (auto k : spec.required_secrets)
      if (!secrets.contains(k)) errors.Add("secrets." + std::string(k), "is required");
    CheckChannel(c.kind, c.config, secrets, errors);
  }
  ZM_RETURN_IF_ERROR(errors.ToStatus("validation failed"));
  c.id = NewId();
  c.created_at = c.updated_at = NowMillis();
  c.hints = HintsOf(secrets);
  std::string plain = secrets.dump();
  auto enc = deps_.cipher.Encrypt(plain, ChannelAad(c.id));
  security::WipeString(plain);
  if (!enc) return Fail(enc.error());
  c.secrets_enc = *enc;
  return deps_.db.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_RETURN_IF_ERROR(MapUnique(
        tx.Exec("INSERT INTO notify_channels (id, kind, name, enabled, config_json, secrets_enc, "
                "secret_hints_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {c.id, c.kind, c.name, int64_t{c.enabled}, c.config.dump(), c.secrets_enc,
                 c.hints.dump(), c.created_at, c.updated_at}),
        "duplicate_channel_name", "a channel with this name exists"));
    json out = ChannelJson(c);
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx, {"notify_channel.create", "notify_channel", c.id, Audit(std::nullopt, out)}));
    return out;
  });
}

Result<json> NotifyService::UpdateChannel(const Context& ctx, const std::string& id,
                                          const json& body) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kIntegrationsManage));
  if (!body.is_object()) return ji::NotAnObject();
  return deps_.db.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto before, FindChannel(tx, id));
    if (!before) return NotFound("notification channel");
    ChannelRow c = *before;
    domain::FieldErrors errors;
    ji::ObjectReader r(body, "", errors);
    r.AllowOnly({"name", "enabled", "config", "secrets"});
    if (auto v = r.String("name", ji::Presence::kNonNull)) c.name = *v;
    domain::CheckText(errors, "name", c.name, 1, 100);
    if (auto v = r.Bool("enabled", ji::Presence::kNonNull)) c.enabled = *v;
    KindSpec spec = SpecOf(c.kind);
    // config: members given replace the stored ones (null removes an optional member).
    if (r.Has("config")) {
      json patch = ReadObject(r, "config", spec.config_keys, false, false);
      const json* raw = r.Get("config", ji::Presence::kNonNull);
      if (raw && raw->is_object())
        for (auto it = raw->begin(); it != raw->end(); ++it)
          if (it->is_null()) c.config.erase(it.key());
      for (auto it = patch.begin(); it != patch.end(); ++it) c.config[it.key()] = *it;
    }
    auto plain = deps_.cipher.Decrypt(c.secrets_enc, ChannelAad(c.id));
    if (!plain) return Fail(plain.error());
    json secrets = json::parse(*plain, nullptr, false);
    security::WipeString(*plain);
    if (secrets.is_discarded()) return Internal("stored channel secrets are malformed");
    std::vector<std::string> secrets_changed;
    if (r.Has("secrets")) {
      json patch = ReadObject(r, "secrets", spec.secret_keys, true, false);
      const json* raw = r.Get("secrets", ji::Presence::kNonNull);
      if (raw && raw->is_object()) {
        for (auto it = raw->begin(); it != raw->end(); ++it) {
          if (!it->is_null()) continue;
          if (std::ranges::find(spec.required_secrets, it.key()) == spec.required_secrets.end()) {
            secrets.erase(it.key());
            secrets_changed.push_back(it.key());
          } else {
            errors.Add("secrets." + it.key(), "is required and cannot be removed");
          }
        }
      }
      for (auto it = patch.begin(); it != patch.end(); ++it) {
        secrets[it.key()] = *it;
        secrets_changed.push_back(it.key());
      }
    }
    CheckChannel(c.kind, c.config, secrets, errors);
    ZM_RETURN_IF_ERROR(errors.ToStatus("validation failed"));
    c.hints = HintsOf(secrets);
    std::string text = secrets.dump();
    auto enc = deps_.cipher.Encrypt(text, ChannelAad(c.id));
    security::WipeString(text);
    if (!enc) return Fail(enc.error());
    c.secrets_enc = *enc;
    c.updated_at = NowMillis();
    ZM_RETURN_IF_ERROR(MapUnique(
        tx.Exec("UPDATE notify_channels SET name = ?, enabled = ?, config_json = ?, secrets_enc = "
                "?, secret_hints_json = ?, updated_at = ? WHERE id = ?",
                {c.name, int64_t{c.enabled}, c.config.dump(), c.secrets_enc, c.hints.dump(),
                 c.updated_at, id}),
        "duplicate_channel_name", "a channel with this name exists"));
    json out = ChannelJson(c);
    json after = out;
    after["secrets_changed"] = secrets_changed;  // names only, never values
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx,
        {"notify_channel.update", "notify_channel", id, Audit(ChannelJson(*before), after)}));
    return out;
  });
}

Status NotifyService::DeleteChannel(const Context& ctx, const std::string& id) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kIntegrationsManage));
  return deps_.db.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto before, FindChannel(tx, id));
    if (!before) return NotFound("notification channel");
    // Pending deliveries of the channel fail permanently when their job runs (channel gone).
    ZM_RETURN_IF_ERROR(tx.Exec("DELETE FROM notify_channels WHERE id = ?", {id}));
    return security::AppendAudit(
        tx, ctx,
        {"notify_channel.delete", "notify_channel", id, Audit(ChannelJson(*before), std::nullopt)});
  });
}

// ---- webhooks ----

Result<json> NotifyService::ListWebhooks(const Context& ctx, const storage::PageRequest& page) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kIntegrationsManage));
  return deps_.db.ReadValue<json>([&](Tx& tx) -> Result<json> {
    std::vector<Value> params;
    std::string sql = std::string("SELECT ") + kWebhookCols +
                      " FROM webhook_subscriptions WHERE 1=1" +
                      storage::PageClause(page, "id", params);
    ZM_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    std::vector<WebhookRow> out;
    for (const auto& r : rows.rows) out.push_back(ReadWebhook(r));
    return MakePageJson(std::move(out), page, WebhookJson);
  });
}

Result<json> NotifyService::GetWebhook(const Context& ctx, const std::string& id) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kIntegrationsManage));
  return deps_.db.ReadValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto w, FindWebhook(tx, id));
    if (!w) return NotFound("webhook subscription");
    return WebhookJson(*w);
  });
}

Result<json> NotifyService::CreateWebhook(const Context& ctx, const json& body) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kIntegrationsManage));
  if (!body.is_object()) return ji::NotAnObject();
  domain::FieldErrors errors;
  ji::ObjectReader r(body, "", errors);
  r.AllowOnly({"url", "description", "event_types", "enabled"});
  WebhookRow w;
  if (auto v = r.String("url", ji::Presence::kRequired)) w.url = *v;
  if (auto v = r.String("description", ji::Presence::kOptional)) w.description = *v;
  if (auto v = r.StringArray("event_types", ji::Presence::kRequired)) w.event_types = *v;
  if (auto v = r.Bool("enabled", ji::Presence::kOptional)) w.enabled = *v;
  if (!errors.HasAtOrBelow("url") && !errors.HasAtOrBelow("event_types")) CheckWebhook(w, errors);
  ZM_RETURN_IF_ERROR(errors.ToStatus("validation failed"));
  w.id = NewId();
  w.created_at = w.updated_at = NowMillis();
  std::string secret = NewWebhookSecret();
  ZM_ASSIGN_OR_RETURN(w.secret_enc, deps_.cipher.Encrypt(secret, WebhookAad(w.id)));
  ZM_ASSIGN_OR_RETURN(json out, deps_.db.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO webhook_subscriptions (id, url, description, event_types_json, enabled, "
        "secret_enc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {w.id, w.url, w.description, storage::ToJsonArray(w.event_types), int64_t{w.enabled},
         w.secret_enc, w.created_at, w.updated_at}));
    json j = WebhookJson(w);
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx, {"webhook.create", "webhook_subscription", w.id, Audit(std::nullopt, j)}));
    return j;
  }));
  out["secret"] = secret;  // shown once
  security::WipeString(secret);
  return out;
}

Result<json> NotifyService::UpdateWebhook(const Context& ctx, const std::string& id,
                                          const json& body) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kIntegrationsManage));
  if (!body.is_object()) return ji::NotAnObject();
  return deps_.db.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto before, FindWebhook(tx, id));
    if (!before) return NotFound("webhook subscription");
    WebhookRow w = *before;
    domain::FieldErrors errors;
    ji::ObjectReader r(body, "", errors);
    r.AllowOnly({"url", "description", "event_types", "enabled"});
    if (auto v = r.String("url", ji::Presence::kNonNull)) w.url = *v;
    if (auto v = r.String("description", ji::Presence::kNonNull)) w.description = *v;
    if (auto v = r.StringArray("event_types", ji::Presence::kNonNull)) w.event_types = *v;
    if (auto v = r.Bool("enabled", ji::Presence::kNonNull)) w.enabled = *v;
    if (!errors.HasAtOrBelow("url") && !errors.HasAtOrBelow("event_types")) CheckWebhook(w, errors);
    ZM_RETURN_IF_ERROR(errors.ToStatus("validation failed"));
    w.updated_at = NowMillis();
    ZM_RETURN_IF_ERROR(
        tx.Exec("UPDATE webhook_subscriptions SET url = ?, description = ?, event_types_json = ?, "
                "enabled = ?, updated_at = ? WHERE id = ?",
                {w.url, w.description, storage::ToJsonArray(w.event_types), int64_t{w.enabled},
                 w.updated_at, id}));
    json out = WebhookJson(w);
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx, {"webhook.update", "webhook_subscription", id, Audit(WebhookJson(*before), out)}));
    return out;
  });
}

Status NotifyService::DeleteWebhook(const Context& ctx, const std::string& id) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kIntegrationsManage));
  return deps_.db.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto before, FindWebhook(tx, id));
    if (!before) return NotFound("webhook subscription");
    ZM_RETURN_IF_ERROR(tx.Exec("DELETE FROM webhook_subscriptions WHERE id = ?", {id}));
    return security::AppendAudit(
        tx, ctx,
        {"webhook.delete", "webhook_subscription", id, Audit(WebhookJson(*before), std::nullopt)});
  });
}

Result<json> NotifyService::TestWebhook(const Context& ctx, const std::string& id) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kIntegrationsManage));
  return deps_.db.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto w, FindWebhook(tx, id));
    if (!w) return NotFound("webhook subscription");
    WebhookEvent e;
    e.event_id = NewId();
    e.type = "webhook.test";
    e.occurred_ms = NowMillis();
    e.data_json = json{{"subscription_id", w->id}}.dump();
    DeliveryRow d;
    d.id = NewId();
    d.kind = "webhook";
    d.idempotency_key = "webhook:" + w->id + ":" + e.event_id;
    d.subscription_id = w->id;
    d.event_type = e.type;
    d.message_id = "msg_" + d.id;
    d.created_at = e.occurred_ms;
    ZM_ASSIGN_OR_RETURN(d.payload_enc, deps_.cipher.Encrypt(WebhookBody(e), DeliveryAad(d.id)));
    ZM_RETURN_IF_ERROR(InsertDelivery(tx, d));
    ZM_RETURN_IF_ERROR(ScheduleDelivery(tx, d.id, d.kind));
    ZM_ASSIGN_OR_RETURN(auto stored, FindDelivery(tx, d.id, false));
    ZM_RETURN_IF_ERROR(security::AppendAudit(tx, ctx,
                                             {"webhook.test", "webhook_subscription", w->id,
                                              Audit(std::nullopt, json{{"delivery_id", d.id}})}));
    return DeliveryJson(*stored);
  });
}

// ---- deliveries ----

Result<json> NotifyService::ListDeliveries(const Context& ctx, const DeliveryFilter& f,
                                           const storage::PageRequest& page) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kIntegrationsManage));
  std::vector<FieldError> problems;
  if (f.kind && *f.kind != "message" && *f.kind != "webhook")
    problems.push_back({"kind", "must be one of: message, webhook"});
  if (f.status && *f.status != "pending" && *f.status != "succeeded" && *f.status != "failed")
    problems.push_back({"status", "must be one of: pending, succeeded, failed"});
  for (const auto* id : {&f.subscription_id, &f.channel_id, &f.application_id})
    if (*id && !IsValidId(**id))
      problems.push_back({id == &f.subscription_id ? "subscription_id"
                          : id == &f.channel_id    ? "channel_id"
                                                   : "application_id",
                          "must be an id"});
  if (!problems.empty()) return Invalid(std::move(problems));
  return deps_.db.ReadValue<json>([&](Tx& tx) -> Result<json> {
    std::vector<Value> params;
    std::string sql = std::string("SELECT ") + kDeliveryCols + " FROM deliveries WHERE 1=1";
    auto eq = [&](const char* col, const std::optional<std::string>& v) {
      if (!v) return;
      sql += std::string(" AND ") + col + " = ?";
      params.push_back(*v);
    };
    eq("kind", f.kind);
    eq("status", f.status);
    eq("subscription_id", f.subscription_id);
    eq("channel_id", f.channel_id);
    eq("application_id", f.application_id);
    sql += storage::PageClause(page, "id", params);
    ZM_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    std::vector<DeliveryRow> out;
    for (const auto& r : rows.rows) out.push_back(ReadDelivery(r));
    return MakePageJson(std::move(out), page, DeliveryJson);
  });
}

Result<json> NotifyService::GetDelivery(const Context& ctx, const std::string& id) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kIntegrationsManage));
  return deps_.db.ReadValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto d, FindDelivery(tx, id, false));
    if (!d) return NotFound("delivery");
    json out = DeliveryJson(*d);
    ZM_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT attempt, started_at, duration_ms, status_code, "
                                            "outcome, error FROM delivery_attempts WHERE "
                                            "delivery_id = ? ORDER BY attempt",
                                            {id}));
    json log = json::array();
    for (const auto& r : rows.rows)
      log.push_back({{"attempt", r.Int(0)},
                     {"started_at", FormatIso8601(r.Int(1))},
                     {"duration_ms", r.Int(2)},
                     {"status_code", r.OptInt(3) ? json(*r.OptInt(3)) : json(nullptr)},
                     {"outcome", r.Text(4)},
                     {"error", r.OptText(5) ? json(*r.OptText(5)) : json(nullptr)}});
    out["attempt_log"] = std::move(log);
    // Webhook bodies carry ids, stages and scores only: shown to admins as sent.
    out["payload"] = nullptr;
    if (d->kind == "webhook") {
      auto body = deps_.cipher.Decrypt(d->payload_enc, DeliveryAad(d->id));
      if (!body) return Fail(body.error());
      json p = json::parse(*body, nullptr, false);
      if (!p.is_discarded()) out["payload"] = p;
    }
    return out;
  });
}

Result<json> NotifyService::ReplayDelivery(const Context& ctx, const std::string& id) {
  ZM_RETURN_IF_ERROR(Need(ctx, security::Permission::kIntegrationsManage));
  return deps_.db.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto d, FindDelivery(tx, id, true));
    if (!d) return NotFound("delivery");
    if (d->status == "pending")
      return Conflict("delivery_not_finished",
                      "the delivery is still pending; replay it once it succeeded or failed");
    ZM_ASSIGN_OR_RETURN(std::string plain,
                        deps_.cipher.Decrypt(d->payload_enc, DeliveryAad(d->id)));
    DeliveryRow n = *d;
    n.id = NewId();
    n.idempotency_key = "replay:" + d->id + ":" + n.id;
    n.replay_of = d->id;
    n.created_at = NowMillis();
    auto enc = deps_.cipher.Encrypt(plain, DeliveryAad(n.id));
    security::WipeString(plain);
    if (!enc) return Fail(enc.error());
    n.payload_enc = *enc;
    ZM_RETURN_IF_ERROR(InsertDelivery(tx, n));
    ZM_RETURN_IF_ERROR(ScheduleDelivery(tx, n.id, n.kind));
    ZM_ASSIGN_OR_RETURN(auto stored, FindDelivery(tx, n.id, false));
    json out = DeliveryJson(*stored);
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx,
        {"delivery.replay", "delivery", n.id,
         Audit(std::nullopt, json{{"replay_of", d->id}, {"kind", d->kind}})}));
    return out;
  });
}

}  // namespace zm::notify
