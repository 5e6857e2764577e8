// Interview plan of one job: sections of questions and the candidate-facing settings.
// Value type, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace zm::domain {

enum class AnswerMode { kText, kAudio, kVideo };
// "text" | "audio" | "video".
std::string_view ToString(AnswerMode mode);
std::optional<AnswerMode> ParseAnswerMode(std::string_view text);

inline constexpr size_t kSectionsMin = 1;
inline constexpr size_t kSectionsMax = 10;
inline constexpr size_t kSectionTitleMax = 100;
inline constexpr size_t kSectionQuestionsMin = 1;
inline constexpr size_t kSectionQuestionsMax = 30;
inline constexpr int kReanswerLimitMax = 5;
inline constexpr int kExpiresInDaysMin = 1;
inline constexpr int kExpiresInDaysMax = 90;

struct PlanSection {
  std::string key;                        // [a-z][a-z0-9_]{0,39}, unique within the plan
  std::string title;                      // 1..100 chars
  std::vector<std::string> question_ids;  // 1..30 ids; no id twice in the whole plan
};

struct InterviewPlan {
  std::string job_id;
  std::vector<PlanSection> sections;  // 1..10
  int reanswer_limit = 1;             // 0..5
  bool feedback_enabled = true;
  bool follow_ups_enabled = true;
  std::vector<AnswerMode> answer_modes = {AnswerMode::kText};  // non-empty, unique
  int expires_in_days = 7;                                     // 1..90
  int64_t updated_at = 0;                                      // Unix ms

  // Every question id of the plan in section order.
  std::vector<std::string> QuestionIds() const;
};

// Checks everything but job_id and updated_at. That the question ids exist is the caller's
// check (storage). A repeated question id is reported at its second position, e.g.
// "sections[1].question_ids[0]".
Status ValidateInterviewPlan(const InterviewPlan& p);

}  // namespace zm::domain
