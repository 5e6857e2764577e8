#include "domain/application.h"

#include "domain/validation.h"

namespace zm::domain {
namespace {

struct StageInfo {
  Stage stage;
  std::string_view name;
  std::string_view label_zh;
};

constexpr std::array<StageInfo, kStageCount> kStages = {{
    {Stage::kNew, "new", "新申请"},
    {Stage::kScreening, "screening", "简历筛选"},
    {Stage::kInterviewInvited, "interview_invited", "AI面试邀请"},
    {Stage::kInterviewing, "interviewing", "AI面试中"},
    {Stage::kInterviewCompleted, "interview_completed", "AI面试完成"},
    {Stage::kHrReview, "hr_review", "HR复核"},
    {Stage::kSecondRound, "second_round", "复试"},
    {Stage::kOffer, "offer", "Offer"},
    {Stage::kHired, "hired", "已入职"},
    {Stage::kRejected, "rejected", "未通过"},
    {Stage::kTalentPool, "talent_pool", "人才库"},
}};

}  // namespace

std::string_view ToString(Stage stage) {
  for (const StageInfo& s : kStages)
    if (s.stage == stage) return s.name;
  return "new";
}

std::optional<Stage> ParseStage(std::string_view text) {
  for (const StageInfo& s : kStages)
    if (s.name == text) return s.stage;
  return std::nullopt;
}

std::string_view StageLabelZh(Stage stage) {
  for (const StageInfo& s : kStages)
    if (s.stage == stage) return s.label_zh;
  return "新申请";
}

const std::array<Stage, kStageCount>& AllStages() {
  static constexpr std::array<Stage, kStageCount> kAll = [] {
    std::array<Stage, kStageCount> all{};
    for (size_t i = 0; i < kStageCount; ++i) all[i] = kStages[i].stage;
    return all;
  }();
  return kAll;
}

void ApplicationPatch::Apply(Application& a) const {
  if (stage) a.stage = *stage;
}

Status ValidateApplication(const Application& a) {
  FieldErrors e;
  CheckId(e, "candidate_id", a.candidate_id);
  CheckId(e, "job_id", a.job_id);
  CheckText(e, "source", a.source, 0, kApplicationSourceMax);
  return e.ToStatus("invalid application");
}

}  // namespace zm::domain
