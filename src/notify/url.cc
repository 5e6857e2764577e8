#include "notify/url.h"

#include <cctype>

#include "common/strings.h"

namespace zm::notify {

void CheckOutboundUrl(std::string_view url, std::string_view field,
                      std::vector<FieldError>& errors) {
  auto bad = [&](std::string msg) { errors.push_back({std::string(field), std::move(msg)}); };
  if (url.size() > 2048) return bad("must be at most 2048 bytes");
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7f) return bad("must not contain spaces or control characters");
  std::string lower = AsciiLower(url.substr(0, std::min<size_t>(url.size(), 8)));
  size_t rest_at;
  if (StartsWith(lower, "https://")) {
    rest_at = 8;
  } else if (StartsWith(lower, "http://")) {
    rest_at = 7;
  } else {
    return bad("must be an http:// or https:// URL");
  }
  std::string_view rest = url.substr(rest_at);
  if (rest.find('#') != std::string_view::npos) return bad("must not contain a fragment (#)");
  size_t auth_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, auth_end);
  if (authority.find('@') != std::string_view::npos)
    return bad("must not contain credentials (user:password@)");
  if (authority.empty()) return bad("must name a host");
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("has a malformed IPv6 host");
    host = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return bad("has a malformed host");
      port = authority.substr(close + 2);
    }
  } else if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return bad("must name a host");
  for (char c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
          c == '[' || c == ']' || c == ':'))
      return bad("has an invalid host name");
  if (!port.empty() || (authority.back() == ':')) {
    if (port.empty() || port.size() > 5) return bad("has an invalid port");
    int p = 0;
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return bad("has an invalid port");
      p = p * 10 + (c - '0');
    }
    if (p < 1 || p > 65535) return bad("has an invalid port");
  }
}

std::string UrlHint(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "••••";
  size_t host_end = url.find_first_of("/?", scheme + 3);
  std::string out(url.substr(0, host_end == std::string_view::npos ? url.size() : host_end));
  out += "/…";
  if (url.size() >= 24) out += url.substr(url.size() - 4);
  return out;
}

std::string SecretHint(std::string_view secret) {
  if (secret.size() < 12) return "••••";
  return "••••" + std::string(secret.substr(secret.size() - 4));
}

}  // namespace zm::notify
