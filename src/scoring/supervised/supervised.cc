#include "scoring/supervised/supervised.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "scoring/supervised/internal/features.h"
#include "scoring/supervised/internal/learners.h"
#include "scoring/supervised/internal/model_impl.h"
#include "scoring/supervised/internal/research.h"

namespace zm::scoring::supervised {

thread_local internal::OofDump* internal::oof_dump = nullptr;

using internal::Components;
using internal::DenseScaler;
using internal::kBaseDense;
using internal::kLearners;
using internal::kRefDense;
using internal::kTextDense;
using internal::LinearModel;
using internal::LogisticModel;
using internal::RawDoc;
using internal::Sample;
using internal::SparseVec;
using internal::TreeModel;
using internal::Vocabulary;

namespace detail {

constexpr std::array<const char*, kLearners> kLearnerNames = {"linear", "logistic", "trees",
                                                              "nbsvm"};
// Standardized dense features enter the linear learners at this scale (the TF-IDF blocks have
// unit norm, so a full-scale dense block would dominate the regularizer).
constexpr double kDenseScale = 0.3;

// A fitted example: vector + dense features.
struct Vectorized {
  SparseVec vec;
  std::vector<float> dense;  // Components::dense values
};

void ScaleDense(const DenseScaler& s, const float* dense, float* out) {
  for (size_t j = 0; j < s.size(); ++j) out[j] = s.Apply(j, dense[j]);
}

// Learner outputs for one vectorized example.
void PredictAll(const Components& c, const SparseVec& vec, const float* dense, double* out) {
  std::vector<float> scaled(c.dense);
  ScaleDense(c.scaler, dense, scaled.data());
  if (c.has[0]) out[0] = c.linear.Predict(vec, scaled.data());
  if (c.has[1]) out[1] = c.logistic.Expected(vec, scaled.data());
  if (c.has[3]) out[3] = c.nbsvm.Expected(vec);
  if (c.has[2]) {
    std::vector<float> row(c.trees.columns());
    internal::TreeRow(c.trees, c.tree_columns, Sample{&vec, dense}, row.data());
    out[2] = c.trees.Predict(row.data());
  }
}

// Input of a fit, shared read-only by all jobs.
struct Corpus {
  int max_label = 0;
  std::vector<RawDoc> docs;
  std::vector<int> labels;
  std::vector<double> targets;  // regression targets (Example::target, else the label)
  std::vector<int> ref_of;      // example -> index into refs, or -1
  std::vector<RawDoc> refs;     // distinct reference texts
  internal::Speller speller;
};

Vectorized VectorizeExample(const Vocabulary& vocab, const RawDoc& doc, const RawDoc* ref,
                            const SparseVec* ref_vec) {
  Vectorized v;
  vocab.Vectorize(doc, &v.vec);
  v.dense.assign(kBaseDense, 0.0f);
  std::copy(doc.text_dense.begin(), doc.text_dense.end(), v.dense.begin());
  internal::ReferenceFeatures(vocab, v.vec, doc.units, ref_vec, ref ? ref->units : 0,
                              v.dense.data() + kTextDense);
  return v;
}

std::vector<SparseVec> VectorizeRefs(const Vocabulary& vocab, const Corpus& corpus) {
  std::vector<SparseVec> out(corpus.refs.size());
  for (size_t r = 0; r < corpus.refs.size(); ++r) vocab.Vectorize(corpus.refs[r], &out[r]);
  return out;
}

// One fit: a cross-validation fold's (predicting its held-out rows), or the final one on every
// example.
struct FitState {
  Components c;
  std::vector<size_t> rows;  // training rows
  std::vector<Vectorized> vz;
  std::vector<int> labels;
  std::vector<double> targets;
  std::vector<size_t> valid_rows;  // empty for the final fit
  std::vector<Vectorized> valid_vz;
};

// The vocabulary, the vectors, the Naive Bayes evidence and the linear learners.
Status FitLinearLearners(const Corpus& corpus, const TrainOptions& options, FitState* st) {
  Components& c = st->c;
  std::vector<const RawDoc*> docs;
  docs.reserve(st->rows.size());
  for (size_t i : st->rows) docs.push_back(&corpus.docs[i]);
  c.vocab = Vocabulary::Fit(docs, options.features);
  const std::vector<SparseVec> ref_vecs = VectorizeRefs(c.vocab, corpus);
  auto vectorize = [&](size_t i) {
    const int r = corpus.ref_of[i];
    return VectorizeExample(c.vocab, corpus.docs[i], r >= 0 ? &corpus.refs[r] : nullptr,
                            r >= 0 ? &ref_vecs[r] : nullptr);
  };
  for (size_t i : st->rows) {
    st->vz.push_back(vectorize(i));
    st->labels.push_back(corpus.labels[i]);
    st->targets.push_back(corpus.targets[i]);
  }
  for (size_t i : st->valid_rows) st->valid_vz.push_back(vectorize(i));
  // Naive Bayes features: the training rows' leave the row itself out; held-out rows see every
  // training row.
  if (options.use_nb || options.use_nbsvm || options.use_concepts) {
    std::vector<const SparseVec*> vecs;
    for (const Vectorized& v : st->vz) vecs.push_back(&v.vec);
    if (options.use_nb || options.use_nbsvm) {
      c.nb = internal::NbEvidence::Build(vecs, st->labels, corpus.max_label, c.vocab,
                                         options.nb_alpha);
      c.has_nb = options.use_nb;
    }
    if (options.use_concepts) {
      internal::Concepts::Options co;
      co.min_z = options.concept_min_z;
      co.jaccard = options.concept_jaccard;
      co.max_clusters = options.concept_max;
      c.concepts = internal::Concepts::Build(vecs, st->targets, c.vocab, co);
      c.has_concepts = true;
    }
    c.dense = c.DenseCount();
    for (size_t k = 0; k < st->vz.size(); ++k) {
      st->vz[k].dense.resize(c.dense);
      c.ExtraFeatures(st->vz[k].vec, static_cast<int64_t>(k), st->labels[k],
                      st->vz[k].dense.data());
    }
    for (Vectorized& v : st->valid_vz) {
      v.dense.resize(c.dense);
      c.ExtraFeatures(v.vec, -1, -1, v.dense.data());
    }
  }
  std::vector<Sample> samples;
  samples.reserve(st->vz.size());
  for (const Vectorized& v : st->vz) samples.push_back({&v.vec, v.dense.data()});
  c.scaler = DenseScaler::Fit(samples, c.dense, kDenseScale);
  if (!options.extra_for_linear)
    for (size_t j = kBaseDense; j < c.dense; ++j) c.scaler.inv_sd[j] = 0.0f;
  const size_t vocab = c.vocab.size();
  if (options.use_linear) {
    ZM_ASSIGN_OR_RETURN(
        c.linear, internal::FitLinear(samples, st->targets, vocab, c.scaler, options.linear_c));
    c.has[0] = true;
  }
  if (options.use_logistic) {
    ZM_ASSIGN_OR_RETURN(c.logistic, internal::FitLogistic(samples, st->labels, vocab, c.scaler,
                                                          options.logistic_c));
    c.has[1] = true;
  }
  if (options.use_nbsvm) {
    ZM_ASSIGN_OR_RETURN(c.nbsvm,
                        internal::FitOrdinalNb(samples, st->labels, c.nb, vocab, options.nbsvm_c));
    c.has[3] = true;
  }
  return Ok();
}

// The trees, on the vectors and dense features FitLinearLearners made.
Status FitTreeLearner(const TrainOptions& options, uint64_t seed, FitState* st) {
  Components& c = st->c;
  std::vector<Sample> samples;
  samples.reserve(st->vz.size());
  for (const Vectorized& v : st->vz) samples.push_back({&v.vec, v.dense.data()});
  internal::TreeParams p;
  p.rounds = options.tree_rounds;
  p.depth = options.tree_depth;
  p.eta = options.tree_eta;
  p.subsample = options.tree_subsample;
  p.colsample = options.tree_colsample;
  p.ngrams = options.tree_ngrams;
  p.max_bin = options.tree_max_bin;
  p.seed = seed;
  ZM_ASSIGN_OR_RETURN(c.trees,
                      internal::FitTrees(samples, st->targets, c.vocab.size(), c.dense, p));
  c.tree_columns = internal::TreeColumns(c.trees, c.vocab.size());
  c.has[2] = true;
  return Ok();
}

std::string Hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

uint64_t HashTrainingSet(const TrainingSet& set) {
  uint64_t h = internal::kFnvOffset;
  auto add = [&](std::string_view s) {
    for (unsigned char ch : s) h = (h ^ ch) * internal::kFnvPrime;
    h = (h ^ 0xFF) * internal::kFnvPrime;
  };
  add(std::to_string(set.max_label));
  add(set.prompt);
  for (const Example& e : set.examples) {
    add(std::to_string(e.label));
    if (e.target >= 0) add("target " + std::to_string(e.target));
    add(e.text);
    add(e.reference);
  }
  return h;
}

// Runs jobs 0..n-1 on up to `threads` threads; returns the first failing job's error (by index).
Status RunJobs(size_t n, int threads, const std::function<Status(size_t)>& job,
               const std::function<void()>& done_one) {
  std::vector<std::optional<Error>> errors(n);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < n; i = next++) {
      Status s = job(i);
      if (!s) errors[i] = s.error();
      done_one();
    }
  };
  const size_t t = std::min(n, static_cast<size_t>(std::max(1, threads)));
  std::vector<std::thread> pool;
  for (size_t i = 1; i < t; ++i) pool.emplace_back(worker);
  worker();
  for (std::thread& th : pool) th.join();
  for (auto& e : errors)
    if (e) return std::unexpected(std::move(*e));
  return Ok();
}

