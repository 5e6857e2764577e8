#include "security/auth.h"

#include <algorithm>

#include "common/ids.h"
#include "common/strings.h"
#include "common/time.h"
#include "security/audit_log.h"
#include "security/crypto.h"
#include "security/password.h"

namespace zm::security {
namespace {
constexpr std::string_view kTokenPrefix = "zmk_";

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) out += (out.empty() ? "" : ",") + s;
  return out;
}

ApiTokenInfo TokenFromRow(const storage::Row& r) {
  ApiTokenInfo t;
  t.id = r.Text(0);
  t.name = r.Text(1);
  t.prefix = r.Text(2);
  t.scopes = Split(r.Text(3), ',');
  t.created_by = r.Text(4);
  t.created_at_ms = r.Int(5);
  t.last_used_at_ms = r.OptInt(6);
  t.revoked_at_ms = r.OptInt(7);
  return t;
}

// A fixed argon2id hash of a random password, verified against when the e-mail is unknown so
// that timing does not reveal which accounts exist.
const std::string& DummyHash() {
  static const std::string h = HashPassword(RandomToken(16)).value_or("");
  return h;
}
}  // namespace

namespace {
// The principal of an active user whose role and status were read already.
Result<Principal> UserPrincipal(storage::Tx& tx, const std::string& user_id,
                                const std::string& role_text, const std::string& status) {
  if (status != "active") return Unauthenticated("account not active");
  auto role = domain::ParseRole(role_text);
  if (!role) return Internal("unknown role in database");
  Principal p;
  p.kind = Principal::Kind::kUser;
  p.id = user_id;
  p.role = role;
  p.permissions = PermissionsForRole(*role);
  if (*role == Role::kManager) {
    ZM_ASSIGN_OR_RETURN(auto rs, tx.Query("SELECT department_id FROM user_departments WHERE "
                                          "user_id = ? ORDER BY department_id",
                                          {user_id}));
    std::vector<std::string> depts;
    for (const auto& r : rs.rows) depts.push_back(r.Text(0));
    p.department_scope = std::move(depts);
  }
  return p;
}
}  // namespace

Result<Principal> Auth::LoadUserPrincipal(storage::Tx& tx, const std::string& user_id) {
  ZM_ASSIGN_OR_RETURN(auto row,
                      tx.QueryOne("SELECT role, status FROM users WHERE id = ?", {user_id}));
  if (!row) return Unauthenticated("account not active");
  return UserPrincipal(tx, user_id, row->Text(0), row->Text(1));
}

