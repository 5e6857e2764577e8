// Candidate: a person who applies. Plaintext here; encryption at rest, masking, e-mail/phone
// normalization and the duplicate check belong to storage and security. Value type, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace zm::domain {

inline constexpr size_t kCandidateNameMax = 100;
inline constexpr size_t kNationalIdMax = 32;
inline constexpr size_t kResumeTextMax = 100000;
inline constexpr size_t kSourceMax = 100;
inline constexpr size_t kCandidateTagsMax = 20;
inline constexpr size_t kCandidateTagMax = 50;

struct Candidate {
  std::string id;
  std::string name;                        // 1..100 chars
  std::optional<std::string> email;        // plausible address; email or phone required
  std::optional<std::string> phone;        // digits with optional leading '+' and separators
  std::optional<std::string> national_id;  // 1..32 of [0-9A-Za-z-]
  std::optional<std::string> resume_text;  // <= 100000 chars
  std::string source;                      // <= 100 chars ("", "boss_zhipin", "referral", ...)
  std::vector<std::string> tags;           // <= 20 unique items of 1..50 chars
  int64_t created_at = 0;                  // Unix ms
  int64_t updated_at = 0;
};

// PATCH body. For the nullable fields the outer optional is "present", the inner nullopt is
// "set to null" (clears the value).
struct CandidatePatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> email;
  std::optional<std::optional<std::string>> phone;
  std::optional<std::optional<std::string>> national_id;
  std::optional<std::optional<std::string>> resume_text;
  std::optional<std::string> source;
  std::optional<std::vector<std::string>> tags;

  void Apply(Candidate& c) const;
};

// Checks the client-settable fields; "email or phone required" is reported on "email".
Status ValidateCandidate(const Candidate& c);
// Per-field rules of the present fields; clearing both email and phone in one patch is
// refused here; otherwise run ValidateCandidate after Apply.
Status ValidateCandidatePatch(const CandidatePatch& p);

}  // namespace zm::domain
