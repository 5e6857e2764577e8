// Tamper-evident audit log: every entry stores the hash of its predecessor (prev_hash) and its own
// hash over a canonical serialization, so editing, deleting or reordering entries breaks the chain.
// Pure functions, thread-safe.
//
// Canonical serialization (version 1), for external verifiers:
//   Each item below is written as a netstring: <decimal byte length>":"<bytes>",".
//   Items, in this order:
//     1. the literal tag "zhimian.audit.v1"
//     2. seq                 (base-10 ASCII, '-' for negatives, no leading zeros or '+')
//     3. id
//     4. at_ms               (base-10 ASCII like seq; Unix time in milliseconds)
//     5. actor_type   6. actor_id   7. action   8. target_type   9. target_id
//    10. changes_json        (the exact stored bytes; "" when there are no changes)
//    11. request_id  12. ip
//    13. prev_hash           (kGenesisHash for the first entry)
//   Strings are their raw UTF-8 bytes, unescaped. hash = lower-case hex SHA-256 of the
//   concatenation (64 chars).
// Example: seq 1, id "A", at_ms 5, other strings empty, prev_hash = kGenesisHash serializes to
//   16:zhimian.audit.v1,1:1,1:A,1:5,0:,0:,0:,0:,0:,0:,0:,0:,64:000...000,
// Because the hash covers the stored changes_json bytes, store them verbatim (e.g. as TEXT, not a
// column type that re-formats JSON such as PostgreSQL jsonb).
#pragma once

#include <cstdint>
#include <string>

namespace zm::security {

// prev_hash of the first entry: 64 '0' characters. A char array so that it converts implicitly to
// std::string (std::string prev = kGenesisHash;) as well as to std::string_view.
inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static_assert(sizeof(kGenesisHash) == 65);

struct AuditRecord {
  int64_t seq = 0;
  std::string id;
  int64_t at_ms = 0;
  std::string actor_type;
  std::string actor_id;
  std::string action;
  std::string target_type;
  std::string target_id;
  std::string changes_json;
  std::string request_id;
  std::string ip;
  std::string prev_hash;
};

// The canonical byte string described above (exposed for tests and verifiers).
std::string CanonicalAuditBytes(const AuditRecord& record);

// Lower-case hex SHA-256 of CanonicalAuditBytes(record).
std::string ComputeAuditHash(const AuditRecord& record);

}  // namespace zm::security
