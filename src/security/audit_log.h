// The tamper-evident audit log: append-only rows chained by SHA-256 (audit_chain.h).
// Appends happen inside the caller's write transaction, so a change and its audit entry
// commit or roll back together. The chain head row (audit_head) is locked by the append,
// which serializes appends across processes on both backends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "security/principal.h"
#include "storage/database.h"

namespace zm::security {

struct AuditEvent {
  std::string action;       // "job.create", "candidate.view_pii", "auth.login_failed"
  std::string target_type;  // "job", "candidate", "user", ...
  std::string target_id;
  // JSON text {"before": ..., "after": ...} or empty. Must not contain personal data in clear.
  std::string changes_json;
};

struct AuditEntry {
  int64_t seq = 0;
  std::string id;
  int64_t at_ms = 0;
  std::string actor_type, actor_id, action, target_type, target_id, changes_json, request_id, ip;
  std::string prev_hash, hash;
};

// Appends one entry attributed to ctx's principal. Thread-safe through the database.
Status AppendAudit(storage::Tx& tx, const Context& ctx, const AuditEvent& event);

struct AuditFilter {
  std::optional<std::string> actor_id, target_type, target_id, action;
  std::optional<int64_t> since_ms, until_ms;
  std::optional<int64_t> before_seq;  // cursor
  int limit = 50;
};
// Newest first.
Result<std::vector<AuditEntry>> ListAudit(storage::Tx& tx, const AuditFilter& filter);

struct AuditVerification {
  bool ok = true;
  int64_t entries_checked = 0;
  std::optional<int64_t> first_broken_seq;  // set when !ok
  std::string problem;                      // what is wrong with that entry
};
// Walks the whole chain in order: recomputes each hash, checks links, sequence gaps and the
// head row. Reads in pages; suitable for large logs.
Result<AuditVerification> VerifyAuditChain(storage::Database& db);

}  // namespace zm::security
