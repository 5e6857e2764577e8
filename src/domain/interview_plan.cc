#include "domain/interview_plan.h"

#include <array>
#include <set>
#include <utility>

#include "domain/validation.h"

namespace zm::domain {
namespace {

constexpr std::array<std::pair<AnswerMode, std::string_view>, 3> kModes = {{
    {AnswerMode::kText, "text"},
    {AnswerMode::kAudio, "audio"},
    {AnswerMode::kVideo, "video"},
}};

}  // namespace

std::string_view ToString(AnswerMode mode) {
  for (const auto& [v, s] : kModes)
    if (v == mode) return s;
  return "text";
}

std::optional<AnswerMode> ParseAnswerMode(std::string_view text) {
  for (const auto& [v, s] : kModes)
    if (s == text) return v;
  return std::nullopt;
}

std::vector<std::string> InterviewPlan::QuestionIds() const {
  std::vector<std::string> ids;
  for (const PlanSection& s : sections)
    ids.insert(ids.end(), s.question_ids.begin(), s.question_ids.end());
  return ids;
}

Status ValidateInterviewPlan(const InterviewPlan& p) {
  FieldErrors e;
  std::set<std::string_view> keys;
  std::set<std::string_view> ids;
  size_t sections = CheckCount(e, "sections", p.sections.size(), kSectionsMin, kSectionsMax)
                        ? p.sections.size()
                        : 0;
  for (size_t i = 0; i < sections; ++i) {
    const PlanSection& s = p.sections[i];
    std::string path = Item("sections", i);
    size_t before = e.size();
    CheckKey(e, Member(path, "key"), s.key);
    if (e.size() == before && !keys.insert(s.key).second)
      e.Add(Member(path, "key"), "duplicate key");
    CheckText(e, Member(path, "title"), s.title, 1, kSectionTitleMax);
    std::string qpath = Member(path, "question_ids");
    size_t count =
        CheckCount(e, qpath, s.question_ids.size(), kSectionQuestionsMin, kSectionQuestionsMax)
            ? s.question_ids.size()
            : 0;
    for (size_t k = 0; k < count; ++k) {
      before = e.size();
      CheckId(e, Item(qpath, k), s.question_ids[k]);
      if (e.size() == before && !ids.insert(s.question_ids[k]).second)
        e.Add(Item(qpath, k), "question appears twice in the plan");
    }
  }
  CheckRange(e, "reanswer_limit", p.reanswer_limit, 0, kReanswerLimitMax);
  if (p.answer_modes.empty()) e.Add("answer_modes", "must not be empty");
  std::set<AnswerMode> modes;  // at most 3 distinct values, so the list stays short
  for (size_t i = 0; i < p.answer_modes.size(); ++i)
    if (!modes.insert(p.answer_modes[i]).second) e.Add(Item("answer_modes", i), "duplicate value");
  CheckRange(e, "expires_in_days", p.expires_in_days, kExpiresInDaysMin, kExpiresInDaysMax);
  return e.ToStatus("invalid interview plan");
}

}  // namespace zm::domain
