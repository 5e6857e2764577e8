// asap_sas_bench: accuracy and speed of the supervised answer scorer (src/scoring/supervised)
// on public short-answer scoring sets. See docs/supervised-scoring.md for the figures.
//
//   asap_sas_bench [--data-dir DIR] [--set asap|le|asag] [--threads N] [--seed S]
//                  [--prompts 1,5,..] [--no-linear] [--no-logistic] [--no-trees]
//                  [--tree-rounds N] [--tree-depth N] [--tree-ngrams N] [--explain]
//
// --data-dir defaults to ../shared/bench-data next to the source tree (the data is never
// committed). Sets:
//   asap  ASAP-SAS (Kaggle 2012): per prompt, train on asap-sas/train_rel_2.tsv (Score1),
//         evaluate on public_leaderboard_rel_2.tsv joined with public_leaderboard_solution.csv.
//   le    zh-sas-datasets/LE: the authors' split s_train_zh.csv -> s_eval_zh.csv, one model for
//         all questions with each row's reference answer; ratings 10 x score (0..10).
//   asag  zh-sas-datasets/ASAG (Chinese MT of Mohler et al.): s_train_zh.csv -> s_eval_zh.csv,
//         reference = the question's answer in qa_zh.csv; ratings 2 x score (0..10).
// Prints per-prompt QWK on the test set (thresholds from training only), the plain and the
// Fisher-z mean, the training wall time (all prompts, --threads threads), and the scoring
// throughput (answers/s on one thread, without and with explanations); the last line is
// `mean_qwk_fisher=<value>`.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "scoring/supervised/internal/research.h"
#include "scoring/supervised/supervised.h"