std::string UnitsText(const std::vector<internal::Unit>& units, uint32_t b, uint32_t e) {
  std::string out;
  for (uint32_t i = b; i < e; ++i) {
    const char32_t c = units[i].cp;
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// "char:<n-gram>", "word:<n-gram>", or "word:<first> … <last>" for a skip-bigram, from the
// n-gram's units [b, e).
std::string GramName(const std::vector<internal::Unit>& units, uint64_t hash, uint32_t b,
                     uint32_t e, const internal::Speller& speller) {
  if (!internal::IsWordGram(hash)) return "char:" + UnitsText(units, b, e);
  const std::vector<internal::Unit> piece(units.begin() + b, units.begin() + e);
  std::vector<internal::Token> tokens = internal::Tokenize(piece);
  speller.Apply(piece, &tokens);
  if (tokens.size() >= 3 &&
      internal::SkipGramHash(tokens.front().hash, tokens.back().hash) == hash) {
    return "word:" + UnitsText(piece, tokens.front().begin, tokens.front().end) + " \u2026 " +
           UnitsText(piece, tokens.back().begin, tokens.back().end);
  }
  return "word:" + UnitsText(units, b, e);
}

// Span of units [b, e) in the original text. A collapsed-whitespace unit sits at the start of
// the following character, so an n-gram that ends in one ends right before that character.
Span MakeSpan(const std::vector<internal::Unit>& units, uint32_t b, uint32_t e) {
  Span s;
  s.byte_begin = units[b].byte_begin;
  s.char_begin = units[b].char_index;
  const internal::Unit& last = units[e - 1];
  s.byte_end = last.byte_end;
  s.char_end = last.cp == U' ' ? last.char_index : last.char_index + 1;
  if (units[b].cp == U' ' && e - b > 1) {  // start at the first real character
    s.byte_begin = units[b + 1].byte_begin;
    s.char_begin = units[b + 1].char_index;
  }
  return s;
}

// Names of the tree model's n-gram columns, from their first occurrence in the training texts.
void NameTreeNgrams(const TrainingSet& set, const FeatureOptions& features,
                    const internal::Speller& speller, const Vocabulary& vocab, TreeModel* trees) {
  std::map<uint64_t, size_t> wanted;
  for (size_t j = 0; j < trees->ngrams.size(); ++j) wanted[vocab.hashes()[trees->ngrams[j]]] = j;
  trees->ngram_names.assign(trees->ngrams.size(), "");
  for (const Example& e : set.examples) {
    if (wanted.empty()) break;
    const auto units = internal::NormalizeUnits(e.text);
    auto tokens = internal::Tokenize(units);
    speller.Apply(units, &tokens);
    internal::ForEachGram(units, tokens, features, [&](uint64_t h, uint32_t b, uint32_t en) {
      auto it = wanted.find(h);
      if (it == wanted.end()) return;
      trees->ngram_names[it->second] = GramName(units, h, b, en, speller);
      wanted.erase(it);
    });
  }
}

}  // namespace detail

using namespace detail;  // NOLINT: file-local helpers

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

const TrainReport& Model::report() const { return impl_->report; }
int Model::max_label() const { return impl_->max_label; }

Prediction Model::Predict(std::string_view text, std::string_view reference,
                          const PredictOptions& options) const {
  const Impl& m = *impl_;
  const Components& c = m.c;
  const bool explain = options.explain_top > 0;
  const auto units = internal::NormalizeUnits(text);
  auto tokens = internal::Tokenize(units);
  m.speller.Apply(units, &tokens);
  struct Occurrence {
    uint32_t index;
    uint32_t begin;
    uint32_t end;
  };
  std::vector<uint32_t> found;
  std::vector<Occurrence> occurrences;
  found.reserve(units.size() * 6);
  internal::ForEachGram(units, tokens, m.features, [&](uint64_t h, uint32_t b, uint32_t e) {
    const int64_t i = c.vocab.Find(h);
    if (i < 0) return;
    found.push_back(static_cast<uint32_t>(i));
    if (explain) occurrences.push_back({static_cast<uint32_t>(i), b, e});
  });
  std::sort(found.begin(), found.end());
  std::vector<std::pair<uint32_t, uint32_t>> counts;
  for (size_t i = 0; i < found.size();) {
    size_t j = i;
    while (j < found.size() && found[j] == found[i]) ++j;
    counts.emplace_back(found[i], static_cast<uint32_t>(j - i));
    i = j;
  }
  SparseVec vec;
  c.vocab.VectorizeCounts(counts, &vec);
  std::vector<float> dense(c.dense, 0.0f);
  internal::TextDenseFeatures(units, tokens, dense.data());
  if (m.uses_reference) {
    if (!reference.empty()) {
      const RawDoc r = internal::AnalyzeRaw(reference, m.features, &m.speller);
      SparseVec rv;
      c.vocab.Vectorize(r, &rv);
      internal::ReferenceFeatures(c.vocab, vec, units.size(), &rv, r.units,
                                  dense.data() + kTextDense);
    } else if (m.has_prompt_vec) {
      internal::ReferenceFeatures(c.vocab, vec, units.size(), &m.prompt_vec, m.prompt_units,
                                  dense.data() + kTextDense);
    } else {
      internal::ReferenceFeatures(c.vocab, vec, units.size(), nullptr, 0,
                                  dense.data() + kTextDense);
    }
  }
  c.ExtraFeatures(vec, -1, -1, dense.data());
  std::vector<float> scaled(c.dense);
  ScaleDense(c.scaler, dense.data(), scaled.data());
  double out[kLearners] = {0, 0, 0, 0};
  std::vector<double> grad;
  std::vector<float> row;
  if (c.has[0]) out[0] = c.linear.Predict(vec, scaled.data());
  if (c.has[1]) out[1] = c.logistic.Expected(vec, scaled.data(), explain ? &grad : nullptr);
  std::vector<double> nb_grad;
  if (c.has[3]) out[3] = c.nbsvm.Expected(vec, explain ? &nb_grad : nullptr);
  if (c.has[2]) {
    row.resize(c.trees.columns());
    internal::TreeRow(c.trees, c.tree_columns, Sample{&vec, dense.data()}, row.data());
    out[2] = c.trees.Predict(row.data());
  }
  double blend = 0;
  for (int l = 0; l < kLearners; ++l) blend += m.weights[l] * out[l];
  Prediction p;
  p.expected_score = std::clamp(blend, 0.0, static_cast<double>(m.max_label));
  p.label = std::clamp(internal::ApplyThresholds(blend, m.thresholds), 0, m.max_label);
  if (!explain) return p;

  // Effects keyed by vocabulary index (n-grams) or vocab + j (dense feature j), each learner's
  // scaled by its ensemble weight (linear: w_j x_j; logistic and NBSVM: linearized at this
  // answer; trees: Saabas path attributions).
  const size_t vocab = c.vocab.size();
  std::map<size_t, double> effect;
  for (int l = 0; l < 2; ++l) {
    if (!c.has[l]) continue;
    for (size_t k = 0; k < vec.index.size(); ++k) {
      const uint32_t idx = vec.index[k];
      double e = 0;
      if (l == 0) {
        e = c.linear.w[idx] * vec.value[k];
      } else {
        for (size_t r = 0; r < c.logistic.rows(); ++r)
          e += grad[r] * c.logistic.w[r * c.logistic.dim + idx] * vec.value[k];
      }
      effect[idx] += m.weights[l] * e;
    }
    for (size_t j = 0; j < c.dense; ++j) {
      double e = 0;
      if (l == 0) {
        e = c.linear.w[vocab + j] * scaled[j];
      } else {
        for (size_t r = 0; r < c.logistic.rows(); ++r)
          e += grad[r] * c.logistic.w[r * c.logistic.dim + vocab + j] * scaled[j];
      }
      if (e != 0) effect[vocab + j] += m.weights[l] * e;
    }
  }
  if (c.has[2]) {
    std::vector<double> contrib(c.trees.columns(), 0.0);
    c.trees.Contributions(row.data(), &contrib);
    for (size_t col = 0; col < contrib.size(); ++col) {
      if (contrib[col] == 0) continue;
      const size_t key =
          col < c.dense ? vocab + col : c.trees.ngrams[col - c.trees.first_ngram_column()];
      effect[key] += m.weights[2] * contrib[col];
    }
  }
  if (c.has[3]) {  // linearized at this answer, like the logistic learner
    for (uint32_t idx : vec.index) {
      double e = 0;
      for (size_t k = 0; k < c.nbsvm.cuts(); ++k) e += nb_grad[k] * c.nbsvm.w[k * vocab + idx];
      if (e != 0) effect[idx] += m.weights[3] * e;
    }
  }
  std::vector<std::pair<size_t, double>> ranked(effect.begin(), effect.end());
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return std::fabs(a.second) > std::fabs(b.second);
  });
  if (ranked.size() > options.explain_top) ranked.resize(options.explain_top);
  const std::vector<std::string> dense_names = m.DenseNames();
  for (const auto& [key, e] : ranked) {
    Contribution cb;
    cb.effect = e;
    if (key >= vocab) {
      cb.feature = dense_names[key - vocab];
    } else {
      for (const Occurrence& o : occurrences) {
        if (o.index != key) continue;
        if (cb.spans.empty())
          cb.feature = GramName(units, c.vocab.hashes()[key], o.begin, o.end, m.speller);
        cb.spans.push_back(MakeSpan(units, o.begin, o.end));
      }
      if (cb.spans.empty()) {  // absent n-gram that the trees look for
        for (size_t j = 0; j < c.trees.ngrams.size(); ++j)
          if (c.trees.ngrams[j] == key && j < c.trees.ngram_names.size())
            cb.feature = c.trees.ngram_names[j];
        if (cb.feature.empty()) cb.feature = "ngram:" + Hex64(c.vocab.hashes()[key]);
      }
    }
    p.contributions.push_back(std::move(cb));
  }
  return p;
}

