#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "text/analyzer.h"
#include "text/features.h"
#include "text/phrase_matcher.h"

namespace zm::text {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class TextTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto created = Analyzer::Create();
    ASSERT_TRUE(created.has_value()) << created.error().message;
    analyzer_ = std::move(*created).release();
  }
  static void TearDownTestSuite() {
    delete analyzer_;
    analyzer_ = nullptr;
  }

  static NormalizedText N(std::string_view s) { return analyzer_->Normalize(s); }

  static std::vector<std::string> TokenTexts(std::string_view s, Language lang) {
    std::vector<std::string> out;
    for (const Token& t : analyzer_->Segment(s, lang)) out.push_back(t.text);
    return out;
  }

  static std::vector<std::string> SentenceTexts(std::string_view s) {
    std::vector<std::string> out;
    for (const ByteRange& r : analyzer_->Sentences(s)) {
      out.emplace_back(s.substr(r.begin, r.end - r.begin));
    }
    return out;
  }

  template <class Mentions>
  static std::vector<std::string> Surfaces(const NormalizedText& n, const Mentions& mentions) {
    std::vector<std::string> out;
    for (const auto& m : mentions) out.emplace_back(n.OriginalText(m.span));
    return out;
  }

  static Analyzer* analyzer_;
};

Analyzer* TextTest::analyzer_ = nullptr;

// Every normalized byte maps inside the original, monotonically, start before end.
void ExpectConsistentMap(const NormalizedText& n) {
  ASSERT_EQ(n.to_original.size(), n.text.size() + 1);
  ASSERT_EQ(n.to_original_end.size(), n.text.size());
  EXPECT_EQ(n.to_original.back(), n.original.size());
  for (size_t i = 0; i < n.text.size(); ++i) {
    EXPECT_LT(n.to_original[i], n.to_original_end[i]) << i;
    EXPECT_LE(n.to_original_end[i], n.original.size()) << i;
    if (i > 0) {
      EXPECT_LE(n.to_original[i - 1], n.to_original[i]) << i;
    }
  }
}

// --- Offsets helpers --------------------------------------------------------------------------

TEST(OffsetsTest, ByteAndCharOffsets) {
  std::string s = "我a😀b";  // 3 + 1 + 4 + 1 bytes
  EXPECT_EQ(ByteToCharOffset(s, 0), 0u);
  EXPECT_EQ(ByteToCharOffset(s, 3), 1u);
  EXPECT_EQ(ByteToCharOffset(s, 4), 2u);
  EXPECT_EQ(ByteToCharOffset(s, 8), 3u);
  EXPECT_EQ(ByteToCharOffset(s, 100), 4u);
  EXPECT_EQ(CharToByteOffset(s, 2), 4u);
  EXPECT_EQ(CharToByteOffset(s, 3), 8u);
  EXPECT_EQ(CharToByteOffset(s, 9), s.size());
  EXPECT_EQ(ByteToCharOffset("", 0), 0u);
}

TEST(AnalyzerCreateTest, MissingOpenccConfigIsUnavailable) {
  AnalyzerOptions options;
  options.opencc_t2s_config = "/nonexistent/t2s.json";
  auto created = Analyzer::Create(options);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, ErrorCode::kUnavailable);
}

TEST(AnalyzerCreateTest, ExplicitOpenccConfigPath) {
  AnalyzerOptions options;
  options.opencc_t2s_config = "/usr/share/opencc/t2s.json";
  auto created = Analyzer::Create(options);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_EQ((*created)->Normalize("軟體開發").text, "软体开发");
}

// --- Normalization ----------------------------------------------------------------------------

TEST_F(TextTest, NfkcFoldsFullWidthDigitsAndLetters) {
  NormalizedText n = N("１２３ＡＢＣ");
  EXPECT_EQ(n.text, "123abc");
  ExpectConsistentMap(n);
  // Each ASCII byte maps back to its 3-byte full-width source.
  EXPECT_EQ(n.to_original[1], 3u);
  EXPECT_EQ(n.to_original_end[1], 6u);
  Span span = n.OriginalSpan(3, 6);  // "abc"
  EXPECT_EQ(n.OriginalText(span), "ＡＢＣ");
  EXPECT_EQ(span.char_begin, 3u);
  EXPECT_EQ(span.char_end, 6u);
}

