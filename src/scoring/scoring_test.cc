#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "scoring/aggregate.h"
#include "scoring/metrics.h"
#include "scoring/similarity.h"

namespace zm::scoring {
namespace {

// --- Real answers used across the similarity tests -------------------------------------------

const std::string kZhReference = "盘点内容包括：数量盘点、重量盘点、账实核对、账卡核对、账账核对。";
const std::string kZhFull = "盘点的内容有数量盘点、重量盘点，还有账实核对、账卡核对和账账核对。";
const std::string kZhPartial = "主要是数量盘点和重量盘点。";
const std::string kZhUnrelated = "我周末喜欢和朋友去公园跑步，然后一起吃火锅。";
const std::string kZhQuestion = "盘点内容包括哪些？";

const std::string kEnReference =
    "I would listen to the customer, apologise, find the root cause of the complaint, offer a "
    "concrete solution such as a refund or a replacement, and follow up a week later to make sure "
    "the customer is satisfied.";
const std::string kEnGood =
    "First I listen to the customer and apologise. Then I look for the root cause of the "
    "complaint and offer a solution, for example a replacement, and I follow up later to check "
    "the customer is satisfied.";
const std::string kEnWeak = "I would tell the customer to wait.";
const std::string kEnUnrelated = "Photosynthesis converts light energy into chemical energy.";

std::vector<std::string> Corpus() {
  return {kZhReference, kZhQuestion, kEnReference, kZhFull,     kZhPartial,
          kZhUnrelated, kEnGood,     kEnWeak,      kEnUnrelated};
}

// Random text mixing CJK, ASCII letters, digits, full-width forms, punctuation, emoji and
// (optionally) invalid bytes.
std::string RandomText(std::mt19937& rng, size_t max_chars, bool allow_invalid) {
  static const std::vector<std::string> kPieces = {
      "客", "户", "需", "求", "团", "队", "我", "们", "数", "据", "的", "a",  "b",
      "e",  "r",  "t",  "S",  "T",  "A",  "R",  "1",  "9",  " ",  "，", "。", "！",
      "Ａ", "ｂ", "３", "😀",  "-",  ".",  "\n", "é",  "語", "丶", "々"};
  std::uniform_int_distribution<size_t> len(0, max_chars);
  std::uniform_int_distribution<size_t> pick(0, kPieces.size() - 1);
  std::uniform_int_distribution<int> bad(0, 40);
  std::string s;
  const size_t n = len(rng);
  for (size_t i = 0; i < n; ++i) {
    if (allow_invalid && bad(rng) == 0) {
      s.push_back(static_cast<char>(0xC3));  // truncated sequence
      continue;
    }
    s += kPieces[pick(rng)];
  }
  return s;
}

// --- Normalization and n-grams ---------------------------------------------------------------

TEST(NormalizeForMatching, LowercasesFoldsWidthAndDropsPunctuation) {
  EXPECT_EQ(NormalizeForMatching("Hello，ＷＯＲＬＤ！ 你好。\t１２３"), U"helloworld你好123");
  EXPECT_EQ(NormalizeForMatching("“团队”——（合作）…"), U"团队合作");
  EXPECT_EQ(NormalizeForMatching(""), U"");
  EXPECT_EQ(NormalizeForMatching("  ,.;  "), U"");
}

TEST(NormalizeForMatching, DropsInvalidBytes) {
  EXPECT_EQ(NormalizeForMatching("a\xC3"
                                 "b\xFF"
                                 "c"),
            U"abc");
  EXPECT_EQ(NormalizeForMatching("\xED\xA0\x80x"), U"x");  // surrogate
}

TEST(ExtractTerms, CountsNgrams) {
  // "abab": unigrams a x2, b x2; bigrams ab x2, ba x1; trigrams aba, bab.
  const std::vector<Term> terms = ExtractTerms("a b-A B", {1, 3, 1, 3});
  uint32_t total = 0;
  for (const Term& t : terms) total += t.count;
  EXPECT_EQ(terms.size(), 6u);
  EXPECT_EQ(total, 4u + 3u + 2u);
  EXPECT_TRUE(std::is_sorted(terms.begin(), terms.end(),
                             [](const Term& x, const Term& y) { return x.id < y.id; }));
  EXPECT_TRUE(ExtractTerms("，。", {1, 3}).empty());
  EXPECT_EQ(ExtractTerms("你好", {2, 2}).size(), 1u);
  // Default: CJK 1..3, Latin 3..5 by the first code point of each n-gram.
  EXPECT_EQ(ExtractTerms("你好").size(), 3u);                     // 你 好 你好
  EXPECT_EQ(ExtractTerms("team").size(), 3u);                     // tea eam team
  EXPECT_EQ(ExtractTerms("ab").size(), 0u);                       // shorter than 3
  EXPECT_EQ(ExtractTerms("团队team").size(), 3u + 3u + 2u + 1u);  // 团.. 队.. tea team, eam
}

TEST(ExtractTerms, Deterministic) {
  EXPECT_EQ(ExtractTerms(kZhReference).size(), ExtractTerms(kZhReference).size());
  const auto a = ExtractTerms(kEnReference);
  const auto b = ExtractTerms(kEnReference);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].count, b[i].count);
  }
}