Result<LoginResult> Auth::Login(const Context& ctx, std::string_view email_in,
                                std::string_view password) {
  const int64_t now = NowMillis();
  const std::string email = AsciiLower(Trim(email_in));
  const std::string acct_key = "acct:" + Sha256Hex(email);
  const std::string ip_key = "ip:" + ctx.ip;

  // 1. Locked?
  ZM_ASSIGN_OR_RETURN(auto locked, db_.ReadValue<bool>([&](storage::Tx& tx) -> Result<bool> {
    ZM_ASSIGN_OR_RETURN(auto rs, tx.Query("SELECT 1 FROM login_attempts WHERE key IN (?, ?) "
                                          "AND locked_until > ?",
                                          {acct_key, ip_key, now}));
    return !rs.rows.empty();
  }));
  if (locked)
    return Fail(MakeError(ErrorCode::kTooManyRequests, "too_many_requests",
                          "too many failed sign-ins; try again later"));

  // 2. Check the password (outside any transaction: argon2id takes ~70 ms).
  struct UserRow {
    std::string id, hash, status;
  };
  ZM_ASSIGN_OR_RETURN(
      auto user,
      db_.ReadValue<std::optional<UserRow>>([&](storage::Tx& tx) -> Result<std::optional<UserRow>> {
        ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT id, password_hash, status "
                                                "FROM users WHERE email = ?",
                                                {email}));
        if (!r) return std::optional<UserRow>{};
        return std::optional<UserRow>{UserRow{r->Text(0), r->Text(1), r->Text(2)}};
      }));
  bool ok =
      user ? VerifyPassword(user->hash, password) : (VerifyPassword(DummyHash(), password), false);
  ok = ok && user->status == "active";

  if (!ok) {
    const int64_t window = int64_t{options_.lock_minutes} * 60 * 1000;
    ZM_RETURN_IF_ERROR(db_.Write([&](storage::Tx& tx) -> Status {
      for (const auto& key : {acct_key, ip_key}) {
        // Create the row if needed, then lock it: concurrent failures must all be counted.
        ZM_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO login_attempts (key, failures, window_start, "
                    "locked_until) VALUES (?, 0, ?, 0) ON CONFLICT (key) DO NOTHING",
                    {key, now}));
        ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne(std::string("SELECT failures, window_start FROM "
                                                            "login_attempts WHERE key = ?") +
                                                    std::string(tx.ForUpdate()),
                                                {key}));
        int64_t failures = 1, start = now;
        if (r && now - r->Int(1) < window) {
          failures = r->Int(0) + 1;
          start = r->Int(1);
        }
        int64_t locked_until = failures >= options_.max_failures ? now + window : 0;
        ZM_RETURN_IF_ERROR(
            tx.Exec("UPDATE login_attempts SET failures = ?, window_start = ?, "
                    "locked_until = ? WHERE key = ?",
                    {failures, start, locked_until, key}));
      }
      return AppendAudit(
          tx, ctx, {"auth.login_failed", "user", user ? user->id : std::string("unknown"), ""});
    }));
    return Fail(
        MakeError(ErrorCode::kUnauthenticated, "invalid_credentials", "wrong e-mail or password"));
  }

  LoginResult out;
  out.user_id = user->id;
  out.session_token = RandomToken(32);
  out.csrf_token = RandomToken(24);
  out.expires_at_ms = now + int64_t{options_.session_ttl_minutes} * 60 * 1000;
  Context actor = ctx;
  actor.principal.kind = Principal::Kind::kUser;
  actor.principal.id = user->id;
  ZM_RETURN_IF_ERROR(db_.Write([&](storage::Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(tx.Exec("DELETE FROM login_attempts WHERE key = ?", {acct_key}));
    ZM_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM sessions WHERE user_id = ? AND expires_at < ?", {user->id, now}));
    ZM_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, ip, user_agent) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {Sha256Hex(out.session_token), user->id, out.csrf_token, now, out.expires_at_ms,
         SanitizeUtf8(ctx.ip, 64), SanitizeUtf8(ctx.user_agent, 300)}));
    ZM_RETURN_IF_ERROR(tx.Exec("UPDATE users SET last_login_at = ? WHERE id = ?", {now, user->id}));
    return AppendAudit(tx, actor, {"auth.login", "user", user->id, ""});
  }));
  return out;
}

Result<Principal> Auth::FromSession(std::string_view session_token) {
  const std::string sid = Sha256Hex(session_token);
  return db_.ReadValue<Principal>([&](storage::Tx& tx) -> Result<Principal> {
    // One query for the session and its user: this runs on every request.
    ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT s.user_id, s.csrf_token, s.expires_at, "
                                              "u.role, u.status FROM sessions s JOIN users u ON "
                                              "u.id = s.user_id WHERE s.id = ?",
                                              {sid}));
    if (!row || row->Int(2) <= NowMillis())
      return Unauthenticated("session expired or signed out; sign in again");
    ZM_ASSIGN_OR_RETURN(auto p, UserPrincipal(tx, row->Text(0), row->Text(3), row->Text(4)));
    p.csrf_token = row->Text(1);
    p.session_id = sid;
    return p;
  });
}

Result<Principal> Auth::FromBearer(std::string_view token) {
  if (!StartsWith(token, kTokenPrefix)) return Unauthenticated("malformed API token");
  const std::string hash = Sha256Hex(token);
  const int64_t now = NowMillis();
  ZM_ASSIGN_OR_RETURN(auto info,
                      db_.ReadValue<std::optional<ApiTokenInfo>>(
                          [&](storage::Tx& tx) -> Result<std::optional<ApiTokenInfo>> {
                            ZM_ASSIGN_OR_RETURN(
                                auto r, tx.QueryOne("SELECT id, name, prefix, scopes, created_by, "
                                                    "created_at, last_used_at, revoked_at FROM "
                                                    "api_tokens WHERE token_hash = ?",
                                                    {hash}));
                            if (!r) return std::optional<ApiTokenInfo>{};
                            return std::optional<ApiTokenInfo>{TokenFromRow(*r)};
                          }));
  if (!info || info->revoked_at_ms) return Unauthenticated("unknown or revoked API token");
  // Record use at most once a minute: a write per request would throttle integrations.
  if (!info->last_used_at_ms || now - *info->last_used_at_ms > 60'000) {
    (void)db_.Write([&](storage::Tx& tx) -> Status {
      ZM_RETURN_IF_ERROR(
          tx.Exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {now, info->id}));
      return Ok();
    });
  }
  Principal p;
  p.kind = Principal::Kind::kToken;
  p.id = info->id;
  p.permissions = PermissionsForTokenScopes(info->scopes);
  return p;
}

