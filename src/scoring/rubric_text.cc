// Texts of the rubric scorer: per-dimension explanations ("得分依据: ..." / "Basis: ..."), the
// immediate feedback note and follow-up probe, and the candidate report's advice. Plain,
// deterministic string building: the same result always gives the same words.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scoring/aggregate.h"
#include "scoring/rubric.h"
#include "scoring/rubric_internal.h"
#include "text/analyzer.h"

namespace zm::scoring {

namespace internal {

namespace {

constexpr size_t kMaxNamesListed = 6;
constexpr size_t kMaxNameCharsZh = 24;
constexpr size_t kMaxNameCharsEn = 48;
// Below this relevance, with no indicator found anywhere, the answer is treated as off-topic.
constexpr double kOffTopicRelevance = 0.2;
// A result marker or quantity this close after an indicator (code points), or just before it in
// the same clause ("最终客户很满意"), shows it was carried through to an outcome.
constexpr size_t kLandedWindow = 80;
constexpr size_t kLandedBefore = 12;
// Below this, a missing indicator or result is worth a follow-up question.
constexpr double kFollowUpBelow = 80;

// Cuts long names (key points may be a sentence) on a code point boundary.
std::string Short(std::string_view name, bool english) {
  const size_t max = english ? kMaxNameCharsEn : kMaxNameCharsZh;
  const size_t n = text::ByteToCharOffset(name, name.size());
  if (n <= max) return std::string(name);
  return std::string(name.substr(0, text::CharToByteOffset(name, max - 1))) + "…";
}

std::string JoinNames(const std::vector<std::string>& names, std::string_view sep, bool english) {
  std::string out;
  const size_t shown = std::min(names.size(), kMaxNamesListed);
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) out += sep;
    out += Short(names[i], english);
  }
  if (names.size() > shown) {
    const std::string more = std::to_string(names.size() - shown);
    out += english ? " and " + more + " more" : "等" + more + "项";
  }
  return out;
}

const char* LevelZh(double v) { return v >= 0.67 ? "高" : v >= 0.34 ? "中等" : "低"; }
const char* LevelEn(double v) { return v >= 0.67 ? "high" : v >= 0.34 ? "medium" : "low"; }

std::string EnglishList(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

std::string ZhList(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += "、";
    out += items[i];
  }
  return out;
}

}  // namespace

std::string FormatScore(double score) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::round(score * 10) / 10);
  std::string s = buf;
  if (s.ends_with(".0")) s.resize(s.size() - 2);
  return s;
}

