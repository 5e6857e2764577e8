#include "notify/transport.h"

#include <curl/curl.h>

#include <chrono>
#include <cstring>
#include <mutex>

namespace zm::notify {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Handle {
  CURL* h = curl_easy_init();
  curl_slist* headers = nullptr;
  curl_slist* rcpts = nullptr;
  ~Handle() {
    if (headers) curl_slist_free_all(headers);
    if (rcpts) curl_slist_free_all(rcpts);
    if (h) curl_easy_cleanup(h);
  }
};

size_t WriteBody(char* ptr, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  size_t len = size * n;
  if (out->size() < 4096) out->append(ptr, std::min(len, 4096 - out->size()));
  return len;
}

struct Upload {
  const std::string* data;
  size_t at = 0;
};

size_t ReadBody(char* ptr, size_t size, size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  size_t len = std::min(size * n, up->data->size() - up->at);
  std::memcpy(ptr, up->data->data() + up->at, len);
  up->at += len;
  return len;
}

bool RetryableCurlCode(CURLcode c) {
  switch (c) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_AGAIN:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

void Common(CURL* h, const TransportOptions& o, std::string* errbuf) {
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout_ms));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(o.total_timeout_ms));
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https,smtp,smtps");
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf->data());
  // No proxy from the environment: receivers are reached directly, as configured.
  curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
}

std::string ErrorText(CURLcode c, const std::string& errbuf) {
  // curl's error buffer may name the host and port; it never holds credentials or content.
  std::string e = errbuf.c_str();
  if (e.empty()) e = curl_easy_strerror(c);
  if (e.size() > 300) e.resize(300);
  return e;
}

int64_t Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               t0)
      .count();
}

}  // namespace

bool IsRetryableHttpStatus(int status) { return status == 408 || status == 429 || status >= 500; }

SendOutcome SendHttp(const HttpRequest& req, const TransportOptions& options) {
  GlobalInit();
  SendOutcome out;
  auto t0 = std::chrono::steady_clock::now();
  Handle hd;
  if (!hd.h) {
    out.retryable = true;
    out.error = "cannot create a curl handle";
    return out;
  }
  std::string errbuf(CURL_ERROR_SIZE + 1, '\0');
  Common(hd.h, options, &errbuf);
  curl_easy_setopt(hd.h, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(hd.h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  if (req.method != "GET") {
    curl_easy_setopt(hd.h, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(hd.h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  hd.headers = curl_slist_append(hd.headers, "Expect:");
  hd.headers = curl_slist_append(hd.headers, "User-Agent: Zhimian-Notify/1");
  for (const auto& [k, v] : req.headers) {
    std::string line = k + ": " + v;
    hd.headers = curl_slist_append(hd.headers, line.c_str());
  }
  curl_easy_setopt(hd.h, CURLOPT_HTTPHEADER, hd.headers);
  curl_easy_setopt(hd.h, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(hd.h, CURLOPT_WRITEDATA, &out.response_body);
  CURLcode rc = curl_easy_perform(hd.h);
  out.duration_ms = Since(t0);
  if (rc != CURLE_OK) {
    out.retryable = RetryableCurlCode(rc);
    out.error = ErrorText(rc, errbuf);
    return out;
  }
  long status = 0;
  curl_easy_getinfo(hd.h, CURLINFO_RESPONSE_CODE, &status);
  out.status_code = static_cast<int>(status);
  if (status >= 200 && status < 300) {
    out.ok = true;
  } else {
    out.retryable = IsRetryableHttpStatus(static_cast<int>(status));
    out.error = status >= 300 && status < 400
                    ? "HTTP " + std::to_string(status) + " (redirects are not followed)"
                    : "HTTP " + std::to_string(status);
  }
  return out;
}

SendOutcome SendSmtp(const SmtpSettings& smtp, const std::string& from,
                     const std::vector<std::string>& recipients, const std::string& data,
                     const TransportOptions& options) {
  GlobalInit();
  SendOutcome out;
  auto t0 = std::chrono::steady_clock::now();
  Handle hd;
  if (!hd.h) {
    out.retryable = true;
    out.error = "cannot create a curl handle";
    return out;
  }
  std::string errbuf(CURL_ERROR_SIZE + 1, '\0');
  Common(hd.h, options, &errbuf);
  std::string url =
      (smtp.tls == "tls" ? "smtps://" : "smtp://") + smtp.host + ":" + std::to_string(smtp.port);
  curl_easy_setopt(hd.h, CURLOPT_URL, url.c_str());
  if (smtp.tls == "starttls") curl_easy_setopt(hd.h, CURLOPT_USE_SSL, CURLUSESSL_ALL);
  if (!smtp.verify_tls) {
    curl_easy_setopt(hd.h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(hd.h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!smtp.username.empty()) {
    curl_easy_setopt(hd.h, CURLOPT_USERNAME, smtp.username.c_str());
    curl_easy_setopt(hd.h, CURLOPT_PASSWORD, smtp.password.c_str());
  }
  std::string mail_from = "<" + from + ">";
  curl_easy_setopt(hd.h, CURLOPT_MAIL_FROM, mail_from.c_str());
  for (const auto& r : recipients) {
    std::string rcpt = "<" + r + ">";
    hd.rcpts = curl_slist_append(hd.rcpts, rcpt.c_str());
  }
  curl_easy_setopt(hd.h, CURLOPT_MAIL_RCPT, hd.rcpts);
  Upload up{&data};
  curl_easy_setopt(hd.h, CURLOPT_READFUNCTION, ReadBody);
  curl_easy_setopt(hd.h, CURLOPT_READDATA, &up);
  curl_easy_setopt(hd.h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(hd.h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(data.size()));
  CURLcode rc = curl_easy_perform(hd.h);
  out.duration_ms = Since(t0);
  long code = 0;
  curl_easy_getinfo(hd.h, CURLINFO_RESPONSE_CODE, &code);
  if (code > 0) out.status_code = static_cast<int>(code);
  if (rc == CURLE_OK) {
    out.ok = true;
    return out;
  }
  out.error = ErrorText(rc, errbuf);
  if (rc == CURLE_LOGIN_DENIED || rc == CURLE_USE_SSL_FAILED ||
      rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE) {
    out.retryable = false;
  } else if (code >= 500) {
    out.retryable = false;  // SMTP 5xx: permanent rejection
  } else if (code >= 400) {
    out.retryable = true;  // SMTP 4xx: transient
  } else {
    out.retryable = RetryableCurlCode(rc);
  }
  return out;
}

}  // namespace zm::notify
