// API token of an integration (bearer "zmk_..."). Only metadata lives here; the secret is
// generated and hashed by the security layer. Value type, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace zm::domain {

inline constexpr std::string_view kScopeRead = "read";
inline constexpr std::string_view kScopeWrite = "write";
inline constexpr size_t kApiTokenNameMax = 100;

struct ApiToken {
  std::string id;
  std::string name;                 // 1..100 chars
  std::vector<std::string> scopes;  // ["read"] or ["read", "write"]
  std::string prefix;               // first characters of the token, for recognition
  std::string created_by;           // user id
  int64_t created_at = 0;           // Unix ms
  std::optional<int64_t> last_used_at;
  std::optional<int64_t> revoked_at;

  bool revoked() const { return revoked_at.has_value(); }
  bool HasScope(std::string_view scope) const;
};

// Puts the scopes in canonical order (read before write); leaves unknown values at the end.
void NormalizeScopes(std::vector<std::string>& scopes);
// Checks name and scopes: each "read" or "write", no repeats, and "read" present (write
// implies read).
Status ValidateApiToken(const ApiToken& t);

}  // namespace zm::domain