TEST_F(TextTest, FullWidthPunctuationAndIdeographicSpace) {
  NormalizedText n = N("我负责后端（Ｃ＋＋），　效果很好！");
  EXPECT_EQ(n.text, "我负责后端(c++), 效果很好!");  // U+3000 is whitespace
  ExpectConsistentMap(n);
}

TEST_F(TextTest, TraditionalToSimplified) {
  EXPECT_EQ(N("我們團隊協作能力很強，積極溝通。").text, "我们团队协作能力很强,积极沟通。");
  EXPECT_EQ(N("這個項目的資料庫遷移").text.substr(0, 12), "这个项目");
}

TEST_F(TextTest, CaseFoldingAndWhitespace) {
  NormalizedText n = N("  I   LED\tthe\n\n Team  ");
  EXPECT_EQ(n.text, "i led the team");
  ExpectConsistentMap(n);
  Span team = n.OriginalSpan(10, 14);
  EXPECT_EQ(n.OriginalText(team), "Team");
}

TEST_F(TextTest, SpacesBetweenHanCharactersAreRemoved) {
  NormalizedText n = N("团队 协作 and 沟通 skills");
  EXPECT_EQ(n.text, "团队协作 and 沟通 skills");
  ExpectConsistentMap(n);
  // "队" maps to itself only, not to the removed space after it.
  Span dui = n.OriginalSpan(3, 6);
  EXPECT_EQ(n.OriginalText(dui), "队");
}

TEST_F(TextTest, EmojiAndZwjSequencesKeepOffsets) {
  std::string input = "我们👨‍👩‍👧团队❤️很棒👍🏻 Team😀ok";
  NormalizedText n = N(input);
  ExpectConsistentMap(n);
  size_t pos = n.text.find("团队");
  ASSERT_NE(pos, std::string::npos);
  Span span = n.OriginalSpan(pos, pos + 6);
  EXPECT_EQ(n.OriginalText(span), "团队");
  EXPECT_EQ(span.char_begin, ByteToCharOffset(input, input.find("团队")));
  EXPECT_EQ(span.char_end, span.char_begin + 2);
  size_t team = n.text.find("team");
  ASSERT_NE(team, std::string::npos);
  EXPECT_EQ(n.OriginalText(n.OriginalSpan(team, team + 4)), "Team");
}

TEST_F(TextTest, InvalidUtf8BecomesReplacementCharacter) {
  std::string input = "ok\xff\xfe团队";
  NormalizedText n = N(input);
  EXPECT_EQ(n.text, "ok\uFFFD\uFFFD团队");
  ExpectConsistentMap(n);
}

TEST_F(TextTest, EmptyInput) {
  NormalizedText n = N("");
  EXPECT_EQ(n.text, "");
  EXPECT_THAT(n.to_original, ElementsAre(0u));
  EXPECT_EQ(n.OriginalSpan(0, 0), Span{});
  EXPECT_THAT(analyzer_->Segment("", Language::kZh), IsEmpty());
  EXPECT_THAT(analyzer_->Sentences(""), IsEmpty());
  EXPECT_THAT(ExtractNumbers(n), IsEmpty());
  EXPECT_THAT(FindHedges(n), IsEmpty());
  EXPECT_THAT(FindFillers(n), IsEmpty());
  PronounCounts p = CountPronouns(n);
  EXPECT_THAT(p.first_singular, IsEmpty());
  EXPECT_EQ(analyzer_->DetectLanguage(""), Language::kEn);
  EXPECT_TRUE(N("   \n ").text.empty());
}

TEST_F(TextTest, NormalizeIsThreadSafe) {
  std::string input = "我們團隊用３個月把轉化率提升了２０％。We shipped it!";
  std::string expected = N(input).text;
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) results[t] = N(input).text;
      analyzer_->Segment(input, Language::kZh);
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : results) EXPECT_EQ(r, expected);
}

