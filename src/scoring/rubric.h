// Rubric scorer: deterministic, explainable scoring of one interview answer against the
// question's rubric and the job's competency model, for questions without training data.
// Also the immediate feedback / follow-up probe after an answer and the advice of the
// candidate report. Chinese and English (and mixed) answers.
//
// Offsets: evidence spans are code point ("character") offsets into the ORIGINAL text of the
// answer part they name (part 0: the answer, part 1: the follow-up answer), half-open.
//
// How scores are made (components, weights, content gate, curve) is documented at the top of
// rubric.cc and in docs/scoring.md ("Rubric scorer").
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/competency_model.h"
#include "domain/question.h"

namespace zm::text {
class Analyzer;
}

namespace zm::scoring {

inline constexpr std::string_view kRubricScorerName = "rubric";
// Bump when a change can move any score: stored scores record it, rescoring adds a version.
inline constexpr std::string_view kRubricScorerVersion = "1.0.0";

struct Evidence {
  // "indicator", "key_point", "star_situation", "star_task", "star_action", "star_result",
  // "number", "time_frame", "named_entity", "first_person_singular", "first_person_plural",
  // "copy", "hedge" (no_example: hypothetical or hedging phrases such as 我觉得, I would),
  // "length" (too_short: the whole part).
  std::string kind;
  // indicator / key_point: the item key ("kp<i>"); star_*: the part ("situation" ...);
  // number: "number" | "percent" | "money"; time_frame: "duration" | "year" | "time";
  // named_entity: "acronym" | "name" | "title"; first_person_singular: the normalized pronoun;
  // copy: "question" | "answer"; hedge: "hypothetical" | "hedge"; length: "<chars>/<min>".
  std::string label;
  int part = 0;      // 0: answer, 1: follow-up answer
  size_t begin = 0;  // code point offsets into that part's original text, [begin, end)
  size_t end = 0;
  std::string text;  // the original text of the span
};

struct IndicatorResult {
  std::string key;      // indicator key, or "kp<i>" for the question's i-th key point
  std::string name;     // key points: the key point's text
  std::string name_en;  // the model's English name, else `name`
  bool from_key_point = false;
  // Found by the name, a synonym or the English name on normalized text (traditional, width
  // and case folded; English inflections), or by all content words of a 2..4-word variant
  // occurring in one sentence ("挖掘了客户的真实需求" for 客户需求挖掘).
  bool found = false;
  std::vector<Evidence> evidence;  // up to 3 per part, by position; empty when !found
};

// The components every dimension score is built from, each 0..1.
struct ScoreComponents {
  double indicators = 0;   // share of the dimension's indicators and key points found (0: none set)
  double star = 0;         // STAR structure completeness (behavioural/situational weigh more)
  double specificity = 0;  // numbers, outcomes, time frames, named things
  double relevance = 0;    // to the question and its reference answers (cosine, BM25, coverage)
  double length = 0;       // length and answer time against what the question expects
};

struct DimensionResult {
  std::string dimension_key;
  double score = 0;          // 0..100
  int level = 1;             // 1..5 (ScoreToLevel), tied to the model's level anchors
  std::string level_anchor;  // the model's anchor text of that level
  ScoreComponents components;
  std::vector<IndicatorResult> indicators;  // found and missing
  std::string explanation_zh;  // "得分依据: ..." names indicators found/missing and the components
  std::string explanation_en;  // "Basis: ..."
};

struct StarResult {
  bool situation = false, task = false, action = false, result = false;
  std::vector<Evidence> evidence;  // every marker found (up to 20 per part and kind), by position
};

struct RiskFlag {
  // "teamwork_only_i": a teamwork question/dimension (key, name or question text with team,
  //   团队, 协作, 合作, 配合, collaborat...) answered with "I" at least twice and never with
  //   we/us/our, a team word (团队, 同事, team, colleague) or a together word (一起, 配合,
  //   together). Evidence: the first-person singular mentions.
  // "no_example": a behavioural answer without a concrete example: no STAR situation marker
  //   and no specifics (number, time frame, name). Evidence: hypothetical/hedging phrases.
  // "too_short": far shorter than the question's expected minimum (< 40% of it); also every
  //   empty answer.
  // "near_copy_question": the answer (or follow-up) repeats the question: 5-gram shingle
  //   Jaccard >= 0.8 with the question text (NearDuplicate), or >= 60% of its shingles are the
  //   question's. Cuts the score to 30%.
  // "near_copy_answer": NearDuplicate of another candidate's answer to the same question
  //   (compared on the raw texts); the most similar one is named. Does not change the score.
  std::string code;
  std::string message_zh;
  std::string message_en;
  std::vector<Evidence> evidence;
  // near_copy_answer: the index into AnswerInput::other_answers that it copies.
  std::optional<size_t> other_index;
};

struct AnswerResult {
  std::vector<DimensionResult> dimensions;  // one per dimension the question covers, model order
  StarResult star;
  std::vector<Evidence> specifics;  // numbers, time frames, named things
  std::vector<RiskFlag> flags;
  std::string language;  // "zh" | "en" | "mixed"
  // Code points of the normalized answer + follow-up (whitespace runs count once, leading and
  // trailing whitespace not at all); what expected_length is compared with.
  size_t length_chars = 0;
  bool empty = false;  // true: every dimension scores 0, explanations say why
  std::string scorer{kRubricScorerName};
  std::string scorer_version{kRubricScorerVersion};
};

struct AnswerInput {
  std::string_view answer;     // the last attempt (original text; any UTF-8, emoji allowed)
  std::string_view follow_up;  // the follow-up answer, "" when none; scored together
  std::optional<double> answer_seconds;  // time the candidate took, when known
  // Other candidates' answers to the same question, for the near-copy flag (may be empty).
  std::span<const std::string> other_answers;
};

// Feedback shown right after an answer when the plan enables it.
struct Feedback {
  std::string note_zh;  // short, encouraging, names one strength or one gap
  std::string note_en;
  // At most one probe built from what is missing, e.g. "你提到了'客户需求挖掘'，但未具体说明
  // 如何落地，可以补充一个具体案例吗?"; nullopt when nothing substantial is missing.
  std::optional<std::string> follow_up_zh;
  std::optional<std::string> follow_up_en;
  // The gap the note names and the probe asks about, set even when no probe is allowed:
  // "too_short" (also an empty answer), "off_topic" (no indicator, low relevance),
  // "missing_result" (an indicator mentioned with no result or number after it, or no result
  // at all), "no_example", "missing_indicator" (the most important one: highest dimension
  // weight, key points first), or "" when nothing substantial is missing. Missing indicators
  // and results only count while some dimension scores below 80.
  std::string reason;
};

// Advice for one dimension in the candidate report.
struct DimensionAdvice {
  std::string dimension_key;
  bool strength = false;               // score >= 70
  std::string summary_zh, summary_en;  // what went well or what to improve
  std::string advice_zh, advice_en;    // concrete advice (empty for strengths)
};

// A question prepared for scoring: normalized phrases, matcher and similarity model built once.
// Immutable; thread-safe to share. Holds copies of what it needs (question and model may go).
class PreparedQuestion;

// Thread safety: immutable after Create; every method const and callable from many threads.
class RubricScorer {
 public:
  // `analyzer` must outlive the scorer.
  static Result<std::unique_ptr<RubricScorer>> Create(const text::Analyzer& analyzer);
  ~RubricScorer();

