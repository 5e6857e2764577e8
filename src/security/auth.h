// Staff authentication: password sign-in with throttling, sessions (cookie + CSRF token),
// API tokens for integrations. Secrets are stored only as SHA-256 hashes; the clear values
// are returned once to the caller. Thread-safe (all state is in the database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "security/principal.h"
#include "storage/database.h"

namespace zm::security {

struct AuthOptions {
  int session_ttl_minutes = 480;
  int max_failures = 5;   // per account and per IP ...
  int lock_minutes = 15;  // ... within this window lock for this long
};

struct LoginResult {
  std::string user_id;
  std::string session_token;  // the cookie value; never stored
  std::string csrf_token;
  int64_t expires_at_ms = 0;
};

struct ApiTokenInfo {
  std::string id, name, prefix, created_by;
  std::vector<std::string> scopes;
  int64_t created_at_ms = 0;
  std::optional<int64_t> last_used_at_ms, revoked_at_ms;
};

class Auth {
 public:
  Auth(storage::Database& db, AuthOptions options) : db_(db), options_(options) {}

  // Errors: kTooManyRequests when the account or IP is locked (checked before the password);
  // kUnauthenticated "invalid_credentials" for a wrong e-mail/password or a disabled user
  // (indistinguishable). Audits auth.login / auth.login_failed.
  Result<LoginResult> Login(const Context& ctx, std::string_view email, std::string_view password);
  // Resolves a session cookie. Unknown or expired: kUnauthenticated.
  Result<Principal> FromSession(std::string_view session_token);
  // Resolves "zmk_..." bearer tokens. Unknown or revoked: kUnauthenticated.
  Result<Principal> FromBearer(std::string_view token);
  Status Logout(const Context& ctx);

  // Admin operations on API tokens (audited). Create returns the clear token once.
  Result<std::pair<ApiTokenInfo, std::string>> CreateToken(const Context& ctx, std::string name,
                                                           std::vector<std::string> scopes);
  Result<std::vector<ApiTokenInfo>> ListTokens(std::optional<std::string> before_id, int limit);
  Status RevokeToken(const Context& ctx, const std::string& id);

  // Loads a user's principal (role, departments). kUnauthenticated when absent or disabled.
  Result<Principal> LoadUserPrincipal(storage::Tx& tx, const std::string& user_id);

 private:
  storage::Database& db_;
  AuthOptions options_;
};

}  // namespace zm::security
