// Rubric scorer: Prepare (per question) and Score (per answer). Explanations, feedback and
// advice texts live in rubric_text.cc, the built-in lexicons in rubric_lexicons.cc.
//
// How a dimension score is made (all components 0..1, see ScoreComponents; the same text with
// the calibration table is in docs/scoring.md, "Rubric scorer"):
//
//   indicators   share of the dimension's indicators and applicable key points found, by phrase
//                or synonym match on normalized text, or by all content words of a 2..4-word
//                variant occurring in one sentence. Scored as credit = share^0.8.
//   star         0.2 situation + 0.2 task + 0.3 action + 0.3 result markers (zh and en lexicons):
//                action and result are what separates an example from a story setting.
//   specificity  0.85 * (1 - exp(-points / 2)) + 0.15 * (a quantity in a sentence with a result
//                marker), points summed over distinct details: percent or money 1.0, duration
//                0.8, other numbers, years, names, acronyms and 《titles》 0.6, time words 0.5.
//                Saturating, so a list of numbers does not beat a described result.
//   relevance    with reference answers 0.5 * clamp((ref - 0.05) / 0.35) + 0.5 * question part,
//                ref = max over references of (cosine + coverage + BM25n) / 3 (the formula the
//                reference_similarity benchmark validated); question part =
//                clamp((q - 0.03) / 0.20), q = max over the question texts of (coverage + BM25n)
//                / 2. Without references the question part alone, and the relevance weight below
//                is halved (the question text says less than a reference).
//   length       length against expected_length (linear below min; above max down to 0.5 at
//                twice max); with the answer time known 0.8 length + 0.2 time (1 within the
//                limit, falling to 0 at twice the limit).
//
// Weights by question type {indicators, star, specificity, relevance, length}:
//   behavioural           0.35 0.20 0.15 0.20 0.10
//   situational/scenario  0.35 0.15 0.10 0.25 0.15
//   technical             0.40 0.05 0.05 0.35 0.15
// renormalized to sum 1 when a dimension has no indicators or key points (its weight goes to
// the others) and when the question has no reference answers (relevance halved first).
//
// Content gate: star, specificity and length only count in proportion to how on-topic the
// answer is, gate = clamp((max(indicator credit, relevance) - 0.1) / 0.4, 0, 1). A
// well-structured story about something else must not score like an answer; it lands in 0..25.
//
//   raw   = w_i * credit + w_r * relevance + gate * (w_s * star + w_p * spec + w_l * length)
//   score = 100 * raw^0.7, rounded to 0.1
//
// Calibrated on the answers in rubric_test.cc: strong STAR answers with most indicators 75..97,
// vague generic ones 30..50, off-topic 0..25. An answer that mostly repeats the question
// (near_copy_question) keeps 30% of its score. The other flags do not change the score: they
// ask a person to look (near-copy of another candidate may have an innocent explanation;
// only-"I" is a question for the interviewer, not a deduction).
#include "scoring/rubric.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "scoring/aggregate.h"
#include "scoring/rubric_internal.h"
#include "text/analyzer.h"
#include "text/features.h"
#include "text/phrase_matcher.h"

