#include "security/audit_chain.h"

#include "security/crypto.h"

namespace zm::security {

namespace {

constexpr std::string_view kAuditTag = "zhimian.audit.v1";

void AppendNetstring(std::string& out, std::string_view item) {
  out += std::to_string(item.size());
  out += ':';
  out += item;
  out += ',';
}

}  // namespace

std::string CanonicalAuditBytes(const AuditRecord& r) {
  std::string out;
  out.reserve(256 + r.changes_json.size());
  AppendNetstring(out, kAuditTag);
  AppendNetstring(out, std::to_string(r.seq));
  AppendNetstring(out, r.id);
  AppendNetstring(out, std::to_string(r.at_ms));
  AppendNetstring(out, r.actor_type);
  AppendNetstring(out, r.actor_id);
  AppendNetstring(out, r.action);
  AppendNetstring(out, r.target_type);
  AppendNetstring(out, r.target_id);
  AppendNetstring(out, r.changes_json);
  AppendNetstring(out, r.request_id);
  AppendNetstring(out, r.ip);
  AppendNetstring(out, r.prev_hash);
  return out;
}

std::string ComputeAuditHash(const AuditRecord& record) {
  return Sha256Hex(CanonicalAuditBytes(record));
}

}  // namespace zm::security
