// Enqueueing and sending deliveries (the contract is in notify.h).
#include <algorithm>

#include "common/ids.h"
#include "common/strings.h"
#include "common/time.h"
#include "domain/validation.h"
#include "jobs/queue.h"
#include "notify/internal.h"
#include "notify/job_entry.h"
#include "notify/mime.h"
#include "notify/notify.h"
#include "notify/signing.h"
#include "security/crypto.h"

namespace zm::notify {

using json = nlohmann::json;
using storage::Tx;
using namespace internal;

namespace internal {
Status ScheduleDelivery(Tx& tx, const std::string& delivery_id, const std::string&) {
  jobs::NewJob job;
  job.kind = std::string(kDeliverJob);
  job.payload_json = json{{"delivery_id", delivery_id}}.dump();
  job.idempotency_key = "deliver:" + delivery_id;
  ZM_RETURN_IF_ERROR(jobs::Enqueue(tx, job));
  return Ok();
}
}  // namespace internal

namespace {

std::unexpected<Error> Retryable(std::string message) {
  return Fail(MakeError(ErrorCode::kUnavailable, "delivery_retryable", std::move(message)));
}
std::unexpected<Error> Permanent(std::string message) {
  return Fail(MakeError(ErrorCode::kInvalidArgument, "delivery_failed", std::move(message)));
}

// What a claimed delivery needs for one attempt.
struct Claim {
  DeliveryRow d;
  int64_t attempt = 0;
  int64_t started_at = 0;
  std::optional<ChannelRow> channel;
  std::optional<WebhookRow> subscription;
  std::string gone;  // non-empty: the channel or subscription can no longer be used
};

// Marks the delivery as being sent by this caller (a lease of the transport timeout plus a
// margin), so two workers never send it at the same time. nullopt: already delivered.
Result<std::optional<Claim>> ClaimDelivery(const DeliveryDeps& deps, const std::string& id,
                                           std::string_view kind) {
  return deps.db.WriteValue<std::optional<Claim>>([&](Tx& tx) -> Result<std::optional<Claim>> {
    ZM_ASSIGN_OR_RETURN(auto d, FindDelivery(tx, id, true));
    if (!d) return Permanent("no such delivery");
    if (!kind.empty() && d->kind != kind) return Permanent("delivery is of another kind");
    if (d->status == "succeeded") return std::optional<Claim>{};
    if (d->status == "failed") return Permanent("delivery failed permanently before");
    int64_t now = NowMillis();
    if (d->sending_until && *d->sending_until > now)
      return Retryable("delivery is being sent by another worker");
    Claim c;
    c.d = *d;
    c.attempt = d->attempts + 1;
    c.started_at = now;
    int64_t lease = deps.settings.transport.total_timeout_ms + 15000;
    ZM_RETURN_IF_ERROR(tx.Exec(
        "UPDATE deliveries SET attempts = ?, sending_until = ?, updated_at = ? WHERE id = ?",
        {c.attempt, now + lease, now, id}));
    if (d->kind == "message") {
      ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kChannelCols +
                                                    " FROM notify_channels WHERE id = ?",
                                                {d->channel_id.value_or("")}));
      if (!row)
        c.gone = "the channel was deleted";
      else if (!ReadChannel(*row).enabled)
        c.gone = "the channel is disabled";
      else
        c.channel = ReadChannel(*row);
    } else {
      ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kWebhookCols +
                                                    " FROM webhook_subscriptions WHERE id = ?",
                                                {d->subscription_id.value_or("")}));
      if (!row)
        c.gone = "the subscription was deleted";
      else if (!ReadWebhook(*row).enabled)
        c.gone = "the subscription is disabled";
      else
        c.subscription = ReadWebhook(*row);
    }
    return std::optional<Claim>{std::move(c)};
  });
}

