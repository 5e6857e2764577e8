// reference_similarity_bench: unsupervised baseline of answer scoring by lexical similarity to
// reference answers, on the Chinese short-answer sets LE and ASAG (zh-sas-datasets) and the
// English ASAP-SAS set. Prints Spearman rho and QWK against the human scores per set.
//
//   reference_similarity_bench [--le DIR] [--asag DIR] [--asap DIR] [--components]
//
// Nothing is trained on labels. Each answer's score is a fixed formula chosen before looking at
// any result (see docs/scoring.md):
//   s = max over the question's references r of (cosine(a, r) + coverage(a, r) + bm25n(a, r)) / 3
// on the default character n-grams (CJK 1..3, Latin 3..5 code points), IDF from the set's
// references, questions and unlabelled evaluation answers. Labels are used only (1) by ASAP to pick
// its references (highest-scored training answers, ASAP ships no reference answers) and (2) for the
// "qwk" column, to map scores to the rating scale by matching the TRAINING split's score histogram
// (quantile mapping). "qwk_linear" instead rescales s in [0, 1] linearly onto the scale.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "scoring/metrics.h"
#include "scoring/similarity.h"

namespace zm::scoring {
namespace {

using Row = std::vector<std::string>;

// Parses delimiter-separated text with Excel-style quoting: a field that starts with '"' runs
// to the closing quote ("" is a literal quote) and may hold separators and newlines. Accepts
// LF and CRLF, skips a UTF-8 BOM and a final empty line.
std::vector<Row> ParseDelimited(std::string_view data, char sep) {
  std::vector<Row> rows;
  if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
  Row row;
  std::string field;
  size_t i = 0;
  bool field_started = false;
  auto end_field = [&] {
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    rows.push_back(std::move(row));
    row.clear();
  };
  while (i < data.size()) {
    const char c = data[i];
    if (!field_started && field.empty() && c == '"') {
      ++i;
      while (i < data.size()) {
        if (data[i] == '"') {
          if (i + 1 < data.size() && data[i + 1] == '"') {
            field.push_back('"');
            i += 2;
          } else {
            ++i;
            break;
          }
        } else {
          field.push_back(data[i++]);
        }
      }
      field_started = true;  // text after the closing quote is appended as is
      continue;
    }
    if (c == sep) {
      end_field();
      ++i;
    } else if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') {
      end_row();
      i += 2;
    } else if (c == '\n') {
      end_row();
      ++i;
    } else {
      field.push_back(c);
      field_started = true;
      ++i;
    }
  }
  if (field_started || !field.empty() || !row.empty()) end_row();
  return rows;
}

std::optional<std::vector<Row>> ReadTable(const std::string& path, char sep) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseDelimited(ss.str(), sep);
}

std::optional<double> ParseNumber(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return std::nullopt;
  return v;
}

// Removes the HTML line breaks the ASAG translation carries.
std::string StripBreaks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    bool matched = false;
    for (std::string_view tag : {"<br>", "<br/>", "<br />"}) {
      if (s.starts_with(tag)) {
        out.push_back(' ');
        s.remove_prefix(tag.size());
        matched = true;
        break;
      }
    }
    if (!matched) {
      out.push_back(s.front());
      s.remove_prefix(1);
    }
  }
  return out;
}

struct Item {
  std::string question_key;  // question id (per set)
  std::string answer;
  int label = 0;  // human score on the integer rating scale
};

struct Question {
  std::string text;
  std::vector<std::string> references;
};

struct EvalSet {
  std::string name;
  std::map<std::string, Question> questions;
  std::vector<Item> items;
  std::vector<int> train_labels;  // training split labels: only for the quantile mapping
  int min_rating = 0;
  int max_rating = 0;
  NgramOptions ngrams;  // library defaults for every set
};

struct Components {
  double cosine = 0;
  double coverage = 0;
  double bm25 = 0;
  double Combined() const { return (cosine + coverage + bm25) / 3.0; }
};