// Property: for random mixes of simplified/traditional/full-width/emoji/combining text, the map
// stays consistent and every match's original surface normalizes back to the matched term.
TEST_F(TextTest, RandomMixesKeepSpansRoundTripping) {
  const std::vector<std::string> pool = {"团队协作", "團隊協作", "ＴＥＡＭ",
                                         "team",     " ",        "　",
                                         "\n",       "😀",        "👨‍👩‍👧",
                                         "❤️",   "e\u0301",  "Ａ",
                                         "，",       "。",       "客户需求",
                                         "客戶需求", "ﬁ",        "①",
                                         "ß",        "我们",     "我",
                                         "Tëam",     "\u200b"};
  auto matcher = PhraseMatcher::Build(
      *analyzer_, {{"tw", "团队协作", {"team"}}, {"need", "客户需求", {}}, {"we", "我们", {}}});
  ASSERT_TRUE(matcher.has_value());
  uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) & 0x7fff;
  };
  for (int round = 0; round < 300; ++round) {
    std::string input;
    int parts = static_cast<int>(next() % 12);
    for (int i = 0; i < parts; ++i) input += pool[next() % pool.size()];
    NormalizedText n = N(input);
    ExpectConsistentMap(n);
    for (const PhraseMatch& m : matcher->Find(n)) {
      std::string_view surface = n.OriginalText(m.span);
      EXPECT_EQ(N(surface).text, n.text.substr(m.norm_begin, m.norm_end - m.norm_begin))
          << "input: " << input;
      EXPECT_EQ(m.span.char_end - m.span.char_begin, ByteToCharOffset(surface, surface.size()));
    }
  }
}

// --- Segmentation, sentences, language --------------------------------------------------------

TEST_F(TextTest, SegmentsChineseSentence) {
  std::string s = "候选人在回答如何处理生产线上的突发问题时，未提到团队协作和风险控制等关键词。";
  std::vector<Token> tokens = analyzer_->Segment(s, Language::kZh);
  std::vector<std::string> texts = TokenTexts(s, Language::kZh);
  EXPECT_THAT(texts, ::testing::Contains("团队"));
  EXPECT_THAT(texts, ::testing::Contains("协作"));
  EXPECT_THAT(texts, ::testing::Contains("风险"));
  EXPECT_THAT(texts, ::testing::Not(::testing::Contains("，")));
  EXPECT_THAT(texts, ::testing::Not(::testing::Contains("。")));
  for (const Token& t : tokens) {
    EXPECT_EQ(s.substr(t.begin, t.end - t.begin), t.text);
    EXPECT_EQ(t.kind, Token::Kind::kIdeographic);
  }
}

TEST_F(TextTest, SegmentsEnglishSentence) {
  std::string s = "I led a team of 5 engineers, and we shipped on time.";
  EXPECT_THAT(TokenTexts(s, Language::kEn),
              ElementsAre("I", "led", "a", "team", "of", "5", "engineers", "and", "we", "shipped",
                          "on", "time"));
  std::vector<Token> tokens = analyzer_->Segment(s, Language::kEn);
  EXPECT_EQ(tokens[5].kind, Token::Kind::kNumber);
}

TEST_F(TextTest, SegmentsMixedScriptsWithEmoji) {
  std::string s = "我负责backend的API设计😀，效果很好";
  std::vector<std::string> texts = TokenTexts(s, Language::kMixed);
  EXPECT_THAT(texts, ::testing::Contains("backend"));
  EXPECT_THAT(texts, ::testing::Contains("API"));
  EXPECT_THAT(texts, ::testing::Not(::testing::Contains("😀")));
}

TEST_F(TextTest, SplitsChineseSentences) {
  EXPECT_THAT(SentenceTexts(
                  "当时客户投诉很多。我先倾听了客户的需求！然后呢？我们制定了方案；最后问题解决了……"
                  "“效果很好。”他说"),
              ElementsAre("当时客户投诉很多。", "我先倾听了客户的需求！", "然后呢？",
                          "我们制定了方案；", "最后问题解决了……", "“效果很好。”", "他说"));
}