// Records the attempt and the delivery's new state; returns the job's Status.
Status Finish(const DeliveryDeps& deps, const Claim& c, SendOutcome o, bool last_attempt = false) {
  if (!o.ok && o.retryable && last_attempt) {
    o.retryable = false;
    o.error += " (gave up after " + std::to_string(c.attempt) + " attempts)";
  }
  std::string outcome = o.ok ? "succeeded" : o.retryable ? "retryable" : "permanent";
  std::string status = o.ok ? "succeeded" : o.retryable ? "pending" : "failed";
  int64_t now = NowMillis();
  ZM_RETURN_IF_ERROR(deps.db.Write([&](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, "
        "status_code, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {c.d.id, c.attempt, c.started_at, o.duration_ms,
         o.status_code ? storage::Value{int64_t{*o.status_code}} : storage::Value{storage::Null{}},
         outcome, o.ok ? storage::Value{storage::Null{}} : storage::Value{o.error}}));
    ZM_RETURN_IF_ERROR(tx.Exec(
        "UPDATE deliveries SET status = ?, last_status_code = ?, last_error = ?, sending_until = "
        "NULL, updated_at = ?, delivered_at = ? WHERE id = ?",
        {status,
         o.status_code ? storage::Value{int64_t{*o.status_code}} : storage::Value{storage::Null{}},
         o.ok ? storage::Value{storage::Null{}} : storage::Value{o.error}, now,
         o.ok ? storage::Value{now} : storage::Value{storage::Null{}}, c.d.id}));
    // Integrators learn of messages that will never arrive (no error text: an SMTP answer may
    // quote the address). A failed webhook raises no event, so failures cannot cascade.
    if (status != "failed" || c.d.kind != "message") return Ok();
    WebhookEvent e;
    e.event_id = "message.failed:" + c.d.id;
    e.type = "message.failed";
    e.occurred_ms = now;
    e.application_id = c.d.application_id;
    e.data_json =
        json{{"delivery_id", c.d.id},
             {"template_key", c.d.template_key ? json(*c.d.template_key) : json(nullptr)},
             {"channel_kind", c.channel ? c.channel->kind : std::string()},
             {"application_id", c.d.application_id ? json(*c.d.application_id) : json(nullptr)},
             {"last_status_code", o.status_code ? json(*o.status_code) : json(nullptr)}}
            .dump();
    ZM_RETURN_IF_ERROR(EnqueueWebhookEvent(tx, deps.cipher, e));
    return Ok();
  }));
  if (o.ok) return Ok();
  if (o.retryable) return Retryable(o.error);
  return Permanent(o.error);
}

SendOutcome Failed(std::string error, bool retryable = false) {
  SendOutcome o;
  o.error = std::move(error);
  o.retryable = retryable;
  return o;
}

