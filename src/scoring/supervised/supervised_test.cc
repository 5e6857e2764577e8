#include "scoring/supervised/supervised.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scoring/supervised/internal/concepts.h"
#include "scoring/supervised/internal/features.h"
#include "scoring/supervised/internal/learners.h"

namespace zm::scoring::supervised {
namespace {

// Small deterministic generator (the tests must not depend on std:: distributions).
struct Rng {
  uint64_t state;
  uint64_t Next() {
    state += 0x9E3779B97F4A7C15ULL;
    return internal::Mix64(state);
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
};

const std::vector<std::string> kFiller = {"the",   "plant", "grows",  "in",    "a",     "garden",
                                          "with",  "water", "soil",   "and",   "roots", "leaves",
                                          "green", "tall",  "small",  "daily", "stems", "seeds",
                                          "pots",  "rain",  "summer", "often", "very",  "some"};

// Toy photosynthesis question: label 2 names both key concepts, 1 names one, 0 none.
TrainingSet ToySet(size_t n, uint64_t seed) {
  TrainingSet set;
  set.max_label = 2;
  Rng rng{seed};
  for (size_t i = 0; i < n; ++i) {
    const int label = static_cast<int>(i % 3);
    std::string text;
    const size_t words = 4 + rng.Below(6);
    for (size_t w = 0; w < words; ++w) text += kFiller[rng.Below(kFiller.size())] + " ";
    if (label >= 1) text += (rng.Below(2) ? "sunlight " : "chlorophyll ");
    if (label == 2) text += "glucose is made by photosynthesis ";
    for (size_t w = 0; w < 3; ++w) text += kFiller[rng.Below(kFiller.size())] + " ";
    set.examples.push_back({text, label, "", 0});
  }
  return set;
}

TrainOptions FastOptions() {
  TrainOptions o;
  o.tree_rounds = 40;
  o.tree_ngrams = 200;
  o.folds = 3;
  return o;
}

TEST(Metrics, PerfectPredictionsHaveQwkOne) {
  const std::vector<int> y = {0, 1, 2, 3, 3, 1, 0, 2};
  EXPECT_DOUBLE_EQ(internal::Qwk(y, y, 3), 1.0);
  const std::vector<int> off = {1, 1, 2, 3, 3, 1, 0, 2};
  EXPECT_LT(internal::Qwk(off, y, 3), 1.0);
}

TEST(Thresholds, MonotoneAndNoWorseThanRounding) {
  Rng rng{7};
  std::vector<double> pred;
  std::vector<int> y;
  for (int i = 0; i < 400; ++i) {
    const int label = static_cast<int>(rng.Below(4));
    y.push_back(label);
    // Compressed, shifted predictions: rounding at k + 0.5 is poor, tuned cuts do better.
    pred.push_back(0.8 + 0.4 * label + static_cast<double>(rng.Below(1000)) / 1500.0);
  }
  const std::vector<double> t = internal::TuneThresholds(pred, y, 3);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_TRUE(std::is_sorted(t.begin(), t.end()));
  auto rate = [&](const std::vector<double>& cuts) {
    std::vector<int> r;
    for (double p : pred) r.push_back(internal::ApplyThresholds(p, cuts));
    return internal::Qwk(r, y, 3);
  };
  EXPECT_GE(rate(t), rate({0.5, 1.5, 2.5}));
  EXPECT_GT(rate(t), 0.8);
}

TEST(Folds, StratifiedAndDeterministic) {
  std::vector<int> labels;
  for (int i = 0; i < 50; ++i) labels.push_back(i % 5 == 0 ? 1 : 0);
  const auto a = internal::StratifiedFolds(labels, 5, 42);
  EXPECT_EQ(a, internal::StratifiedFolds(labels, 5, 42));
  for (int f = 0; f < 5; ++f) {
    int pos = 0;
    int all = 0;
    for (size_t i = 0; i < labels.size(); ++i)
      if (a[i] == f) ++all, pos += labels[i];
    EXPECT_EQ(all, 10);
    EXPECT_EQ(pos, 2);
  }
}

TEST(Train, LearnsSeparableToyTask) {
  const TrainingSet train = ToySet(90, 1);
  const TrainingSet test = ToySet(60, 2);
  auto model = Train(train, FastOptions());
  ASSERT_TRUE(model) << model.error().message;
  EXPECT_GT(model->report().cv_qwk, 0.9);
  EXPECT_EQ(model->report().examples, 90u);
  EXPECT_TRUE(std::is_sorted(model->report().thresholds.begin(), model->report().thresholds.end()));
  std::vector<int> pred;
  std::vector<int> gold;
  for (const Example& e : test.examples) {
    pred.push_back(model->Predict(e.text).label);
    gold.push_back(e.label);
  }
  EXPECT_GT(internal::Qwk(pred, gold, 2), 0.9);
  double sum = 0;
  for (const LearnerReport& l : model->report().learners) sum += l.weight;
  EXPECT_NEAR(sum, 1.0, 1e-9);
}

TEST(Train, ChineseCharactersWithReferences) {
  TrainingSet set;
  set.max_label = 2;
  const std::string ref = "仓储企业包括保管员、理货员、商品养护员等岗位。";
  Rng rng{3};
  const std::vector<std::string> good = {"保管员", "理货员", "养护员"};
  for (int i = 0; i < 60; ++i) {
    const int label = i % 3;
    std::string text = "我认为";
    for (int k = 0; k < label + (label == 2 ? 1 : 0); ++k) text += good[rng.Below(3)] + "和";
    text += label == 0 ? "不太清楚这个问题。" : "等岗位。";
    set.examples.push_back({text, label, ref, 0});
  }
  auto model = Train(set, FastOptions());
  ASSERT_TRUE(model) << model.error().message;
  EXPECT_GT(model->report().cv_qwk, 0.8);
  EXPECT_EQ(model->Predict("我认为保管员和理货员和养护员等岗位。", ref).label, 2);
  EXPECT_EQ(model->Predict("我认为不太清楚这个问题。", ref).label, 0);
}

TEST(Model, SaveLoadRoundTripPredictsIdentically) {
  auto model = Train(ToySet(60, 5), FastOptions());
  ASSERT_TRUE(model) << model.error().message;
  const std::string json = model->Save();
  auto loaded = Model::Load(json);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->Save(), json);
  EXPECT_EQ(loaded->max_label(), 2);
  EXPECT_EQ(loaded->report().thresholds, model->report().thresholds);
  for (const Example& e : ToySet(30, 6).examples) {
    const Prediction a = model->Predict(e.text);
    const Prediction b = loaded->Predict(e.text);
    EXPECT_EQ(a.expected_score, b.expected_score);
    EXPECT_EQ(a.label, b.label);
    ASSERT_EQ(a.contributions.size(), b.contributions.size());
    for (size_t i = 0; i < a.contributions.size(); ++i) {
      EXPECT_EQ(a.contributions[i].feature, b.contributions[i].feature);
      EXPECT_EQ(a.contributions[i].effect, b.contributions[i].effect);
    }
  }
}

TEST(Model, LoadRejectsGarbage) {
  EXPECT_FALSE(Model::Load("not json"));
  EXPECT_FALSE(Model::Load("{}"));
  EXPECT_FALSE(Model::Load(R"({"format": "zm.supervised", "version": 99})"));
  auto model = Train(ToySet(45, 8), FastOptions());
  ASSERT_TRUE(model);
  std::string json = model->Save();
  const size_t p = json.rfind("\"thresholds\":[");  // top level, after "report"
  ASSERT_NE(p, std::string::npos);
  json.insert(p + 14, "0.1,");  // one threshold too many
  const auto bad = Model::Load(json);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST(Train, DeterministicGivenSeedAndIndependentOfThreads) {
  const TrainingSet set = ToySet(60, 9);
  TrainOptions one = FastOptions();
  one.threads = 1;
  TrainOptions two = FastOptions();
  two.threads = 2;
  auto a = Train(set, one);
  auto b = Train(set, two);
  auto c = Train(set, two);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->Save(), b->Save());
  EXPECT_EQ(b->Save(), c->Save());
  TrainOptions other = two;
  other.seed = 43;
  auto d = Train(set, other);
  ASSERT_TRUE(d);
  EXPECT_NE(d->Save(), b->Save());  // folds and tree sampling differ
}

// Example::target: the regression learners fit it, the thresholds and the report use the label.
TEST(Train, RegressionTargetIsCheckedAndFitted) {
  TrainingSet set = ToySet(60, 21);
  set.examples[4].target = 2.5;  // above the scale 0..2
  set.examples[4].line = 7;
  auto bad = Train(set, FastOptions());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("line 7"), std::string::npos) << bad.error().message;