namespace zm::scoring {

using internal::PreparedDimension;
using internal::PreparedItem;

namespace {

// Evidence per indicator / STAR part / flag: enough to show, not a dump of every occurrence.
constexpr size_t kMaxEvidencePerItem = 3;
constexpr size_t kMaxFlagEvidence = 5;
// STAR markers are kept in full (up to this many per part) because feedback looks for a result
// marker after each indicator.
constexpr size_t kMaxStarEvidence = 20;

// Indicator credit = share^0.8: the first indicators found count a little more than the last.
constexpr double kIndicatorExponent = 0.8;
// Content gate: 0 up to this topicality, 1 from floor + span on.
constexpr double kGateFloor = 0.1;
constexpr double kGateSpan = 0.4;
// Raw similarities of off-topic answers sit near the floors, those of answers in the
// references' own words near floor + span (measured on the test answers in rubric_test.cc).
constexpr double kReferenceFloor = 0.05;
constexpr double kReferenceSpan = 0.35;
constexpr double kQuestionFloor = 0.03;
constexpr double kQuestionSpan = 0.20;
// Concave curve from the weighted sum to the score: partial evidence earns partial credit,
// the top of the range needs everything (0.2 -> 32, 0.5 -> 62, 0.9 -> 93).
constexpr double kCurve = 0.7;
constexpr double kCopiedQuestionFactor = 0.3;
constexpr double kTooShortShare = 0.4;
constexpr double kNearDuplicateJaccard = 0.8;  // NearDuplicate's default threshold
constexpr double kQuestionContainment = 0.6;

// Topic-neutral answers added to every question's similarity corpus so that IDF knows the
// words every answer uses (我, 工作, 努力, the, work ...). Fixed: changing it moves scores.
constexpr std::string_view kBackgroundCorpus[] = {
    "我觉得这个问题很重要，我会认真对待，做好自己的工作，和大家一起努力，把事情做好。",
    "我是一个认真负责的人，平时工作中会注意沟通，也会不断学习，提高自己的能力。",
    "在工作中我们经常会遇到各种各样的问题，需要及时处理，保持积极的心态，解决问题。",
    "这个经历让我学到了很多，以后我会继续努力，争取做得更好，也希望有机会加入贵公司。",
    "我们的工作就是要为公司创造价值，为客户提供好的服务，同时提升自己的专业能力。",
    "i think this is important. i always try my best to do a good job and work hard with the "
    "people around me.",
    "in my work i often deal with different problems and i try to stay positive and keep "
    "learning new things.",
    "this experience taught me a lot, and in the future i will keep improving and do better "
    "for the company and the customers.",
};

double Clamp01(double x) { return std::isnan(x) ? 0.0 : std::clamp(x, 0.0, 1.0); }

size_t CodePoints(std::string_view s) { return text::ByteToCharOffset(s, s.size()); }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Strips a regular English inflection so that the matcher's inflection handling can find every
// form: "listening" -> "listen" (also finds "listened"). Leaves short words alone.
std::string Stem(std::string word) {
  auto strip = [&](std::string_view suffix, size_t keep) {
    if (word.size() >= suffix.size() + keep && word.ends_with(suffix)) {
      word.resize(word.size() - suffix.size());
      return true;
    }
    return false;
  };
  if (strip("ing", 4) || strip("ed", 4)) return word;
  if (!word.ends_with("ss")) strip("s", 4);
  return word;
}

Evidence MakeEvidence(std::string_view kind, std::string label, int part,
                      const text::NormalizedText& norm, const text::Span& span) {
  Evidence e;
  e.kind = std::string(kind);
  e.label = std::move(label);
  e.part = part;
  e.begin = span.char_begin;
  e.end = span.char_end;
  e.text = std::string(norm.OriginalText(span));
  return e;
}

bool EvidenceLess(const Evidence& a, const Evidence& b) {
  if (a.part != b.part) return a.part < b.part;
  if (a.begin != b.begin) return a.begin < b.begin;
  if (a.end != b.end) return a.end > b.end;
  return a.kind < b.kind;
}

// Index of the sentence holding normalized byte `pos` (the last sentence starting at or before
// it; 0 when none).
size_t SentenceOf(const std::vector<text::ByteRange>& sentences, size_t pos) {
  auto it = std::upper_bound(sentences.begin(), sentences.end(), pos,
                             [](size_t p, const text::ByteRange& r) { return p < r.begin; });
  return it == sentences.begin() ? 0 : static_cast<size_t>(it - sentences.begin() - 1);
}

// What Score learns from one part (answer or follow-up).
struct PartAnalysis {
  int part = 0;
  text::NormalizedText norm;
  std::vector<text::ByteRange> sentences;
  std::vector<text::PhraseMatch> items;
  std::vector<text::PhraseMatch> words;  // sorted by (phrase_index, norm_begin)
  // Built-in lexicon matches by group (internal::Lexicon), each leftmost-longest.
  std::array<std::vector<text::PhraseMatch>, internal::kLexiconGroups> lexicon;
  std::vector<text::NumberMention> numbers;
  text::PronounCounts pronouns;
};

// ---------------------------------------------------------------------------------------------
// Named things: Latin product names and acronyms, 《titles》. Scanned on the original text,
// because normalization folds the letter case that tells "Excel" from "excel".

struct Cp {
  char32_t cp;
  size_t byte;
};

std::vector<Cp> DecodeAll(std::string_view s) {
  std::vector<Cp> out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    auto b0 = static_cast<unsigned char>(s[i]);
    size_t len = b0 < 0x80 ? 1 : (b0 >> 5) == 6 ? 2 : (b0 >> 4) == 14 ? 3 : (b0 >> 3) == 30 ? 4 : 1;
    if (i + len > s.size()) len = 1;
    char32_t cp = len == 1 ? b0 : (b0 & (0x7F >> len));
    for (size_t k = 1; k < len; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) {
        len = 1;
        cp = 0xFFFD;
        break;
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    i += len;
    out.push_back({cp, start});
  }
  return out;
}

bool IsUpper(char32_t c) { return c >= 'A' && c <= 'Z'; }
bool IsLowerAscii(char32_t c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char32_t c) { return IsUpper(c) || IsLowerAscii(c) || IsDigit(c); }

bool IsSentenceStartBefore(const std::vector<Cp>& cps, size_t i) {
  while (i > 0) {
    const char32_t c = cps[i - 1].cp;
    if (c == ' ' || c == '\t' || c == 0x3000) {
      --i;
      continue;
    }
    switch (c) {
      case '.':
      case '!':
      case '?':
      case ':':
      case ';':
      case '\n':
      case '\r':
      case '"':
      case '\'':
      case '(':
      case 0x201C:  // “
      case 0x2018:  // ‘
      case 0x3002:  // 。
      case 0xFF01:  // ！
      case 0xFF1F:  // ？
      case 0xFF1A:  // ：
      case 0xFF1B:  // ；
      case 0x2026:  // …
        return true;
      default:
        return false;
    }
  }
  return true;
}

void FindNamedThings(std::string_view original, int part, std::vector<Evidence>* out) {
  const std::vector<Cp> cps = DecodeAll(original);
  auto add = [&](std::string_view label, size_t b, size_t e) {  // indexes into cps
    Evidence ev;
    ev.kind = "named_entity";
    ev.label = std::string(label);
    ev.part = part;
    // Character offsets counted as NormalizedText::OriginalSpan counts them, so that every
    // span of one answer agrees even around invalid bytes.
    const size_t byte_begin = cps[b].byte;
    const size_t byte_end = e < cps.size() ? cps[e].byte : original.size();
    ev.begin = text::ByteToCharOffset(original, byte_begin);
    ev.end = ev.begin + text::ByteToCharOffset(original.substr(byte_begin), byte_end - byte_begin);
    ev.text = std::string(original.substr(byte_begin, byte_end - byte_begin));
    out->push_back(std::move(ev));
  };
  for (size_t i = 0; i < cps.size();) {
    const char32_t c = cps[i].cp;
    if (c == U'《') {
      size_t j = i + 1;
      while (j < cps.size() && j <= i + 40 && cps[j].cp != U'》' && cps[j].cp != '\n') ++j;
      if (j < cps.size() && cps[j].cp == U'》' && j > i + 1) {
        add("title", i, j + 1);
        i = j + 1;
        continue;
      }
      ++i;
      continue;
    }
    if (!(IsUpper(c) || IsLowerAscii(c)) || (i > 0 && IsAlnum(cps[i - 1].cp))) {
      ++i;
      continue;
    }
    // A Latin word: letters and digits, inner '-' or '.' before an alphanumeric, trailing
    // '+' or '#' (C++, C#).
    size_t j = i;
    size_t upper = 0, lower = 0, digits = 0;
    bool camel = false;
    while (j < cps.size()) {
      const char32_t d = cps[j].cp;
      if (IsAlnum(d)) {
        if (IsUpper(d)) {
          if (j > i && IsLowerAscii(cps[j - 1].cp)) camel = true;
          ++upper;
        } else if (IsLowerAscii(d)) {
          ++lower;
        } else {
          ++digits;
        }
        ++j;
      } else if ((d == '-' || d == '.') && j + 1 < cps.size() && IsAlnum(cps[j + 1].cp) && j > i) {
        ++j;
      } else {
        break;
      }
    }
    while (j < cps.size() && (cps[j].cp == '+' || cps[j].cp == '#') && j - i < 12) ++j;
    const size_t letters = upper + lower;
    const size_t length = j - i;
    std::string_view label;
    if (letters >= 2 && upper >= 2 && lower == 0) {
      // All-caps acronym (CRM, KPI, SQL); "OK" is a word, not a name.
      const std::string_view word = original.substr(
          cps[i].byte, (j < cps.size() ? cps[j].byte : original.size()) - cps[i].byte);
      if (word != "OK") label = "acronym";
    } else if (camel || (letters >= 1 && digits >= 1 && length >= 2) ||
               (length >= 2 && IsUpper(c) && !IsSentenceStartBefore(cps, i))) {
      label = "name";  // WeChat, Python3, Salesforce mid-sentence, Excel in Chinese text
    }
    if (!label.empty()) add(label, i, j);
    i = j;
  }
}

// ---------------------------------------------------------------------------------------------
// Similarity helpers

uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace

namespace internal {

std::vector<uint64_t> Shingles5(std::string_view text) {
  constexpr size_t k = 5;
  const std::u32string cps = NormalizeForMatching(text);
  std::vector<uint64_t> out;
  if (cps.empty()) return out;
  auto hash = [&](size_t begin, size_t n) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t j = 0; j < n; ++j)
      h = (h ^ static_cast<uint64_t>(cps[begin + j])) * 0x100000001b3ULL;
    return Mix64(h ^ n);
  };
  if (cps.size() < k) {
    out.push_back(hash(0, cps.size()));
    return out;
  }
  out.reserve(cps.size() - k + 1);
  for (size_t i = 0; i + k <= cps.size(); ++i) out.push_back(hash(i, k));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Overlap Compare(const Document& answer, const Document& reference) {
  double dot = 0, covered = 0, bm25 = 0;
  size_t i = 0, j = 0;
  while (i < answer.terms.size() && j < reference.terms.size()) {
    if (answer.terms[i].id < reference.terms[j].id) {
      ++i;
    } else if (reference.terms[j].id < answer.terms[i].id) {
      ++j;
    } else {
      dot += answer.weights[i] * reference.weights[j];
      covered += reference.weights[j];
      bm25 += reference.bm25_weights[j];
      ++i, ++j;
    }
  }
  Overlap o;
  o.cosine = std::clamp(dot, 0.0, 1.0);
  o.coverage = reference.weight_sum > 0 ? std::clamp(covered / reference.weight_sum, 0.0, 1.0) : 0;
  o.bm25 = reference.bm25_self > 0 ? std::clamp(bm25 / reference.bm25_self, 0.0, 1.0) : 0;
  return o;
}

size_t Intersection(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  size_t common = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  return common;
}

}  // namespace internal

struct RubricScorer::Impl {
  const text::Analyzer* analyzer = nullptr;

