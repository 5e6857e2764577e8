// Signatures of outbound requests. Pure functions, thread-safe; secrets never appear in errors.
//  - Standard Webhooks (standardwebhooks.com): secret "whsec_" + base64(key bytes); headers
//    webhook-id, webhook-timestamp (Unix seconds), webhook-signature = "v1," +
//    base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)).
//  - DingTalk group robots, signed-secret mode: sign = urlencode(base64(HMAC-SHA256(key =
//    secret, message = timestamp_ms + "\n" + secret))), sent as &timestamp=..&sign=.. on the URL.
//  - Feishu custom bots, signature check: sign = base64(HMAC-SHA256(key = timestamp_s + "\n" +
//    secret, message = "")), sent in the JSON body next to "timestamp".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace zm::notify {

// Raw 32-byte HMAC-SHA256.
std::string HmacSha256(std::string_view key, std::string_view message);

// A fresh Standard Webhooks secret: "whsec_" + base64 of 32 random bytes.
std::string NewWebhookSecret();
// The key bytes of a "whsec_" secret; kInvalidArgument when malformed.
Result<std::string> WebhookSecretKey(std::string_view secret);
// "v1,<base64>"; kInvalidArgument when the secret is malformed.
Result<std::string> StandardWebhookSignature(std::string_view secret, std::string_view msg_id,
                                             int64_t timestamp_s, std::string_view body);

// RFC 3986 percent-encoding of everything except unreserved characters.
std::string UrlEncode(std::string_view s);

// The DingTalk "sign" query value (already URL-encoded).
std::string DingTalkSign(std::string_view secret, int64_t timestamp_ms);
// The Feishu "sign" body value.
std::string FeishuSign(std::string_view secret, int64_t timestamp_s);

}  // namespace zm::notify