// Robot APIs answer HTTP 200 with an error code in the body.
void CheckRobotAnswer(const std::string& kind, SendOutcome& o) {
  if (!o.ok) return;
  json j = json::parse(o.response_body, nullptr, false);
  if (!j.is_object()) return;  // an answer without a JSON body counts as accepted
  int64_t code = 0;
  if (kind == "feishu") {
    if (j.contains("code") && j["code"].is_number_integer())
      code = j["code"].get<int64_t>();
    else if (j.contains("StatusCode") && j["StatusCode"].is_number_integer())
      code = j["StatusCode"].get<int64_t>();
  } else if (j.contains("errcode") && j["errcode"].is_number_integer()) {
    code = j["errcode"].get<int64_t>();
  }
  if (code == 0) return;
  o.ok = false;
  // Rate limits: WeCom 45009, DingTalk 130101, Feishu 11232 / 9499 is a bad request.
  o.retryable = code == 45009 || code == 130101 || code == 11232;
  o.error = kind + " answered error code " + std::to_string(code);
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

SendOutcome SendMessage(const DeliveryDeps& deps, const Claim& c, const json& payload,
                        const json& secrets) {
  const ChannelRow& ch = *c.channel;
  const auto& opts = deps.settings.transport;
  std::string subject = Str(payload, "subject");
  std::string text = Str(payload, "text");
  if (ch.kind == "email") {
    SmtpSettings smtp;
    smtp.host = Str(ch.config, "host");
    smtp.port = ch.config.value("port", 587);
    smtp.tls = ch.config.value("tls", std::string("starttls"));
    smtp.verify_tls = ch.config.value("verify_tls", true);
    smtp.username = Str(ch.config, "username");
    smtp.password = Str(secrets, "password");
    std::string to = Str(payload, "to_address");
    if (!domain::IsPlausibleEmail(to)) return Failed("invalid e-mail address");
    MailMessage m;
    m.from_address = Str(ch.config, "from_address");
    m.from_name = Str(ch.config, "from_name");
    if (m.from_name.empty()) m.from_name = deps.settings.organisation_name;
    m.to_address = to;
    m.to_name = Str(payload, "to_name");
    m.subject = subject;
    m.text = text;
    std::string domain = m.from_address.substr(m.from_address.find('@') + 1);
    m.message_id = c.d.message_id + "@" + domain;  // stable per delivery: receivers dedupe
    m.date_ms = NowMillis();
    if (std::string ics = Str(payload, "ics"); !ics.empty())
      m.attachment =
          MailAttachment{"invitation.ics", "text/calendar; charset=UTF-8; method=REQUEST", ics};
    std::string data = BuildMail(m);
    SendOutcome o = SendSmtp(smtp, m.from_address, {to}, data, opts);
    security::WipeString(smtp.password);
    return o;
  }
  HttpRequest req;
  req.headers.push_back({"Content-Type", "application/json; charset=utf-8"});
  std::string robot_text = subject.empty() ? text : subject + "\n\n" + text;
  if (ch.kind == "sms") {
    std::string phone = Str(payload, "to_address");
    if (!domain::IsPlausiblePhone(phone)) return Failed("invalid phone number");
    bool form = Str(ch.config, "content_type") == "form";
    auto esc = [&](const std::string& v) {
      if (form) return UrlEncode(v);
      std::string out;
      AppendJsonEscaped(out, v);
      return out;
    };
    std::string body = Str(ch.config, "body_template");
    std::string key = Str(secrets, "api_key");
    std::string out;
    size_t at = 0;
    for (size_t open = body.find("{{"); open != std::string::npos; open = body.find("{{", at)) {
      size_t close = body.find("}}", open);
      if (close == std::string::npos) break;
      std::string name(Trim(std::string_view(body).substr(open + 2, close - open - 2)));
      out.append(body, at, open - at);
      out += name == "phone" ? esc(phone) : name == "message" ? esc(text) : esc(key);
      at = close + 2;
    }
    out.append(body, at);
    req.method = Str(ch.config, "method").empty() ? "POST" : Str(ch.config, "method");
    req.url = Str(ch.config, "url");
    req.body = std::move(out);
    if (form) req.headers[0].second = "application/x-www-form-urlencoded";
    SendOutcome o = SendHttp(req, opts);
    security::WipeString(req.body);
    security::WipeString(key);
    return o;
  }
  req.url = Str(secrets, "webhook_url");
  std::string sign_secret = Str(secrets, "sign_secret");
  json body;
  if (ch.kind == "wecom") {
    body = {{"msgtype", "text"}, {"text", {{"content", robot_text}}}};
  } else if (ch.kind == "dingtalk") {
    body = {{"msgtype", "text"}, {"text", {{"content", robot_text}}}};
    if (!sign_secret.empty()) {
      int64_t ts = NowMillis();
      req.url += (req.url.find('?') == std::string::npos ? "?" : "&");
      req.url += "timestamp=" + std::to_string(ts) + "&sign=" + DingTalkSign(sign_secret, ts);
    }
  } else {  // feishu
    body = {{"msg_type", "text"}, {"content", {{"text", robot_text}}}};
    if (!sign_secret.empty()) {
      int64_t ts = NowMillis() / 1000;
      body["timestamp"] = std::to_string(ts);
      body["sign"] = FeishuSign(sign_secret, ts);
    }
  }
  req.body = body.dump();
  SendOutcome o = SendHttp(req, opts);
  CheckRobotAnswer(ch.kind, o);
  security::WipeString(sign_secret);
  return o;
}

}  // namespace

bool IsRetryable(const Error& e) { return e.code == ErrorCode::kUnavailable; }

std::string WebhookBody(const WebhookEvent& e) {
  json data = json::parse(e.data_json, nullptr, false);
  if (!data.is_object()) data = json::object();
  json body = {{"type", e.type}, {"timestamp", FormatIso8601(e.occurred_ms)}, {"data", data}};
  return body.dump();
}

