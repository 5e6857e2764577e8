// Surface features of an answer for the rubric scorer: numbers (specificity), first-person
// singular vs plural (teamwork risk flag), hedges and fillers. Every feature carries its span in
// the original answer so it can be shown as evidence.
//
// All functions take NormalizedText from Analyzer::Normalize, so full-width forms, traditional
// characters and letter case are already handled. Pure functions over immutable built-in
// lexicons: thread-safe, never fail, empty input gives empty results.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "text/analyzer.h"

namespace zm::text {

enum class NumberKind { kNumber, kPercent, kMoney, kDuration };

// "number", "percent", "money", "duration".
const char* NumberKindName(NumberKind kind);

struct NumberMention {
  NumberKind kind = NumberKind::kNumber;
  // kNumber: the value (三十 -> 30, 1,200 -> 1200, 2020年 -> 2020). kPercent: percent points
  // (20% -> 20, 百分之二十 -> 20). kMoney: amount in currency units (50万 -> 500000, ¥3000 ->
  // 3000). kDuration: count of `unit` (3个月 -> 3 month, 两周 -> 2 week, 半年 -> 0.5 year,
  // 一年半 -> 1.5 year; a bare 月 is not a unit, as 3月 is March).
  double value = 0;
  // kDuration: year, quarter, month, week, day, hour, minute, second. kMoney: CNY, USD, EUR,
  // GBP, or empty when the currency is not said. Otherwise empty.
  std::string unit;
  size_t norm_begin = 0;  // byte range in NormalizedText::text
  size_t norm_end = 0;
  Span span;  // in the original answer, covering number, sign and unit ("3个月", "¥3000")
};

// Numbers in Arabic digits (with thousands separators and decimals) or Chinese numerals
// (三十, 一百二十, 两, 三点五, 二〇二三), classified by what surrounds them. Chinese numerals
// inside words (一起, 统一, 万一, 千万不要, 十分, 第一) are not numbers; a bare 一 counts only with
// a duration or money unit (一年, 一万元), so 一个问题 is not a number. A bare 万/亿 amount (50万)
// is money unless a counter follows (50万用户 is a number). Ordered by position.
std::vector<NumberMention> ExtractNumbers(const NormalizedText& text);

// One occurrence of a lexicon term.
struct TermMention {
  std::string_view term;  // the normalized lexicon entry (static storage)
  size_t norm_begin = 0;  // byte range in NormalizedText::text
  size_t norm_end = 0;
  Span span;  // in the original answer
};

struct PronounCounts {
  std::vector<TermMention> first_singular;  // 我, 本人; I, me, my, mine, myself
  std::vector<TermMention> first_plural;  // 我们, 咱们, 我方, 我司; we, us, our, ours, ourselves
  std::vector<TermMention> team;  // 团队, 小组, 同事, 组员; team(s), teammate(s), colleague(s)
};

// First-person and team mentions. Longest match wins, so 我们 counts as plural and never also as
// 我; 自我 and 你我 are not first-person singular.
PronounCounts CountPronouns(const NormalizedText& text);

// Hedges: 可能, 也许, 或许, 大概, 应该吧, 我觉得, 好像, 似乎, 估计, 差不多, 不太确定; maybe,
// perhaps, probably, I think, I guess, kind of, sort of, not sure. 不可能 and 可能性 are not
// hedges.
std::vector<TermMention> FindHedges(const NormalizedText& text);

// Fillers: 嗯, 呃, 就是说, 然后然后, 那个 (only when followed by a pause or repeated, so 那个项目
// is not a filler); um, uh, erm, hmm, you know, I mean, like (not in "I like", "would like",
// "looks like" and similar).
std::vector<TermMention> FindFillers(const NormalizedText& text);

}  // namespace zm::text