  const TrainingSet plain = ToySet(60, 21);
  TrainingSet same = plain;  // targets equal to the labels: the same predictions
  for (Example& e : same.examples) e.target = e.label;
  TrainingSet soft = plain;  // a second rater half a point up on every answer rated 1
  for (Example& e : soft.examples)
    if (e.label == 1) e.target = 1.5;
  auto a = Train(plain, FastOptions());
  auto b = Train(same, FastOptions());
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->report().data_hash, b->report().data_hash);  // the targets are training data
  const std::string probe = "the plant grows with sunlight in summer";
  EXPECT_EQ(a->Predict(probe).expected_score, b->Predict(probe).expected_score);
  TrainOptions linear_only = FastOptions();
  linear_only.use_trees = linear_only.use_nbsvm = false;
  auto lin_plain = Train(plain, linear_only);
  auto lin_soft = Train(soft, linear_only);
  ASSERT_TRUE(lin_plain && lin_soft);
  EXPECT_GT(lin_soft->Predict(probe).expected_score,
            lin_plain->Predict(probe).expected_score + 0.2);
}

TEST(Predict, ExplanationSpansPointAtTheirNgrams) {
  auto model = Train(ToySet(90, 11), FastOptions());
  ASSERT_TRUE(model);
  // Upper case, repeated whitespace and a multi-byte character before the key words.
  const std::string text =
      "Ünd  the  PLANT uses Photosynthesis,   so glucose is made by photosynthesis.";
  const Prediction p = model->Predict(text, {}, {.explain_top = 20});
  ASSERT_FALSE(p.contributions.empty());
  size_t checked = 0;
  for (const Contribution& c : p.contributions) {
    const bool word = c.feature.starts_with("word:");
    const bool chr = c.feature.starts_with("char:");
    if (!word && !chr) {
      EXPECT_TRUE(c.spans.empty()) << c.feature;
      continue;
    }
    const std::string gram = c.feature.substr(5);
    for (const Span& s : c.spans) {
      ASSERT_LE(s.byte_end, text.size());
      ASSERT_LT(s.byte_begin, s.byte_end);
      std::string piece = text.substr(s.byte_begin, s.byte_end - s.byte_begin);
      std::string normalized;
      bool space = false;
      for (char ch : piece) {  // the test text's non-ASCII is outside the checked spans
        if (ch == ' ') {
          space = true;
          continue;
        }
        if (space && !normalized.empty()) normalized.push_back(' ');
        space = false;
        normalized.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
      }
      std::string expected = gram;
      while (!expected.empty() && expected.front() == ' ') expected.erase(expected.begin());
      while (!expected.empty() && expected.back() == ' ') expected.pop_back();
      EXPECT_EQ(normalized, expected) << c.feature << " at " << s.byte_begin;
      EXPECT_EQ(s.char_end - s.char_begin,
                std::string_view(piece).size() - (piece.find("\xC3\x9C") != std::string::npos));
      ++checked;
    }
  }
  EXPECT_GT(checked, 0u);
  // "photosynthesis" occurs twice: a word feature for it lists both occurrences.
  bool found = false;
  for (const Contribution& c : model->Predict(text, {}, {.explain_top = 200}).contributions) {
    if (c.feature == "word:photosynthesis") {
      found = true;
      ASSERT_EQ(c.spans.size(), 2u);
      EXPECT_EQ(text.substr(c.spans[0].byte_begin, 14), "Photosynthesis");
      EXPECT_EQ(c.spans[0].char_begin, 21u);  // "Ü" is one code point, two bytes
      EXPECT_EQ(c.spans[0].byte_begin, 22u);
      EXPECT_EQ(text.substr(c.spans[1].byte_begin, 14), "photosynthesis");
    }
  }
  EXPECT_TRUE(found);
}

