#include "notify/signing.h"

#include <sodium.h>

#include "common/strings.h"
#include "security/crypto.h"

namespace zm::notify {

std::string HmacSha256(std::string_view key, std::string_view message) {
  security::EnsureSodium();
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&st, reinterpret_cast<unsigned char*>(out.data()));
  sodium_memzero(&st, sizeof st);
  return out;
}

std::string NewWebhookSecret() {
  std::string key = security::RandomBytes(32);
  std::string out = "whsec_" + Base64Encode(key);
  security::WipeString(key);
  return out;
}

Result<std::string> WebhookSecretKey(std::string_view secret) {
  if (!StartsWith(secret, "whsec_")) return InvalidArgument("webhook secret must start whsec_");
  std::string key;
  if (!Base64Decode(secret.substr(6), &key) || key.size() < 16 || key.size() > 64)
    return InvalidArgument("webhook secret must be whsec_ + base64 of 16..64 bytes");
  return key;
}

Result<std::string> StandardWebhookSignature(std::string_view secret, std::string_view msg_id,
                                             int64_t timestamp_s, std::string_view body) {
  ZM_ASSIGN_OR_RETURN(std::string key, WebhookSecretKey(secret));
  std::string content;
  content.reserve(msg_id.size() + body.size() + 24);
  content.append(msg_id).append(".").append(std::to_string(timestamp_s)).append(".").append(body);
  std::string sig = "v1," + Base64Encode(HmacSha256(key, content));
  security::WipeString(key);
  return sig;
}

std::string UrlEncode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string DingTalkSign(std::string_view secret, int64_t timestamp_ms) {
  std::string to_sign = std::to_string(timestamp_ms) + "\n" + std::string(secret);
  return UrlEncode(Base64Encode(HmacSha256(secret, to_sign)));
}

std::string FeishuSign(std::string_view secret, int64_t timestamp_s) {
  std::string key = std::to_string(timestamp_s) + "\n" + std::string(secret);
  std::string sig = Base64Encode(HmacSha256(key, ""));
  security::WipeString(key);
  return sig;
}

}  // namespace zm::notify