// --- Cosine, coverage, BM25 ------------------------------------------------------------------

TEST(Similarity, IdenticalAnswerHasCosineOne) {
  const auto corpus = Corpus();
  const SimilarityModel model(corpus);
  EXPECT_NEAR(model.Cosine(kZhReference, kZhReference), 1.0, 1e-9);
  EXPECT_NEAR(model.Cosine(kEnReference, kEnReference), 1.0, 1e-9);
  // Punctuation, width and case do not matter.
  EXPECT_NEAR(model.Cosine("Listen to the CUSTOMER!", "listen to the customer"), 1.0, 1e-9);
  EXPECT_NEAR(model.Coverage(kZhReference, kZhReference), 1.0, 1e-9);
  const Document r = model.Analyze(kZhReference);
  EXPECT_NEAR(model.Bm25Normalized(r, r), 1.0, 1e-9);
}

TEST(Similarity, UnrelatedAnswerIsNearZero) {
  const auto corpus = Corpus();
  const SimilarityModel model(corpus);
  EXPECT_LT(model.Cosine(kZhUnrelated, kZhReference), 0.05);
  EXPECT_LT(model.Cosine(kEnUnrelated, kEnReference), 0.1);
  EXPECT_EQ(model.Cosine(kEnReference, kZhReference), 0.0);
  EXPECT_LT(model.Coverage(kZhUnrelated, kZhReference), 0.05);
  EXPECT_EQ(model.Cosine("", kZhReference), 0.0);
  EXPECT_EQ(model.Coverage("", kZhReference), 0.0);
  EXPECT_EQ(model.Coverage(kZhReference, ""), 0.0);
}

TEST(Similarity, RanksRealAnswersByContent) {
  const auto corpus = Corpus();
  const SimilarityModel model(corpus);
  const Document ref = model.Analyze(kZhReference);
  const Document full = model.Analyze(kZhFull);
  const Document partial = model.Analyze(kZhPartial);
  const Document unrelated = model.Analyze(kZhUnrelated);
  EXPECT_GT(SimilarityModel::Cosine(full, ref), SimilarityModel::Cosine(partial, ref));
  EXPECT_GT(SimilarityModel::Cosine(partial, ref), SimilarityModel::Cosine(unrelated, ref));
  EXPECT_GT(SimilarityModel::Coverage(full, ref), 0.6);
  EXPECT_GT(SimilarityModel::Coverage(full, ref), SimilarityModel::Coverage(partial, ref));
  EXPECT_GT(SimilarityModel::Coverage(partial, ref), SimilarityModel::Coverage(unrelated, ref));
  EXPECT_GT(model.Bm25(full, ref), model.Bm25(partial, ref));
  EXPECT_GT(model.Bm25(partial, ref), model.Bm25(unrelated, ref));

  const Document en_ref = model.Analyze(kEnReference);
  const Document en_good = model.Analyze(kEnGood);
  const Document en_weak = model.Analyze(kEnWeak);
  EXPECT_GT(SimilarityModel::Cosine(en_good, en_ref), 0.5);
  EXPECT_GT(SimilarityModel::Cosine(en_good, en_ref), SimilarityModel::Cosine(en_weak, en_ref));
  EXPECT_GT(SimilarityModel::Coverage(en_good, en_ref), SimilarityModel::Coverage(en_weak, en_ref));
  EXPECT_GT(model.Bm25Normalized(en_good, en_ref), model.Bm25Normalized(en_weak, en_ref));
}