TEST(Predict, NoExplanationWhenNotAsked) {
  auto model = Train(ToySet(45, 12), FastOptions());
  ASSERT_TRUE(model);
  const Prediction p = model->Predict("sunlight glucose photosynthesis", {}, {.explain_top = 0});
  EXPECT_TRUE(p.contributions.empty());
  EXPECT_GE(p.expected_score, 0.0);
  EXPECT_LE(p.expected_score, 2.0);
  // Empty and invalid UTF-8 input never fail.
  EXPECT_GE(model->Predict("").label, 0);
  EXPECT_GE(model->Predict("\xFF\xFE\xC3").label, 0);
}

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(ZM_SUPERVISED_TESTDATA) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Read, SkipsMalformedRowsWithLineNumbers) {
  const std::string tsv = ReadFixture("rated_small.tsv");
  ASSERT_FALSE(tsv.empty());
  ReadReport report;
  auto set = ReadTrainingTsv(tsv, {.max_label = 2}, &report);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(report.rows, 8u);
  EXPECT_EQ(report.skipped, 4u);
  std::vector<size_t> lines;
  for (const RowProblem& p : report.problems) lines.push_back(p.line);
  EXPECT_EQ(lines, (std::vector<size_t>{4, 5, 9, 10}));
  ASSERT_EQ(set->examples.size(), 4u);
  EXPECT_EQ(set->examples[2].line, 6u);
  EXPECT_EQ(set->examples[2].text,
            "A quoted answer\nthat spans two lines, with a \"quote\" inside.");
  EXPECT_EQ(set->examples[3].line, 8u);
  EXPECT_EQ(set->examples[0].reference, "Sunlight and chlorophyll make sugar.");
  EXPECT_EQ(set->examples[0].label, 2);
}

