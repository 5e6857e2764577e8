// The interview of one application: invitation state, consent, progress, the candidate's
// answers and integrity events, HR overrides, the course catalog and HR tasks. Value types and
// their validation; no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace zm::domain {

enum class InterviewStatus {
  kInvited,     // link sent, not consented yet
  kInProgress,  // consented; answering
  kCompleted,   // finished and scored
  kRevoked,     // HR revoked the link
};
std::string_view ToString(InterviewStatus s);
std::optional<InterviewStatus> ParseInterviewStatus(std::string_view text);

inline constexpr size_t kAnswerMaxChars = 20000;  // code points; longer answers are refused
inline constexpr size_t kConsentVersionMax = 40;
inline constexpr size_t kOverrideReasonMin = 5;
inline constexpr size_t kOverrideReasonMax = 2000;
inline constexpr size_t kReviewReasonMax = 2000;
inline constexpr int kExtendDaysMin = 1;
inline constexpr int kExtendDaysMax = 90;
// A late answer is one submitted after the answer deadline plus this grace (network delay).
inline constexpr int64_t kLateGraceMs = 5000;
// The data-use text version candidates consent to; bump when the text changes.
inline constexpr std::string_view kConsentTextVersion = "2026-11-v1";

// Integrity events reported by the candidate's browser. Shown to HR as counts; they never
// change a score.
enum class IntegrityEventKind { kTabHidden, kPaste, kWindowBlur, kCopy, kFullscreenExit };
std::string_view ToString(IntegrityEventKind k);
std::optional<IntegrityEventKind> ParseIntegrityEventKind(std::string_view text);
const std::vector<IntegrityEventKind>& AllIntegrityEventKinds();

struct Interview {
  std::string id;
  std::string application_id;
  std::string job_id;
  std::string department_id;
  InterviewStatus status = InterviewStatus::kInvited;
  int64_t expires_at = 0;  // Unix ms; the link answers 404 after it
  int question_count = 0;
  int current_position = 0;  // 0-based index of the question being answered
  int64_t invitations_sent = 1;
  std::optional<std::string> consent_version;
  std::optional<int64_t> consented_at;
  bool audio_video_consent = false;
  std::optional<int64_t> finished_at;
  std::optional<int64_t> revoked_at;
  std::optional<int64_t> report_released_at;
  std::optional<double> overall;              // effective (after overrides) overall score
  std::optional<std::string> recommendation;  // "recommend" | "review" | "not_recommended"
  int64_t score_version = 0;                  // 0: not scored
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// Candidate's consent (POST /interview/{token}/consent).
struct ConsentRequest {
  std::string consent_version;        // must equal kConsentTextVersion
  bool accept = false;                // must be true
  bool audio_video_analysis = false;  // separate consent for audio/video analysis
};
Status ValidateConsent(const ConsentRequest& c);

// An answer or a follow-up answer. Text of any UTF-8 (emoji, mixed scripts), <= 20,000 code
// points; empty is allowed (scores 0 with an explanation).
struct AnswerSubmission {
  std::string text;
  std::optional<int64_t> client_elapsed_ms;  // informative only; the server's clock decides
};
Status ValidateAnswerText(std::string_view text);

struct IntegrityEvent {
  IntegrityEventKind kind = IntegrityEventKind::kTabHidden;
  std::optional<int> position;         // question position (0-based) it happened on
  std::optional<int64_t> duration_ms;  // e.g. how long the tab was hidden
};

// HR's override of one dimension score or (dimension_key empty) the overall score.
struct ScoreOverride {
  std::string id;
  std::string dimension_key;  // "" = overall
  double score = 0;           // 0..100
  std::optional<double> original;
  std::string reason;  // 5..2000 chars, mandatory
  std::string actor_id;
  int64_t created_at = 0;
};
Status ValidateScoreOverride(const ScoreOverride& o);

// A course of the catalog, recommended in candidate reports for weak dimensions.
inline constexpr size_t kCourseTitleMax = 200;
inline constexpr size_t kCourseUrlMax = 2000;
inline constexpr size_t kCourseDescriptionMax = 2000;
struct Course {
  std::string id;
  std::string title;     // 1..200 chars
  std::string title_en;  // <= 200 chars
  std::string url;       // http(s) URL, <= 2000 chars
  std::string description;
  std::vector<std::string> dimension_keys;  // 1..12 keys the course trains
  int max_level = 3;  // recommended to candidates at or below this level (1..5)
  int64_t created_at = 0;
  int64_t updated_at = 0;
};
struct CoursePatch {
  std::optional<std::string> title, title_en, url, description;
  std::optional<std::vector<std::string>> dimension_keys;
  std::optional<int> max_level;
  void Apply(Course& c) const;
};
Status ValidateCourse(const Course& c);

// A to-do for HR, e.g. a candidate's request for human review of an automated result (PIPL
// Art. 24).
enum class TaskStatus { kOpen, kDone };
std::string_view ToString(TaskStatus s);
std::optional<TaskStatus> ParseTaskStatus(std::string_view text);
// human_review: review an automated result (a candidate's request, or an automation rule);
// follow_up: a reminder (e.g. a result not viewed for days) or a rule's to-do.
inline constexpr std::array<std::string_view, 2> kTaskKinds = {"human_review", "follow_up"};
bool IsTaskKind(std::string_view kind);
// A task list filter: known status and kind, each optional.
Status ValidateTaskFilter(const std::optional<std::string>& status,
                          const std::optional<std::string>& kind);
struct Task {
  std::string id;
  std::string kind;  // one of kTaskKinds
  TaskStatus status = TaskStatus::kOpen;
  std::string application_id;
  std::string department_id;
  std::string title;
  std::string detail;  // the candidate's reason (personal data: stored encrypted)
  std::string origin;  // "candidate", "automation" or "staff": who opened the task
  std::optional<std::string> resolution;
  std::optional<std::string> resolved_by;
  std::optional<int64_t> resolved_at;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};
inline constexpr size_t kTaskResolutionMax = 2000;

}  // namespace zm::domain