TEST(Similarity, IdfFavoursRareTerms) {
  const std::vector<std::string> corpus = {"客户需求", "客户服务", "客户关系", "数据分析"};
  const SimilarityModel model(corpus, {{1, 1, 1, 1}});
  EXPECT_EQ(model.document_count(), 4u);
  const uint64_t common = ExtractTerms("客", {1, 1})[0].id;
  const uint64_t rare = ExtractTerms("析", {1, 1})[0].id;
  const uint64_t unseen = ExtractTerms("龙", {1, 1})[0].id;
  EXPECT_LT(model.Idf(common), model.Idf(rare));
  EXPECT_LT(model.Idf(rare), model.Idf(unseen));
  EXPECT_NEAR(model.Idf(common), std::log(5.0 / 4.0) + 1.0, 1e-12);
  EXPECT_NEAR(model.Bm25Idf(rare), std::log(1.0 + 3.5 / 1.5), 1e-12);
  EXPECT_NEAR(model.average_length(), 4.0, 1e-12);
}

TEST(Similarity, EmptyCorpusStillWorks) {
  const SimilarityModel model(std::span<const std::string>{});
  EXPECT_EQ(model.document_count(), 0u);
  EXPECT_NEAR(model.Cosine(kZhReference, kZhReference), 1.0, 1e-9);
  EXPECT_GT(model.Cosine(kZhFull, kZhReference), model.Cosine(kZhUnrelated, kZhReference));
}

TEST(SimilarityProperty, SymmetricAndInRangeOnRandomInputs) {
  std::mt19937 rng(20261122);
  std::vector<std::string> corpus;
  for (int i = 0; i < 20; ++i) corpus.push_back(RandomText(rng, 60, true));
  const SimilarityModel model(corpus);
  for (int i = 0; i < 300; ++i) {
    const std::string a = RandomText(rng, 80, true);
    const std::string b = RandomText(rng, 80, true);
    const Document da = model.Analyze(a);
    const Document db = model.Analyze(b);
    const double ab = SimilarityModel::Cosine(da, db);
    EXPECT_EQ(ab, SimilarityModel::Cosine(db, da));
    EXPECT_GE(ab, 0.0);
    EXPECT_LE(ab, 1.0);
    const double cov = SimilarityModel::Coverage(da, db);
    EXPECT_GE(cov, 0.0);
    EXPECT_LE(cov, 1.0);
    EXPECT_GE(model.Bm25(da, db), 0.0);
    const double bn = model.Bm25Normalized(da, db);
    EXPECT_GE(bn, 0.0);
    EXPECT_LE(bn, 1.0);
    const double jac = ShingleJaccard(a, b);
    EXPECT_GE(jac, 0.0);
    EXPECT_LE(jac, 1.0);
    EXPECT_EQ(jac, ShingleJaccard(b, a));
    if (!da.terms.empty()) {
      EXPECT_NEAR(SimilarityModel::Cosine(da, da), 1.0, 1e-9);
    }
  }
}

TEST(SimilarityProperty, AddingAReferencePhraseNeverLowersCoverageOrBm25) {
  std::mt19937 rng(7);
  const auto corpus = Corpus();
  const SimilarityModel model(corpus);
  const std::vector<std::string> references = {kZhReference, kEnReference};
  const std::vector<std::string> answers = {kZhFull, kZhPartial, kZhUnrelated,
                                            kEnGood, kEnWeak,    kEnUnrelated};
  for (int i = 0; i < 400; ++i) {
    const std::string& ref_text = references[static_cast<size_t>(i) % references.size()];
    // A phrase of the reference: a random run of code points of its normalized form.
    const std::u32string cps = NormalizeForMatching(ref_text);
    std::uniform_int_distribution<size_t> start_d(0, cps.size() - 1);
    const size_t start = start_d(rng);
    std::uniform_int_distribution<size_t> len_d(1, std::min<size_t>(12, cps.size() - start));
    const std::u32string phrase32 = cps.substr(start, len_d(rng));
    std::string phrase;
    for (char32_t c : phrase32) {  // encode as UTF-8
      if (c < 0x80) {
        phrase.push_back(static_cast<char>(c));
      } else if (c < 0x800) {
        phrase.push_back(static_cast<char>(0xC0 | (c >> 6)));
        phrase.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      } else {
        phrase.push_back(static_cast<char>(0xE0 | (c >> 12)));
        phrase.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        phrase.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      }
    }
    std::string answer = answers[static_cast<size_t>(i) % answers.size()];
    if (i % 3 == 0) answer = RandomText(rng, 40, false);
    const std::string extended = (i % 2 == 0) ? answer + phrase : phrase + answer;
    const Document ref = model.Analyze(ref_text);
    const Document before = model.Analyze(answer);
    const Document after = model.Analyze(extended);
    EXPECT_GE(SimilarityModel::Coverage(after, ref), SimilarityModel::Coverage(before, ref))
        << answer << " + " << phrase;
    EXPECT_GE(model.Bm25(after, ref), model.Bm25(before, ref));
    EXPECT_GE(model.Bm25Normalized(after, ref), model.Bm25Normalized(before, ref));
  }
}

