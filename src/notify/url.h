// Validation of outbound URLs (webhook subscriptions, robot and SMS gateway addresses).
// Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace zm::notify {

// Appends a FieldError under `field` for each problem: not http/https, no host, credentials in
// the URL (user:pass@), a fragment, whitespace or control characters, a bad port, longer than
// 2048 bytes. Private and loopback addresses are allowed: on-premises receivers (the HRIS) live
// there.
void CheckOutboundUrl(std::string_view url, std::string_view field,
                      std::vector<FieldError>& errors);

// "https://host/…" plus the last 4 characters: enough to recognise a secret URL, not to use it.
std::string UrlHint(std::string_view url);
// "••••" + the last 4 characters of a secret of 12+ characters, "••••" otherwise.
std::string SecretHint(std::string_view secret);

}  // namespace zm::notify