namespace zm::scoring::supervised {
namespace {

using Row = std::vector<std::string>;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// CPU time (user + system) of the whole process so far, all threads.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// CPU time of the calling thread: scoring throughput that does not depend on other load.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double FisherMean(const std::vector<double>& q) {
  double z = 0;
  for (double v : q) z += std::atanh(std::clamp(v, -0.999, 0.999));
  return q.empty() ? 0 : std::tanh(z / static_cast<double>(q.size()));
}

double PlainMean(const std::vector<double>& q) {
  double s = 0;
  for (double v : q) s += v;
  return q.empty() ? 0 : s / static_cast<double>(q.size());
}

// Delimiter-separated text with Excel-style quoting ("" is a quote; quoted fields may hold
// separators and newlines); LF or CRLF; UTF-8 BOM skipped.
std::vector<Row> ParseDelimited(std::string_view data, char sep) {
  std::vector<Row> rows;
  if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
  Row row;
  std::string field;
  bool started = false;
  auto end_field = [&] {
    row.push_back(std::move(field));
    field.clear();
    started = false;
  };
  size_t i = 0;
  while (i < data.size()) {
    const char c = data[i];
    if (!started && field.empty() && c == '"') {
      ++i;
      while (i < data.size()) {
        if (data[i] == '"') {
          if (i + 1 < data.size() && data[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(data[i++]);
      }
      started = true;
      continue;
    }
    if (c == sep) {
      end_field();
      ++i;
    } else if (c == '\n' || (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n')) {
      end_field();
      rows.push_back(std::move(row));
      row.clear();
      i += c == '\r' ? 2 : 1;
    } else {
      field.push_back(c);
      started = true;
      ++i;
    }
  }
  if (started || !field.empty() || !row.empty()) {
    end_field();
    rows.push_back(std::move(row));
  }
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

std::optional<double> Number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return std::nullopt;
  return v;
}

std::string StripBreaks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    bool matched = false;
    for (std::string_view tag : {"<br />", "<br/>", "<br>"}) {
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

struct TestItem {
  std::string text;
  std::string reference;
  int label = 0;
};

struct Task {
  std::string name;
  TrainingSet train;
  std::vector<TestItem> test;
};

std::vector<Task> LoadAsap(const std::string& dir, const std::vector<int>& only, bool rater_mean) {
  std::vector<Task> tasks;
  auto train = ReadTable(dir + "/train_rel_2.tsv", '\t');
  auto pub = ReadTable(dir + "/public_leaderboard_rel_2.tsv", '\t');
  auto sol = ReadTable(dir + "/public_leaderboard_solution.csv", ',');
  if (!train || !pub || !sol) return tasks;
  std::map<std::string, int> gold;
  for (size_t i = 1; i < sol->size(); ++i) {
    const Row& r = (*sol)[i];
    if (r.size() >= 4)
      if (auto s = Number(r[3])) gold[r[0]] = static_cast<int>(*s);
  }
  for (int prompt = 1; prompt <= 10; ++prompt) {
    if (!only.empty() && std::find(only.begin(), only.end(), prompt) == only.end()) continue;
    Task t;
    t.name = "ASAP-" + std::to_string(prompt);
    t.train.max_label = (prompt == 1 || prompt == 2 || prompt == 5 || prompt == 6) ? 3 : 2;
    const std::string key = std::to_string(prompt);
    for (size_t i = 1; i < train->size(); ++i) {
      const Row& r = (*train)[i];
      if (r.size() < 5 || r[1] != key) continue;
      if (auto s = Number(r[2])) {
        t.train.examples.push_back({r[4], static_cast<int>(*s), "", i + 1});
        if (rater_mean)
          if (auto s2 = Number(r[3])) t.train.examples.back().target = (*s + *s2) / 2;
      }
    }
    for (size_t i = 1; i < pub->size(); ++i) {
      const Row& r = (*pub)[i];
      if (r.size() < 3 || r[1] != key) continue;
      auto g = gold.find(r[0]);
      if (g != gold.end()) t.test.push_back({r[2], "", g->second});
    }
    tasks.push_back(std::move(t));
  }
  return tasks;
}

// LE rows: q_id \t reference \t answer \t score (0..1 in tenths).
std::vector<Task> LoadLe(const std::string& dir) {
  auto train = ReadTable(dir + "/s_train_zh.csv", '\t');
  auto eval = ReadTable(dir + "/s_eval_zh.csv", '\t');
  if (!train || !eval) return {};
  Task t;
  t.name = "LE";
  t.train.max_label = 10;
  for (size_t i = 0; i < train->size(); ++i) {
    const Row& r = (*train)[i];
    if (r.size() < 4) continue;
    if (auto s = Number(r[3]))
      t.train.examples.push_back({r[2], static_cast<int>(std::lround(*s * 10)), r[1], i + 1});
  }
  for (const Row& r : *eval) {
    if (r.size() < 4) continue;
    if (auto s = Number(r[3]))
      t.test.push_back({r[2], r[1], static_cast<int>(std::lround(*s * 10))});
  }
  return {std::move(t)};
}

// ASAG rows: q_id \t score (0..5 in halves) \t [id] \t answer; references in qa_zh.csv.
std::vector<Task> LoadAsag(const std::string& dir) {
  auto qa = ReadTable(dir + "/qa_zh.csv", '\t');
  auto train = ReadTable(dir + "/s_train_zh.csv", '\t');
  auto eval = ReadTable(dir + "/s_eval_zh.csv", '\t');
  if (!qa || !train || !eval) return {};
  std::map<std::string, std::string> ref;
  for (const Row& r : *qa)
    if (r.size() >= 3) ref[r[0]] = StripBreaks(r[2]);
  Task t;
  t.name = "ASAG";
  t.train.max_label = 10;
  for (size_t i = 0; i < train->size(); ++i) {
    const Row& r = (*train)[i];
    if (r.size() < 4) continue;
    if (auto s = Number(r[1]))
      t.train.examples.push_back(
          {StripBreaks(r[3]), static_cast<int>(std::lround(*s * 2)), ref[r[0]], i + 1});
  }
  for (const Row& r : *eval) {
    if (r.size() < 4) continue;
    if (auto s = Number(r[1]))
      t.test.push_back({StripBreaks(r[3]), ref[r[0]], static_cast<int>(std::lround(*s * 2))});
  }
  return {std::move(t)};
}

double Qwk(const std::vector<int>& a, const std::vector<int>& b, int max_label) {
  const int k = max_label + 1;
  std::vector<double> o(static_cast<size_t>(k * k), 0.0), ha(k, 0.0), hb(k, 0.0);
  for (size_t i = 0; i < a.size(); ++i) {
    const int x = std::clamp(a[i], 0, max_label);
    const int y = std::clamp(b[i], 0, max_label);
    o[x * k + y] += 1, ha[x] += 1, hb[y] += 1;
  }
  double num = 0;
  double den = 0;
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) {
      const double w = (i - j) * (i - j);
      num += w * o[i * k + j];
      den += w * ha[i] * hb[j] / static_cast<double>(a.size());
    }
  return den > 0 ? 1 - num / den : 0;
}

// Writes <dir>/<task>.oof.tsv (label, fold, one column per learner) and, unless cv_only,
// <dir>/<task>.test.tsv (label, one column per learner: the model re-loaded with that learner's
// weight 1, so outputs are clamped to the scale).
void DumpPredictions(const std::string& dir, const Task& t, const internal::OofDump& d,
                     const Model& model, bool cv_only) {
  {
    std::ofstream out(dir + "/" + t.name + ".oof.tsv");
    for (size_t i = 0; i < d.labels.size(); ++i) {
      out << d.labels[i] << '\t' << d.folds[i];
      for (double v : d.oof[i]) out << '\t' << v;
      out << '\n';
    }
  }
  if (cv_only) return;
  const nlohmann::json j = nlohmann::json::parse(model.Save());
  std::vector<std::vector<double>> cols;
  for (int l = 0; l < internal::kLearners; ++l) {
    nlohmann::json k = j;
    std::vector<double> w(internal::kLearners, 0.0);
    w[l] = 1.0;
    k["weights"] = w;
    std::vector<double> col(t.test.size(), 0.0);
    Result<Model> m = Model::Load(k.dump());
    bool active = false;
    for (const auto& row : d.oof) active = active || row[l] != 0;
    if (m && active)
      for (size_t i = 0; i < t.test.size(); ++i)
        col[i] = m->Predict(t.test[i].text, t.test[i].reference, {.explain_top = 0}).expected_score;
    cols.push_back(std::move(col));
  }
  std::ofstream out(dir + "/" + t.name + ".test.tsv");
  for (size_t i = 0; i < t.test.size(); ++i) {
    out << t.test[i].label << "\t-1";
    for (const auto& c : cols) out << '\t' << c[i];
    out << '\n';
  }
}

void Usage() {
  std::fprintf(stderr,
               "usage: asap_sas_bench [--data-dir DIR] [--set asap|le|asag] [--threads N] "
               "[--seed S] [--prompts 1,2,..] [--no-linear] [--no-logistic] [--no-trees] "
               "[--tree-rounds N] [--tree-depth N] [--tree-ngrams N] [--linear-c C] "
               "[--logistic-c C] [--explain]\n");
}

int Main(int argc, char** argv) {
  std::string data_dir = std::string(ZM_SOURCE_DIR) + "/../shared/bench-data";
  std::string set = "asap";
  std::vector<int> prompts;
  bool explain = false;
  bool cv_only = false;
  // ASAP-SAS: the regression learners fit the mean of the two raters' scores (Example::target);
  // --score1-only: Score1 alone. Score1 is the rating thresholds are tuned to and tested on.
  bool rater_mean = true;
  int score_repeat = 1;
  std::string dump_dir;  // --dump: per-learner out-of-fold (and test) predictions, for research  //
                         // --cv-only: times the training answers are scored (timing)
  TrainOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--data-dir") {
      data_dir = value();
    } else if (arg == "--set") {
      set = value();
    } else if (arg == "--threads") {
      options.threads = std::atoi(value().c_str());
    } else if (arg == "--seed") {
      options.seed = std::strtoull(value().c_str(), nullptr, 10);
    } else if (arg == "--prompts") {
      std::stringstream ss(value());
      for (std::string p; std::getline(ss, p, ',');) prompts.push_back(std::atoi(p.c_str()));
    } else if (arg == "--no-linear") {
      options.use_linear = false;
    } else if (arg == "--no-logistic") {
      options.use_logistic = false;
    } else if (arg == "--no-trees") {
      options.use_trees = false;
    } else if (arg == "--tree-eta") {
      options.tree_eta = std::atof(value().c_str());
    } else if (arg == "--tree-colsample") {
      options.tree_colsample = std::atof(value().c_str());
    } else if (arg == "--tree-subsample") {
      options.tree_subsample = std::atof(value().c_str());
    } else if (arg == "--tree-max-bin") {
      options.tree_max_bin = std::atoi(value().c_str());
    } else if (arg == "--extra-trees-only") {
      options.extra_for_linear = false;
    } else if (arg == "--no-nbsvm") {
      options.use_nbsvm = false;
    } else if (arg == "--nbsvm-c") {
      options.nbsvm_c = std::atof(value().c_str());
    } else if (arg == "--logistic") {
      options.use_logistic = true;
    } else if (arg == "--min-df") {
      options.features.min_df = std::atoi(value().c_str());
    } else if (arg == "--char-max-n") {
      options.features.char_max_n = std::atoi(value().c_str());
    } else if (arg == "--word-max-n") {
      options.features.word_max_n = std::atoi(value().c_str());
    } else if (arg == "--concept-z") {
      options.concept_min_z = std::atof(value().c_str());
    } else if (arg == "--concept-jaccard") {
      options.concept_jaccard = std::atof(value().c_str());
    } else if (arg == "--concept-max") {
      options.concept_max = static_cast<size_t>(std::atoi(value().c_str()));
    } else if (arg == "--no-concepts") {
      options.use_concepts = false;
    } else if (arg == "--spell-min-df") {
      options.features.spell_min_df = std::atoi(value().c_str());
    } else if (arg == "--word-skip") {
      options.features.word_skip = std::atoi(value().c_str());
    } else if (arg == "--no-nb") {
      options.use_nb = false;
    } else if (arg == "--nb-alpha") {
      options.nb_alpha = std::atof(value().c_str());
    } else if (arg == "--tree-rounds") {
      options.tree_rounds = std::atoi(value().c_str());
    } else if (arg == "--tree-depth") {
      options.tree_depth = std::atoi(value().c_str());
    } else if (arg == "--tree-ngrams") {
      options.tree_ngrams = std::strtoull(value().c_str(), nullptr, 10);
    } else if (arg == "--linear-c") {
      options.linear_c = std::atof(value().c_str());
    } else if (arg == "--logistic-c") {
      options.logistic_c = std::atof(value().c_str());
    } else if (arg == "--explain") {
      explain = true;
    } else if (arg == "--score1-only") {
      rater_mean = false;
    } else if (arg == "--dump") {
      dump_dir = value();
    } else if (arg == "--cv-only") {
      cv_only = true;
    } else if (arg == "--score-repeat") {
      score_repeat = std::max(1, std::atoi(value().c_str()));
    } else {
      Usage();
      return 2;
    }
  }
  std::vector<Task> tasks;
  if (set == "asap") {
    tasks = LoadAsap(data_dir + "/asap-sas", prompts, rater_mean);
  } else if (set == "le") {
    tasks = LoadLe(data_dir + "/zh-sas-datasets/LE");
  } else if (set == "asag") {
    tasks = LoadAsag(data_dir + "/zh-sas-datasets/ASAG");
  } else {
    Usage();
    return 2;
  }
  if (tasks.empty()) {
    std::fprintf(stderr, "no data loaded from %s (set %s)\n", data_dir.c_str(), set.c_str());
    return 1;
  }
  std::printf("# set=%s threads=%d seed=%llu learners=%s%s%s%s%s\n", set.c_str(), options.threads,
              static_cast<unsigned long long>(options.seed), options.use_linear ? "linear " : "",
              options.use_logistic ? "logistic " : "", options.use_trees ? "trees " : "",
              options.use_nbsvm ? "nbsvm " : "", cv_only ? " (cv only: test set not used)" : "");
  double train_total = 0;
  double train_cpu_total = 0;
  double score_total = 0;
  double score_cpu_total = 0;
  double explain_total = 0;
  size_t scored = 0;
  std::vector<double> test_qwk;
  std::vector<double> cv_qwk;
  std::vector<double> cv_rounded;
  for (const Task& t : tasks) {
    const auto t0 = Clock::now();
    const double cpu0 = CpuSeconds();
    internal::OofDump dump;
    internal::oof_dump = dump_dir.empty() ? nullptr : &dump;
    Result<Model> model = Train(t.train, options);
    internal::oof_dump = nullptr;
    const double train_s = Seconds(t0);
    const double train_cpu = CpuSeconds() - cpu0;
    if (!model) {
      std::fprintf(stderr, "%s: training failed: %s\n", t.name.c_str(),
                   model.error().message.c_str());
      return 1;
    }
    train_total += train_s;
    train_cpu_total += train_cpu;
    const TrainReport& r = model->report();
    cv_qwk.push_back(r.cv_qwk);
    cv_rounded.push_back(r.cv_qwk_rounded);
    std::string weights;
    for (const LearnerReport& l : r.learners) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%s%s=%.2f(cv%.3f)", weights.empty() ? "" : ",",
                    l.name.c_str(), l.weight, l.cv_qwk);
      weights += buf;
    }
    if (!dump_dir.empty()) DumpPredictions(dump_dir, t, dump, *model, cv_only);
    if (cv_only) {
      // Throughput only, on the training answers (the test set is not used in this mode).
      const PredictOptions fast{.explain_top = 0};
      const auto t1 = Clock::now();
      const double c1 = ThreadCpuSeconds();
      double sink = 0;
      for (int rep = 0; rep < score_repeat; ++rep)
        for (const Example& e : t.train.examples)
          sink += model->Predict(e.text, e.reference, fast).expected_score;
      score_total += Seconds(t1);
      score_cpu_total += ThreadCpuSeconds() - c1;
      scored += t.train.examples.size() * static_cast<size_t>(score_repeat);
      if (sink < 0) std::printf("?");
      std::printf(
          "%-8s n_train=%5zu cv_qwk=%.4f cv_qwk_rounded=%.4f cv_pearson=%.3f train_s=%.2f "
          "train_cpu_s=%.2f vocab=%zu weights=%s\n",
          t.name.c_str(), t.train.examples.size(), r.cv_qwk, r.cv_qwk_rounded, r.cv_pearson,
          train_s, train_cpu, r.vocabulary, weights.c_str());
      std::fflush(stdout);
      continue;
    }
    std::vector<int> predicted;
    std::vector<int> gold;
    predicted.reserve(t.test.size());
    const PredictOptions fast{.explain_top = 0};
    const auto t1 = Clock::now();
    const double c1 = ThreadCpuSeconds();
    for (const TestItem& it : t.test)
      predicted.push_back(model->Predict(it.text, it.reference, fast).label);
    score_total += Seconds(t1);
    score_cpu_total += ThreadCpuSeconds() - c1;
    const auto t2 = Clock::now();
    size_t spans = 0;
    for (const TestItem& it : t.test)
      spans += model->Predict(it.text, it.reference).contributions.size();
    explain_total += Seconds(t2);
    scored += t.test.size();
    for (const TestItem& it : t.test) gold.push_back(it.label);
    const double q = Qwk(predicted, gold, t.train.max_label);
    test_qwk.push_back(q);
    std::printf(
        "%-8s n_train=%5zu n_test=%5zu qwk=%.4f cv_qwk=%.4f cv_qwk_rounded=%.4f cv_pearson=%.3f "
        "train_s=%.2f train_cpu_s=%.2f vocab=%zu model_kb=%zu weights=%s\n",
        t.name.c_str(), t.train.examples.size(), t.test.size(), q, r.cv_qwk, r.cv_qwk_rounded,
        r.cv_pearson, train_s, train_cpu, r.vocabulary, model->Save().size() / 1024,
        weights.c_str());
    if (explain && !t.test.empty()) {
      const Prediction p = model->Predict(t.test[0].text, t.test[0].reference);
      std::printf("  explain first test answer: expected=%.3f label=%d gold=%d\n", p.expected_score,
                  p.label, t.test[0].label);
      for (const Contribution& c : p.contributions) {
        std::string where;
        for (const Span& s : c.spans) {
          where += " \"" + t.test[0].text.substr(s.byte_begin, s.byte_end - s.byte_begin) + "\"@" +
                   std::to_string(s.byte_begin);
        }
        std::printf("    %+.4f %s%s\n", c.effect, c.feature.c_str(), where.c_str());
      }
    }
    std::fflush(stdout);
  }
  std::printf(
      "cv_mean_qwk=%.4f cv_mean_qwk_fisher=%.4f cv_mean_qwk_rounded=%.4f over %zu task(s)\n",
      PlainMean(cv_qwk), FisherMean(cv_qwk), PlainMean(cv_rounded), tasks.size());
  std::printf("train_seconds_total=%.1f (wall, %d thread(s)) train_cpu_seconds_total=%.1f\n",
              train_total, options.threads, train_cpu_total);
  if (cv_only) {
    std::printf(
        "answers_per_s=%.0f (one thread, label only, training answers) answers_per_cpu_s=%.0f\n",
        static_cast<double>(scored) / score_total, static_cast<double>(scored) / score_cpu_total);
    return 0;
  }
  std::printf("mean_qwk=%.4f over %zu task(s)\n", PlainMean(test_qwk), tasks.size());
  std::printf(
      "answers_per_s=%.0f (one thread, label only) answers_per_cpu_s=%.0f (same, per CPU second "
      "of the scoring thread) answers_per_s_explained=%.0f (top 5 contributions with spans)\n",
      static_cast<double>(scored) / score_total, static_cast<double>(scored) / score_cpu_total,
      static_cast<double>(scored) / explain_total);
  std::printf("mean_qwk_fisher=%.4f\n", FisherMean(test_qwk));
  return 0;
}

}  // namespace
}  // namespace zm::scoring::supervised

int main(int argc, char** argv) { return zm::scoring::supervised::Main(argc, argv); }