TEST(SimilarityProperty, SameInputSameOutputAcrossModelsAndThreads) {
  const auto corpus = Corpus();
  const SimilarityModel m1(corpus);
  const SimilarityModel m2(corpus);
  const double expected = m1.Cosine(kZhFull, kZhReference);
  EXPECT_EQ(expected, m2.Cosine(kZhFull, kZhReference));
  EXPECT_EQ(m1.Coverage(kEnGood, kEnReference), m2.Coverage(kEnGood, kEnReference));
  std::vector<double> results(4, -1);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      double r = 0;
      for (int i = 0; i < 200; ++i) r = m1.Cosine(kZhFull, kZhReference);
      results[t] = r;
    });
  }
  for (std::thread& t : threads) t.join();
  for (double r : results) EXPECT_EQ(r, expected);
}

// --- Near duplicates -------------------------------------------------------------------------

TEST(NearDuplicate, FlagsCopiesNotIndependentAnswers) {
  const std::string a =
      "我在上一家公司负责客户投诉处理，先倾听客户的诉求，再和团队一起分析原因，三天内给出了解决方案"
      "，"
      "客户满意度提升了百分之二十。";
  const std::string copy =
      "我在上一家公司负责客户投诉处理，先倾听客户的诉求，再和团队一起分析原因，三天内给出解决方案，"
      "客户满意度提升了百分之二十！";
  const std::string other =
      "遇到客户投诉时，我会先道歉，然后记录问题，请主管协助，最后电话回访确认问题已经解决。";
  EXPECT_TRUE(NearDuplicate(a, copy));
  EXPECT_FALSE(NearDuplicate(a, other));
  EXPECT_TRUE(NearDuplicate(kEnGood, kEnGood + " "));
  EXPECT_FALSE(NearDuplicate(kEnGood, kEnReference));
  EXPECT_NEAR(ShingleJaccard(a, a), 1.0, 1e-12);
  // Copying the question.
  EXPECT_TRUE(NearDuplicate("盘点内容包括哪些", kZhQuestion));
  // Empty or punctuation-only answers are never copies, whatever the threshold.
  EXPECT_FALSE(NearDuplicate("", ""));
  EXPECT_FALSE(NearDuplicate("。。。", "！！", 0.0));
  // Short texts are one shingle: equal or not.
  EXPECT_TRUE(NearDuplicate("是的", "是的。"));
  EXPECT_FALSE(NearDuplicate("是的", "不是"));
  // Threshold parameter.
  EXPECT_TRUE(NearDuplicate(a, other, 0.0));
}

// --- Metrics ---------------------------------------------------------------------------------

TEST(Metrics, MidRanksAverageTies) {
  const std::vector<double> v = {10, 20, 20, 5, 20};
  EXPECT_THAT(MidRanks(v), ::testing::ElementsAre(2.0, 4.0, 4.0, 1.0, 4.0));
  EXPECT_TRUE(MidRanks(std::vector<double>{}).empty());
}