  PartAnalysis Analyze(const PreparedQuestion& q, std::string_view input, int part) const;
};

RubricScorer::RubricScorer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RubricScorer::~RubricScorer() = default;

Result<std::unique_ptr<RubricScorer>> RubricScorer::Create(const text::Analyzer& analyzer) {
  auto impl = std::make_unique<Impl>();
  impl->analyzer = &analyzer;
  // Build the static lexicons now rather than inside the first scored answer.
  internal::LexiconMatcher();
  return std::unique_ptr<RubricScorer>(new RubricScorer(std::move(impl)));
}

// ---------------------------------------------------------------------------------------------
// Prepare

Result<std::shared_ptr<const PreparedQuestion>> RubricScorer::Prepare(
    const domain::Question& question, const domain::CompetencyModel& model) const {
  const text::Analyzer& analyzer = *impl_->analyzer;
  std::vector<const domain::Dimension*> dims;
  for (const domain::Dimension& d : model.dimensions) {
    if (question.dimension_keys.empty() ||
        std::find(question.dimension_keys.begin(), question.dimension_keys.end(), d.key) !=
            question.dimension_keys.end()) {
      dims.push_back(&d);
    }
  }
  if (dims.empty()) {
    return InvalidArgument(
        "the question covers no dimension of the competency model",
        {{"dimension_keys", "none of the question's dimension keys is in the competency model"}});
  }

  auto q = std::make_shared<PreparedQuestion>();
  q->type = question.type;
  q->question_zh = question.text.zh;
  q->question_en = question.text.en;
  q->expected_length = question.expected_length;
  q->answer_seconds = question.answer_seconds;

  // Items: each dimension's indicators, then the key points (shared by the dimensions they
  // count for). Variants: the name, the synonyms, the English name.
  std::vector<std::vector<std::string>> variants;  // normalized, per item
  auto add_item = [&](PreparedItem item, const std::vector<std::string>& raw) {
    std::vector<std::string> normalized;
    for (const std::string& r : raw) {
      std::string n = analyzer.Normalize(r).text;
      if (!n.empty() && std::find(normalized.begin(), normalized.end(), n) == normalized.end()) {
        normalized.push_back(std::move(n));
      }
    }
    variants.push_back(std::move(normalized));
    q->items.push_back(std::move(item));
    return q->items.size() - 1;
  };
  for (const domain::Dimension* d : dims) {
    PreparedDimension pd;
    pd.key = d->key;
    pd.name = d->name;
    pd.name_en = d->name_en.empty() ? d->name : d->name_en;
    pd.weight = d->weight;
    pd.level_anchors = d->level_anchors;
    for (const domain::Indicator& ind : d->indicators) {
      PreparedItem item;
      item.key = ind.key;
      item.name = ind.name;
      item.name_en = ind.name_en.empty() ? ind.name : ind.name_en;
      std::vector<std::string> raw = {ind.name};
      raw.insert(raw.end(), ind.synonyms.begin(), ind.synonyms.end());
      if (!ind.name_en.empty()) raw.push_back(ind.name_en);
      pd.items.push_back(add_item(std::move(item), raw));
    }
    q->dimensions.push_back(std::move(pd));
  }
  const auto& key_points = question.rubric.key_points;
  for (size_t i = 0; i < key_points.size(); ++i) {
    const domain::KeyPoint& kp = key_points[i];
    PreparedItem item;
    item.key = "kp" + std::to_string(i);
    item.name = kp.text;
    item.name_en = kp.text;
    item.from_key_point = true;
    std::vector<std::string> raw = {kp.text};
    raw.insert(raw.end(), kp.synonyms.begin(), kp.synonyms.end());
    const size_t index = add_item(std::move(item), raw);
    // A key point counts for its dimension; with none, or one this question does not score,
    // for every scored dimension (it is still part of the question's rubric).
    bool assigned = false;
    if (kp.dimension_key) {
      for (PreparedDimension& pd : q->dimensions) {
        if (pd.key == *kp.dimension_key) {
          pd.items.push_back(index);
          assigned = true;
        }
      }
    }
    if (!assigned) {
      for (PreparedDimension& pd : q->dimensions) pd.items.push_back(index);
    }
  }

  // Phrase matcher over every variant; co-occurrence words from multi-word variants.
  std::vector<text::PhraseSpec> specs;
  std::unordered_map<std::string, uint32_t> word_ids;
  std::vector<text::PhraseSpec> word_specs;
  for (size_t i = 0; i < q->items.size(); ++i) {
    text::PhraseSpec spec;
    spec.id = "i" + std::to_string(i);
    if (!variants[i].empty()) {
      spec.phrase = variants[i][0];
      spec.synonyms.assign(variants[i].begin() + 1, variants[i].end());
    }
    specs.push_back(std::move(spec));
    for (const std::string& v : variants[i]) {
      std::vector<std::string> words;
      for (const text::Token& t : analyzer.Segment(v, analyzer.DetectLanguage(v))) {
        std::string w;
        if (t.kind == text::Token::Kind::kIdeographic || t.kind == text::Token::Kind::kKana) {
          if (CodePoints(t.text) < 2) continue;  // 的, 和, 及: no content on their own
          w = t.text;
        } else if (t.kind == text::Token::Kind::kLetter) {
          if (CodePoints(t.text) < 3 || internal::IsStopWord(t.text)) continue;
          w = Stem(t.text);
        } else {
          continue;
        }
        if (std::find(words.begin(), words.end(), w) == words.end()) words.push_back(w);
      }
      if (words.size() < 2 || words.size() > 4) continue;
      std::vector<uint32_t> ids;
      for (const std::string& w : words) {
        auto [it, inserted] = word_ids.try_emplace(w, static_cast<uint32_t>(word_specs.size()));
        if (inserted) word_specs.push_back({"w" + std::to_string(it->second), w, {}});
        ids.push_back(it->second);
      }
      auto& cooc = q->items[i].cooccurrence;
      if (std::find(cooc.begin(), cooc.end(), ids) == cooc.end()) cooc.push_back(std::move(ids));
    }
  }
  q->item_matcher = text::PhraseMatcher::FromNormalized(std::move(specs));
  q->word_matcher = text::PhraseMatcher::FromNormalized(std::move(word_specs));

  // Teamwork context: a scored dimension or the question itself is about working with others.
  std::vector<std::string> question_texts;
  for (const std::string* t : {&question.text.zh, &question.text.en}) {
    std::string n = analyzer.Normalize(*t).text;
    if (!n.empty()) question_texts.push_back(std::move(n));
  }
  for (const std::string& t : question_texts) q->teamwork |= internal::MentionsTeamwork(t);
  for (const PreparedDimension& pd : q->dimensions) {
    q->teamwork |= internal::MentionsTeamwork(Lower(pd.key)) ||
                   internal::MentionsTeamwork(analyzer.Normalize(pd.name).text) ||
                   internal::MentionsTeamwork(analyzer.Normalize(pd.name_en).text);
  }

  // Similarity: IDF over the background answers, the references and the question texts.
  std::vector<std::string> references;
  for (const domain::ReferenceAnswer& r : question.reference_answers) {
    std::string n = analyzer.Normalize(r.text).text;
    if (!n.empty()) references.push_back(std::move(n));
  }
  std::vector<std::string> corpus(std::begin(kBackgroundCorpus), std::end(kBackgroundCorpus));
  corpus.insert(corpus.end(), references.begin(), references.end());
  corpus.insert(corpus.end(), question_texts.begin(), question_texts.end());
  q->similarity = SimilarityModel(std::span<const std::string>(corpus));
  for (const std::string& r : references) q->references.push_back(q->similarity.Analyze(r));
  for (const std::string& t : question_texts) {
    q->questions.push_back(q->similarity.Analyze(t));
    q->question_shingles.push_back(internal::Shingles5(t));
  }
  q->has_references = !q->references.empty();
  return std::shared_ptr<const PreparedQuestion>(std::move(q));
}

// ---------------------------------------------------------------------------------------------
// Score

PartAnalysis RubricScorer::Impl::Analyze(const PreparedQuestion& q, std::string_view input,
                                         int part) const {
  PartAnalysis a;
  a.part = part;
  a.norm = analyzer->Normalize(input);
  if (a.norm.text.empty()) return a;
  a.sentences = analyzer->Sentences(a.norm.text);
  a.items = q.item_matcher.Find(a.norm);
  a.words = q.word_matcher.Find(a.norm);
  std::stable_sort(a.words.begin(), a.words.end(),
                   [](const text::PhraseMatch& x, const text::PhraseMatch& y) {
                     return x.phrase_index < y.phrase_index;
                   });
  // One scan for every built-in lexicon; overlaps are resolved within a group only (去年 is
  // both a situation marker and a time frame).
  std::array<std::vector<text::PhraseMatch>, internal::kLexiconGroups> groups;
  for (text::PhraseMatch& m : internal::LexiconMatcher().Find(a.norm)) {
    groups[m.phrase_index].push_back(std::move(m));
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    a.lexicon[g] = text::PhraseMatcher::LeftmostLongest(std::move(groups[g]));
  }
  a.numbers = text::ExtractNumbers(a.norm);
  a.pronouns = text::CountPronouns(a.norm);
  return a;
}

namespace {

// Orders matches by phrase index, for equal_range over PartAnalysis::words.
struct ByPhrase {
  bool operator()(const text::PhraseMatch& m, size_t id) const { return m.phrase_index < id; }
  bool operator()(size_t id, const text::PhraseMatch& m) const { return id < m.phrase_index; }
};

// Finds an item in one part: direct phrase/synonym matches first, else a sentence holding
// every content word of one co-occurrence variant.
void FindItem(const PreparedQuestion& q, size_t index, const PartAnalysis& a,
              std::vector<Evidence>* evidence) {
  const PreparedItem& item = q.items[index];
  const std::string_view kind = item.from_key_point ? "key_point" : "indicator";
  size_t added = 0;
  for (const text::PhraseMatch& m : a.items) {
    if (m.phrase_index != index) continue;
    evidence->push_back(MakeEvidence(kind, item.key, a.part, a.norm, m.span));
    if (++added == kMaxEvidencePerItem) return;
  }
  if (added > 0 || a.words.empty()) return;
  auto occurrences = [&](uint32_t word) {
    return std::equal_range(a.words.begin(), a.words.end(), static_cast<size_t>(word), ByPhrase{});
  };
  for (const std::vector<uint32_t>& variant : item.cooccurrence) {
    auto [first, last] = occurrences(variant[0]);
    for (auto it = first; it != last; ++it) {
      const size_t sentence = SentenceOf(a.sentences, it->norm_begin);
      size_t begin = it->norm_begin;
      size_t end = it->norm_end;
      bool all = true;
      for (size_t w = 1; w < variant.size() && all; ++w) {
        auto [b, e] = occurrences(variant[w]);
        bool found = false;
        for (auto o = b; o != e; ++o) {
          if (SentenceOf(a.sentences, o->norm_begin) == sentence) {
            begin = std::min(begin, o->norm_begin);
            end = std::max(end, o->norm_end);
            found = true;
            break;
          }
        }
        all = found;
      }
      if (all) {
        evidence->push_back(
            MakeEvidence(kind, item.key, a.part, a.norm, a.norm.OriginalSpan(begin, end)));
        return;
      }
    }
  }
}

bool IsYear(const text::NumberMention& n, std::string_view norm_text) {
  if (n.kind != text::NumberKind::kNumber || n.value < 1950 || n.value > 2100 ||
      n.value != std::floor(n.value)) {
    return false;
  }
  const std::string_view s = norm_text.substr(n.norm_begin, n.norm_end - n.norm_begin);
  return s.ends_with("年") || s.size() == 4;
}

double SpecificPoints(const Evidence& e) {
  if (e.label == "percent" || e.label == "money") return 1.0;
  if (e.label == "duration") return 0.8;
  if (e.label == "time") return 0.5;
  return 0.6;  // number, year, acronym, name, title
}

bool IsQuantity(const Evidence& e) {
  return e.label == "number" || e.label == "percent" || e.label == "money" || e.label == "duration";
}

std::string Percent(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f", 100 * share);
  return buf;
}

// The whole (trimmed) text of a part as one evidence span.
Evidence WholePart(std::string_view kind, std::string label, const PartAnalysis& a) {
  return MakeEvidence(kind, std::move(label), a.part, a.norm,
                      a.norm.OriginalSpan(0, a.norm.text.size()));
}

}  // namespace

AnswerResult RubricScorer::Score(const PreparedQuestion& q, const AnswerInput& input) const {
  AnswerResult result;
  const text::Analyzer& analyzer = *impl_->analyzer;
  std::vector<PartAnalysis> parts;
  parts.push_back(impl_->Analyze(q, input.answer, 0));
  if (!input.follow_up.empty()) parts.push_back(impl_->Analyze(q, input.follow_up, 1));

  std::string combined;  // normalized answer + follow-up, for language and similarity
  for (const PartAnalysis& a : parts) {
    if (a.norm.text.empty()) continue;
    if (!combined.empty()) combined += '\n';
    combined += a.norm.text;
    result.length_chars += CodePoints(a.norm.text);
  }
  result.language = text::LanguageName(analyzer.DetectLanguage(combined));

  const int min_len = std::max(0, q.expected_length.min);
  const int max_len = std::max(min_len, q.expected_length.max);
  auto too_short_flag = [&] {
    RiskFlag f;
    f.code = "too_short";
    const std::string n = std::to_string(result.length_chars);
    const std::string m = std::to_string(min_len);
    f.message_zh = "回答过短：" + n + "字，题目期望至少" + m + "字。";
    f.message_en =
        "Far shorter than expected: " + n + " characters, the question expects at least " + m + ".";
    for (const PartAnalysis& a : parts) {
      if (!a.norm.text.empty()) f.evidence.push_back(WholePart("length", n + "/" + m, a));
    }
    return f;
  };

  // Empty answer: every dimension 0 with an explanation, never an error.
  if (combined.empty()) {
    result.empty = true;
    for (const PreparedDimension& pd : q.dimensions) {
      DimensionResult d;
      d.dimension_key = pd.key;
      d.level = 1;
      if (!pd.level_anchors.empty()) d.level_anchor = pd.level_anchors[0];
      for (size_t index : pd.items) {
        const PreparedItem& item = q.items[index];
        d.indicators.push_back({item.key, item.name, item.name_en, item.from_key_point, false, {}});
      }
      internal::ExplainEmpty(pd, &d.explanation_zh, &d.explanation_en);
      result.dimensions.push_back(std::move(d));
    }
    RiskFlag f = too_short_flag();
    f.message_zh = "未作答：回答为空。";
    f.message_en = "No answer was given: the answer is empty.";
    result.flags.push_back(std::move(f));
    return result;
  }

  // Items found (shared by the dimensions they count for).
  std::vector<std::vector<Evidence>> item_evidence(q.items.size());
  for (size_t i = 0; i < q.items.size(); ++i) {
    for (const PartAnalysis& a : parts) FindItem(q, i, a, &item_evidence[i]);
  }

  // STAR.
  StarResult& star = result.star;
  std::array<size_t, 4> star_count{};
  for (const PartAnalysis& a : parts) {
    for (size_t p = internal::kSituation; p <= internal::kResult; ++p) {
      for (const text::PhraseMatch& m : a.lexicon[p]) {
        if (star_count[p]++ < kMaxStarEvidence) {
          star.evidence.push_back(MakeEvidence(internal::kStarKinds[p], std::string(m.phrase_id),
                                               a.part, a.norm, m.span));
        }
      }
    }
  }
  star.situation = star_count[internal::kSituation] > 0;
  star.task = star_count[internal::kTask] > 0;
  star.action = star_count[internal::kAction] > 0;
  star.result = star_count[internal::kResult] > 0;
  std::sort(star.evidence.begin(), star.evidence.end(), EvidenceLess);
  const double star_score =
      0.2 * star.situation + 0.2 * star.task + 0.3 * star.action + 0.3 * star.result;

  // Specifics: numbers, time frames, named things; a quantity in a sentence with a result
  // marker is a quantified result.
  bool quantified_result = false;
  for (const PartAnalysis& a : parts) {
    if (a.norm.text.empty()) continue;
    std::vector<bool> result_sentence(a.sentences.size() + 1, false);
    for (const text::PhraseMatch& m : a.lexicon[internal::kResult]) {
      result_sentence[SentenceOf(a.sentences, m.norm_begin)] = true;
    }
    std::vector<std::pair<size_t, size_t>> taken;  // normalized ranges of numbers
    for (const text::NumberMention& n : a.numbers) {
      std::string label = IsYear(n, a.norm.text) ? "year" : text::NumberKindName(n.kind);
      const bool time = label == "year" || n.kind == text::NumberKind::kDuration;
      Evidence e = MakeEvidence(time ? "time_frame" : "number", label, a.part, a.norm, n.span);
      if (IsQuantity(e) && result_sentence[SentenceOf(a.sentences, n.norm_begin)]) {
        quantified_result = true;
      }
      taken.emplace_back(n.norm_begin, n.norm_end);
      result.specifics.push_back(std::move(e));
    }
    for (const text::PhraseMatch& m : a.lexicon[internal::kTimeFrame]) {
      const bool overlaps = std::any_of(taken.begin(), taken.end(), [&](const auto& r) {
        return m.norm_begin < r.second && r.first < m.norm_end;
      });
      if (!overlaps) {
        result.specifics.push_back(MakeEvidence("time_frame", "time", a.part, a.norm, m.span));
      }
    }
    FindNamedThings(a.norm.original, a.part, &result.specifics);
  }
  std::sort(result.specifics.begin(), result.specifics.end(), EvidenceLess);
  double points = 0;
  std::set<std::string> distinct;
  for (const Evidence& e : result.specifics) {
    if (distinct.insert(e.label + '\x1f' + Lower(e.text)).second) points += SpecificPoints(e);
  }
  const double specificity =
      Clamp01(0.85 * (1 - std::exp(-points / 2)) + 0.15 * (quantified_result ? 1 : 0));

  // Relevance to the reference answers and the question.
  const Document doc = q.similarity.Analyze(combined);
  double to_question = 0;
  for (const Document& qd : q.questions) {
    const internal::Overlap o = internal::Compare(doc, qd);
    to_question = std::max(to_question, 0.5 * o.coverage + 0.5 * o.bm25);
  }
  double to_references = 0;
  for (const Document& rd : q.references) {
    const internal::Overlap o = internal::Compare(doc, rd);
    to_references = std::max(to_references, (o.cosine + o.coverage + o.bm25) / 3);
  }
  const double question_part = Clamp01((to_question - kQuestionFloor) / kQuestionSpan);
  const double relevance =
      q.has_references
          ? 0.5 * Clamp01((to_references - kReferenceFloor) / kReferenceSpan) + 0.5 * question_part
          : question_part;

  // Length and time.
  const auto n = static_cast<double>(result.length_chars);
  double length_part = 1;
  if (min_len > 0 && n < min_len) length_part = n / min_len;
  const bool too_long = max_len > 0 && n > max_len;
  if (too_long) length_part = 1 - 0.5 * std::min(1.0, (n - max_len) / max_len);
  double length = length_part;
  bool overtime = false;
  if (input.answer_seconds && q.answer_seconds > 0 && std::isfinite(*input.answer_seconds)) {
    const double limit = q.answer_seconds;
    const double t = std::max(0.0, *input.answer_seconds);
    const double time_part = t <= limit ? 1.0 : Clamp01(1 - (t - limit) / limit);
    overtime = t > limit;
    length = 0.8 * length_part + 0.2 * time_part;
  }
  length = Clamp01(length);

  // Flags that the score depends on: the answer repeating the question.
  bool copied_question = false;
  for (const PartAnalysis& a : parts) {
    if (a.norm.text.empty() || q.question_shingles.empty()) continue;
    const std::vector<uint64_t> shingles = internal::Shingles5(a.norm.text);
    if (shingles.empty()) continue;
    for (const std::vector<uint64_t>& qs : q.question_shingles) {
      if (qs.empty()) continue;
      const double common = static_cast<double>(internal::Intersection(shingles, qs));
      const double jaccard = common / static_cast<double>(shingles.size() + qs.size() - common);
      const double containment = common / static_cast<double>(shingles.size());
      if (jaccard >= kNearDuplicateJaccard ||
          (containment >= kQuestionContainment && shingles.size() >= 2)) {
        copied_question = true;
        RiskFlag f;
        f.code = "near_copy_question";
        f.message_zh = "回答主要是在重复题目（与题目重合" + Percent(containment) + "%）。";
        f.message_en =
            "The answer mostly repeats the question (" + Percent(containment) + "% overlap).";
        f.evidence.push_back(WholePart("copy", "question", a));
        result.flags.push_back(std::move(f));
        break;
      }
    }
    if (copied_question) break;
  }

  // Dimensions.
  internal::ComponentWeights base = internal::WeightsFor(q.type);
  if (!q.has_references) base.relevance *= 0.5;
  for (const PreparedDimension& pd : q.dimensions) {
    DimensionResult d;
    d.dimension_key = pd.key;
    size_t found = 0;
    for (size_t index : pd.items) {
      const PreparedItem& item = q.items[index];
      IndicatorResult ir{item.key,
                         item.name,
                         item.name_en,
                         item.from_key_point,
                         !item_evidence[index].empty(),
                         item_evidence[index]};
      std::sort(ir.evidence.begin(), ir.evidence.end(), EvidenceLess);
      if (ir.found) ++found;
      d.indicators.push_back(std::move(ir));
    }
    ScoreComponents& c = d.components;
    c.indicators = pd.items.empty() ? 0.0 : static_cast<double>(found) / pd.items.size();
    c.star = star_score;
    c.specificity = specificity;
    c.relevance = Clamp01(relevance);
    c.length = length;

    internal::ComponentWeights w = base;
    if (pd.items.empty()) w.indicators = 0;
    const double sum = w.indicators + w.star + w.specificity + w.relevance + w.length;
    const double credit = std::pow(Clamp01(c.indicators), kIndicatorExponent);
    const double topical = std::max(pd.items.empty() ? 0.0 : credit, c.relevance);
    const double gate = Clamp01((topical - kGateFloor) / kGateSpan);
    double raw = (w.indicators * credit + w.relevance * c.relevance +
                  gate * (w.star * c.star + w.specificity * c.specificity + w.length * c.length)) /
                 sum;
    double scaled = std::pow(Clamp01(raw), kCurve);
    if (copied_question) scaled *= kCopiedQuestionFactor;
    d.score = std::round(1000 * Clamp01(scaled)) / 10;
    d.level = ScoreToLevel(d.score);
    if (static_cast<size_t>(d.level) <= pd.level_anchors.size()) {
      d.level_anchor = pd.level_anchors[static_cast<size_t>(d.level) - 1];
    }

    internal::ExplainInput ei;
    ei.dimension = &pd;
    ei.result = &d;
    ei.star = &star;
    ei.specifics = distinct.size();
    ei.has_references = q.has_references;
    ei.copied_question = copied_question;
    ei.too_long = too_long;
    ei.overtime = overtime;
    ei.length_ratio = min_len > 0 ? n / min_len : 1;
    internal::Explain(ei, &d.explanation_zh, &d.explanation_en);
    result.dimensions.push_back(std::move(d));
  }

  // Remaining flags.
  if (min_len > 0 && n < kTooShortShare * min_len) result.flags.push_back(too_short_flag());

  if (q.type == domain::QuestionType::kBehavioural && !star.situation && result.specifics.empty()) {
    RiskFlag f;
    f.code = "no_example";
    f.message_zh = "行为类问题，但回答没有给出具体事例（没有情境、时间、数字或具体名称）。";
    f.message_en =
        "A behavioural question answered without a concrete example (no situation, time, "
        "number or name).";
    for (const PartAnalysis& a : parts) {
      if (a.norm.text.empty()) continue;
      std::vector<Evidence> hedges;
      for (const text::PhraseMatch& m : a.lexicon[internal::kHypothetical]) {
        hedges.push_back(MakeEvidence("hedge", "hypothetical", a.part, a.norm, m.span));
      }
      for (const text::TermMention& m : text::FindHedges(a.norm)) {
        hedges.push_back(MakeEvidence("hedge", "hedge", a.part, a.norm, m.span));
      }
      std::sort(hedges.begin(), hedges.end(), EvidenceLess);
      hedges.erase(std::unique(hedges.begin(), hedges.end(),
                               [](const Evidence& x, const Evidence& y) {
                                 return x.part == y.part && x.begin < y.end && y.begin < x.end;
                               }),
                   hedges.end());
      for (Evidence& e : hedges) {
        if (f.evidence.size() < kMaxFlagEvidence) f.evidence.push_back(std::move(e));
      }
    }
    result.flags.push_back(std::move(f));
  }

  if (q.teamwork) {
    size_t singular = 0, plural = 0;
    for (const PartAnalysis& a : parts) {
      singular += a.pronouns.first_singular.size();
      plural += a.pronouns.first_plural.size() + a.pronouns.team.size() +
                a.lexicon[internal::kTogether].size();
    }
    if (singular >= 2 && plural == 0) {
      RiskFlag f;
      f.code = "teamwork_only_i";
      f.message_zh = "团队协作类问题，但回答只用“我”（" + std::to_string(singular) +
                     "次），没有提到“我们”或团队。";
      f.message_en = "A teamwork question answered only with \"I\" (" + std::to_string(singular) +
                     " times), never \"we\" or the team.";
      for (const PartAnalysis& a : parts) {
        for (const text::TermMention& m : a.pronouns.first_singular) {
          if (f.evidence.size() == kMaxFlagEvidence) break;
          f.evidence.push_back(
              MakeEvidence("first_person_singular", std::string(m.term), a.part, a.norm, m.span));
        }
      }
      result.flags.push_back(std::move(f));
    }
  }

  if (!input.other_answers.empty() && !parts[0].norm.text.empty()) {
    const std::vector<uint64_t> mine = internal::Shingles5(input.answer);
    double best = -1;
    size_t best_index = 0;
    for (size_t i = 0; i < input.other_answers.size() && !mine.empty(); ++i) {
      const std::vector<uint64_t> other = internal::Shingles5(input.other_answers[i]);
      if (other.empty()) continue;
      const double common = static_cast<double>(internal::Intersection(mine, other));
      const double jaccard = common / static_cast<double>(mine.size() + other.size() - common);
      if (jaccard >= kNearDuplicateJaccard && jaccard > best) {
        best = jaccard;
        best_index = i;
      }
    }
    if (best >= 0) {
      RiskFlag f;
      f.code = "near_copy_answer";
      f.message_zh = "与另一位候选人对同一题的回答高度相似（相似度" + Percent(best) + "%）。";
      f.message_en = "Nearly identical to another candidate's answer to this question (" +
                     Percent(best) + "% similar).";
      f.evidence.push_back(WholePart("copy", "answer", parts[0]));
      f.other_index = best_index;
      result.flags.push_back(std::move(f));
    }
  }
  return result;
}

}  // namespace zm::scoring