  // Builds the per-question state. The dimensions scored are the question's dimension_keys that
  // exist in the model (all model dimensions when the question names none). Errors:
  // kInvalidArgument when no dimension remains.
  Result<std::shared_ptr<const PreparedQuestion>> Prepare(
      const domain::Question& question, const domain::CompetencyModel& model) const;

  // Scores one answer. Never fails: empty or whitespace-only answers give score 0 with an
  // explanation; deterministic (same input, same output). About 200 us for a 300-character
  // answer against 5 dimensions (bench/rubric_bench.cc).
  AnswerResult Score(const PreparedQuestion& question, const AnswerInput& input) const;

  // Feedback and at most one follow-up probe from a scored answer (follow-up only when
  // `allow_follow_up`).
  Feedback MakeFeedback(const PreparedQuestion& question, const AnswerResult& result,
                        bool allow_follow_up) const;

 private:
  struct Impl;
  explicit RubricScorer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Report advice per dimension from the interview's dimension scores and the indicators missing
// across its answers (indicator names, zh and en; duplicates listed once; when none are given,
// the dimension's own indicators are suggested). Strength: score >= 70 (summary names the level
// anchor, no advice). Deterministic.
DimensionAdvice AdviseDimension(const domain::Dimension& dimension, double score,
                                std::span<const IndicatorResult> missing);

}  // namespace zm::scoring