TEST(Metrics, SpearmanHandChecked) {
  // Ranks x = 1..5, y = 1, 2, 3.5, 5, 3.5: sum dxdy = 8, sum dx^2 = 10, sum dy^2 = 9.5.
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const std::vector<double> y = {5, 6, 7, 8, 7};
  ASSERT_TRUE(Spearman(x, y).has_value());
  EXPECT_NEAR(*Spearman(x, y), 8.0 / std::sqrt(95.0), 1e-12);
  const std::vector<double> sq = {1, 4, 9, 16, 25};
  EXPECT_NEAR(*Spearman(x, sq), 1.0, 1e-12);
  const std::vector<double> rev = {5, 4, 3, 2, 1};
  EXPECT_NEAR(*Spearman(x, rev), -1.0, 1e-12);
  const std::vector<double> constant = {3, 3, 3, 3, 3};
  EXPECT_FALSE(Spearman(x, constant).has_value());
  EXPECT_FALSE(Spearman(std::vector<double>{1}, std::vector<double>{2}).has_value());
  EXPECT_FALSE(Spearman(x, std::vector<double>{1, 2}).has_value());
}

TEST(Metrics, QuadraticWeightedKappaHandChecked) {
  const std::vector<int> a = {0, 1, 2, 3};
  EXPECT_NEAR(*QuadraticWeightedKappa(a, a, 0, 3), 1.0, 1e-12);
  // One swap of adjacent ratings: sum(wO) = 2/9, sum(wE) = (1/4) * 40/9 = 10/9 -> 0.8.
  const std::vector<int> b = {0, 1, 3, 2};
  EXPECT_NEAR(*QuadraticWeightedKappa(a, b, 0, 3), 0.8, 1e-12);
  // Independent raters: O == E -> 0.
  const std::vector<int> c = {0, 0, 1, 1};
  const std::vector<int> d = {0, 1, 0, 1};
  EXPECT_NEAR(*QuadraticWeightedKappa(c, d, 0, 1), 0.0, 1e-12);
  // Full disagreement on a 2-point scale: sum(wO) = 2, sum(wE) = 1 -> -1.
  const std::vector<int> e = {1, 1, 0, 0};
  EXPECT_NEAR(*QuadraticWeightedKappa(c, e, 0, 1), -1.0, 1e-12);
  // Undefined cases.
  const std::vector<int> same = {2, 2, 2};
  EXPECT_FALSE(QuadraticWeightedKappa(same, same, 0, 3).has_value());
  EXPECT_FALSE(QuadraticWeightedKappa(std::vector<int>{}, std::vector<int>{}, 0, 3).has_value());
  EXPECT_FALSE(QuadraticWeightedKappa(a, a, 3, 3).has_value());
  EXPECT_FALSE(QuadraticWeightedKappa(a, c, 0, 3).has_value() && a.size() != c.size());
}

// --- Aggregation -----------------------------------------------------------------------------

domain::CompetencyModel Model(std::vector<std::pair<std::string, double>> dims) {
  domain::CompetencyModel m;
  for (auto& [key, weight] : dims) {
    domain::Dimension d;
    d.key = key;
    d.weight = weight;
    m.dimensions.push_back(d);
  }
  return m;
}

TEST(Aggregate, DimensionScoreIsWeightedMeanOverQuestions) {
  const std::vector<QuestionDimensionScore> scores = {
      {"q1", "communication", 80, 1},
      {"q2", "communication", 60, 3},
      {"q3", "teamwork", 90, 1},
      {"q4", "teamwork", 10, 0},  // weight 0: ignored
      {"q5", "teamwork", std::numeric_limits<double>::quiet_NaN(), 1},
      {"q6", "leadership", 150, 1},  // clamped to 100
  };
  const std::vector<DimensionScore> dims = AggregateDimensions(scores);
  ASSERT_EQ(dims.size(), 3u);
  EXPECT_EQ(dims[0].dimension_key, "communication");
  EXPECT_NEAR(dims[0].score, (80.0 + 3 * 60.0) / 4.0, 1e-12);  // 65
  EXPECT_EQ(dims[0].question_count, 2u);
  EXPECT_NEAR(dims[0].weight_sum, 4.0, 1e-12);
  EXPECT_EQ(dims[1].dimension_key, "leadership");
  EXPECT_NEAR(dims[1].score, 100.0, 1e-12);
  EXPECT_EQ(dims[2].dimension_key, "teamwork");
  EXPECT_NEAR(dims[2].score, 90.0, 1e-12);
  EXPECT_EQ(dims[2].question_count, 1u);
  EXPECT_TRUE(AggregateDimensions({}).empty());
}

