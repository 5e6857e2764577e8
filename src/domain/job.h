// Job (position): what candidates apply for, with the recommendation thresholds. Value type,
// no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace zm::domain {

enum class JobStatus { kDraft, kOpen, kClosed };
// "draft" | "open" | "closed".
std::string_view ToString(JobStatus status);
std::optional<JobStatus> ParseJobStatus(std::string_view text);

enum class EmploymentType { kFullTime, kPartTime, kIntern, kContract };
// "full_time" | "part_time" | "intern" | "contract".
std::string_view ToString(EmploymentType type);
std::optional<EmploymentType> ParseEmploymentType(std::string_view text);

inline constexpr size_t kJobTitleMax = 200;
inline constexpr size_t kJobDescriptionMax = 20000;
inline constexpr size_t kJobRequirementsMax = 50;
inline constexpr size_t kJobRequirementMax = 500;
inline constexpr size_t kJobLocationMax = 200;

// Overall-score thresholds (integers 0..100, recommend > review): score >= recommend is
// "recommend", >= review is "review", below is "not recommended".
struct Thresholds {
  int recommend = 80;
  int review = 60;
};

struct Job {
  std::string id;
  std::string title;                      // 1..200 chars
  std::string department_id;              // required
  std::string description;                // <= 20000 chars
  std::vector<std::string> requirements;  // <= 50 items of 1..500 chars
  std::string location;                   // <= 200 chars
  EmploymentType employment_type = EmploymentType::kFullTime;
  JobStatus status = JobStatus::kDraft;
  Thresholds thresholds;
  int64_t created_at = 0;  // Unix ms
  int64_t updated_at = 0;
};

// Member-wise patch of the thresholds (a missing member keeps the current value).
struct ThresholdsPatch {
  std::optional<int> recommend;
  std::optional<int> review;
};

// PATCH body: each present field replaces the stored one; thresholds merge member-wise.
struct JobPatch {
  std::optional<std::string> title;
  std::optional<std::string> department_id;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> requirements;
  std::optional<std::string> location;
  std::optional<EmploymentType> employment_type;
  std::optional<JobStatus> status;
  std::optional<ThresholdsPatch> thresholds;

  void Apply(Job& j) const;
};

// Checks the client-settable fields; thresholds errors on "thresholds.recommend" /
// "thresholds.review" (range) and "thresholds" (recommend must exceed review).
Status ValidateJob(const Job& j);
// Per-field rules of the present fields; the thresholds order is checked only when both are
// present (run ValidateJob after Apply for the rest).
Status ValidateJobPatch(const JobPatch& p);

}  // namespace zm::domain