// Maps predictions to ratings so that their distribution follows the training histogram: the
// prediction with mid-rank r of n gets the rating at quantile (r - 0.5) / n of train_labels.
std::vector<int> QuantileMap(const std::vector<double>& pred, const std::vector<int>& train_labels,
                             int min_rating, int max_rating) {
  std::vector<int> out(pred.size(), min_rating);
  if (pred.empty() || train_labels.empty()) return out;
  std::vector<int> sorted = train_labels;
  std::sort(sorted.begin(), sorted.end());
  const std::vector<double> ranks = MidRanks(pred);
  for (size_t i = 0; i < pred.size(); ++i) {
    const double q = (ranks[i] - 0.5) / static_cast<double>(pred.size());
    auto idx = static_cast<size_t>(std::floor(q * static_cast<double>(sorted.size())));
    idx = std::min(idx, sorted.size() - 1);
    out[i] = std::clamp(sorted[idx], min_rating, max_rating);
  }
  return out;
}

std::vector<int> LinearMap(const std::vector<double>& pred, int min_rating, int max_rating) {
  std::vector<int> out;
  out.reserve(pred.size());
  for (double p : pred) {
    const double v = min_rating + std::clamp(p, 0.0, 1.0) * (max_rating - min_rating);
    out.push_back(static_cast<int>(std::lround(v)));
  }
  return out;
}

std::string Fmt(std::optional<double> v) {
  if (!v) return "nan";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", *v);
  return buf;
}

struct SetResult {
  std::optional<double> spearman;
  std::optional<double> qwk;
};