TEST(Aggregate, OverallRenormalizesOverScoredDimensions) {
  const std::vector<DimensionScore> dims = {{"communication", 65, 4, 2}, {"teamwork", 90, 1, 1}};
  // (65 * 60 + 90 * 40) / 100 = 75.
  EXPECT_NEAR(*OverallScore(dims, Model({{"communication", 60}, {"teamwork", 40}})), 75.0, 1e-12);
  // Leadership (20) has no score: (65 * 50 + 90 * 30) / 80 = 74.375.
  EXPECT_NEAR(
      *OverallScore(dims, Model({{"communication", 50}, {"teamwork", 30}, {"leadership", 20}})),
      74.375, 1e-12);
  // Dimensions outside the model are ignored; all-zero weights give the plain mean.
  EXPECT_NEAR(*OverallScore(dims, Model({{"teamwork", 100}, {"other", 0}})), 90.0, 1e-12);
  EXPECT_NEAR(*OverallScore(dims, Model({{"communication", 0}, {"teamwork", 0}})), 77.5, 1e-12);
  // Empty inputs.
  EXPECT_FALSE(OverallScore({}, Model({{"communication", 100}})).has_value());
  EXPECT_FALSE(OverallScore(dims, domain::CompetencyModel{}).has_value());
}

TEST(Aggregate, JobMatchAgainstTargetLevels) {
  const auto model = Model({{"communication", 60}, {"teamwork", 40}});
  const std::vector<DimensionTarget> targets = {{"communication", 4}, {"teamwork", 5}};
  // Both targets reached (65 >= 60, 90 >= 80): 100%.
  const std::vector<DimensionScore> strong = {{"communication", 65, 1, 1}, {"teamwork", 90, 1, 1}};
  EXPECT_NEAR(*JobMatchPercent(strong, model, targets), 100.0, 1e-12);
  // 45 / 60 = 0.75 and 40 / 80 = 0.5: 0.6 * 0.75 + 0.4 * 0.5 = 0.65.
  const std::vector<DimensionScore> weak = {{"communication", 45, 1, 1}, {"teamwork", 40, 1, 1}};
  EXPECT_NEAR(*JobMatchPercent(weak, model, targets), 65.0, 1e-12);
  // Default target level 4 (score 60) for both: 0.6 * 0.75 + 0.4 * (40 / 60).
  EXPECT_NEAR(*JobMatchPercent(weak, model), 100.0 * (0.45 + 0.4 * 40.0 / 60.0), 1e-9);
  // Target level 1 is always met.
  const std::vector<DimensionTarget> lowest = {{"communication", 1}, {"teamwork", 1}};
  EXPECT_NEAR(*JobMatchPercent(weak, model, lowest), 100.0, 1e-12);
  EXPECT_FALSE(JobMatchPercent({}, model, targets).has_value());
}

TEST(Aggregate, PercentileUsesMidRanksForTies) {
  const std::vector<double> cohort = {50, 60, 60, 70};
  EXPECT_NEAR(*Percentile(60, cohort), 50.0, 1e-12);  // (1 + 0.5 * 2) / 4
  EXPECT_NEAR(*Percentile(50, cohort), 12.5, 1e-12);
  EXPECT_NEAR(*Percentile(70, cohort), 87.5, 1e-12);
  EXPECT_NEAR(*Percentile(100, cohort), 100.0, 1e-12);  // above everyone (not in cohort)
  EXPECT_NEAR(*Percentile(0, cohort), 0.0, 1e-12);
  const std::vector<double> all_equal = {80, 80, 80};
  EXPECT_NEAR(*Percentile(80, all_equal), 50.0, 1e-12);
  const std::vector<double> single = {42};
  EXPECT_NEAR(*Percentile(42, single), 50.0, 1e-12);
  EXPECT_FALSE(Percentile(50, {}).has_value());
  EXPECT_FALSE(Percentile(std::numeric_limits<double>::quiet_NaN(), cohort).has_value());
}

