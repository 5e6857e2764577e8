// Built-in lexicons of the rubric scorer: STAR markers, time frames, collaboration and
// hypothetical phrasing, in Chinese and English. Terms are written normalized (lower case,
// simplified Chinese, single spaces) because they go to PhraseMatcher::FromNormalized; traditional
// and full-width answers reach them through Analyzer::Normalize.
//
// The lists are deliberately short and concrete: each term should, in an interview answer,
// almost always mean what its group says. Generic words that are just as common in vague answers
// ("我觉得", "important") are kept out of the STAR lists.
#include <algorithm>
#include <array>

#include "scoring/rubric_internal.h"

namespace zm::scoring::internal {

namespace {

text::PhraseMatcher Build(std::vector<text::PhraseSpec> specs) {
  // Inflections let "implement" find "implemented"; the past forms are listed anyway where the
  // base form would also match a plan ("we need to increase ...").
  return text::PhraseMatcher::FromNormalized(std::move(specs));
}

}  // namespace

ComponentWeights WeightsFor(domain::QuestionType type) {
  // {indicators, star, specificity, relevance, length}; see rubric.cc for the reasoning.
  switch (type) {
    case domain::QuestionType::kBehavioural:
      return {0.35, 0.20, 0.15, 0.20, 0.10};
    case domain::QuestionType::kSituational:
    case domain::QuestionType::kScenario:
      return {0.35, 0.15, 0.10, 0.25, 0.15};
    case domain::QuestionType::kTechnical:
      return {0.40, 0.05, 0.05, 0.35, 0.15};
  }
  return {0.35, 0.20, 0.15, 0.20, 0.10};
}

namespace {

// Phrase order == Lexicon enum.
std::vector<text::PhraseSpec> LexiconSpecs() {
  return {
      {"situation",
       "当时",
       {"那时",
        "那时候",
        "那一次",
        "有一次",
        "背景",
        "项目中",
        "项目里",
        "项目期间",
        "曾经",
        "之前在",
        "以前在",
        "上一家公司",
        "上家公司",
        "前公司",
        "在职期间",
        "去年",
        "前年",
        "当年",
        "记得",
        "面临",
        "遇到了",
        "遇到过",
        "情况是",
        "when i was",
        "when we were",
        "at the time",
        "at that time",
        "back then",
        "back in",
        "one time",
        "in my previous",
        "in my last",
        "at my previous",
        "at my last",
        "last year",
        "years ago",
        "the situation",
        "background",
        "we were facing",
        "we faced",
        "i faced",
        "i was working",
        "i worked at",
        "i worked as",
        "during my",
        "in a project",
        "on a project",
        "in one project",
        "there was a time",
        "i remember"}},
      {"task",
       "负责",
       {"任务",
        "目标是",
        "目标",
        "职责",
        "需要我",
        "要求我",
        "我的角色",
        "角色是",
        "挑战是",
        "难点是",
        "指标",
        "被安排",
        "牵头",
        "主要工作",
        "交给我",
        "my task",
        "my goal",
        "my role",
        "my job was",
        "my responsibility",
        "i was responsible",
        "responsible for",
        "in charge of",
        "i was asked to",
        "i needed to",
        "we needed to",
        "i had to",
        "the goal was",
        "our goal",
        "the challenge was",
        "objective",
        "target",
        "the task"}},
      {"action",
       "我做了",
       {"我先",        "首先",        "其次",           "然后",          "接着",
        "随后",        "第一步",      "第二步",         "采取",          "推动",
        "组织",        "制定",        "协调",           "安排",          "分析",
        "设计",        "实施",        "带领",           "主导",          "搭建",
        "建立",        "梳理",        "优化",           "调整",          "引入",
        "开展",        "我决定",      "我主动",         "我提出",        "跟进",
        "解决",        "i decided",   "i led",          "i implemented", "i organized",
        "i organised", "i set up",    "i built",        "i created",     "i designed",
        "i analyzed",  "i analysed",  "i proposed",     "i introduced",  "i worked with",
        "i talked",    "i spoke",     "i reached out",  "i started",     "i took",
        "i arranged",  "i scheduled", "i coordinated",  "i called",      "i met",
        "i wrote",     "i asked",     "i made",         "i invited",     "i listened",
        "i set",       "we decided",  "we implemented", "we built",      "first",
        "then",        "next",        "after that",     "afterwards"}},
      {"result",
       "最终",
       {"最后",         "结果",        "成功",      "提升了",      "提高了",     "实现了",
        "降低了",       "减少了",      "缩短了",    "增加了",      "增长了",     "达成",
        "达到了",       "完成了",      "顺利",      "上线了",      "获得",       "节省了",
        "节约了",       "收获",        "效果",      "带来了",      "好评",       "续签",
        "提升到",       "提高到",      "降到",      "as a result", "in the end", "eventually",
        "finally",      "ultimately",  "increased", "reduced",     "improved",   "decreased",
        "achieved",     "resulted in", "saved",     "grew",        "delivered",  "launched",
        "successfully", "succeeded",   "outcome",   "the result",  "led to",     "renewed",
        "raised",       "boosted",     "doubled"}},
      {"time",
       "去年",
       {"前年",
        "今年",
        "当年",
        "那年",
        "上半年",
        "下半年",
        "年初",
        "年底",
        "年中",
        "年末",
        "上个月",
        "这个月",
        "月底",
        "月初",
        "上周",
        "本周",
        "当周",
        "上季度",
        "本季度",
        "季度末",
        "第一季度",
        "第二季度",
        "第三季度",
        "第四季度",
        "当天",
        "第二天",
        "次日",
        "春节",
        "last year",
        "this year",
        "last month",
        "last quarter",
        "last week",
        "the next day",
        "the following week",
        "the following month",
        "q1",
        "q2",
        "q3",
        "q4",
        "end of the year",
        "by the end of",
        "within a week",
        "within a month",
        "black friday"}},
      {"together",
       "一起",
       {"共同", "协作", "配合", "合作", "携手", "大家", "跨部门", "协同", "together", "jointly",
        "collaborated", "collaborate", "cooperated", "cooperate", "everyone", "partnered"}},
      {"hypothetical",
       "我会",
       {"我觉得", "应该", "我认为", "一般来说", "通常", "一般会", "如果", "要是", "i would", "i'd",
        "should", "i think", "i believe", "generally", "in general", "usually", "typically"}},
  };
}

}  // namespace

const text::PhraseMatcher& LexiconMatcher() {
  static const text::PhraseMatcher* matcher = new text::PhraseMatcher(Build(LexiconSpecs()));
  return *matcher;
}

bool MentionsTeamwork(std::string_view normalized_text) {
  static constexpr std::string_view kWords[] = {
      "团队", "协作", "合作", "配合", "协同", "team", "collaborat", "cooperat",
  };
  return std::any_of(std::begin(kWords), std::end(kWords), [&](std::string_view w) {
    return normalized_text.find(w) != std::string_view::npos;
  });
}

bool IsStopWord(std::string_view word) {
  static constexpr std::string_view kWords[] = {
      "the",  "and",  "for",   "with",  "from",  "into", "your", "our",   "their", "this",
      "that", "have", "has",   "are",   "was",   "were", "will", "can",   "how",   "what",
      "when", "who",  "which", "about", "other", "its",  "they", "them",  "than",  "then",
      "such", "some", "all",   "any",   "more",  "most", "very", "also",  "not",   "but",
      "via",  "per",  "each",  "own",   "well",  "good", "able", "based", "using", "use",
  };
  return std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords);
}

}  // namespace zm::scoring::internal