TEST_F(TextTest, SplitsEnglishSentences) {
  EXPECT_THAT(SentenceTexts("Dr. Smith led the team, e.g. during the U.S. launch. We grew 3.5 "
                            "times in Q3! Did it work?  Yes.\nJ. Doe agreed"),
              ElementsAre("Dr. Smith led the team, e.g. during the U.S. launch.",
                          "We grew 3.5 times in Q3!", "Did it work?", "Yes.", "J. Doe agreed"));
  EXPECT_THAT(SentenceTexts("No terminator at all"), ElementsAre("No terminator at all"));
  EXPECT_THAT(SentenceTexts("  \n "), IsEmpty());
}

TEST_F(TextTest, DetectsLanguage) {
  EXPECT_EQ(analyzer_->DetectLanguage("我在上一家公司负责客户关系管理，带领五人团队。"),
            Language::kZh);
  EXPECT_EQ(analyzer_->DetectLanguage("I managed a team of five people at my last job."),
            Language::kEn);
  EXPECT_EQ(analyzer_->DetectLanguage("我负责 backend 的 API design 和 code review 流程"),
            Language::kMixed);
  EXPECT_EQ(analyzer_->DetectLanguage("我用了 Python 做数据分析，提升了效率"), Language::kZh);
  EXPECT_EQ(analyzer_->DetectLanguage("12345 !!!"), Language::kEn);
  EXPECT_STREQ(LanguageName(Language::kMixed), "mixed");
}

// --- Phrase matching --------------------------------------------------------------------------

std::vector<PhraseSpec> IndicatorSpecs() {
  return {
      {"listen", "倾听客户需求", {"了解客户需求", "挖掘需求"}},
      {"teamwork", "团队协作", {"team work", "teamwork", "collaborate"}},
      {"team", "team", {}},
      {"data", "数据驱动", {"Data-Driven"}},
  };
}

TEST_F(TextTest, PhraseMatcherFindsSynonymsWithOriginalSpans) {
  auto matcher = PhraseMatcher::Build(*analyzer_, IndicatorSpecs());
  ASSERT_TRUE(matcher.has_value());
  std::string answer = "我会先了解客户需求，再深入挖掘需求背后的原因，和团队协作推进。";
  NormalizedText n = N(answer);
  std::vector<PhraseMatch> matches = matcher->Find(n);
  ASSERT_EQ(matches.size(), 3u);
  EXPECT_EQ(matches[0].phrase_id, "listen");
  EXPECT_EQ(matches[0].variant, 1u);
  EXPECT_EQ(n.OriginalText(matches[0].span), "了解客户需求");
  EXPECT_EQ(matches[0].span.char_begin, 3u);
  EXPECT_EQ(matches[0].span.char_end, 9u);
  EXPECT_EQ(matches[1].variant, 2u);
  EXPECT_EQ(n.OriginalText(matches[1].span), "挖掘需求");
  EXPECT_EQ(matches[2].phrase_id, "teamwork");
  EXPECT_EQ(n.OriginalText(matches[2].span), "团队协作");
}

TEST_F(TextTest, PhraseMatcherMatchesTraditionalAndFullWidthInput) {
  auto matcher = PhraseMatcher::Build(*analyzer_, IndicatorSpecs());
  ASSERT_TRUE(matcher.has_value());
  NormalizedText n = N("我們非常重視團隊協作，也會瞭解客戶需求。ＴＥＡＭ ｗｏｒｋ");
  std::vector<std::string> surfaces;
  std::vector<std::string> ids;
  for (const PhraseMatch& m : matcher->Find(n)) {
    surfaces.emplace_back(n.OriginalText(m.span));
    ids.emplace_back(m.phrase_id);
  }
  EXPECT_THAT(surfaces, ElementsAre("團隊協作", "瞭解客戶需求", "ＴＥＡＭ ｗｏｒｋ", "ＴＥＡＭ"));
  EXPECT_THAT(ids, ElementsAre("teamwork", "listen", "teamwork", "team"));
}

TEST_F(TextTest, PhraseMatcherRespectsEnglishWordBoundaries) {
  auto matcher = PhraseMatcher::Build(*analyzer_, IndicatorSpecs());
  ASSERT_TRUE(matcher.has_value());
  NormalizedText n =
      N("We let off steam, met teammates, and my Team grew; two teams, "
        "we COLLABORATED; a data-driven plan.");
  std::vector<std::string> surfaces;
  for (const PhraseMatch& m : matcher->Find(n)) surfaces.emplace_back(n.OriginalText(m.span));
  EXPECT_THAT(surfaces, ElementsAre("Team", "teams", "COLLABORATED", "data-driven"));
}

