#include "notify/job_entry.h"

#include <nlohmann/json.hpp>

#include "notify/application_message.h"

namespace zm::notify {

namespace {
std::unexpected<Error> BadPayload(std::string message) {
  // Permanent: a malformed payload never becomes valid.
  return InvalidArgument("invalid job payload: " + message);
}
}  // namespace

Status HandleApplicationMessageJob(const DeliveryDeps& deps, const std::string& channel_kind,
                                   const std::string& payload_json,
                                   const std::string& job_idempotency_key) {
  auto p = nlohmann::json::parse(payload_json, nullptr, false);
  if (!p.is_object()) return BadPayload("not a JSON object");
  auto str = [&](const char* k) {
    return p.contains(k) && p[k].is_string() ? p[k].get<std::string>() : std::string();
  };
  ApplicationMessage m;
  m.application_id = str("application_id");
  m.template_key = str("template");
  m.recipient = str("to").empty() ? "candidate" : str("to");
  m.channel_kind = channel_kind;
  if (std::string lang = str("language"); !lang.empty()) m.language = lang;
  if (m.application_id.empty() || m.template_key.empty())
    return BadPayload("application_id and template are required");
  m.idempotency_key = job_idempotency_key.empty()
                          ? "app-message:" + m.application_id + ":" + m.template_key
                          : job_idempotency_key;
  return deps.db.Write([&](storage::Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(EnqueueApplicationMessage(tx, deps.cipher, deps.settings, m));
    return Ok();
  });
}

Status HandleDeliverJob(const DeliveryDeps& deps, const std::string& payload_json,
                        bool last_attempt) {
  auto p = nlohmann::json::parse(payload_json, nullptr, false);
  if (!p.is_object() || !p.contains("delivery_id") || !p["delivery_id"].is_string())
    return BadPayload("delivery_id is required");
  return Deliver(deps, p["delivery_id"].get<std::string>(), last_attempt);
}

}  // namespace zm::notify