TEST(Read, StrictRefusesFirstMalformedRow) {
  auto set =
      ReadTrainingTsv(ReadFixture("rated_small.tsv"), {.max_label = 2, .strict = true}, nullptr);
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(set.error().message.find("line 4"), std::string::npos) << set.error().message;
}

TEST(Read, LabelOutsideScaleIsRefused) {
  auto set = ReadTrainingTsv("score\tanswer\n1\tok\n\n7\ttoo high\n", {.max_label = 3}, nullptr);
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message.find("line 4"), std::string::npos) << set.error().message;
  EXPECT_NE(set.error().message.find("0..3"), std::string::npos);
  EXPECT_FALSE(ReadTrainingTsv("score\tanswer\n-1\tnegative\n", {.max_label = 3}, nullptr));
}

TEST(Read, HeaderMustNameColumns) {
  auto set = ReadTrainingTsv("a\tb\n1\tx\n", {.max_label = 3}, nullptr);
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message.find("line 1"), std::string::npos);
  EXPECT_FALSE(ReadTrainingTsv("", {.max_label = 3}, nullptr));
  EXPECT_FALSE(ReadTrainingTsv("label\ttext\n", {.max_label = 0}, nullptr));
}

TEST(Train, RefusesBadInput) {
  TrainingSet set = ToySet(60, 13);
  set.examples[17].label = 5;
  set.examples[17].line = 19;
  auto bad_label = Train(set, FastOptions());
  ASSERT_FALSE(bad_label);
  EXPECT_NE(bad_label.error().message.find("line 19"), std::string::npos)
      << bad_label.error().message;

  auto few = Train(ToySet(10, 14), FastOptions());
  ASSERT_FALSE(few);
  EXPECT_NE(few.error().message.find("too few"), std::string::npos) << few.error().message;

  TrainingSet same = ToySet(60, 15);
  for (Example& e : same.examples) e.label = 1;
  auto constant = Train(same, FastOptions());
  ASSERT_FALSE(constant);
  EXPECT_EQ(constant.error().code, ErrorCode::kInvalidArgument);

  TrainingSet no_scale = ToySet(60, 16);
  no_scale.max_label = 0;
  EXPECT_FALSE(Train(no_scale, FastOptions()));

  TrainOptions no_learner = FastOptions();
  no_learner.use_linear = no_learner.use_logistic = no_learner.use_trees = false;
  no_learner.use_nbsvm = false;
  EXPECT_FALSE(Train(ToySet(60, 17), no_learner));
}