Result<std::string> EnqueueMessage(Tx& tx, const security::FieldCipher& cipher,
                                   const NotifySettings& settings, const MessageRequest& m) {
  std::vector<FieldError> problems;
  if (m.idempotency_key.empty() || m.idempotency_key.size() > 200)
    problems.push_back({"idempotency_key", "must be 1..200 characters"});
  if (m.language != "zh" && m.language != "en")
    problems.push_back({"language", "must be one of: zh, en"});
  if (std::ranges::find(ChannelKinds(), m.channel_kind) == ChannelKinds().end())
    problems.push_back({"channel_kind", "must be one of: email, sms, wecom, dingtalk, feishu"});
  if (!problems.empty()) return InvalidArgument("invalid message", std::move(problems));
  ZM_ASSIGN_OR_RETURN(auto existing, tx.QueryOne("SELECT id FROM deliveries WHERE "
                                                 "idempotency_key = ?",
                                                 {m.idempotency_key}));
  if (existing) return existing->Text(0);

  ZM_ASSIGN_OR_RETURN(auto tpl, FindTemplateByKey(tx, m.template_key));
  if (!tpl) return InvalidArgument("unknown template", {{"template_key", "no such template"}});
  std::string sql =
      std::string("SELECT ") + kChannelCols + " FROM notify_channels WHERE enabled = 1";
  std::vector<storage::Value> params;
  if (m.channel_id) {
    sql += " AND id = ?";
    params.push_back(*m.channel_id);
  } else {
    sql += " AND kind = ? ORDER BY id LIMIT 1";
    params.push_back(m.channel_kind);
  }
  ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, params));
  if (!row)
    return Fail(MakeError(ErrorCode::kNotFound, "channel_not_found",
                          "no enabled notification channel of this kind"));
  ChannelRow ch = ReadChannel(*row);
  if (ch.kind == "email" && !domain::IsPlausibleEmail(m.to_address))
    return InvalidArgument("invalid recipient", {{"to_address", "must be an e-mail address"}});
  if (ch.kind == "sms" && !domain::IsPlausiblePhone(m.to_address))
    return InvalidArgument("invalid recipient", {{"to_address", "must be a phone number"}});

  Variables vars = m.variables;
  if (!vars.contains("organisation_name")) vars["organisation_name"] = settings.organisation_name;
  bool zh = m.language == "zh";
  std::string subject;
  if (ch.kind == "email") {
    ZM_ASSIGN_OR_RETURN(subject, RenderTemplate(zh ? tpl->subject_zh : tpl->subject_en, vars));
  }
  ZM_ASSIGN_OR_RETURN(std::string text, RenderTemplate(zh ? tpl->body_zh : tpl->body_en, vars));

  DeliveryRow d;
  d.id = NewId();
  d.kind = "message";
  d.idempotency_key = m.idempotency_key;
  d.channel_id = ch.id;
  d.template_key = tpl->key;
  d.message_id = "msg_" + d.id;
  d.application_id = m.application_id;
  d.created_at = NowMillis();
  json payload = {{"channel_kind", ch.kind}, {"to_address", m.to_address}, {"to_name", m.to_name},
                  {"language", m.language},  {"subject", subject},         {"text", text}};
  if (tpl->attach_ics && ch.kind == "email" && m.calendar) {
    CalendarEvent ev = *m.calendar;
    if (ev.uid.empty()) ev.uid = d.id + "@zhimian";
    if (ev.stamp_ms == 0) ev.stamp_ms = d.created_at;
    if (ev.summary.empty()) ev.summary = subject;
    if (ev.attendee_email.empty()) {
      ev.attendee_email = m.to_address;
      ev.attendee_name = m.to_name;
    }
    if (ev.organizer_email.empty()) {
      ev.organizer_email = ch.config.value("from_address", std::string());
      ev.organizer_name = ch.config.value("from_name", settings.organisation_name);
    }
    payload["ics"] = BuildIcs(ev);
  }
  std::string plain = payload.dump();
  auto enc = cipher.Encrypt(plain, DeliveryAad(d.id));
  security::WipeString(plain);
  if (!enc) return Fail(enc.error());
  d.payload_enc = *enc;
  ZM_ASSIGN_OR_RETURN(std::string id, InsertDelivery(tx, d));
  ZM_RETURN_IF_ERROR(ScheduleDelivery(tx, id, d.kind));
  return id;
}

Result<std::vector<std::string>> EnqueueWebhookEvent(Tx& tx, const security::FieldCipher& cipher,
                                                     const WebhookEvent& e) {
  if (std::ranges::find(WebhookEventTypes(), e.type) == WebhookEventTypes().end())
    return InvalidArgument("unknown event type", {{"type", "is not a webhook event type"}});
  if (e.event_id.empty())
    return InvalidArgument("event id required", {{"event_id", "is required"}});
  json data = json::parse(e.data_json, nullptr, false);
  if (!data.is_object()) return InvalidArgument("event data must be a JSON object");
  ZM_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kWebhookCols +
                                          " FROM webhook_subscriptions WHERE enabled = 1 ORDER BY "
                                          "id"));
  std::string body = WebhookBody(e);
  std::vector<std::string> ids;
  for (const auto& r : rows.rows) {
    WebhookRow w = ReadWebhook(r);
    if (std::ranges::find(w.event_types, e.type) == w.event_types.end()) continue;
    DeliveryRow d;
    d.id = NewId();
    d.kind = "webhook";
    d.idempotency_key = "webhook:" + w.id + ":" + e.event_id;
    d.subscription_id = w.id;
    d.event_type = e.type;
    d.message_id = "msg_" + d.id;
    d.application_id = e.application_id;
    d.created_at = NowMillis();
    ZM_ASSIGN_OR_RETURN(d.payload_enc, cipher.Encrypt(body, DeliveryAad(d.id)));
    ZM_ASSIGN_OR_RETURN(std::string id, InsertDelivery(tx, d));
    if (id == d.id) ZM_RETURN_IF_ERROR(ScheduleDelivery(tx, id, d.kind));
    ids.push_back(id);
  }
  return ids;
}

