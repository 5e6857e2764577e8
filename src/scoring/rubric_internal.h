// Private to the rubric scorer (rubric.cc, rubric_lexicons.cc, rubric_text.cc): the prepared
// question, built-in lexicons and the text (explanation / feedback) builders. Not part of the
// library's public surface; include rubric.h instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/question.h"
#include "scoring/rubric.h"
#include "scoring/similarity.h"
#include "text/phrase_matcher.h"

namespace zm::scoring {

namespace internal {

// One thing the answer is checked for: a competency indicator or a rubric key point.
struct PreparedItem {
  std::string key;  // indicator key, or "kp<i>"
  std::string name;
  std::string name_en;  // falls back to `name` when the model gives none
  bool from_key_point = false;
  // Co-occurrence variants: each is a list of content-word ids (into PreparedQuestion::words);
  // the item also counts as found when every word of one variant occurs in one sentence. Only
  // variants with 2..4 content words get one, so a single word never decides.
  std::vector<std::vector<uint32_t>> cooccurrence;
};

struct PreparedDimension {
  std::string key;
  std::string name;
  std::string name_en;  // falls back to `name`
  double weight = 0;
  std::vector<std::string> level_anchors;  // as in the model (normally 5)
  std::vector<size_t> items;               // indexes into PreparedQuestion::items
};

// Component weights of one question type (sum 1 before renormalization).
struct ComponentWeights {
  double indicators = 0;
  double star = 0;
  double specificity = 0;
  double relevance = 0;
  double length = 0;
};

// Weights by question type, documented in rubric.cc and docs/scoring.md.
ComponentWeights WeightsFor(domain::QuestionType type);

// Groups of the built-in lexicon; the phrase index of LexiconMatcher is the group.
//   kSituation..kResult  STAR markers (当时, 负责, 首先, 最终; when I was, my task, I decided,
//                        as a result ...)
//   kTimeFrame           time frames without a number (去年, 年底, last quarter ...)
//   kTogether            collaboration words beyond the pronoun lexicon (一起, 配合, together)
//   kHypothetical        hypothetical / generic phrasing (我会, 应该, would, should ...), the
//                        evidence of the no_example flag
enum Lexicon : size_t {
  kSituation = 0,
  kTask = 1,
  kAction = 2,
  kResult = 3,
  kTimeFrame = 4,
  kTogether = 5,
  kHypothetical = 6,
  kLexiconGroups = 7,
};
inline constexpr std::string_view kStarKinds[] = {"star_situation", "star_task", "star_action",
                                                  "star_result"};

// All built-in lexicons in one automaton (one scan per answer), normalized terms.
const text::PhraseMatcher& LexiconMatcher();
// True when normalized `text` names teamwork or collaboration (团队, 协作, 合作, team,
// collaborat...).
bool MentionsTeamwork(std::string_view normalized_text);
// True for an English word that carries no content ("the", "with", ...), lower case.
bool IsStopWord(std::string_view word);

}  // namespace internal

// Defined here so the scorer's .cc files share it; opaque to users of rubric.h.
class PreparedQuestion {
 public:
  domain::QuestionType type = domain::QuestionType::kBehavioural;
  std::string question_zh;  // original texts, for explanations
  std::string question_en;
  domain::ExpectedLength expected_length;
  int answer_seconds = 0;  // the question's limit
  bool teamwork = false;   // a dimension or the question is about teamwork
  bool has_references = false;

  std::vector<internal::PreparedDimension> dimensions;  // model order
  std::vector<internal::PreparedItem> items;
  text::PhraseMatcher item_matcher;  // phrase index == item index
  text::PhraseMatcher word_matcher;  // phrase index == content-word id

  SimilarityModel similarity{std::span<const std::string>{}};
  std::vector<Document> references;  // analysed normalized reference answers
  std::vector<Document> questions;   // analysed normalized question texts (zh, en)
  // Sorted 5-gram shingle hashes of each question text, for the near-copy check.
  std::vector<std::vector<uint64_t>> question_shingles;
};

namespace internal {

// Cosine, Coverage and Bm25Normalized of `answer` against `reference` in one merge over their
// terms: the same formulas and summation order as the SimilarityModel functions, so the same
// values bit for bit. Both documents from the same model.
struct Overlap {
  double cosine = 0;
  double coverage = 0;
  double bm25 = 0;  // normalized, 0..1
};
Overlap Compare(const Document& answer, const Document& reference);

// Sorted unique hashes of the k=5 code point shingles of NormalizeForMatching(text) (a text
// shorter than 5 is one shingle; empty -> none). Same sets as ShingleJaccard uses.
std::vector<uint64_t> Shingles5(std::string_view text);
// |a ∩ b| for sorted unique vectors.
size_t Intersection(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

// Everything the text builders need about one dimension's score.
struct ExplainInput {
  const PreparedDimension* dimension = nullptr;
  const DimensionResult* result = nullptr;
  const StarResult* star = nullptr;
  size_t specifics = 0;  // distinct specific details (numbers, time frames, names)
  bool has_references = false;
  bool copied_question = false;
  bool too_long = false;
  bool overtime = false;    // answer time over the question's limit
  double length_ratio = 1;  // answer length / expected minimum (1 when no minimum)
};

// "得分依据: ..." and "Basis: ..." for one dimension.
void Explain(const ExplainInput& in, std::string* zh, std::string* en);
// The explanations of an empty answer.
void ExplainEmpty(const PreparedDimension& dimension, std::string* zh, std::string* en);
// "82", "82.5": a score for display, deterministic.
std::string FormatScore(double score);

}  // namespace internal
}  // namespace zm::scoring
