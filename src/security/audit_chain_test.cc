#include "security/audit_chain.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zm::security {
namespace {

AuditRecord Sample() {
  AuditRecord r;
  r.seq = 42;
  r.id = "01J9Z3K4M5N6P7Q8R9S0T1V2W3";
  r.at_ms = 1795315260123;
  r.actor_type = "user";
  r.actor_id = "01J9Z3K4M5N6P7Q8R9S0T1V2W4";
  r.action = "candidate.view_pii";
  r.target_type = "candidate";
  r.target_id = "01J9Z3K4M5N6P7Q8R9S0T1V2W5";
  r.changes_json = R"({"after":{"name":"[encrypted]"},"before":null})";
  r.request_id = "req-7f3a";
  r.ip = "203.0.113.7";
  r.prev_hash = std::string(kGenesisHash);
  return r;
}

TEST(AuditChain, GenesisHashIs64Zeros) {
  std::string prev = kGenesisHash;  // converts implicitly
  EXPECT_EQ(prev, std::string(64, '0'));
  EXPECT_EQ(std::string_view(kGenesisHash).size(), 64u);
}

TEST(AuditChain, CanonicalBytesMatchTheDocumentedFormat) {
  AuditRecord r;
  r.seq = 1;
  r.id = "A";
  r.at_ms = 5;
  r.prev_hash = std::string(kGenesisHash);
  EXPECT_EQ(CanonicalAuditBytes(r), "16:zhimian.audit.v1,1:1,1:A,1:5,0:,0:,0:,0:,0:,0:,0:,0:,64:" +
                                        std::string(64, '0') + ",");
  r.seq = -7;
  r.action = "用户";  // lengths are in bytes
  EXPECT_EQ(CanonicalAuditBytes(r),
            "16:zhimian.audit.v1,2:-7,1:A,1:5,0:,0:,6:用户,0:,0:,0:,0:,0:,64:" +
                std::string(64, '0') + ",");
}

TEST(AuditChain, GoldenHashes) {
  // Computed independently from the documented format (Python hashlib); pins the format forever.
  AuditRecord first = Sample();
  const std::string h1 = ComputeAuditHash(first);
  EXPECT_EQ(h1, "dd4d2baa20da7bf3e616cf5b5b280ef1c9356a02f4d4f27db8ab512b17199b0b");

  AuditRecord second;
  second.seq = 43;
  second.id = "01J9Z3K4M5N6P7Q8R9S0T1V2W6";
  second.at_ms = 1795315260456;
  second.actor_type = "user";
  second.actor_id = "01J9Z3K4M5N6P7Q8R9S0T1V2W4";
  second.action = "job.update";
  second.target_type = "job";
  second.target_id = "01J9Z3K4M5N6P7Q8R9S0T1V2W7";
  second.changes_json = R"({"after":{"title":"销售经理"},"before":{"title":"销售"}})";
  second.request_id = "req-7f3b";
  second.ip = "2001:db8::1";
  second.prev_hash = h1;
  EXPECT_EQ(ComputeAuditHash(second),
            "e61f482389ac0e69af211998bb2159e66548f7a8afb89af289090ffd1a67a509");
  // Stable across calls.
  EXPECT_EQ(ComputeAuditHash(Sample()), h1);
}

TEST(AuditChain, EverySingleFieldChangesTheHash) {
  const std::string base = ComputeAuditHash(Sample());
  std::vector<std::pair<const char*, std::function<void(AuditRecord&)>>> edits = {
      {"seq", [](AuditRecord& r) { r.seq = 41; }},
      {"id", [](AuditRecord& r) { r.id.back() = '4'; }},
      {"at_ms", [](AuditRecord& r) { r.at_ms += 1; }},
      {"actor_type", [](AuditRecord& r) { r.actor_type = "api_token"; }},
      {"actor_id", [](AuditRecord& r) { r.actor_id.back() = '9'; }},
      {"action", [](AuditRecord& r) { r.action = "candidate.update"; }},
      {"target_type", [](AuditRecord& r) { r.target_type = "application"; }},
      {"target_id", [](AuditRecord& r) { r.target_id.back() = '6'; }},
      {"changes_json", [](AuditRecord& r) { r.changes_json = ""; }},
      {"request_id", [](AuditRecord& r) { r.request_id = "req-7f3b"; }},
      {"ip", [](AuditRecord& r) { r.ip = "203.0.113.8"; }},
      {"prev_hash", [](AuditRecord& r) { r.prev_hash[0] = '1'; }},
  };
  std::set<std::string> hashes = {base};
  for (const auto& [name, edit] : edits) {
    AuditRecord r = Sample();
    edit(r);
    std::string h = ComputeAuditHash(r);
    EXPECT_NE(h, base) << name;
    hashes.insert(h);
  }
  EXPECT_EQ(hashes.size(), edits.size() + 1);
}

TEST(AuditChain, FieldBoundariesAreUnambiguous) {
  // Moving bytes from one field to its neighbour must change the hash.
  AuditRecord a = Sample(), b = Sample();
  a.actor_type = "user";
  a.actor_id = "x";
  b.actor_type = "use";
  b.actor_id = "rx";
  EXPECT_NE(ComputeAuditHash(a), ComputeAuditHash(b));
  AuditRecord c = Sample(), d = Sample();
  c.request_id = "1:a,";
  c.ip = "";
  d.request_id = "";
  d.ip = "1:a,";
  EXPECT_NE(ComputeAuditHash(c), ComputeAuditHash(d));
  AuditRecord e = Sample(), f = Sample();
  e.seq = 12;
  e.at_ms = 3;
  f.seq = 1;
  f.at_ms = 23;
  EXPECT_NE(ComputeAuditHash(e), ComputeAuditHash(f));
}

}  // namespace
}  // namespace zm::security