Status DeliverMessage(const DeliveryDeps& deps, const std::string& delivery_id, bool last_attempt) {
  ZM_ASSIGN_OR_RETURN(auto claim, ClaimDelivery(deps, delivery_id, "message"));
  if (!claim) return Ok();
  if (!claim->gone.empty()) return Finish(deps, *claim, Failed(claim->gone));
  auto plain = deps.cipher.Decrypt(claim->d.payload_enc, DeliveryAad(claim->d.id));
  if (!plain) return Finish(deps, *claim, Failed("stored message cannot be read"));
  json payload = json::parse(*plain, nullptr, false);
  security::WipeString(*plain);
  auto secrets_text =
      deps.cipher.Decrypt(claim->channel->secrets_enc, ChannelAad(claim->channel->id));
  if (!secrets_text || payload.is_discarded())
    return Finish(deps, *claim, Failed("stored channel settings cannot be read"));
  json secrets = json::parse(*secrets_text, nullptr, false);
  security::WipeString(*secrets_text);
  if (!secrets.is_object()) secrets = json::object();
  SendOutcome o = SendMessage(deps, *claim, payload, secrets);
  return Finish(deps, *claim, std::move(o), last_attempt);
}

Status DeliverWebhook(const DeliveryDeps& deps, const std::string& delivery_id, bool last_attempt) {
  ZM_ASSIGN_OR_RETURN(auto claim, ClaimDelivery(deps, delivery_id, "webhook"));
  if (!claim) return Ok();
  if (!claim->gone.empty()) return Finish(deps, *claim, Failed(claim->gone));
  auto body = deps.cipher.Decrypt(claim->d.payload_enc, DeliveryAad(claim->d.id));
  auto secret =
      deps.cipher.Decrypt(claim->subscription->secret_enc, WebhookAad(claim->subscription->id));
  if (!body || !secret) return Finish(deps, *claim, Failed("stored webhook cannot be read"));
  int64_t ts = NowMillis() / 1000;
  auto sig = StandardWebhookSignature(*secret, claim->d.message_id, ts, *body);
  security::WipeString(*secret);
  if (!sig) return Finish(deps, *claim, Failed("stored webhook secret is malformed"));
  HttpRequest req;
  req.url = claim->subscription->url;
  req.body = std::move(*body);
  req.headers = {{"Content-Type", "application/json"},
                 {"webhook-id", claim->d.message_id},
                 {"webhook-timestamp", std::to_string(ts)},
                 {"webhook-signature", *sig}};
  return Finish(deps, *claim, SendHttp(req, deps.settings.transport), last_attempt);
}

Result<PendingRun> DeliverPending(const DeliveryDeps& deps, int limit) {
  ZM_ASSIGN_OR_RETURN(
      auto ids,
      deps.db.ReadValue<std::vector<std::string>>([&](Tx& tx) -> Result<std::vector<std::string>> {
        ZM_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM deliveries WHERE status = "
                                                "'pending' AND (sending_until IS NULL OR "
                                                "sending_until < ?) ORDER BY id LIMIT ?",
                                                {NowMillis(), int64_t{limit}}));
        std::vector<std::string> out;
        for (const auto& r : rows.rows) out.push_back(r.Text(0));
        return out;
      }));
  PendingRun run;
  for (const auto& id : ids) {
    Status st = Deliver(deps, id);
    if (st)
      ++run.delivered;
    else if (IsRetryable(st.error()))
      ++run.retry_later;
    else
      ++run.failed;
  }
  return run;
}

Status Deliver(const DeliveryDeps& deps, const std::string& delivery_id, bool last_attempt) {
  ZM_ASSIGN_OR_RETURN(auto kind, deps.db.ReadValue<std::string>([&](Tx& tx) -> Result<std::string> {
    ZM_ASSIGN_OR_RETURN(auto row,
                        tx.QueryOne("SELECT kind FROM deliveries WHERE id = ?", {delivery_id}));
    if (!row) return Permanent("no such delivery");
    return row->Text(0);
  }));
  return kind == "webhook" ? DeliverWebhook(deps, delivery_id, last_attempt)
                           : DeliverMessage(deps, delivery_id, last_attempt);
}

}  // namespace zm::notify
