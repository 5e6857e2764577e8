// Notifications: message templates, channels (e-mail over SMTP, SMS gateway, WeCom / DingTalk /
// Feishu group robots), outbound webhook subscriptions signed per Standard Webhooks, and the
// delivery log. docs/notifications.md describes formats, signing and retries.
//
// Sending never happens inside an HTTP request: events create delivery rows inside the
// caller's transaction (EnqueueMessage, EnqueueWebhookEvent) and background jobs run
// Deliver(deps, delivery_id), which returns
//  - Ok: delivered now, or delivered before (a retried job never sends twice after a recorded
//    success);
//  - an error for which IsRetryable() is true (kUnavailable "delivery_retryable"): timeouts,
//    refused connections, HTTP 408/429/5xx, SMTP 4xx, or another worker sending it right now;
//  - any other error: permanent (HTTP 4xx, SMTP 5xx, invalid address, deleted channel or
//    subscription, a delivery that already failed permanently). Do not retry.
// Idempotency: each delivery has a unique idempotency key; enqueueing the same key again
// returns the existing delivery. A sender that dies after the receiver accepted but before
// the success was recorded can cause one repeat; receivers dedupe on webhook-id (webhooks) or
// Message-ID (e-mail), both stable per delivery.
//
// Secrets (SMTP passwords, robot URLs and signing secrets, SMS API keys, webhook secrets) are
// stored encrypted with the field cipher, bound to their row; the API shows them only as hints
// ("••••abcd"), except a webhook secret, shown once when the subscription is created. Rendered
// messages hold personal data (names, addresses) and are stored encrypted too; nothing here
// logs them.
//
// Thread safety: all functions are thread-safe; NotifyService is stateless apart from
// references to the database and cipher, which must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "notify/ics.h"
#include "notify/template.h"
#include "notify/transport.h"
#include "security/principal.h"
#include "storage/database.h"
#include "storage/page.h"

namespace zm::security {
class FieldCipher;
}

namespace zm::notify {

using security::Context;

// The event types a webhook subscription may name.
const std::vector<std::string_view>& WebhookEventTypes();
// The channel kinds: "email", "sms", "wecom", "dingtalk", "feishu".
const std::vector<std::string_view>& ChannelKinds();

struct NotifySettings {
  std::string organisation_name;
  TransportOptions transport;
};

struct DeliveryDeps {
  storage::Database& db;
  const security::FieldCipher& cipher;
  NotifySettings settings;
};

// A templated message to one recipient (e-mail, SMS) or one group robot.
struct MessageRequest {
  std::string idempotency_key;  // required, <= 200 chars; e.g. "rule:<rule id>:<event id>"
  std::string template_key;     // "thank_you", "next_round_invitation", ...
  std::optional<std::string> channel_id;  // default: the oldest enabled channel of channel_kind
  std::string channel_kind = "email";
  std::string language = "zh";  // "zh" | "en"
  std::string to_address;       // e-mail or phone; empty for group robots
  std::string to_name;
  Variables variables;  // organisation_name is filled in when absent
  std::optional<std::string> application_id;
  // Attached as invitation.ics when the template has attach_ics (e-mail only). uid, stamp and
  // attendee default from the delivery.
  std::optional<CalendarEvent> calendar;
};

// Renders the template and records a pending delivery inside `tx` (the caller's transaction,
// so the delivery exists exactly when the change that caused it commits). Returns the delivery
// id; the same idempotency key returns the existing delivery. Errors: kInvalidArgument for an
// unknown template, a missing variable, a bad address or language; kNotFound
// "channel_not_found" when no enabled channel fits.
Result<std::string> EnqueueMessage(storage::Tx& tx, const security::FieldCipher& cipher,
                                   const NotifySettings& settings, const MessageRequest& request);

struct WebhookEvent {
  std::string event_id;  // unique per event; "<subscription>:<event id>" is the idempotency key
  std::string type;      // one of WebhookEventTypes()
  int64_t occurred_ms = 0;
  std::string data_json;  // a JSON object: ids, stages and scores, never personal data
  std::optional<std::string> application_id;
};

// One pending delivery per enabled subscription of the event's type; returns their ids (empty
// when nobody subscribed). Idempotent per (subscription, event id).
Result<std::vector<std::string>> EnqueueWebhookEvent(storage::Tx& tx,
                                                     const security::FieldCipher& cipher,
                                                     const WebhookEvent& event);

// Sends one delivery (see the contract above). Blocking, bounded by the transport timeouts.
// `last_attempt` (the job's final try): a retryable failure marks the delivery failed ("gave up
// after N attempts") instead of leaving it pending, so the log never shows a stuck delivery.
Status Deliver(const DeliveryDeps& deps, const std::string& delivery_id, bool last_attempt = false);
Status DeliverMessage(const DeliveryDeps& deps, const std::string& delivery_id,
                      bool last_attempt = false);
Status DeliverWebhook(const DeliveryDeps& deps, const std::string& delivery_id,
                      bool last_attempt = false);
bool IsRetryable(const Error& error);

struct PendingRun {
  int delivered = 0, retry_later = 0, failed = 0;
};
// Runs Deliver on up to `limit` pending deliveries not being sent right now, oldest first (the
// `zhimian notify deliver-pending` command: a manual flush, and the executor where no worker
// runs). Safe beside workers: the per-delivery lease keeps a delivery from being sent twice.
Result<PendingRun> DeliverPending(const DeliveryDeps& deps, int limit);

// The body of a webhook event as sent: {"type", "timestamp", "data"}.
std::string WebhookBody(const WebhookEvent& event);

struct DeliveryFilter {
  std::optional<std::string> kind, status, subscription_id, channel_id, application_id;
};

// The admin and HR use cases behind /api/v1/message-templates, /notification-channels,
// /webhooks and /deliveries. Bodies are parsed strictly (unknown members refused, every problem
// reported at once as kInvalidArgument "validation_failed"); answers are JSON documents in the
// API's shape (docs/api-resources.md, "Notifications"). Every change writes its audit entry in
// the same transaction; audit entries never contain secrets.
class NotifyService {
 public:
  NotifyService(storage::Database& db, const security::FieldCipher& cipher,
                NotifySettings settings);