namespace {

Status ValidateOptions(const TrainOptions& o) {
  const FeatureOptions& f = o.features;
  if (f.char_min_n < 1 || f.char_max_n > 8 || f.char_min_n > f.char_max_n + 1 || f.word_min_n < 1 ||
      f.word_max_n > 5 || f.word_min_n > f.word_max_n + 1 || f.word_skip < 0 || f.word_skip > 8)
    return InvalidArgument("n-gram ranges must be within 1..8 (characters) and 1..5 (words)");
  if (f.min_df < 1) return InvalidArgument("min_df must be >= 1");
  if (f.spell_min_df < 0) return InvalidArgument("spell_min_df must be >= 0");
  if (o.use_concepts && !(o.concept_min_z > 0 && o.concept_jaccard > 0 && o.concept_jaccard <= 1))
    return InvalidArgument("concept options out of range");
  if (o.folds < 2 || o.folds > 20) return InvalidArgument("folds must be 2..20");
  if (o.threads < 1) return InvalidArgument("threads must be >= 1");
  if (!o.use_linear && !o.use_logistic && !o.use_trees && !o.use_nbsvm)
    return InvalidArgument("enable at least one learner");
  if ((o.use_nb || o.use_nbsvm) && !(o.nb_alpha > 0))
    return InvalidArgument("nb_alpha must be > 0");
  if (o.use_nbsvm && !(o.nbsvm_c > 0)) return InvalidArgument("nbsvm_c must be > 0");
  if (o.linear_c <= 0 || o.logistic_c <= 0) return InvalidArgument("C must be > 0");
  if (o.use_trees && (o.tree_rounds < 1 || o.tree_depth < 1 || o.tree_depth > 12 ||
                      o.tree_eta <= 0 || o.tree_subsample <= 0 || o.tree_subsample > 1 ||
                      o.tree_colsample <= 0 || o.tree_colsample > 1 || o.tree_max_bin < 2))
    return InvalidArgument("tree options out of range");
  return Ok();
}

std::string ExampleName(const Example& e, size_t i) {
  return e.line > 0 ? "line " + std::to_string(e.line) : "example " + std::to_string(i + 1);
}

}  // namespace

