// Micro benchmark of the text/ library on one core: Normalize + PhraseMatcher::Find of a
// 300-character Chinese answer against 100 indicator phrases (2 synonyms each), then the
// feature extractors, segmentation and sentence splitting. Prints ops/s for each.
// Usage: text_bench [iterations]   (build type Release for meaningful numbers)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/strings.h"
#include "text/analyzer.h"
#include "text/features.h"
#include "text/phrase_matcher.h"

namespace {

using Clock = std::chrono::steady_clock;

const char* const kVerbs[] = {"倾听", "了解", "挖掘", "分析", "推动",
                              "协调", "制定", "优化", "复盘", "跟进"};
const char* const kVerbSynonyms[][2] = {
    {"聆听", "听取"}, {"理解", "掌握"}, {"深挖", "发掘"}, {"研究", "拆解"}, {"推进", "落实"},
    {"统筹", "沟通"}, {"规划", "设计"}, {"改进", "提升"}, {"总结", "回顾"}, {"追踪", "落地"}};
const char* const kNouns[] = {"客户需求", "团队协作", "风险控制", "数据指标", "项目进度",
                              "沟通方案", "问题根因", "用户反馈", "资源分配", "业务目标"};

// About 300 characters: a realistic behavioural answer.
const char* const kAnswer =
    "去年我在上一家公司负责华东区的大客户维护。当时有一个重要客户连续两周投诉交付延期，情绪很大。"
    "我先安排了一次面对面的沟通，认真倾听客户需求，了解到他们真正担心的是上线时间影响年底的促销活动"
    "。"
    "回来以后我和研发、测试一起复盘了问题根因，发现是需求变更没有走评审流程。我们制定了新的变更规范"
    "，"
    "并且每周同步项目进度，把风险控制在前面。嗯，那个，最后我们用了三个月把交付准时率从70%提升到95%"
    "，"
    "客户续签了50万的合同，还介绍了两家新客户。我觉得这件事让我学会了先听清楚再行动，"
    "也体会到团队协作的重要性，以后遇到类似情况我会更早地推动跨部门沟通，主动跟进用户反馈。";

// The same answer in traditional characters (OpenCC s2t): the path where t2s conversion runs.
const char* const kAnswerTraditional =
    "去年我在上一家公司負責華東區的大客戶維護。當時有一個重要客戶連續兩週投訴交付延期，情緒很大"
    "。我先安排了一次面對面的溝通，認真傾聽客戶需求，瞭解到他們真正擔心的是上線時間影響年底的促"
    "銷活動。回來以後我和研發、測試一起復盤了問題根因，發現是需求變更沒有走評審流程。我們制定了"
    "新的變更規範，並且每週同步項目進度，把風險控制在前面。嗯，那個，最後我們用了三個月把交付準"
    "時率從70%提升到95%，客戶續簽了50萬的合同，還介紹了兩家新客戶。我覺得這件事讓我學會"
    "了先聽清楚再行動，也體會到團隊協作的重要性，以後遇到類似情況我會更早地推動跨部門溝通，主動"
    "跟進用戶反饋。";

template <class F>
double OpsPerSecond(int iterations, F&& f) {
  for (int i = 0; i < iterations / 10 + 1; ++i) f();  // warm up
  auto start = Clock::now();
  for (int i = 0; i < iterations; ++i) f();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return iterations / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  int iterations = argc > 1 ? std::atoi(argv[1]) : 20000;
  auto analyzer = zm::text::Analyzer::Create();
  if (!analyzer) {
    std::fprintf(stderr, "analyzer: %s\n", analyzer.error().message.c_str());
    return 1;
  }
  const zm::text::Analyzer& a = **analyzer;

  std::vector<zm::text::PhraseSpec> specs;
  for (size_t v = 0; v < std::size(kVerbs); ++v) {
    for (size_t n = 0; n < std::size(kNouns); ++n) {
      std::string id = "p";  // (not "p" + ...: GCC 12 -Wrestrict false positive)
      id += std::to_string(specs.size());
      specs.push_back({id,
                       std::string(kVerbs[v]) + kNouns[n],
                       {std::string(kVerbSynonyms[v][0]) + kNouns[n],
                        std::string(kVerbSynonyms[v][1]) + kNouns[n]}});
    }
  }
  auto matcher = zm::text::PhraseMatcher::Build(a, specs);
  if (!matcher) {
    std::fprintf(stderr, "matcher: %s\n", matcher.error().message.c_str());
    return 1;
  }
  std::string answer = kAnswer;
  std::printf("answer: %zu characters, %zu bytes; %zu phrases x 3 variants\n",
              zm::Utf8Length(answer), answer.size(), specs.size());
  std::printf("matches: %zu\n", matcher->Find(a.Normalize(answer)).size());

  size_t sink = 0;
  double normalize_find = OpsPerSecond(iterations, [&] {
    zm::text::NormalizedText n = a.Normalize(answer);
    sink += matcher->Find(n).size();
  });
  zm::text::NormalizedText normalized = a.Normalize(answer);
  double normalize_only =
      OpsPerSecond(iterations, [&] { sink += a.Normalize(answer).text.size(); });
  double find_only = OpsPerSecond(iterations, [&] { sink += matcher->Find(normalized).size(); });
  double features = OpsPerSecond(iterations, [&] {
    sink += zm::text::ExtractNumbers(normalized).size();
    sink += zm::text::CountPronouns(normalized).first_plural.size();
    sink += zm::text::FindHedges(normalized).size();
    sink += zm::text::FindFillers(normalized).size();
  });
  double segment = OpsPerSecond(iterations / 4 + 1, [&] {
    sink += a.Segment(normalized.text, zm::text::Language::kZh).size();
  });
  std::string traditional = kAnswerTraditional;
  double normalize_traditional = OpsPerSecond(iterations / 4 + 1, [&] {
    zm::text::NormalizedText n = a.Normalize(traditional);
    sink += matcher->Find(n).size();
  });
  double sentences = OpsPerSecond(iterations, [&] { sink += a.Sentences(answer).size(); });

  std::printf("Normalize + PhraseMatcher::Find: %10.0f ops/s\n", normalize_find);
  std::printf("  Normalize only:                %10.0f ops/s\n", normalize_only);
  std::printf("  PhraseMatcher::Find only:      %10.0f ops/s\n", find_only);
  std::printf("  same, traditional answer:      %10.0f ops/s (matches: %zu)\n",
              normalize_traditional, matcher->Find(a.Normalize(traditional)).size());
  std::printf("numbers+pronouns+hedges+fillers: %10.0f ops/s\n", features);
  std::printf("Segment (ICU word break):        %10.0f ops/s\n", segment);
  std::printf("Sentences:                       %10.0f ops/s\n", sentences);
  return sink == 0 ? 1 : 0;
}
