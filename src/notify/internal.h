// Internal to src/notify: row types and SQL shared by the service and the delivery code.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "storage/database.h"

namespace zm::notify::internal {

struct TemplateRow {
  std::string id, key, name, description, subject_zh, subject_en, body_zh, body_en;
  bool attach_ics = false, builtin = false;
  int64_t created_at = 0, updated_at = 0;
};
inline constexpr const char* kTemplateCols =
    "id, template_key, name, description, subject_zh, subject_en, body_zh, body_en, attach_ics, "
    "builtin, created_at, updated_at";
TemplateRow ReadTemplate(const storage::Row& r);

struct ChannelRow {
  std::string id, kind, name;
  bool enabled = true;
  nlohmann::json config, hints;
  std::string secrets_enc;
  int64_t created_at = 0, updated_at = 0;
};
inline constexpr const char* kChannelCols =
    "id, kind, name, enabled, config_json, secrets_enc, secret_hints_json, created_at, updated_at";
ChannelRow ReadChannel(const storage::Row& r);
inline std::string ChannelAad(const std::string& id) { return "notify_channel:" + id + ":secrets"; }

struct WebhookRow {
  std::string id, url, description;
  std::vector<std::string> event_types;
  bool enabled = true;
  std::string secret_enc;
  int64_t created_at = 0, updated_at = 0;
};
inline constexpr const char* kWebhookCols =
    "id, url, description, event_types_json, enabled, secret_enc, created_at, updated_at";
WebhookRow ReadWebhook(const storage::Row& r);
inline std::string WebhookAad(const std::string& id) { return "webhook:" + id + ":secret"; }

struct DeliveryRow {
  std::string id, kind, idempotency_key;
  std::optional<std::string> channel_id, subscription_id, template_key, event_type;
  std::string message_id;
  std::optional<std::string> application_id;
  std::string payload_enc, status;
  int64_t attempts = 0;
  std::optional<int64_t> last_status_code;
  std::optional<std::string> last_error;
  std::optional<int64_t> sending_until;
  std::optional<std::string> replay_of;
  int64_t created_at = 0, updated_at = 0;
  std::optional<int64_t> delivered_at;
};
inline constexpr const char* kDeliveryCols =
    "id, kind, idempotency_key, channel_id, subscription_id, template_key, event_type, "
    "message_id, application_id, payload_enc, status, attempts, last_status_code, last_error, "
    "sending_until, replay_of, created_at, updated_at, delivered_at";
DeliveryRow ReadDelivery(const storage::Row& r);
inline std::string DeliveryAad(const std::string& id) { return "delivery:" + id + ":payload"; }

Result<std::optional<TemplateRow>> FindTemplateByKey(storage::Tx& tx, const std::string& key);
Result<std::optional<DeliveryRow>> FindDelivery(storage::Tx& tx, const std::string& id,
                                                bool for_update);
// Inserts a delivery; on a duplicate idempotency key returns the existing delivery's id.
Result<std::string> InsertDelivery(storage::Tx& tx, const DeliveryRow& d);

}  // namespace zm::notify::internal

namespace zm::notify::internal {
// Enqueues the background job (kind notify.deliver, key "deliver:<id>") that sends delivery
// `delivery_id`, inside the caller's transaction: the job exists exactly when the delivery does.
Status ScheduleDelivery(storage::Tx& tx, const std::string& delivery_id, const std::string& kind);
}  // namespace zm::notify::internal
