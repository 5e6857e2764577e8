// Application: one candidate applying to one job, moving through the pipeline stages.
// Value type, no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace zm::domain {

// Pipeline stages, in pipeline order.
enum class Stage {
  kNew,                 // new 新申请
  kScreening,           // screening 简历筛选
  kInterviewInvited,    // interview_invited AI面试邀请
  kInterviewing,        // interviewing AI面试中
  kInterviewCompleted,  // interview_completed AI面试完成
  kHrReview,            // hr_review HR复核
  kSecondRound,         // second_round 复试
  kOffer,               // offer Offer
  kHired,               // hired 已入职
  kRejected,            // rejected 未通过
  kTalentPool,          // talent_pool 人才库
};
inline constexpr size_t kStageCount = 11;

// The API name ("interview_invited").
std::string_view ToString(Stage stage);
std::optional<Stage> ParseStage(std::string_view text);
// The UI label in Simplified Chinese ("AI面试邀请").
std::string_view StageLabelZh(Stage stage);
// Every stage in pipeline order.
const std::array<Stage, kStageCount>& AllStages();

inline constexpr size_t kApplicationSourceMax = 100;

struct Application {
  std::string id;
  std::string candidate_id;
  std::string job_id;
  std::string department_id;  // copied from the job by the service
  Stage stage = Stage::kNew;
  std::string source;          // <= 100 chars
  std::string candidate_name;  // denormalized for lists; masked per role by the caller
  std::string job_title;       // denormalized for lists
  int64_t created_at = 0;      // Unix ms
  int64_t updated_at = 0;
};

// PATCH body: only the stage changes.
struct ApplicationPatch {
  std::optional<Stage> stage;

  void Apply(Application& a) const;
};

// Checks the client-settable fields: candidate_id, job_id, source (the service fills
// department_id, candidate_name and job_title).
Status ValidateApplication(const Application& a);

}  // namespace zm::domain
