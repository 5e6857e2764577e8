// Lexical similarity of an answer to reference answers on character n-grams: TF-IDF cosine,
// reference coverage, BM25, and near-duplicate detection with 5-gram shingles.
//
// Text is compared on Unicode code points after light normalization (NormalizeForMatching):
// ASCII lower-cased, full-width ASCII folded to half-width, punctuation and whitespace removed,
// CJK kept as is. No segmentation, no traditional/simplified folding (that is text/'s job).
// Everything here is deterministic and works on any byte string (invalid UTF-8 bytes are
// dropped). N-grams are hashed to 64-bit term ids; vectors are sorted sparse vectors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zm::scoring {

// Code points of `text` after the light normalization above. Invalid UTF-8 bytes are dropped.
std::u32string NormalizeForMatching(std::string_view text);

// N-gram lengths in code points. An n-gram takes its range from the script of its first code
// point: ASCII letters and digits use the latin_* range (single Latin letters carry little
// meaning), everything else (CJK, where one character is about one morpheme) uses min_n..max_n.
// Values are clamped to 1..8 and min <= max.
struct NgramOptions {
  int min_n = 1;
  int max_n = 3;
  int latin_min_n = 3;
  int latin_max_n = 5;
};

// Term (hashed n-gram) with its count in one text.
struct Term {
  uint64_t id = 0;
  uint32_t count = 0;
};

// A text analysed against one SimilarityModel: its terms sorted by id, with their
// L2-normalized sublinear TF-IDF weights (parallel to `terms`). Plain value; share freely.
struct Document {
  std::vector<Term> terms;
  std::vector<double> weights;  // (1 + ln tf) * idf, then L2-normalized; empty text: none
  double weight_sum = 0;        // sum of `weights`
  size_t length = 0;            // number of n-grams (sum of counts)
  // BM25 weight of each term as a document term: idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b *
  // length / avgdl)), parallel to `terms`; bm25_self is their sum (the text scored against itself).
  std::vector<double> bm25_weights;
  double bm25_self = 0;
};

// Sorted hashed n-gram counts of `text` (no weighting). Deterministic across runs and platforms.
std::vector<Term> ExtractTerms(std::string_view text, const NgramOptions& options = {});

struct SimilarityOptions {
  NgramOptions ngrams;
  double bm25_k1 = 1.2;
  double bm25_b = 0.75;
};

// Document statistics (IDF, average length) of a corpus, and the similarity functions that use
// them. Build it from the reference answers of a question, optionally plus the question text and
// other candidates' answers (more text gives better IDF). Immutable after construction: all
// methods are const and safe to call from many threads at once.
class SimilarityModel {
 public:
  // An empty corpus is allowed: every term then has the same IDF (cosine becomes plain
  // sublinear-tf cosine).
  explicit SimilarityModel(std::span<const std::string> corpus, SimilarityOptions options = {});
  explicit SimilarityModel(std::span<const std::string_view> corpus,
                           SimilarityOptions options = {});

  // Analyses `text` with this model's n-gram settings and IDF.
  Document Analyze(std::string_view text) const;

  // Smoothed IDF ln((1 + N) / (1 + df)) + 1 (> 0; unseen terms get the largest value).
  double Idf(uint64_t term_id) const;
  // BM25 IDF ln(1 + (N - df + 0.5) / (df + 0.5)) (>= 0).
  double Bm25Idf(uint64_t term_id) const;

  // TF-IDF cosine in [0, 1]; symmetric; 1 for identical non-empty texts; 0 if either is empty.
  static double Cosine(const Document& a, const Document& b);
  double Cosine(std::string_view a, std::string_view b) const;

  // Share of the reference's TF-IDF weight whose n-grams also occur in the answer, in [0, 1].
  // Recall-like and asymmetric. Appending or prepending text to the answer never lowers it
  // (inserting inside may split n-grams it had). Empty reference: 0.
  static double Coverage(const Document& answer, const Document& reference);
  double Coverage(std::string_view answer, std::string_view reference) const;

  // Okapi BM25 of the answer's distinct n-grams (as the query) against the reference (as the
  // document), with this corpus's IDF and average length. >= 0; appending or prepending text to
  // the answer never lowers it.
  // Both documents must come from the same model.
  static double Bm25(const Document& answer, const Document& reference);
  // Bm25(answer, reference) / Bm25(reference, reference), in [0, 1] (0 for an empty reference).
  static double Bm25Normalized(const Document& answer, const Document& reference);

  size_t document_count() const { return document_count_; }
  double average_length() const { return average_length_; }
  const SimilarityOptions& options() const { return options_; }

 private:
  void Build(std::span<const std::string_view> corpus);
  uint32_t DocumentFrequency(uint64_t term_id) const;
  double IdfFromDf(double df) const;
  double Bm25IdfFromDf(double df) const;

  SimilarityOptions options_;
  size_t document_count_ = 0;
  double average_length_ = 1;
  std::vector<Term> document_frequency_;  // sorted by id; count = number of documents
};

// Jaccard similarity of the sets of character k-gram shingles (code points, after
// NormalizeForMatching), in [0, 1]. A text shorter than k is one shingle. Either text empty
// after normalization: 0.
double ShingleJaccard(std::string_view a, std::string_view b, int k = 5);

// True when the two texts are near-copies: ShingleJaccard(a, b, 5) >= threshold. Never true
// when either text is empty after normalization. For the "copied another candidate's answer or
// the question" risk flag.
bool NearDuplicate(std::string_view a, std::string_view b, double threshold = 0.8);

}  // namespace zm::scoring