void Explain(const ExplainInput& in, std::string* zh, std::string* en) {
  const DimensionResult& d = *in.result;
  const ScoreComponents& c = d.components;
  std::vector<std::string> found_zh, found_en, missing_zh, missing_en;
  for (const IndicatorResult& ir : d.indicators) {
    (ir.found ? found_zh : missing_zh).push_back(ir.name);
    (ir.found ? found_en : missing_en).push_back(ir.name_en);
  }
  const size_t total = d.indicators.size();
  std::string z = "得分依据: ";
  std::string e = "Basis: ";

  // Indicators.
  if (total == 0) {
    z += "本维度未设置行为指标，主要依据内容相关性评分。";
    e += "this dimension has no behavioural indicators, so it is scored mainly on relevance. ";
  } else if (found_zh.empty()) {
    z += "未命中任何行为指标（未体现：" + JoinNames(missing_zh, "、", false) + "）。";
    e += "none of the " + std::to_string(total) +
         " behavioural indicators found (missing: " + JoinNames(missing_en, "; ", true) + "). ";
  } else {
    z += "命中行为指标" + std::to_string(found_zh.size()) + "/" + std::to_string(total) + "项（" +
         JoinNames(found_zh, "、", false) + "）";
    e += std::to_string(found_zh.size()) + " of " + std::to_string(total) +
         " behavioural indicators found (" + JoinNames(found_en, "; ", true) + ")";
    if (missing_zh.empty()) {
      z += "，指标全部体现。";
      e += ", all present. ";
    } else {
      z += "；未体现：" + JoinNames(missing_zh, "、", false) + "。";
      e += "; missing: " + JoinNames(missing_en, "; ", true) + ". ";
    }
  }

  // STAR.
  const StarResult& s = *in.star;
  const bool parts[4] = {s.situation, s.task, s.action, s.result};
  static const char* const kZh[4] = {"情境", "任务", "行动", "结果"};
  static const char* const kEn[4] = {"situation", "task", "action", "result"};
  std::vector<std::string> has_zh, has_en, lacks_zh, lacks_en;
  for (int i = 0; i < 4; ++i) {
    (parts[i] ? has_zh : lacks_zh).push_back(kZh[i]);
    (parts[i] ? has_en : lacks_en).push_back(kEn[i]);
  }
  if (lacks_zh.empty()) {
    z += "STAR结构完整（情境、任务、行动、结果齐全）。";
    e += "STAR structure complete (situation, task, action and result). ";
  } else if (has_zh.empty()) {
    z += "未体现STAR结构（情境、任务、行动、结果）。";
    e += "No STAR structure (situation, task, action, result). ";
  } else {
    z += "STAR结构：有" + ZhList(has_zh) + "，缺少" + ZhList(lacks_zh) + "。";
    e += "STAR structure: has " + EnglishList(has_en) + ", lacks " + EnglishList(lacks_en) + ". ";
  }

  // Specificity.
  if (in.specifics == 0) {
    z += "具体性低：没有数字、时间或具体名称。";
    e += "Specificity low: no numbers, time frames or names. ";
  } else {
    z += std::string("具体性") + LevelZh(c.specificity) + "：含" + std::to_string(in.specifics) +
         "处数字、时间或名称等细节。";
    e += std::string("Specificity ") + LevelEn(c.specificity) + ": " +
         std::to_string(in.specifics) + " concrete detail" + (in.specifics == 1 ? "" : "s") +
         " (numbers, time frames, names). ";
  }

  // Relevance.
  if (in.has_references) {
    z += std::string("与参考答案及题目的相关度") + LevelZh(c.relevance) + "。";
    e += std::string("Relevance to the reference answers and the question ") +
         LevelEn(c.relevance) + ". ";
  } else {
    z += std::string("与题目的相关度") + LevelZh(c.relevance) + "（本题无参考答案）。";
    e += std::string("Relevance to the question ") + LevelEn(c.relevance) +
         " (no reference answers). ";
  }

  // Length.
  if (in.length_ratio < 1) {
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.0f", 100 * in.length_ratio);
    z += std::string("篇幅偏短（约为期望最少字数的") + pct + "%）。";
    e += std::string("Length short (about ") + pct + "% of the expected minimum). ";
  } else if (in.too_long) {
    z += "篇幅超出建议上限。";
    e += "Length over the suggested maximum. ";
  } else {
    z += "篇幅符合要求。";
    e += "Length as expected. ";
  }
  if (in.overtime) {
    z += "答题用时超过限制。";
    e += "Answer time over the limit. ";
  }
  if (in.copied_question) {
    z += "回答主要在重复题目，得分按30%计。";
    e += "The answer mostly repeats the question, so the score is cut to 30%. ";
  }
  z += "综合得分" + FormatScore(d.score) + "分（等级" + std::to_string(d.level) + "）。";
  e += "Score " + FormatScore(d.score) + " (level " + std::to_string(d.level) + ").";
  // Capitalise the first word after "Basis: ".
  if (e.size() > 7 && e[7] >= 'a' && e[7] <= 'z') e[7] = static_cast<char>(e[7] - 'a' + 'A');
  *zh = std::move(z);
  *en = std::move(e);
}

void ExplainEmpty(const PreparedDimension& dimension, std::string* zh, std::string* en) {
  (void)dimension;
  *zh = "得分依据: 未作答——回答为空（或只有空白），无法评估任何行为指标，本维度得0分（等级1）。";
  *en =
      "Basis: no answer was given (the answer is empty or whitespace only), so no indicator "
      "could be assessed; score 0 (level 1).";
}

}  // namespace internal