TEST(Features, NormalizationKeepsOffsets) {
  const std::string text = "  Ａb\tC  中文 ";
  const auto units = internal::NormalizeUnits(text);
  std::u32string cps;
  for (const auto& u : units) cps.push_back(u.cp);
  EXPECT_EQ(cps, U"ab c 中文");
  EXPECT_EQ(units[0].byte_begin, 2u);  // full-width Ａ: 3 bytes
  EXPECT_EQ(units[0].byte_end, 5u);
  EXPECT_EQ(units[0].char_index, 2u);
  const auto tokens = internal::Tokenize(units);
  ASSERT_EQ(tokens.size(), 4u);  // "ab", "c", "中", "文"
  EXPECT_EQ(tokens[2].end - tokens[2].begin, 1u);
}

TEST(Features, SpellerMapsRareWordsOntoFrequentNeighbours) {
  const std::vector<std::string_view> texts = {"the polymer chain", "a polymer and chlorophyll",
                                               "polymer", "chlorophyll", "1999 1999"};
  const auto speller = internal::Speller::Fit(texts, 2);
  EXPECT_EQ(speller.WordsUtf8(), (std::vector<std::string>{"chlorophyll", "polymer"}));
  auto hashes = [&](std::string_view text) {
    const auto units = internal::NormalizeUnits(text);
    auto tokens = internal::Tokenize(units);
    speller.Apply(units, &tokens);
    std::vector<uint64_t> out;
    for (const auto& t : tokens) out.push_back(t.hash);
    return out;
  };
  const auto want = hashes("polymer chlorophyll chain 1999");
  // Substitution, insertion, deletion, swap of neighbours; "chian" stays (chain is not
  // frequent); digits never change.
  EXPECT_EQ(hashes("polimer chlorophyl chain 1999"), want);
  EXPECT_EQ(hashes("polymers chlorophylll chain 1999"), want);
  EXPECT_EQ(hashes("poylmer chlorophyll chain 1999"), want);
  EXPECT_NE(hashes("polymer chlorophyll chian 1999")[2], want[2]);
  EXPECT_NE(hashes("polymer chlorophyll chain 1998")[3], want[3]);
  // Two edits away: unchanged.
  EXPECT_NE(hashes("pilimer chlorophyll chain 1999")[0], want[0]);
  // Empty speller: nothing changes.
  const auto none = internal::Speller::Fit(texts, 0);
  EXPECT_TRUE(none.empty());
}

