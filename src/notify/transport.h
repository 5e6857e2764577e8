// Outbound transports over libcurl: HTTP(S) requests (webhooks, chat robots, SMS gateways) and
// SMTP submission (STARTTLS, implicit TLS or plain for a local relay). Each call is blocking and
// bounded by the timeouts (connect 5 s, total 15 s by default); call only from background jobs,
// never from an HTTP request handler. Thread-safe: every call uses its own curl handle.
// Redirects are never followed (a webhook must not be bounced to another host); only the http,
// https, smtp and smtps protocols are enabled. Nothing here logs: the caller records outcomes
// without secrets or personal data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace zm::notify {

struct TransportOptions {
  int connect_timeout_ms = 5000;
  int total_timeout_ms = 15000;
};

// What one attempt produced. `retryable` is meaningful when !ok: timeouts, refused or reset
// connections, DNS failures, HTTP 408/429/5xx and SMTP 4xx are retryable; HTTP 3xx/4xx, SMTP
// 5xx, TLS verification and login failures are permanent.
struct SendOutcome {
  bool ok = false;
  bool retryable = false;
  std::optional<int> status_code;  // HTTP status or the last SMTP reply code
  std::string error;               // short, safe to store and show (no secrets, no content)
  int64_t duration_ms = 0;
  std::string response_body;  // first 4 KiB of an HTTP answer (robot APIs report errors there)
};

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

SendOutcome SendHttp(const HttpRequest& request, const TransportOptions& options = {});

struct SmtpSettings {
  std::string host;
  int port = 587;
  std::string tls = "starttls";  // "starttls" (required) | "tls" (implicit, smtps) | "none"
  bool verify_tls = true;
  std::string username, password;  // empty username: no AUTH
};

// Sends `data` (a complete RFC 5322 message) from `from` to `recipients`.
SendOutcome SendSmtp(const SmtpSettings& smtp, const std::string& from,
                     const std::vector<std::string>& recipients, const std::string& data,
                     const TransportOptions& options = {});

// Classification of an HTTP status code: 2xx ok; 408, 429 and 5xx retryable; others permanent.
bool IsRetryableHttpStatus(int status);

}  // namespace zm::notify