TEST(Aggregate, RecommendationBoundaries) {
  EXPECT_EQ(Recommend(59.99), Recommendation::kNotRecommended);
  EXPECT_EQ(Recommend(60), Recommendation::kReview);
  EXPECT_EQ(Recommend(79.99), Recommendation::kReview);
  EXPECT_EQ(Recommend(80), Recommendation::kRecommend);
  EXPECT_EQ(Recommend(100), Recommendation::kRecommend);
  EXPECT_EQ(Recommend(0), Recommendation::kNotRecommended);
  EXPECT_EQ(Recommend(std::numeric_limits<double>::quiet_NaN()), Recommendation::kReview);
  const domain::Thresholds strict{90, 70};
  EXPECT_EQ(Recommend(85, strict), Recommendation::kReview);
  EXPECT_EQ(Recommend(69.99, strict), Recommendation::kNotRecommended);
  EXPECT_EQ(Recommend(90, strict), Recommendation::kRecommend);
  EXPECT_EQ(ToString(Recommendation::kNotRecommended), "not_recommended");
  EXPECT_EQ(ToString(Recommendation::kRecommend), "recommend");
  EXPECT_EQ(ToString(Recommendation::kReview), "review");
}

TEST(Aggregate, ScoreToLevelCutPoints) {
  EXPECT_EQ(ScoreToLevel(0), 1);
  EXPECT_EQ(ScoreToLevel(19.99), 1);
  EXPECT_EQ(ScoreToLevel(20), 2);
  EXPECT_EQ(ScoreToLevel(39.99), 2);
  EXPECT_EQ(ScoreToLevel(40), 3);
  EXPECT_EQ(ScoreToLevel(59.99), 3);
  EXPECT_EQ(ScoreToLevel(60), 4);
  EXPECT_EQ(ScoreToLevel(79.99), 4);
  EXPECT_EQ(ScoreToLevel(80), 5);
  EXPECT_EQ(ScoreToLevel(100), 5);
  EXPECT_EQ(ScoreToLevel(-5), 1);
  EXPECT_EQ(ScoreToLevel(150), 5);
  EXPECT_EQ(ScoreToLevel(std::numeric_limits<double>::quiet_NaN()), 1);
  EXPECT_EQ(LevelLowerBound(1), 0.0);
  EXPECT_EQ(LevelLowerBound(4), 60.0);
  EXPECT_EQ(LevelLowerBound(9), 80.0);
  for (int level = 1; level <= 5; ++level) EXPECT_EQ(ScoreToLevel(LevelLowerBound(level)), level);
}

TEST(AggregateProperty, OutputsStayInRangeOnRandomInputs) {
  std::mt19937 rng(12345);
  std::uniform_real_distribution<double> score(-50, 150);
  std::uniform_real_distribution<double> weight(-1, 5);
  std::uniform_int_distribution<int> dim(0, 4);
  std::uniform_int_distribution<int> level(0, 6);
  const auto model = Model({{"d0", 10}, {"d1", 20}, {"d2", 30}, {"d3", 40}, {"d4", 0}});
  for (int round = 0; round < 200; ++round) {
    std::vector<QuestionDimensionScore> qs;
    const int n = dim(rng) * 3;
    for (int i = 0; i < n; ++i)
      qs.push_back(
          {"q" + std::to_string(i), "d" + std::to_string(dim(rng)), score(rng), weight(rng)});
    const auto dims = AggregateDimensions(qs);
    for (const DimensionScore& d : dims) {
      EXPECT_GE(d.score, 0.0);
      EXPECT_LE(d.score, 100.0);
    }
    const std::vector<DimensionTarget> targets = {{"d0", level(rng)}, {"d3", level(rng)}};
    if (auto o = OverallScore(dims, model)) {
      EXPECT_GE(*o, 0.0);
      EXPECT_LE(*o, 100.0);
      EXPECT_GE(ScoreToLevel(*o), 1);
      EXPECT_LE(ScoreToLevel(*o), 5);
    }
    if (auto m = JobMatchPercent(dims, model, targets)) {
      EXPECT_GE(*m, 0.0);
      EXPECT_LE(*m, 100.0);
    }
    std::vector<double> cohort;
    for (int i = 0; i < n; ++i) cohort.push_back(score(rng));
    if (auto p = Percentile(score(rng), cohort)) {
      EXPECT_GE(*p, 0.0);
      EXPECT_LE(*p, 100.0);
    }
  }
}

}  // namespace
}  // namespace zm::scoring