TEST(Features, ConceptsAreTheNgramsOfHighRatingsCountedOncePerConcept) {
  const TrainingSet set = ToySet(120, 3);
  const FeatureOptions fo;
  std::vector<internal::RawDoc> raw;
  for (const Example& e : set.examples) raw.push_back(internal::AnalyzeRaw(e.text, fo));
  std::vector<const internal::RawDoc*> docs;
  for (const auto& d : raw) docs.push_back(&d);
  const auto vocab = internal::Vocabulary::Fit(docs, fo);
  std::vector<internal::SparseVec> vecs(raw.size());
  std::vector<const internal::SparseVec*> ptrs;
  std::vector<double> targets;
  for (size_t i = 0; i < raw.size(); ++i) {
    vocab.Vectorize(raw[i], &vecs[i]);
    ptrs.push_back(&vecs[i]);
    targets.push_back(set.examples[i].label);
  }
  const auto concepts = internal::Concepts::Build(ptrs, targets, vocab, {});
  ASSERT_FALSE(concepts.members.empty());
  // "glucose is made by photosynthesis" is one concept however many of its n-grams it has.
  auto features = [&](std::string_view text) {
    internal::SparseVec v;
    vocab.Vectorize(internal::AnalyzeRaw(text, fo), &v);
    std::array<float, internal::Concepts::kFeatures> out{};
    concepts.Features(v, out.data());
    return out;
  };
  const auto top = features("green leaves glucose is made by photosynthesis");
  const auto none = features("green leaves tall stems");
  EXPECT_GE(top[0], 1.0f);
  EXPECT_LE(top[0], 3.0f);
  EXPECT_GT(top[1], 0.0f);
  EXPECT_EQ(none[0], 0.0f);
  EXPECT_EQ(none[1], 0.0f);
  internal::Concepts copy;
  copy.members = concepts.members;
  copy.lift = concepts.lift;
  EXPECT_TRUE(copy.Restore(vocab.size()));
  EXPECT_FALSE(copy.Restore(1));  // an index outside the vocabulary
}

TEST(Model, SpellingDictionaryIsSavedAndOlderModelsLoadWithoutOne) {
  TrainingSet set = ToySet(60, 5);
  for (size_t i = 0; i < set.examples.size(); i += 7) {  // a few misspellings
    std::string& t = set.examples[i].text;
    if (auto p = t.find("photosynthesis"); p != std::string::npos)
      t.replace(p, 14, "photosynthesys");
  }
  TrainOptions o = FastOptions();
  o.features.spell_min_df = 3;
  auto model = Train(set, o);
  ASSERT_TRUE(model) << model.error().message;
  const std::string saved = model->Save();
  EXPECT_NE(saved.find("\"speller\":{"), std::string::npos);
  auto loaded = Model::Load(saved);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->Save(), saved);
  const Prediction a = model->Predict("glucose is made by photosynthesys in sunlight");
  const Prediction b = loaded->Predict("glucose is made by photosynthesys in sunlight");
  EXPECT_EQ(a.expected_score, b.expected_score);

  // A version 3 document (before the speller) loads and predicts without spelling changes.
  o.features.spell_min_df = 0;
  o.use_concepts = false;
  auto plain = Train(set, o);
  ASSERT_TRUE(plain);
  std::string v3 = plain->Save();
  const size_t at = v3.find("\"version\":4");
  ASSERT_NE(at, std::string::npos);
  v3.replace(at, 11, "\"version\":3");
  for (const std::string key : {"\"concepts\":null,", ",\"speller\":null", ",\"spell_min_df\":0"}) {
    const size_t k = v3.find(key);
    ASSERT_NE(k, std::string::npos) << key;
    v3.erase(k, key.size());
  }
  auto old = Model::Load(v3);
  ASSERT_TRUE(old) << old.error().message;
  for (const Example& e : ToySet(20, 9).examples)
    EXPECT_EQ(old->Predict(e.text).expected_score, plain->Predict(e.text).expected_score);
}

}  // namespace
}  // namespace zm::scoring::supervised