// ---------------------------------------------------------------------------------------------
// Feedback and follow-up

namespace {

struct Candidate {
  const IndicatorResult* indicator = nullptr;
  double weight = 0;
  size_t dimension_order = 0;
  size_t item_order = 0;
};

bool FlagSet(const AnswerResult& r, std::string_view code) {
  return std::any_of(r.flags.begin(), r.flags.end(),
                     [&](const RiskFlag& f) { return f.code == code; });
}

bool IsQuantity(const Evidence& e) {
  return e.label == "number" || e.label == "percent" || e.label == "money" || e.label == "duration";
}

// True when a result marker or a quantity follows the evidence closely in the same part, or the
// follow-up answer (part 1) brings a result or quantity of its own.
bool Landed(const AnswerResult& r, const Evidence& ev) {
  auto follows = [&](const Evidence& x) {
    if (x.part != ev.part) return x.part > ev.part;
    return x.begin + internal::kLandedBefore >= ev.begin &&
           x.begin <= ev.end + internal::kLandedWindow;
  };
  for (const Evidence& x : r.star.evidence) {
    if (x.kind == "star_result" && follows(x)) return true;
  }
  for (const Evidence& x : r.specifics) {
    if (IsQuantity(x) && follows(x)) return true;
  }
  return false;
}

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

Feedback RubricScorer::MakeFeedback(const PreparedQuestion& question, const AnswerResult& result,
                                    bool allow_follow_up) const {
  Feedback fb;
  // Found and missing items across dimensions, each once, with the weight of the most
  // important dimension that holds it.
  std::vector<Candidate> found, missing;
  // Key points are shared by dimensions (one "kp<i>"); indicator keys are unique per dimension.
  std::set<std::string> seen;
  double min_score = 100;
  for (size_t di = 0; di < result.dimensions.size(); ++di) {
    const DimensionResult& d = result.dimensions[di];
    min_score = std::min(min_score, d.score);
    double weight = 0;
    for (const auto& pd : question.dimensions) {
      if (pd.key == d.dimension_key) weight = pd.weight;
    }
    for (size_t ii = 0; ii < d.indicators.size(); ++ii) {
      const IndicatorResult& ir = d.indicators[ii];
      const std::string id = ir.from_key_point ? ir.key : d.dimension_key + "/" + ir.key;
      if (!seen.insert(id).second) continue;
      (ir.found ? found : missing).push_back({&ir, weight, di, ii});
    }
  }
  // Most important missing: highest dimension weight, then the question's key points (what the
  // author said an answer needs), then model order.
  std::stable_sort(missing.begin(), missing.end(), [](const Candidate& a, const Candidate& b) {
    if (a.weight != b.weight) return a.weight > b.weight;
    if (a.indicator->from_key_point != b.indicator->from_key_point) {
      return a.indicator->from_key_point;
    }
    if (a.dimension_order != b.dimension_order) return a.dimension_order < b.dimension_order;
    return a.item_order < b.item_order;
  });
  // Found items in the order the candidate said them.
  std::stable_sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    const Evidence& x = a.indicator->evidence.front();
    const Evidence& y = b.indicator->evidence.front();
    return std::pair(x.part, x.begin) < std::pair(y.part, y.begin);
  });

  const IndicatorResult* unlanded = nullptr;
  for (const Candidate& c : found) {
    if (!Landed(result, c.indicator->evidence.front())) {
      unlanded = c.indicator;
      break;
    }
  }
  const bool has_quantity = std::any_of(result.specifics.begin(), result.specifics.end(),
                                        [](const Evidence& e) { return IsQuantity(e); });
  const bool weak = min_score < internal::kFollowUpBelow;
  const bool off_topic =
      !result.empty && found.empty() &&
      std::all_of(result.dimensions.begin(), result.dimensions.end(), [](const DimensionResult& d) {
        return d.components.relevance < internal::kOffTopicRelevance;
      });

  std::string fz, fe;  // follow-up texts
  if (result.empty || FlagSet(result, "too_short")) {
    fb.reason = "too_short";
    fz = "可以结合一个具体的经历，详细说说当时的情况、你做了什么以及最终的结果吗?";
    fe = "Could you walk me through a specific experience: the situation, what you did, and "
         "the result?";
  } else if (off_topic) {
    fb.reason = "off_topic";
    const std::string qz = internal::Short(question.question_zh, false);
    const std::string qe = internal::Short(question.question_en, true);
    fz = qz.empty() ? "你的回答与题目关系不大，可以围绕题目讲一个你亲身经历的具体例子吗?"
                    : "你的回答与题目关系不大，可以围绕“" + qz + "”讲一个你亲身经历的具体例子吗?";
    fe = qe.empty() ? "Your answer seems unrelated to the question. Could you give a concrete "
                      "example from your own experience that addresses it?"
                    : "Your answer seems unrelated to the question. Could you give a concrete "
                      "example from your own experience that addresses \"" +
                          qe + "\"?";
  } else if (unlanded != nullptr && weak) {
    fb.reason = "missing_result";
    fz = "你提到了" + Quote(unlanded->name) + "，但未具体说明如何落地，可以补充一个具体案例吗?";
    fe = "You mentioned " + Quote(unlanded->name_en) +
         ", but not how you put it into practice. Could you add a concrete example?";
  } else if (FlagSet(result, "no_example")) {
    fb.reason = "no_example";
    fz = "可以举一个你亲身经历的具体例子吗? 比如当时的情况、你采取的行动和最终的结果。";
    fe = "Could you give a concrete example from your own experience: the situation, the "
         "actions you took and the result?";
  } else if (!missing.empty() && weak) {
    fb.reason = "missing_indicator";
    const IndicatorResult& m = *missing.front().indicator;
    fz = "你的回答还没有谈到" + Quote(m.name) + "，能结合具体经历说说你是怎么做的吗?";
    fe = "Your answer did not cover " + Quote(m.name_en) +
         ". Could you tell me how you handled that, with a concrete example?";
  } else if (!result.star.result && !has_quantity && weak) {
    fb.reason = "missing_result";
    fz = "这件事最终的结果如何? 可以用具体的数字或变化来说明吗?";
    fe = "What was the outcome? Could you describe it with concrete numbers or changes?";
  }

  // The note: one strength (when there is one) and the gap the reason names.
  std::vector<std::string> names_zh, names_en;
  for (size_t i = 0; i < found.size() && i < 2; ++i) {
    names_zh.push_back(Quote(found[i].indicator->name));
    names_en.push_back(Quote(found[i].indicator->name_en));
  }
  const StarResult& s = result.star;
  if (result.empty) {
    fb.note_zh = "还没有收到你的回答，请用自己的话作答，讲一个具体的经历会更好。";
    fb.note_en =
        "We did not receive an answer yet. Please answer in your own words; a specific "
        "experience works best.";
  } else {
    if (!names_zh.empty()) {
      fb.note_zh = "感谢你的回答，你谈到了" + internal::ZhList(names_zh) + "，这很好。";
      fb.note_en = "Thank you. You covered " + internal::EnglishList(names_en) + ", which is good.";
    } else if (s.situation && s.action && s.result && !off_topic) {
      fb.note_zh = "感谢你的回答，讲述有情境、有行动、有结果，结构清晰。";
      fb.note_en = "Thank you. Your answer has a clear situation, actions and a result.";
    } else {
      fb.note_zh = "感谢你的回答。";
      fb.note_en = "Thank you for your answer.";
    }
    if (fb.reason == "off_topic") {
      fb.note_zh += "不过回答似乎与题目关系不大，请围绕题目作答。";
      fb.note_en += " Your answer seems unrelated to the question, though; please address it.";
    } else if (fb.reason == "too_short") {
      fb.note_zh += "回答比较简短，可以再展开讲讲具体经过。";
      fb.note_en += " The answer is quite short; you could say more about what happened.";
    } else if (fb.reason == "missing_result" && unlanded != nullptr && weak) {
      fb.note_zh +=
          "如果能说明" + Quote(unlanded->name) + "是如何落地的、带来了什么结果，会更有说服力。";
      fb.note_en += " Saying how " + Quote(unlanded->name_en) +
                    " was put into practice and what it led to would make it more convincing.";
    } else if (fb.reason == "no_example") {
      fb.note_zh += "建议结合一个具体的亲身经历来说明。";
      fb.note_en += " A concrete example from your own experience would help.";
    } else if (fb.reason == "missing_indicator") {
      fb.note_zh += "还可以谈谈" + Quote(missing.front().indicator->name) + "方面的做法。";
      fb.note_en += " You could also talk about " + Quote(missing.front().indicator->name_en) + ".";
    } else if (fb.reason == "missing_result") {
      fb.note_zh += "如果能补充最终的结果或数据，会更有说服力。";
      fb.note_en += " Adding the outcome or figures would make it more convincing.";
    } else {
      fb.note_zh += "整体回答比较充分，继续保持。";
      fb.note_en += " Overall a thorough answer; keep it up.";
    }
  }
  if (allow_follow_up && !fb.reason.empty()) {
    fb.follow_up_zh = std::move(fz);
    fb.follow_up_en = std::move(fe);
  }
  return fb;
}

