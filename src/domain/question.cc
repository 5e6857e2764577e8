#include "domain/question.h"

#include <array>
#include <utility>

#include "common/strings.h"
#include "domain/validation.h"

namespace zm::domain {
namespace {

constexpr std::array<std::pair<QuestionType, std::string_view>, 4> kTypes = {{
    {QuestionType::kBehavioural, "behavioural"},
    {QuestionType::kSituational, "situational"},
    {QuestionType::kTechnical, "technical"},
    {QuestionType::kScenario, "scenario"},
}};

void CheckJobId(FieldErrors& e, const std::optional<std::string>& job_id) {
  if (job_id) CheckId(e, "job_id", *job_id);
}

void CheckTextMember(FieldErrors& e, std::string_view lang, std::string_view v) {
  CheckText(e, Member("text", lang), v, 0, kQuestionTextMax);
}

void CheckTextPresence(FieldErrors& e, std::string_view zh, std::string_view en) {
  if (Trim(zh).empty() && Trim(en).empty() && !e.HasAtOrBelow("text"))
    e.Add("text", "at least one of zh and en must be non-empty");
}

void CheckDimensionKeys(FieldErrors& e, const std::vector<std::string>& keys) {
  CheckKeyList(e, "dimension_keys", keys, kQuestionDimensionKeysMax);
}

void CheckScenario(FieldErrors& e, const Scenario& s) {
  CheckText(e, "scenario.title", s.title, 1, kScenarioTitleMax);
  CheckText(e, "scenario.context", s.context, 1, kScenarioContextMax);
}

void CheckKeyPoints(FieldErrors& e, const std::vector<KeyPoint>& points) {
  const std::string field = "rubric.key_points";
  if (!CheckCount(e, field, points.size(), 0, kKeyPointsMax)) return;
  for (size_t i = 0; i < points.size(); ++i) {
    std::string path = Item(field, i);
    CheckText(e, Member(path, "text"), points[i].text, 1, kKeyPointTextMax);
    CheckTextList(e, Member(path, "synonyms"), points[i].synonyms, kKeyPointSynonymsMax, 1,
                  kKeyPointSynonymMax, true);
    if (points[i].dimension_key)
      CheckKey(e, Member(path, "dimension_key"), *points[i].dimension_key);
  }
}

void CheckNotes(FieldErrors& e, std::string_view notes) {
  CheckText(e, "rubric.notes", notes, 0, kRubricNotesMax);
}

void CheckReferenceAnswers(FieldErrors& e, const std::vector<ReferenceAnswer>& answers) {
  if (!CheckCount(e, "reference_answers", answers.size(), 0, kReferenceAnswersMax)) return;
  for (size_t i = 0; i < answers.size(); ++i) {
    std::string path = Item("reference_answers", i);
    CheckText(e, Member(path, "text"), answers[i].text, 1, kReferenceAnswerMax);
    if (answers[i].score) CheckRange(e, Member(path, "score"), *answers[i].score, 0.0, 100.0);
    if (answers[i].language != "zh" && answers[i].language != "en")
      e.Add(Member(path, "language"), "must be one of: zh, en");
  }
}

void CheckThink(FieldErrors& e, int v) { CheckRange(e, "think_seconds", v, 0, kThinkSecondsMax); }
void CheckAnswer(FieldErrors& e, int v) {
  CheckRange(e, "answer_seconds", v, kAnswerSecondsMin, kAnswerSecondsMax);
}
void CheckLengthMember(FieldErrors& e, std::string_view member, int v) {
  CheckRange(e, Member("expected_length", member), v, 0, kExpectedLengthMax);
}
void CheckLengthOrder(FieldErrors& e, int min, int max) {
  if (min > max && !e.HasAtOrBelow("expected_length"))
    e.Add("expected_length", "min must not exceed max");
}
void CheckRatingMax(FieldErrors& e, int v) {
  CheckRange(e, "rating_max", v, kRatingMaxMin, kRatingMaxMax);
}
void CheckTags(FieldErrors& e, const std::vector<std::string>& tags) {
  CheckTextList(e, "tags", tags, kTagsMax, 1, kTagMax, true);
}

}  // namespace

std::string_view ToString(QuestionType type) {
  for (const auto& [v, s] : kTypes)
    if (v == type) return s;
  return "behavioural";
}

std::optional<QuestionType> ParseQuestionType(std::string_view text) {
  for (const auto& [v, s] : kTypes)
    if (s == text) return v;
  return std::nullopt;
}

void QuestionPatch::Apply(Question& q) const {
  if (job_id) q.job_id = *job_id;
  if (type) q.type = *type;
  if (text) {
    if (text->zh) q.text.zh = *text->zh;
    if (text->en) q.text.en = *text->en;
  }
  if (dimension_keys) q.dimension_keys = *dimension_keys;
  if (scenario) q.scenario = *scenario;
  if (rubric) {
    if (rubric->key_points) q.rubric.key_points = *rubric->key_points;
    if (rubric->notes) q.rubric.notes = *rubric->notes;
  }
  if (reference_answers) q.reference_answers = *reference_answers;
  if (think_seconds) q.think_seconds = *think_seconds;
  if (answer_seconds) q.answer_seconds = *answer_seconds;
  if (expected_length) {
    if (expected_length->min) q.expected_length.min = *expected_length->min;
    if (expected_length->max) q.expected_length.max = *expected_length->max;
  }
  if (tags) q.tags = *tags;
  if (rating_max) q.rating_max = *rating_max;
}

Status ValidateQuestion(const Question& q) {
  FieldErrors e;
  CheckJobId(e, q.job_id);
  CheckTextMember(e, "zh", q.text.zh);
  CheckTextMember(e, "en", q.text.en);
  CheckTextPresence(e, q.text.zh, q.text.en);
  CheckDimensionKeys(e, q.dimension_keys);
  if (q.scenario) {
    CheckScenario(e, *q.scenario);
  } else if (q.type == QuestionType::kScenario) {
    e.Add("scenario", "is required for scenario questions");
  }
  CheckKeyPoints(e, q.rubric.key_points);
  CheckNotes(e, q.rubric.notes);
  CheckReferenceAnswers(e, q.reference_answers);
  CheckThink(e, q.think_seconds);
  CheckAnswer(e, q.answer_seconds);
  CheckLengthMember(e, "min", q.expected_length.min);
  CheckLengthMember(e, "max", q.expected_length.max);
  CheckLengthOrder(e, q.expected_length.min, q.expected_length.max);
  CheckTags(e, q.tags);
  CheckRatingMax(e, q.rating_max);
  return e.ToStatus("invalid question");
}

Status ValidateQuestionPatch(const QuestionPatch& p) {
  FieldErrors e;
  if (p.job_id) CheckJobId(e, *p.job_id);
  if (p.text) {
    if (p.text->zh) CheckTextMember(e, "zh", *p.text->zh);
    if (p.text->en) CheckTextMember(e, "en", *p.text->en);
    if (p.text->zh && p.text->en) CheckTextPresence(e, *p.text->zh, *p.text->en);
  }
  if (p.dimension_keys) CheckDimensionKeys(e, *p.dimension_keys);
  if (p.scenario) {
    if (*p.scenario) {
      CheckScenario(e, **p.scenario);
    } else if (p.type == QuestionType::kScenario) {
      e.Add("scenario", "is required for scenario questions");
    }
  }
  if (p.rubric) {
    if (p.rubric->key_points) CheckKeyPoints(e, *p.rubric->key_points);
    if (p.rubric->notes) CheckNotes(e, *p.rubric->notes);
  }
  if (p.reference_answers) CheckReferenceAnswers(e, *p.reference_answers);
  if (p.think_seconds) CheckThink(e, *p.think_seconds);
  if (p.answer_seconds) CheckAnswer(e, *p.answer_seconds);
  if (p.expected_length) {
    if (p.expected_length->min) CheckLengthMember(e, "min", *p.expected_length->min);
    if (p.expected_length->max) CheckLengthMember(e, "max", *p.expected_length->max);
    if (p.expected_length->min && p.expected_length->max)
      CheckLengthOrder(e, *p.expected_length->min, *p.expected_length->max);
  }
  if (p.tags) CheckTags(e, *p.tags);
  if (p.rating_max) CheckRatingMax(e, *p.rating_max);
  return e.ToStatus("invalid question");
}

}  // namespace zm::domain