  // Inserts the built-in templates missing from the database (idempotent; at start).
  Status SeedDefaultTemplates();

  Result<nlohmann::json> ListTemplates(const Context& ctx, const storage::PageRequest& page);
  Result<nlohmann::json> GetTemplate(const Context& ctx, const std::string& id);
  // kConflict "duplicate_template_key".
  Result<nlohmann::json> CreateTemplate(const Context& ctx, const nlohmann::json& body);
  Result<nlohmann::json> UpdateTemplate(const Context& ctx, const std::string& id,
                                        const nlohmann::json& body);
  // kConflict "builtin_template": built-in templates can be edited, not deleted.
  Status DeleteTemplate(const Context& ctx, const std::string& id);
  // Renders unsaved template texts with sample (or given) values; refuses what save refuses.
  Result<nlohmann::json> PreviewTemplate(const Context& ctx, const nlohmann::json& body);

  Result<nlohmann::json> ListChannels(const Context& ctx, const storage::PageRequest& page);
  Result<nlohmann::json> GetChannel(const Context& ctx, const std::string& id);
  // kConflict "duplicate_channel_name".
  Result<nlohmann::json> CreateChannel(const Context& ctx, const nlohmann::json& body);
  Result<nlohmann::json> UpdateChannel(const Context& ctx, const std::string& id,
                                       const nlohmann::json& body);
  Status DeleteChannel(const Context& ctx, const std::string& id);

  Result<nlohmann::json> ListWebhooks(const Context& ctx, const storage::PageRequest& page);
  Result<nlohmann::json> GetWebhook(const Context& ctx, const std::string& id);
  // The answer carries the secret ("whsec_...") once.
  Result<nlohmann::json> CreateWebhook(const Context& ctx, const nlohmann::json& body);
  Result<nlohmann::json> UpdateWebhook(const Context& ctx, const std::string& id,
                                       const nlohmann::json& body);
  Status DeleteWebhook(const Context& ctx, const std::string& id);
  // Queues a "webhook.test" event ({"subscription_id"}) to this subscription only, whatever its
  // event types and even when disabled: integrators check their receiver and signature code.
  // Returns the new pending delivery.
  Result<nlohmann::json> TestWebhook(const Context& ctx, const std::string& id);

  Result<nlohmann::json> ListDeliveries(const Context& ctx, const DeliveryFilter& filter,
                                        const storage::PageRequest& page);
  // With its attempts (status code, duration, error, outcome).
  Result<nlohmann::json> GetDelivery(const Context& ctx, const std::string& id);
  // A new pending delivery with the same content (and, for webhooks, the same webhook-id).
  // kConflict "delivery_not_finished" while the original is still pending.
  Result<nlohmann::json> ReplayDelivery(const Context& ctx, const std::string& id);

  const DeliveryDeps& deps() const { return deps_; }

 private:
  DeliveryDeps deps_;
};

}  // namespace zm::notify