TEST_F(TextTest, PhraseMatcherInflectionsCanBeDisabled) {
  PhraseMatcherOptions options;
  options.english_inflections = false;
  auto matcher = PhraseMatcher::Build(*analyzer_, {{"team", "team", {}}}, options);
  ASSERT_TRUE(matcher.has_value());
  EXPECT_THAT(matcher->Find(N("two teams")), IsEmpty());
  EXPECT_EQ(matcher->Find(N("one team.")).size(), 1u);
}

TEST_F(TextTest, PhraseMatcherRejectsBadSpecs) {
  auto dup = PhraseMatcher::Build(*analyzer_, {{"a", "沟通", {}}, {"a", "协作", {}}});
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(dup.error().details.size(), 1u);
  EXPECT_EQ(dup.error().details[0].field, "phrases[1].id");
  auto empty = PhraseMatcher::Build(*analyzer_, {{"a", "  ", {}}});
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().details[0].field, "phrases[0].phrase");
  // Synonyms equal to the phrase after normalization, and empty ones, are skipped.
  auto ok = PhraseMatcher::Build(*analyzer_, {{"a", "團隊", {"团队", " ", "小组"}}});
  ASSERT_TRUE(ok.has_value());
  auto matches = ok->Find(N("团队和小组"));
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].variant, 0u);
  EXPECT_EQ(matches[1].variant, 3u);
  EXPECT_EQ(ok->normalized(0, 1), "");
}

TEST_F(TextTest, PhraseMatcherSharedTermsAndOverlaps) {
  auto matcher = PhraseMatcher::Build(
      *analyzer_,
      {{"need", "客户需求", {}}, {"dig", "挖掘客户需求", {}}, {"also", "客户需求", {}}});
  ASSERT_TRUE(matcher.has_value());
  NormalizedText n = N("重点是挖掘客户需求");
  std::vector<PhraseMatch> all = matcher->Find(n);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].phrase_id, "dig");
  std::vector<PhraseMatch> longest = PhraseMatcher::LeftmostLongest(all);
  ASSERT_EQ(longest.size(), 1u);
  EXPECT_EQ(longest[0].phrase_id, "dig");
  EXPECT_THAT(matcher->Find(N("")), IsEmpty());
  EXPECT_THAT(PhraseMatcher().Find(n), IsEmpty());
}

// --- Numbers ----------------------------------------------------------------------------------

struct Num {
  NumberKind kind;
  double value;
  std::string unit;
  std::string surface;
  bool operator==(const Num&) const = default;
};

void PrintTo(const Num& n, std::ostream* os) {
  *os << NumberKindName(n.kind) << " " << n.value << " " << n.unit << " '" << n.surface << "'";
}

std::vector<Num> Numbers(const NormalizedText& n) {
  std::vector<Num> out;
  for (const NumberMention& m : ExtractNumbers(n)) {
    out.push_back({m.kind, m.value, m.unit, std::string(n.OriginalText(m.span))});
  }
  return out;
}

TEST_F(TextTest, ExtractsChineseNumbersPercentMoneyDurations) {
  NormalizedText n =
      N("我们用了3个月把转化率从12.5%提升到百分之二十，节省成本50万，预算¥3000，"
        "团队有三十人，两周内上线，营收增长了1,200万元。");
  EXPECT_THAT(Numbers(n), ElementsAre(Num{NumberKind::kDuration, 3, "month", "3个月"},
                                      Num{NumberKind::kPercent, 12.5, "", "12.5%"},
                                      Num{NumberKind::kPercent, 20, "", "百分之二十"},
                                      Num{NumberKind::kMoney, 500000, "", "50万"},
                                      Num{NumberKind::kMoney, 3000, "CNY", "¥3000"},
                                      Num{NumberKind::kNumber, 30, "", "三十"},
                                      Num{NumberKind::kDuration, 2, "week", "两周"},
                                      Num{NumberKind::kMoney, 12000000, "CNY", "1,200万元"}));
}