Result<Model> Train(const TrainingSet& set, const TrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ZM_RETURN_IF_ERROR(ValidateOptions(options));
  if (set.max_label < 1 || set.max_label > 31)
    return InvalidArgument("max_label must be 1..31 (ratings 0..max_label)");
  for (size_t i = 0; i < set.examples.size(); ++i) {
    const Example& e = set.examples[i];
    if (e.label < 0 || e.label > set.max_label)
      return InvalidArgument(ExampleName(e, i) + ": label " + std::to_string(e.label) +
                             " is outside the scale 0.." + std::to_string(set.max_label));
    if (e.target > set.max_label || std::isnan(e.target))
      return InvalidArgument(ExampleName(e, i) + ": target is outside the scale 0.." +
                             std::to_string(set.max_label));
  }
  const size_t n = set.examples.size();
  const size_t needed = std::max(options.min_examples, static_cast<size_t>(2 * options.folds));
  if (n < needed)
    return InvalidArgument("too few rated answers: " + std::to_string(n) + ", need at least " +
                           std::to_string(needed));
  {
    std::vector<int> distinct;
    for (const Example& e : set.examples) distinct.push_back(e.label);
    std::sort(distinct.begin(), distinct.end());
    if (std::unique(distinct.begin(), distinct.end()) - distinct.begin() < 2)
      return InvalidArgument("all rated answers have the same label: nothing to learn");
  }

  // Analyse every answer and every distinct reference once.
  Corpus corpus;
  corpus.max_label = set.max_label;
  corpus.docs.resize(n);
  corpus.labels.resize(n);
  corpus.targets.resize(n);
  corpus.ref_of.assign(n, -1);
  {
    std::vector<std::string_view> texts;
    texts.reserve(n);
    for (const Example& e : set.examples) texts.push_back(e.text);
    corpus.speller = internal::Speller::Fit(texts, options.features.spell_min_df);
  }
  std::map<std::string_view, int> ref_index;
  for (size_t i = 0; i < n; ++i) {
    const Example& e = set.examples[i];
    corpus.labels[i] = e.label;
    corpus.targets[i] = e.target >= 0 ? e.target : e.label;
    const std::string_view ref =
        !e.reference.empty() ? std::string_view(e.reference) : std::string_view(set.prompt);
    if (ref.empty()) continue;
    auto [it, inserted] = ref_index.emplace(ref, static_cast<int>(corpus.refs.size()));
    if (inserted)
      corpus.refs.push_back(internal::AnalyzeRaw(ref, options.features, &corpus.speller));
    corpus.ref_of[i] = it->second;
  }
  const bool uses_reference = !corpus.refs.empty();
  ZM_RETURN_IF_ERROR(RunJobs(
      n, options.threads,
      [&](size_t i) -> Status {
        corpus.docs[i] =
            internal::AnalyzeRaw(set.examples[i].text, options.features, &corpus.speller);
        return Ok();
      },
      [] {}));

  // Fits 0..folds-1 are the cross-validation folds, fit `folds` is the final one on everything.
  const int folds = options.folds;
  const std::vector<int> fold = internal::StratifiedFolds(corpus.labels, folds, options.seed);
  std::vector<std::array<double, kLearners>> oof(n, std::array<double, kLearners>{});
  std::vector<FitState> states(static_cast<size_t>(folds) + 1);
  for (int f = 0; f <= folds; ++f)
    for (size_t i = 0; i < n; ++i)
      (f < folds && fold[i] == f ? states[f].valid_rows : states[f].rows).push_back(i);
  std::atomic<int> done{0};
  const int total_jobs = folds + 1;
  auto progress = [&] {
    const int d = ++done;
    if (options.progress) options.progress(static_cast<double>(d) / total_jobs);
  };
  // The final fit is the longest job: start it first.
  auto order = [folds](size_t j) { return j == 0 ? static_cast<size_t>(folds) : j - 1; };
  ZM_RETURN_IF_ERROR(RunJobs(
      static_cast<size_t>(folds) + 1, options.threads,
      [&](size_t j) -> Status {
        const size_t f = order(j);
        FitState& st = states[f];
        ZM_RETURN_IF_ERROR(FitLinearLearners(corpus, options, &st));
        if (options.use_trees)
          ZM_RETURN_IF_ERROR(FitTreeLearner(options, options.seed + 7919 * (f + 1), &st));
        for (size_t k = 0; k < st.valid_rows.size(); ++k)
          PredictAll(st.c, st.valid_vz[k].vec, st.valid_vz[k].dense.data(),
                     oof[st.valid_rows[k]].data());
        st.vz.clear();  // free memory early
        st.valid_vz.clear();
        return Ok();
      },
      progress));
  if (internal::oof_dump != nullptr) {
    internal::oof_dump->oof = oof;
    internal::oof_dump->labels = corpus.labels;
    internal::oof_dump->folds = fold;
  }
  Components final_components = std::move(states[static_cast<size_t>(folds)].c);
  states.clear();

  // Learner reports and ensemble weights (simplex grid, step 0.05, least out-of-fold MSE).
  std::vector<double> y(corpus.labels.begin(), corpus.labels.end());
  std::vector<int> active;
  const bool enabled[kLearners] = {options.use_linear, options.use_logistic, options.use_trees,
                                   options.use_nbsvm};
  for (int l = 0; l < kLearners; ++l)
    if (enabled[l]) active.push_back(l);
  auto column = [&](int l) {
    std::vector<double> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = oof[i][l];
    return v;
  };
  auto rate = [&](const std::vector<double>& pred, const std::vector<double>& t) {
    std::vector<int> r(n);
    for (size_t i = 0; i < n; ++i) r[i] = internal::ApplyThresholds(pred[i], t);
    return r;
  };
  TrainReport report;
  for (int l : active) {
    const std::vector<double> p = column(l);
    LearnerReport lr;
    lr.name = kLearnerNames[l];
    lr.cv_pearson = internal::PearsonR(p, y);
    lr.cv_qwk = internal::Qwk(rate(p, internal::TuneThresholds(p, corpus.labels, set.max_label)),
                              corpus.labels, set.max_label);
    report.learners.push_back(lr);
  }
  std::array<double, kLearners> weights{};
  {
    constexpr int kSteps = 20;
    double best_mse = std::numeric_limits<double>::infinity();
    std::array<int, kLearners> w{};
    // Enumerate integer compositions of kSteps over the active learners.
    std::function<void(size_t, int)> rec = [&](size_t pos, int left) {
      if (pos + 1 == active.size()) {
        w[active[pos]] = left;
        double mse = 0;
        for (size_t i = 0; i < n; ++i) {
          double b = 0;
          for (int l : active) b += w[l] * oof[i][l];
          b /= kSteps;
          mse += (b - y[i]) * (b - y[i]);
        }
        if (mse < best_mse - 1e-12) {
          best_mse = mse;
          for (int l = 0; l < kLearners; ++l) weights[l] = static_cast<double>(w[l]) / kSteps;
        }
        return;
      }
      for (int v = left; v >= 0; --v) {
        w[active[pos]] = v;
        rec(pos + 1, left - v);
      }
    };
    rec(0, kSteps);
  }
  for (LearnerReport& lr : report.learners)
    for (int l = 0; l < kLearners; ++l)
      if (lr.name == kLearnerNames[l]) lr.weight = weights[l];
  std::vector<double> blend(n, 0.0);
  for (size_t i = 0; i < n; ++i)
    for (int l : active) blend[i] += weights[l] * oof[i][l];
  std::vector<double> thresholds = internal::TuneThresholds(blend, corpus.labels, set.max_label);
  report.examples = n;
  report.max_label = set.max_label;
  report.cv_qwk = internal::Qwk(rate(blend, thresholds), corpus.labels, set.max_label);
  {
    std::vector<double> half(static_cast<size_t>(set.max_label));
    for (int k = 0; k < set.max_label; ++k) half[k] = k + 0.5;
    report.cv_qwk_rounded = internal::Qwk(rate(blend, half), corpus.labels, set.max_label);
  }
  report.cv_pearson = internal::PearsonR(blend, y);
  report.thresholds = thresholds;
  report.vocabulary = final_components.vocab.size();
  report.data_hash = Hex64(HashTrainingSet(set));

  auto impl = std::make_unique<Model::Impl>();
  impl->features = options.features;
  impl->speller = std::move(corpus.speller);
  impl->max_label = set.max_label;
  impl->prompt = set.prompt;
  impl->uses_reference = uses_reference;
  impl->c = std::move(final_components);
  if (impl->c.has[2])
    NameTreeNgrams(set, options.features, impl->speller, impl->c.vocab, &impl->c.trees);
  impl->weights = weights;
  impl->thresholds = std::move(thresholds);
  impl->Derive();
  report.train_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  impl->report = std::move(report);
  return Model(std::move(impl));
}

}  // namespace zm::scoring::supervised
