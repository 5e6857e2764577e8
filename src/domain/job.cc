#include "domain/job.h"

#include <array>
#include <utility>

#include "domain/validation.h"

namespace zm::domain {
namespace {

constexpr std::array<std::pair<JobStatus, std::string_view>, 3> kJobStatuses = {{
    {JobStatus::kDraft, "draft"},
    {JobStatus::kOpen, "open"},
    {JobStatus::kClosed, "closed"},
}};

constexpr std::array<std::pair<EmploymentType, std::string_view>, 4> kEmploymentTypes = {{
    {EmploymentType::kFullTime, "full_time"},
    {EmploymentType::kPartTime, "part_time"},
    {EmploymentType::kIntern, "intern"},
    {EmploymentType::kContract, "contract"},
}};

void CheckTitle(FieldErrors& e, std::string_view v) { CheckText(e, "title", v, 1, kJobTitleMax); }
void CheckDescription(FieldErrors& e, std::string_view v) {
  CheckText(e, "description", v, 0, kJobDescriptionMax);
}
void CheckRequirements(FieldErrors& e, const std::vector<std::string>& v) {
  CheckTextList(e, "requirements", v, kJobRequirementsMax, 1, kJobRequirementMax, false);
}
void CheckLocation(FieldErrors& e, std::string_view v) {
  CheckText(e, "location", v, 0, kJobLocationMax);
}
void CheckThresholdValue(FieldErrors& e, std::string_view member, int v) {
  CheckRange(e, Member("thresholds", member), v, 0, 100);
}
void CheckThresholdOrder(FieldErrors& e, int recommend, int review) {
  if (recommend <= review && !e.HasAtOrBelow("thresholds"))
    e.Add("thresholds", "recommend must be greater than review");
}

}  // namespace

std::string_view ToString(JobStatus status) {
  for (const auto& [v, s] : kJobStatuses)
    if (v == status) return s;
  return "draft";
}

std::optional<JobStatus> ParseJobStatus(std::string_view text) {
  for (const auto& [v, s] : kJobStatuses)
    if (s == text) return v;
  return std::nullopt;
}

std::string_view ToString(EmploymentType type) {
  for (const auto& [v, s] : kEmploymentTypes)
    if (v == type) return s;
  return "full_time";
}

std::optional<EmploymentType> ParseEmploymentType(std::string_view text) {
  for (const auto& [v, s] : kEmploymentTypes)
    if (s == text) return v;
  return std::nullopt;
}

void JobPatch::Apply(Job& j) const {
  if (title) j.title = *title;
  if (department_id) j.department_id = *department_id;
  if (description) j.description = *description;
  if (requirements) j.requirements = *requirements;
  if (location) j.location = *location;
  if (employment_type) j.employment_type = *employment_type;
  if (status) j.status = *status;
  if (thresholds) {
    if (thresholds->recommend) j.thresholds.recommend = *thresholds->recommend;
    if (thresholds->review) j.thresholds.review = *thresholds->review;
  }
}

Status ValidateJob(const Job& j) {
  FieldErrors e;
  CheckTitle(e, j.title);
  CheckId(e, "department_id", j.department_id);
  CheckDescription(e, j.description);
  CheckRequirements(e, j.requirements);
  CheckLocation(e, j.location);
  CheckThresholdValue(e, "recommend", j.thresholds.recommend);
  CheckThresholdValue(e, "review", j.thresholds.review);
  CheckThresholdOrder(e, j.thresholds.recommend, j.thresholds.review);
  return e.ToStatus("invalid job");
}

Status ValidateJobPatch(const JobPatch& p) {
  FieldErrors e;
  if (p.title) CheckTitle(e, *p.title);
  if (p.department_id) CheckId(e, "department_id", *p.department_id);
  if (p.description) CheckDescription(e, *p.description);
  if (p.requirements) CheckRequirements(e, *p.requirements);
  if (p.location) CheckLocation(e, *p.location);
  if (p.thresholds) {
    if (p.thresholds->recommend) CheckThresholdValue(e, "recommend", *p.thresholds->recommend);
    if (p.thresholds->review) CheckThresholdValue(e, "review", *p.thresholds->review);
    if (p.thresholds->recommend && p.thresholds->review)
      CheckThresholdOrder(e, *p.thresholds->recommend, *p.thresholds->review);
  }
  return e.ToStatus("invalid job");
}

}  // namespace zm::domain
