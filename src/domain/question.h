// Interview question with its rubric and reference answers. Value type, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace zm::domain {

enum class QuestionType { kBehavioural, kSituational, kTechnical, kScenario };
// "behavioural" | "situational" | "technical" | "scenario".
std::string_view ToString(QuestionType type);
std::optional<QuestionType> ParseQuestionType(std::string_view text);

inline constexpr size_t kQuestionTextMax = 4000;
inline constexpr size_t kQuestionDimensionKeysMax = 12;
inline constexpr size_t kScenarioTitleMax = 200;
inline constexpr size_t kScenarioContextMax = 20000;
inline constexpr size_t kKeyPointsMax = 30;
inline constexpr size_t kKeyPointTextMax = 1000;
inline constexpr size_t kKeyPointSynonymsMax = 30;
inline constexpr size_t kKeyPointSynonymMax = 100;
inline constexpr size_t kRubricNotesMax = 4000;
inline constexpr size_t kReferenceAnswersMax = 10;
inline constexpr size_t kReferenceAnswerMax = 20000;
inline constexpr size_t kTagsMax = 20;
inline constexpr size_t kTagMax = 50;
inline constexpr int kThinkSecondsMax = 600;
inline constexpr int kAnswerSecondsMin = 10;
inline constexpr int kAnswerSecondsMax = 1800;
inline constexpr int kExpectedLengthMax = 20000;
// HR ratings of answers to a question are integers 0..rating_max (supervised scoring).
inline constexpr int kRatingMaxMin = 1;
inline constexpr int kRatingMaxMax = 10;
inline constexpr int kRatingMaxDefault = 4;

// The question in Chinese and/or English: at least one non-empty, each <= 4000 chars.
struct QuestionText {
  std::string zh;
  std::string en;
};

// Required for type scenario: title 1..200 chars, context 1..20000 chars.
struct Scenario {
  std::string title;
  std::string context;
};

struct KeyPoint {
  std::string text;                          // 1..1000 chars
  std::vector<std::string> synonyms;         // <= 30 unique items of 1..100 chars
  std::optional<std::string> dimension_key;  // a competency dimension key, or none
};

struct Rubric {
  std::vector<KeyPoint> key_points;  // <= 30
  std::string notes;                 // <= 4000 chars
};

struct ReferenceAnswer {
  std::string text;             // 1..20000 chars
  std::optional<double> score;  // 0..100
  std::string language = "zh";  // "zh" | "en"
};

// Expected answer length in characters: 0 <= min <= max <= 20000.
struct ExpectedLength {
  int min = 50;
  int max = 800;
};

struct Question {
  std::string id;
  std::optional<std::string> job_id;  // none: a bank question usable for any job
  QuestionType type = QuestionType::kBehavioural;
  QuestionText text;
  std::vector<std::string> dimension_keys;  // <= 12 unique keys
  std::optional<Scenario> scenario;
  Rubric rubric;
  std::vector<ReferenceAnswer> reference_answers;  // <= 10
  int think_seconds = 30;                          // 0..600
  int answer_seconds = 180;                        // 10..1800
  ExpectedLength expected_length;
  std::vector<std::string> tags;  // <= 20 unique items of 1..50 chars
  // The rating scale of HR-rated answers (0..rating_max, 1..10) that supervised models of this
  // question are trained on; a trained model maps its expected rating to 0..100.
  int rating_max = kRatingMaxDefault;
  int64_t created_at = 0;  // Unix ms
  int64_t updated_at = 0;
};

struct QuestionTextPatch {
  std::optional<std::string> zh;
  std::optional<std::string> en;
};
struct RubricPatch {
  std::optional<std::vector<KeyPoint>> key_points;
  std::optional<std::string> notes;
};
struct ExpectedLengthPatch {
  std::optional<int> min;
  std::optional<int> max;
};

// PATCH body: present fields replace the stored ones; text, rubric and expected_length merge
// member-wise; arrays are replaced whole. job_id and scenario distinguish "absent"
// (outer nullopt) from "set to null" (inner nullopt).
struct QuestionPatch {
  std::optional<std::optional<std::string>> job_id;
  std::optional<QuestionType> type;
  std::optional<QuestionTextPatch> text;
  std::optional<std::vector<std::string>> dimension_keys;
  std::optional<std::optional<Scenario>> scenario;
  std::optional<RubricPatch> rubric;
  std::optional<std::vector<ReferenceAnswer>> reference_answers;
  std::optional<int> think_seconds;
  std::optional<int> answer_seconds;
  std::optional<ExpectedLengthPatch> expected_length;
  std::optional<std::vector<std::string>> tags;
  std::optional<int> rating_max;

  void Apply(Question& q) const;
};

// Checks the client-settable fields. Cross-field rules: "text" (at least one of zh/en),
// "scenario" (required for type scenario), "expected_length" (min <= max).
Status ValidateQuestion(const Question& q);
// Per-field rules of the present fields; cross-field rules only when the patch holds all
// their inputs (run ValidateQuestion after Apply for the rest).
Status ValidateQuestionPatch(const QuestionPatch& p);

}  // namespace zm::domain