// ---------------------------------------------------------------------------------------------
// Report advice

DimensionAdvice AdviseDimension(const domain::Dimension& dimension, double score,
                                std::span<const IndicatorResult> missing) {
  DimensionAdvice a;
  a.dimension_key = dimension.key;
  if (std::isnan(score)) score = 0;
  score = std::clamp(score, 0.0, 100.0);
  a.strength = score >= 70;
  const std::string name_en = dimension.name_en.empty() ? dimension.name : dimension.name_en;
  const std::string s = internal::FormatScore(score);
  const int level = ScoreToLevel(score);
  const std::string anchor = static_cast<size_t>(level) <= dimension.level_anchors.size()
                                 ? dimension.level_anchors[static_cast<size_t>(level) - 1]
                                 : std::string();
  if (a.strength) {
    a.summary_zh = "“" + dimension.name + "”是你的优势（" + s + "分）";
    a.summary_en = name_en + " is a strength (" + s + ")";
    if (!anchor.empty()) {
      a.summary_zh += "：" + anchor;
      a.summary_en += ": " + anchor;
    }
    a.summary_zh += "。";
    a.summary_en += ".";
    return a;
  }
  a.summary_zh = "“" + dimension.name + "”还有提升空间（" + s + "分）";
  a.summary_en = name_en + " has room to improve (" + s + ")";
  if (!anchor.empty()) {
    a.summary_zh += "，目前表现为：" + anchor;
    a.summary_en += "; currently: " + anchor;
  }
  a.summary_zh += "。";
  a.summary_en += ".";

  // The indicators to show: those missing (each once), else the dimension's own.
  std::vector<std::string> zh, en;
  std::set<std::string> seen;
  for (const IndicatorResult& ir : missing) {
    if (!seen.insert(ir.name).second) continue;
    zh.push_back(ir.name);
    en.push_back(ir.name_en.empty() ? ir.name : ir.name_en);
  }
  if (zh.empty()) {
    for (const domain::Indicator& ind : dimension.indicators) {
      zh.push_back(ind.name);
      en.push_back(ind.name_en.empty() ? ind.name : ind.name_en);
    }
  }
  if (!zh.empty()) {
    a.advice_zh = "建议在回答中具体体现：" + internal::JoinNames(zh, "、", false) + "。";
    a.advice_en = "Show concretely in your answers: " + internal::JoinNames(en, "; ", true) + ". ";
  }
  a.advice_zh +=
      "可以用“情境—任务—行动—结果”（STAR）的结构讲一个真实经历，说明你具体做了什么，并给出可量化"
      "的结果（如数字、百分比、时间）。";
  a.advice_en +=
      "Tell a real experience in the STAR structure (situation, task, action, result): say what "
      "you did yourself and give a measurable result (numbers, percentages, time).";
  return a;
}

}  // namespace zm::scoring