Status Auth::Logout(const Context& ctx) {
  return db_.Write([&](storage::Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(tx.Exec("DELETE FROM sessions WHERE id = ?", {ctx.principal.session_id}));
    return AppendAudit(tx, ctx, {"auth.logout", "user", ctx.principal.id, ""});
  });
}

Result<std::pair<ApiTokenInfo, std::string>> Auth::CreateToken(const Context& ctx, std::string name,
                                                               std::vector<std::string> scopes) {
  std::vector<FieldError> details;
  auto len = Utf8Length(name);
  if (!IsValidUtf8(name) || len < 1 || len > 100)
    details.push_back({"name", "must be 1..100 characters"});
  if (scopes.empty()) details.push_back({"scopes", "must not be empty"});
  for (size_t i = 0; i < scopes.size(); ++i)
    if (scopes[i] != "read" && scopes[i] != "write")
      details.push_back({"scopes[" + std::to_string(i) + "]", "must be read or write"});
  if (!details.empty()) return InvalidArgument("invalid API token", std::move(details));
  if (std::ranges::find(scopes, "write") != scopes.end() &&
      std::ranges::find(scopes, "read") == scopes.end())
    scopes.insert(scopes.begin(), "read");

  std::string secret = std::string(kTokenPrefix) + RandomToken(32);
  ApiTokenInfo t;
  t.id = NewId();
  t.name = std::move(name);
  t.prefix = secret.substr(0, 12);
  t.scopes = std::move(scopes);
  t.created_by = ctx.principal.id;
  t.created_at_ms = NowMillis();
  ZM_RETURN_IF_ERROR(db_.Write([&](storage::Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO api_tokens (id, name, token_hash, prefix, scopes, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {t.id, t.name, Sha256Hex(secret), t.prefix, JoinScopes(t.scopes), t.created_by,
         t.created_at_ms}));
    std::string scopes_json = "[";
    for (size_t i = 0; i < t.scopes.size(); ++i)
      scopes_json += (i ? "," : "") + JsonQuote(t.scopes[i]);
    scopes_json += "]";
    return AppendAudit(tx, ctx,
                       {"api_token.create", "api_token", t.id,
                        "{\"before\":null,\"after\":{\"name\":" + JsonQuote(t.name) +
                            ",\"scopes\":" + scopes_json + "}}"});
  }));
  return std::make_pair(std::move(t), std::move(secret));
}

Result<std::vector<ApiTokenInfo>> Auth::ListTokens(std::optional<std::string> before_id,
                                                   int limit) {
  return db_.ReadValue<std::vector<ApiTokenInfo>>(
      [&](storage::Tx& tx) -> Result<std::vector<ApiTokenInfo>> {
        std::string sql =
            "SELECT id, name, prefix, scopes, created_by, created_at, last_used_at, revoked_at "
            "FROM api_tokens";
        std::vector<storage::Value> params;
        if (before_id) {
          sql += " WHERE id < ?";
          params.push_back(*before_id);
        }
        sql += " ORDER BY id DESC LIMIT ?";
        params.push_back(int64_t{limit});
        ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
        std::vector<ApiTokenInfo> out;
        for (const auto& r : rs.rows) out.push_back(TokenFromRow(r));
        return out;
      });
}

Status Auth::RevokeToken(const Context& ctx, const std::string& id) {
  return db_.Write([&](storage::Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto n, tx.Exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND "
                                        "revoked_at IS NULL",
                                        {NowMillis(), id}));
    if (n == 0) return NotFound("API token");
    return AppendAudit(tx, ctx, {"api_token.revoke", "api_token", id, ""});
  });
}

}  // namespace zm::security