TEST_F(TextTest, ExtractsFullWidthAndTraditionalNumbersWithOriginalSpans) {
  NormalizedText n = N("轉化率提升了２０％，用了半年，花費￥５０００，團隊擴到一百零五個人。");
  EXPECT_THAT(Numbers(n), ElementsAre(Num{NumberKind::kPercent, 20, "", "２０％"},
                                      Num{NumberKind::kDuration, 0.5, "year", "半年"},
                                      Num{NumberKind::kMoney, 5000, "CNY", "￥５０００"},
                                      Num{NumberKind::kNumber, 105, "", "一百零五"}));
}

TEST_F(TextTest, ChineseNumeralsInsideWordsAreNotNumbers) {
  EXPECT_THAT(Numbers(N("我们一起统一了标准，万一出问题千万不要慌，这十分重要，第一步是一个计划，"
                        "一点点改进，三思而行。")),
              IsEmpty());
}

TEST_F(TextTest, ExtractsChineseNumeralForms) {
  EXPECT_THAT(Numbers(N("二〇二三年我们做了三点五倍的增长，2020年开始，十分钟内响应，两个项目，"
                        "一年时间，五十万用户")),
              ElementsAre(Num{NumberKind::kNumber, 2023, "", "二〇二三年"},
                          Num{NumberKind::kNumber, 3.5, "", "三点五"},
                          Num{NumberKind::kNumber, 2020, "", "2020年"},
                          Num{NumberKind::kDuration, 10, "minute", "十分钟"},
                          Num{NumberKind::kNumber, 2, "", "两"},
                          Num{NumberKind::kDuration, 1, "year", "一年"},
                          Num{NumberKind::kNumber, 500000, "", "五十万"}));
}

TEST_F(TextTest, ExtractsEnglishNumbers) {
  NormalizedText n =
      N("I led 5 engineers for 6 months, cut costs by 15 percent, saved $20k and "
        "2 million dollars over two years; 1,200 users, 30% faster, v2 and mp3.");
  EXPECT_THAT(Numbers(n), ElementsAre(Num{NumberKind::kNumber, 5, "", "5"},
                                      Num{NumberKind::kDuration, 6, "month", "6 months"},
                                      Num{NumberKind::kPercent, 15, "", "15 percent"},
                                      Num{NumberKind::kMoney, 20000, "USD", "$20k"},
                                      Num{NumberKind::kMoney, 2e6, "USD", "2 million dollars"},
                                      Num{NumberKind::kDuration, 2, "year", "two years"},
                                      Num{NumberKind::kNumber, 1200, "", "1,200"},
                                      Num{NumberKind::kPercent, 30, "", "30%"}));
}

TEST_F(TextTest, HalfUnitDurations) {
  EXPECT_THAT(Numbers(N("做了一年半，每天两个半小时，3个半月")),
              ElementsAre(Num{NumberKind::kDuration, 1.5, "year", "一年半"},
                          Num{NumberKind::kDuration, 2.5, "hour", "两个半小时"},
                          Num{NumberKind::kDuration, 3.5, "month", "3个半月"}));
}

TEST_F(TextTest, PercentWithSpaceAndArabicOrdinals) {
  EXPECT_THAT(Numbers(N("第3季度增长了20 %，第2名")),
              ElementsAre(Num{NumberKind::kPercent, 20, "", "20 %"}));
}

TEST_F(TextTest, EnglishAnswerIsMatchedCaseInsensitively) {
  auto matcher = PhraseMatcher::Build(
      *analyzer_, {{"listen", "listen to customers", {"understand customer needs"}},
                   {"teamwork", "Teamwork", {"work as a team"}}});
  ASSERT_TRUE(matcher.has_value());
  NormalizedText n = N("First I LISTEN TO CUSTOMERS. TEAMWORK matters, so we Work As A Team.");
  std::vector<std::string> surfaces;
  for (const PhraseMatch& m : matcher->Find(n)) surfaces.emplace_back(n.OriginalText(m.span));
  EXPECT_THAT(surfaces, ElementsAre("LISTEN TO CUSTOMERS", "TEAMWORK", "Work As A Team"));
}