SetResult Evaluate(const EvalSet& set, bool print_components) {
  const auto start = std::chrono::steady_clock::now();
  // IDF corpus: references, questions and the unlabelled evaluation answers.
  std::vector<std::string_view> corpus;
  for (const auto& [key, q] : set.questions) {
    if (!q.text.empty()) corpus.push_back(q.text);
    for (const std::string& r : q.references) corpus.push_back(r);
  }
  for (const Item& it : set.items) corpus.push_back(it.answer);
  SimilarityOptions options;
  options.ngrams = set.ngrams;
  const SimilarityModel model(std::span<const std::string_view>(corpus), options);
  std::map<std::string, std::vector<Document>> refs;
  for (const auto& [key, q] : set.questions) {
    std::vector<Document>& docs = refs[key];
    for (const std::string& r : q.references) docs.push_back(model.Analyze(r));
  }
  std::vector<double> pred;
  std::vector<Components> parts;
  pred.reserve(set.items.size());
  for (const Item& it : set.items) {
    const Document a = model.Analyze(it.answer);
    Components best;
    double best_score = -1;
    for (const Document& r : refs[it.question_key]) {
      Components c{SimilarityModel::Cosine(a, r), SimilarityModel::Coverage(a, r),
                   model.Bm25Normalized(a, r)};
      if (c.Combined() > best_score) best_score = c.Combined(), best = c;
    }
    pred.push_back(std::max(0.0, best_score));
    parts.push_back(best);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<double> human;
  std::vector<int> labels;
  for (const Item& it : set.items) {
    human.push_back(it.label);
    labels.push_back(it.label);
  }
  SetResult result;
  result.spearman = Spearman(pred, human);
  const std::vector<int> mapped =
      QuantileMap(pred, set.train_labels, set.min_rating, set.max_rating);
  result.qwk = QuadraticWeightedKappa(mapped, labels, set.min_rating, set.max_rating);
  const std::vector<int> linear = LinearMap(pred, set.min_rating, set.max_rating);
  const auto qwk_linear = QuadraticWeightedKappa(linear, labels, set.min_rating, set.max_rating);
  std::printf("set=%s n=%zu spearman=%s qwk=%s qwk_linear=%s answers_per_s=%.0f\n",
              set.name.c_str(), set.items.size(), Fmt(result.spearman).c_str(),
              Fmt(result.qwk).c_str(), Fmt(qwk_linear).c_str(),
              seconds > 0 ? static_cast<double>(set.items.size()) / seconds : 0.0);
  if (print_components) {
    std::vector<double> cos;
    std::vector<double> cov;
    std::vector<double> bm;
    for (const Components& c : parts) {
      cos.push_back(c.cosine), cov.push_back(c.coverage), bm.push_back(c.bm25);
    }
    std::printf("  components %s: spearman cosine=%s coverage=%s bm25n=%s\n", set.name.c_str(),
                Fmt(Spearman(cos, human)).c_str(), Fmt(Spearman(cov, human)).c_str(),
                Fmt(Spearman(bm, human)).c_str());
  }
  std::fflush(stdout);
  return result;
}

// qa file: q_id \t question \t reference.
bool LoadQuestions(const std::string& path, EvalSet& set) {
  auto rows = ReadTable(path, '\t');
  if (!rows) return false;
  for (const Row& r : *rows) {
    if (r.size() < 3) continue;
    Question& q = set.questions[r[0]];
    q.text = r[1];
    q.references.push_back(StripBreaks(r[2]));
  }
  return true;
}

void AddReference(Question& q, const std::string& ref) {
  if (!ref.empty() &&
      std::find(q.references.begin(), q.references.end(), ref) == q.references.end())
    q.references.push_back(ref);
}

// LE: qa.csv; s_train_zh.csv / s_eval_zh.csv rows q_id \t reference \t answer \t score (0..1).
// Rating scale: round(10 * score), 0..10.
std::optional<EvalSet> LoadLe(const std::string& dir) {
  EvalSet set;
  set.name = "LE";
  set.min_rating = 0;
  set.max_rating = 10;
  if (!LoadQuestions(dir + "/qa.csv", set)) return std::nullopt;
  auto train = ReadTable(dir + "/s_train_zh.csv", '\t');
  auto eval = ReadTable(dir + "/s_eval_zh.csv", '\t');
  if (!train || !eval) return std::nullopt;
  for (const Row& r : *train) {
    if (r.size() < 4) continue;
    if (auto s = ParseNumber(r[3]))
      set.train_labels.push_back(static_cast<int>(std::lround(*s * 10)));
  }
  for (const Row& r : *eval) {
    if (r.size() < 4) continue;
    auto s = ParseNumber(r[3]);
    if (!s) continue;
    AddReference(set.questions[r[0]], r[1]);  // the row's own reference (given input)
    set.items.push_back({r[0], r[2], static_cast<int>(std::lround(*s * 10))});
  }
  return set;
}

// ASAG: qa_zh.csv; s_train_zh.csv / s_eval_zh.csv rows q_id \t score (0..5, halves) \t [id] \t
// answer. Rating scale: round(2 * score), 0..10.
std::optional<EvalSet> LoadAsag(const std::string& dir) {
  EvalSet set;
  set.name = "ASAG";
  set.min_rating = 0;
  set.max_rating = 10;
  if (!LoadQuestions(dir + "/qa_zh.csv", set)) return std::nullopt;
  auto train = ReadTable(dir + "/s_train_zh.csv", '\t');
  auto eval = ReadTable(dir + "/s_eval_zh.csv", '\t');
  if (!train || !eval) return std::nullopt;
  for (const Row& r : *train) {
    if (r.size() < 4) continue;
    if (auto s = ParseNumber(r[1]))
      set.train_labels.push_back(static_cast<int>(std::lround(*s * 2)));
  }
  for (const Row& r : *eval) {
    if (r.size() < 4) continue;
    auto s = ParseNumber(r[1]);
    if (!s) continue;
    set.items.push_back({r[0], StripBreaks(r[3]), static_cast<int>(std::lround(*s * 2))});
  }
  return set;
}

constexpr size_t kAsapReferences = 20;

// ASAP-SAS: per essay set, references = the kAsapReferences highest-scored training answers
// (Score1 desc, Score2 desc, Id asc); evaluation = public leaderboard with its solution file.
std::vector<EvalSet> LoadAsap(const std::string& dir) {
  std::vector<EvalSet> sets;
  auto train = ReadTable(dir + "/train_rel_2.tsv", '\t');
  auto pub = ReadTable(dir + "/public_leaderboard_rel_2.tsv", '\t');
  auto sol = ReadTable(dir + "/public_leaderboard_solution.csv", ',');
  if (!train || !pub || !sol) return sets;
  struct TrainRow {
    long id;
    int s1;
    int s2;
    std::string text;
  };
  std::map<int, std::vector<TrainRow>> by_set;
  for (size_t i = 1; i < train->size(); ++i) {
    const Row& r = (*train)[i];
    if (r.size() < 5) continue;
    auto id = ParseNumber(r[0]), es = ParseNumber(r[1]), s1 = ParseNumber(r[2]),
         s2 = ParseNumber(r[3]);
    if (!id || !es || !s1 || !s2) continue;
    by_set[static_cast<int>(*es)].push_back(
        {static_cast<long>(*id), static_cast<int>(*s1), static_cast<int>(*s2), r[4]});
  }
  std::map<std::string, int> gold;
  for (size_t i = 1; i < sol->size(); ++i) {
    const Row& r = (*sol)[i];
    if (r.size() < 4) continue;
    if (auto s = ParseNumber(r[3])) gold[r[0]] = static_cast<int>(*s);
  }
  for (auto& [essay_set, rows] : by_set) {
    EvalSet set;
    set.name = "ASAP-" + std::to_string(essay_set);
    set.min_rating = 0;
    set.max_rating = (essay_set == 1 || essay_set == 2 || essay_set == 5 || essay_set == 6) ? 3 : 2;
    std::sort(rows.begin(), rows.end(), [](const TrainRow& a, const TrainRow& b) {
      if (a.s1 != b.s1) return a.s1 > b.s1;
      if (a.s2 != b.s2) return a.s2 > b.s2;
      return a.id < b.id;
    });
    Question& q = set.questions["1"];
    for (size_t i = 0; i < rows.size() && q.references.size() < kAsapReferences; ++i)
      q.references.push_back(rows[i].text);
    for (const TrainRow& r : rows) set.train_labels.push_back(r.s1);
    for (size_t i = 1; i < pub->size(); ++i) {
      const Row& r = (*pub)[i];
      if (r.size() < 3 || r[1] != std::to_string(essay_set)) continue;
      auto g = gold.find(r[0]);
      if (g == gold.end()) continue;
      set.items.push_back({"1", r[2], g->second});
    }
    sets.push_back(std::move(set));
  }
  return sets;
}

int Main(int argc, char** argv) {
  std::string le;
  std::string asag;
  std::string asap;
  bool components = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[i]);
        std::exit(2);
      }
      out = argv[++i];
    };
    if (arg == "--le") {
      value(le);
    } else if (arg == "--asag") {
      value(asag);
    } else if (arg == "--asap") {
      value(asap);
    } else if (arg == "--components") {
      components = true;
    } else {
      std::fprintf(stderr,
                   "usage: reference_similarity_bench [--le DIR] [--asag DIR] [--asap DIR] "
                   "[--components]\n");
      return 2;
    }
  }
  if (le.empty() && asag.empty() && asap.empty()) {
    std::fprintf(stderr, "nothing to do: pass --le, --asag and/or --asap\n");
    return 2;
  }
  int status = 0;
  if (!le.empty()) {
    if (auto set = LoadLe(le)) {
      Evaluate(*set, components);
    } else {
      status = 1;
    }
  }
  if (!asag.empty()) {
    if (auto set = LoadAsag(asag)) {
      Evaluate(*set, components);
    } else {
      status = 1;
    }
  }
  if (!asap.empty()) {
    std::vector<EvalSet> sets = LoadAsap(asap);
    if (sets.empty()) return 1;
    std::printf(
        "# ASAP: references = the %zu highest-scored TRAINING answers per prompt (ASAP has no "
        "reference answers; training labels used only to choose them)\n",
        kAsapReferences);
    double rho_sum = 0;
    double qwk_sum = 0;
    double z_sum = 0;
    size_t n = 0;
    size_t count = 0;
    for (const EvalSet& s : sets) {
      const SetResult r = Evaluate(s, components);
      n += s.items.size();
      if (r.spearman && r.qwk) {
        rho_sum += *r.spearman;
        qwk_sum += *r.qwk;
        z_sum += std::atanh(std::clamp(*r.qwk, -0.999, 0.999));
        ++count;
      }
    }
    if (count > 0) {
      const double c = static_cast<double>(count);
      std::printf(
          "set=ASAP n=%zu spearman=%.3f qwk=%.3f qwk_fisher=%.3f (means over %zu prompts)\n", n,
          rho_sum / c, qwk_sum / c, std::tanh(z_sum / c), count);
    }
  }
  return status;
}

}  // namespace
}  // namespace zm::scoring

int main(int argc, char** argv) { return zm::scoring::Main(argc, argv); }
