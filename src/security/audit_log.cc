#include "security/audit_log.h"

#include "common/ids.h"
#include "common/strings.h"
#include "common/time.h"
#include "security/audit_chain.h"

namespace zm::security {
namespace {
constexpr char kColumns[] =
    "seq, id, at, actor_type, actor_id, action, target_type, target_id, changes, request_id, "
    "ip, prev_hash, hash";

AuditEntry FromRow(const storage::Row& r) {
  AuditEntry e;
  e.seq = r.Int(0);
  e.id = r.Text(1);
  e.at_ms = r.Int(2);
  e.actor_type = r.Text(3);
  e.actor_id = r.Text(4);
  e.action = r.Text(5);
  e.target_type = r.Text(6);
  e.target_id = r.Text(7);
  e.changes_json = r.Text(8);
  e.request_id = r.Text(9);
  e.ip = r.Text(10);
  e.prev_hash = r.Text(11);
  e.hash = r.Text(12);
  return e;
}

AuditRecord ToRecord(const AuditEntry& e) {
  return AuditRecord{e.seq,          e.id,         e.at_ms,       e.actor_type,
                     e.actor_id,     e.action,     e.target_type, e.target_id,
                     e.changes_json, e.request_id, e.ip,          e.prev_hash};
}
}  // namespace

Status AppendAudit(storage::Tx& tx, const Context& ctx, const AuditEvent& event) {
  // Locks the head row (PostgreSQL FOR UPDATE; SQLite write transactions are exclusive).
  ZM_ASSIGN_OR_RETURN(auto head,
                      tx.QueryOne(std::string("SELECT seq, hash FROM audit_head WHERE id = 1") +
                                  std::string(tx.ForUpdate())));
  if (!head) return Internal("audit_head row missing");
  AuditEntry e;
  e.seq = head->Int(0) + 1;
  e.id = NewId();
  e.at_ms = NowMillis();
  e.actor_type = std::string(ctx.principal.ActorType());
  e.actor_id = ctx.principal.id;
  e.action = event.action;
  e.target_type = event.target_type;
  e.target_id = event.target_id;
  e.changes_json = event.changes_json;
  // Header-derived text may be anything a client sent: keep it valid UTF-8 and short.
  e.request_id = SanitizeUtf8(ctx.request_id, 64);
  e.ip = SanitizeUtf8(ctx.ip, 64);
  e.prev_hash = head->Text(1);
  e.hash = ComputeAuditHash(ToRecord(e));
  ZM_RETURN_IF_ERROR(
      tx.Exec(std::string("INSERT INTO audit_log (") + kColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {e.seq, e.id, e.at_ms, e.actor_type, e.actor_id, e.action, e.target_type, e.target_id,
               e.changes_json, e.request_id, e.ip, e.prev_hash, e.hash}));
  ZM_RETURN_IF_ERROR(
      tx.Exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", {e.seq, e.hash}));
  return Ok();
}

Result<std::vector<AuditEntry>> ListAudit(storage::Tx& tx, const AuditFilter& f) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM audit_log WHERE 1 = 1";
  std::vector<storage::Value> params;
  auto add = [&](const char* clause, storage::Value v) {
    sql += clause;
    params.push_back(std::move(v));
  };
  if (f.actor_id) add(" AND actor_id = ?", *f.actor_id);
  if (f.target_type) add(" AND target_type = ?", *f.target_type);
  if (f.target_id) add(" AND target_id = ?", *f.target_id);
  if (f.action) add(" AND action = ?", *f.action);
  if (f.since_ms) add(" AND at >= ?", *f.since_ms);
  if (f.until_ms) add(" AND at < ?", *f.until_ms);
  if (f.before_seq) add(" AND seq < ?", *f.before_seq);
  add(" ORDER BY seq DESC LIMIT ?", int64_t{f.limit});
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<AuditEntry> out;
  out.reserve(rs.rows.size());
  for (const auto& r : rs.rows) out.push_back(FromRow(r));
  return out;
}

Result<AuditVerification> VerifyAuditChain(storage::Database& db) {
  // The head is read first and only entries up to it are checked, so appends that commit while
  // the walk runs are not mistaken for tampering.
  ZM_ASSIGN_OR_RETURN(auto head, db.ReadValue<std::optional<storage::Row>>([](storage::Tx& tx) {
    return tx.QueryOne("SELECT seq, hash FROM audit_head WHERE id = 1");
  }));
  if (!head) return Internal("audit_head row missing");
  const int64_t head_seq = head->Int(0);
  AuditVerification v;
  int64_t last_seq = 0;
  std::string prev = kGenesisHash;
  constexpr int64_t kPage = 1000;
  while (last_seq < head_seq) {
    ZM_ASSIGN_OR_RETURN(auto rs, db.ReadValue<storage::QueryResult>([&](storage::Tx& tx) {
      return tx.Query(std::string("SELECT ") + kColumns +
                          " FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                      {last_seq, head_seq, kPage});
    }));
    for (const auto& row : rs.rows) {
      AuditEntry e = FromRow(row);
      ++v.entries_checked;
      auto broken = [&](std::string problem) {
        v.ok = false;
        v.first_broken_seq = e.seq;
        v.problem = std::move(problem);
      };
      if (e.seq != last_seq + 1) {
        broken("sequence gap: expected " + std::to_string(last_seq + 1));
      } else if (e.prev_hash != prev) {
        broken("prev_hash does not match the previous entry's hash");
      } else if (ComputeAuditHash(ToRecord(e)) != e.hash) {
        broken("content does not match its hash (entry was modified)");
      }
      if (!v.ok) return v;
      last_seq = e.seq;
      prev = e.hash;
    }
    if (rs.rows.empty()) break;
  }
  if (last_seq != head_seq || head->Text(1) != prev) {
    v.ok = false;
    v.first_broken_seq = last_seq + 1;
    v.problem = "chain head does not match the last entry (entries were deleted)";
  }
  return v;
}

}  // namespace zm::security