// --- Pronouns, hedges, fillers ----------------------------------------------------------------

TEST_F(TextTest, CountsChinesePronounsWithoutDoubleCountingWomen) {
  NormalizedText n =
      N("我们团队一起完成了迁移，我负责后端，咱们的同事也很给力。自我评价：我很细心。");
  PronounCounts p = CountPronouns(n);
  EXPECT_THAT(Surfaces(n, p.first_plural), ElementsAre("我们", "咱们"));
  EXPECT_THAT(Surfaces(n, p.first_singular), ElementsAre("我", "我"));
  EXPECT_THAT(Surfaces(n, p.team), ElementsAre("团队", "同事"));
  EXPECT_EQ(p.first_singular[0].span.char_begin, 12u);
}

TEST_F(TextTest, CountsEnglishPronouns) {
  NormalizedText n =
      N("I think we did well: my Team and I shipped it, and our manager thanked us. "
        "It is mine.");
  PronounCounts p = CountPronouns(n);
  EXPECT_THAT(Surfaces(n, p.first_singular), ElementsAre("I", "my", "I", "mine"));
  EXPECT_THAT(Surfaces(n, p.first_plural), ElementsAre("we", "our", "us"));
  EXPECT_THAT(Surfaces(n, p.team), ElementsAre("Team"));
}

TEST_F(TextTest, CountsTraditionalPronouns) {
  NormalizedText n = N("我們的團隊");
  PronounCounts p = CountPronouns(n);
  EXPECT_THAT(Surfaces(n, p.first_plural), ElementsAre("我們"));
  EXPECT_THAT(p.first_singular, IsEmpty());
  EXPECT_THAT(Surfaces(n, p.team), ElementsAre("團隊"));
}

TEST_F(TextTest, FindsHedges) {
  NormalizedText zh = N("我觉得可能是网络问题，应该吧，但不可能是数据库，可能性不大。");
  EXPECT_THAT(Surfaces(zh, FindHedges(zh)), ElementsAre("我觉得", "可能", "应该吧"));
  NormalizedText en = N("Maybe it was, I think, kind of a network issue. I'm not sure. Perhaps.");
  EXPECT_THAT(Surfaces(en, FindHedges(en)),
              ElementsAre("Maybe", "I think", "kind of", "I'm not sure", "Perhaps"));
}

TEST_F(TextTest, FindsFillers) {
  NormalizedText zh = N("嗯，那个，就是说我们然后然后做了那个项目，呃，那个那个方案也上线了。");
  EXPECT_THAT(Surfaces(zh, FindFillers(zh)),
              ElementsAre("嗯", "那个", "就是说", "然后然后", "呃", "那个", "那个"));
  NormalizedText en = N("Um, I like it, uh, you know, it was like hard. I would like more.");
  EXPECT_THAT(Surfaces(en, FindFillers(en)), ElementsAre("Um", "uh", "you know", "like"));
}

TEST_F(TextTest, MixedScriptAnswerEndToEnd) {
  std::string answer =
      "嗯😀我們 team 用了３個月 deliver 了 API，转化率提升２０％🎉，I think 很成功。";
  NormalizedText n = N(answer);
  ExpectConsistentMap(n);
  EXPECT_THAT(Surfaces(n, ExtractNumbers(n)), ElementsAre("３個月", "２０％"));
  PronounCounts p = CountPronouns(n);
  EXPECT_THAT(Surfaces(n, p.first_plural), ElementsAre("我們"));
  EXPECT_THAT(Surfaces(n, p.first_singular), ElementsAre("I"));
  EXPECT_THAT(Surfaces(n, p.team), ElementsAre("team"));
  EXPECT_THAT(Surfaces(n, FindHedges(n)), ElementsAre("I think"));
  EXPECT_THAT(Surfaces(n, FindFillers(n)), ElementsAre("嗯"));
  for (const NumberMention& m : ExtractNumbers(n)) {
    EXPECT_EQ(m.span.char_begin, ByteToCharOffset(answer, m.span.byte_begin));
    EXPECT_EQ(m.span.char_end - m.span.char_begin, ByteToCharOffset(n.OriginalText(m.span), 99));
  }
}

}  // namespace
}  // namespace zm::text
