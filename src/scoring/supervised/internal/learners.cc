#include "scoring/supervised/internal/learners.h"

#include <linear.h>
#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <numeric>

namespace zm::scoring::supervised::internal {
namespace {

void Quiet(const char*) {}

void SilenceLibraries() {
  static std::once_flag once;
  std::call_once(once, [] {
    set_print_string_function(&Quiet);
    XGBSetGlobalConfig("{\"verbosity\": 0}");
  });
}

// liblinear's rows: 1-based indices, the bias node (value 1) last, index -1 terminates.
struct LiblinearData {
  std::vector<feature_node> nodes;
  std::vector<feature_node*> rows;
  std::vector<double> y;
  problem prob{};
};

void BuildLiblinear(std::span<const Sample> samples, size_t vocab, const DenseScaler& scaler,
                    LiblinearData* d) {
  const size_t dense = scaler.size();
  size_t total = 0;
  for (const Sample& s : samples) total += s.sparse->index.size() + dense + 2;
  d->nodes.clear();
  d->nodes.reserve(total);
  std::vector<size_t> starts;
  starts.reserve(samples.size());
  const int bias_index = static_cast<int>(vocab + dense + 1);
  for (const Sample& s : samples) {
    starts.push_back(d->nodes.size());
    for (size_t k = 0; k < s.sparse->index.size(); ++k)
      d->nodes.push_back({static_cast<int>(s.sparse->index[k]) + 1, s.sparse->value[k]});
    for (size_t j = 0; j < dense; ++j) {
      const float v = scaler.Apply(j, s.dense[j]);
      if (v != 0.0f) d->nodes.push_back({static_cast<int>(vocab + j) + 1, v});
    }
    d->nodes.push_back({bias_index, 1.0});
    d->nodes.push_back({-1, 0.0});
  }
  d->rows.clear();
  for (size_t st : starts) d->rows.push_back(&d->nodes[st]);
  d->prob.l = static_cast<int>(samples.size());
  d->prob.n = bias_index;
  d->prob.bias = 1.0;
  d->prob.x = d->rows.data();
}

double SparseDot(const float* w, const SparseVec& x) {
  double s = 0;
  for (size_t k = 0; k < x.index.size(); ++k) s += static_cast<double>(w[x.index[k]]) * x.value[k];
  return s;
}

double DenseDot(const float* w, const float* dense_scaled, size_t dense) {
  double s = 0;
  for (size_t j = 0; j < dense; ++j) s += static_cast<double>(w[j]) * dense_scaled[j];
  return s;
}

}  // namespace

DenseScaler DenseScaler::Fit(std::span<const Sample> samples, size_t dense, double scale) {
  DenseScaler s;
  s.mean.assign(dense, 0.0f);
  s.inv_sd.assign(dense, 0.0f);
  const double n = static_cast<double>(samples.size());
  for (size_t j = 0; j < dense; ++j) {
    double sum = 0;
    double sq = 0;
    for (const Sample& x : samples) sum += x.dense[j];
    const double mean = n > 0 ? sum / n : 0;
    for (const Sample& x : samples) sq += (x.dense[j] - mean) * (x.dense[j] - mean);
    const double sd = n > 1 ? std::sqrt(sq / (n - 1)) : 0;
    s.mean[j] = static_cast<float>(mean);
    s.inv_sd[j] = sd > 1e-9 ? static_cast<float>(scale / sd) : 0.0f;
  }
  return s;
}

double LinearModel::Predict(const SparseVec& x, const float* dense_scaled) const {
  const size_t vocab = w.size() - dense;
  return SparseDot(w.data(), x) + DenseDot(w.data() + vocab, dense_scaled, dense) + bias;
}

Result<LinearModel> FitLinear(std::span<const Sample> samples, std::span<const double> targets,
                              size_t vocab, const DenseScaler& scaler, double c) {
  SilenceLibraries();
  LiblinearData d;
  BuildLiblinear(samples, vocab, scaler, &d);
  double mean = 0;
  for (double y : targets) mean += y;
  mean /= static_cast<double>(targets.size());
  for (double y : targets) d.y.push_back(y - mean);
  d.prob.y = d.y.data();
  parameter param{};
  param.solver_type = L2R_L2LOSS_SVR;
  param.eps = 0.001;
  param.C = c;
  param.p = 0.0;
  if (const char* err = check_parameter(&d.prob, &param)) return Internal(err);
  model* m = train(&d.prob, &param);
  if (m == nullptr) return Internal("liblinear training failed");
  LinearModel out;
  const size_t dense = scaler.size();
  out.dense = dense;
  out.w.assign(vocab + dense, 0.0f);
  for (size_t j = 0; j < vocab + dense && static_cast<int>(j) < m->nr_feature; ++j)
    out.w[j] = static_cast<float>(m->w[j]);
  out.bias = static_cast<float>(m->w[m->nr_feature] + mean);
  free_and_destroy_model(&m);
  return out;
}

double LogisticModel::Expected(const SparseVec& x, const float* dense_scaled,
                               std::vector<double>* grad_coef) const {
  const size_t r = rows();
  const size_t vocab = dim - dense;
  double dec[32];
  double s[32];
  for (size_t k = 0; k < r; ++k) {
    const float* wk = w.data() + k * dim;
    dec[k] = SparseDot(wk, x) + DenseDot(wk + vocab, dense_scaled, dense) + bias[k];
    s[k] = 1.0 / (1.0 + std::exp(-dec[k]));
  }
  if (grad_coef) grad_coef->assign(r, 0.0);
  if (r == 1) {  // two classes: p(classes[0]) = s0
    const double e = classes[0] * s[0] + classes[1] * (1 - s[0]);
    if (grad_coef) (*grad_coef)[0] = (classes[0] - classes[1]) * s[0] * (1 - s[0]);
    return e;
  }
  double total = 0;
  for (size_t k = 0; k < r; ++k) total += s[k];
  double e = 0;
  for (size_t k = 0; k < r; ++k) e += classes[k] * s[k] / total;
  if (grad_coef)
    for (size_t k = 0; k < r; ++k) (*grad_coef)[k] = (classes[k] - e) * s[k] * (1 - s[k]) / total;
  return e;
}

Result<LogisticModel> FitLogistic(std::span<const Sample> samples, std::span<const int> labels,
                                  size_t vocab, const DenseScaler& scaler, double c) {
  SilenceLibraries();
  LiblinearData d;
  BuildLiblinear(samples, vocab, scaler, &d);
  for (int y : labels) d.y.push_back(y);
  d.prob.y = d.y.data();
  parameter param{};
  param.solver_type = L2R_LR;
  param.eps = 0.01;
  param.C = c;
  if (const char* err = check_parameter(&d.prob, &param)) return Internal(err);
  model* m = train(&d.prob, &param);
  if (m == nullptr) return Internal("liblinear training failed");
  LogisticModel out;
  const int nr_class = m->nr_class;
  if (nr_class < 2 || nr_class > 32) {
    free_and_destroy_model(&m);
    return Internal("logistic regression needs 2..32 classes");
  }
  const int nr_w = nr_class == 2 ? 1 : nr_class;
  out.classes.assign(m->label, m->label + nr_class);
  out.dense = scaler.size();
  out.dim = vocab + out.dense;
  out.w.assign(static_cast<size_t>(nr_w) * out.dim, 0.0f);
  out.bias.assign(static_cast<size_t>(nr_w), 0.0f);
  for (int k = 0; k < nr_w; ++k) {
    for (int j = 0; j < m->nr_feature && static_cast<size_t>(j) < out.dim; ++j)
      out.w[static_cast<size_t>(k) * out.dim + j] = static_cast<float>(m->w[j * nr_w + k]);
    out.bias[k] = static_cast<float>(m->w[m->nr_feature * nr_w + k]);
  }
  free_and_destroy_model(&m);
  return out;
}

double OrdinalNbModel::Expected(const SparseVec& x, std::vector<double>* grad_coef) const {
  const size_t k = cuts();
  if (grad_coef) grad_coef->assign(k, 0.0);
  double e = 0;
  for (size_t c = 0; c < k; ++c) {
    const float* wc = w.data() + c * vocab;
    double d = bias[c];
    for (uint32_t g : x.index) d += wc[g];
    const double p = 1.0 / (1.0 + std::exp(-d));
    e += p;
    if (grad_coef) (*grad_coef)[c] = p * (1 - p);
  }
  return e;
}

Result<OrdinalNbModel> FitOrdinalNb(std::span<const Sample> samples, std::span<const int> labels,
                                    const NbEvidence& nb, size_t vocab, double c) {
  SilenceLibraries();
  OrdinalNbModel out;
  out.vocab = vocab;
  const size_t cuts = static_cast<size_t>(nb.max_label);
  out.w.assign(cuts * vocab, 0.0f);
  out.bias.assign(cuts, 0.0f);
  std::vector<feature_node> nodes;
  std::vector<size_t> starts;
  std::vector<feature_node*> rows;
  std::vector<double> y(samples.size());
  const int bias_index = static_cast<int>(vocab + 1);
  for (size_t k = 0; k < cuts; ++k) {
    const float* r = nb.Ratios(k);
    size_t positives = 0;
    for (size_t i = 0; i < samples.size(); ++i) {
      y[i] = labels[i] > static_cast<int>(k) ? 1.0 : -1.0;
      positives += y[i] > 0;
    }
    if (positives == 0 || positives == samples.size()) {  // one side only: a constant
      out.bias[k] = positives == 0 ? -30.0f : 30.0f;
      continue;
    }
    nodes.clear();
    starts.clear();
    for (const Sample& s : samples) {
      starts.push_back(nodes.size());
      for (uint32_t g : s.sparse->index)
        if (r[g] != 0.0f) nodes.push_back({static_cast<int>(g) + 1, r[g]});
      nodes.push_back({bias_index, 1.0});
      nodes.push_back({-1, 0.0});
    }
    rows.clear();
    for (size_t st : starts) rows.push_back(&nodes[st]);
    problem prob{};
    prob.l = static_cast<int>(samples.size());
    prob.n = bias_index;
    prob.bias = 1.0;
    prob.x = rows.data();
    prob.y = y.data();
    parameter param{};
    param.solver_type = L2R_LR;
    param.eps = 0.01;
    param.C = c;
    if (const char* err = check_parameter(&prob, &param)) return Internal(err);
    model* m = train(&prob, &param);
    if (m == nullptr) return Internal("liblinear training failed");
    // liblinear's decision value is for its first label (the first row's class).
    const double sign = m->label[0] > 0 ? 1.0 : -1.0;
    float* wk = out.w.data() + k * vocab;
    for (size_t g = 0; g < vocab && static_cast<int>(g) < m->nr_feature; ++g)
      wk[g] = static_cast<float>(sign * m->w[g] * r[g]);
    out.bias[k] = static_cast<float>(sign * m->w[m->nr_feature]);
    free_and_destroy_model(&m);
  }
  return out;
}

void Tree::ComputeMeans() {
  mean.assign(value.size(), 0.0f);
  // Children have larger ids than their parent in XGBoost trees: walk backwards.
  std::vector<double> m(value.size(), 0.0);
  std::vector<double> h(value.size(), 0.0);
  for (size_t i = value.size(); i-- > 0;) {
    if (left[i] < 0) {
      m[i] = value[i];
      h[i] = cover[i];
    } else {
      const auto l = static_cast<size_t>(left[i]);
      const auto r = static_cast<size_t>(right[i]);
      h[i] = h[l] + h[r];
      m[i] = h[i] > 0 ? (m[l] * h[l] + m[r] * h[r]) / h[i] : (m[l] + m[r]) / 2;
    }
    mean[i] = static_cast<float>(m[i]);
  }
}

double TreeModel::Predict(const float* x) const {
  float sum = base_score;
  for (const Tree& t : trees) {
    int32_t n = 0;
    while (t.left[n] >= 0) n = t.Next(n, x[t.feature[n]]);
    sum += t.value[n];
  }
  return sum;
}

double TreeModel::Contributions(const float* x, std::vector<double>* contrib) const {
  double bias = base_score;
  for (const Tree& t : trees) {
    int32_t n = 0;
    bias += t.mean[0];
    while (t.left[n] >= 0) {
      const int32_t next = t.Next(n, x[t.feature[n]]);
      (*contrib)[t.feature[n]] += static_cast<double>(t.mean[next]) - t.mean[n];
      n = next;
    }
  }
  return bias;
}

std::vector<int32_t> TreeColumns(const TreeModel& m, size_t vocab) {
  std::vector<int32_t> column_of(vocab, -1);
  for (size_t j = 0; j < m.ngrams.size(); ++j)
    if (m.ngrams[j] < vocab)
      column_of[m.ngrams[j]] = static_cast<int32_t>(m.first_ngram_column() + j);
  return column_of;
}

void TreeRow(const TreeModel& m, const std::vector<int32_t>& column_of, const Sample& s,
             float* row) {
  std::fill(row, row + m.columns(), std::numeric_limits<float>::quiet_NaN());
  std::copy(s.dense, s.dense + m.dense, row);
  for (size_t k = 0; k < s.sparse->index.size(); ++k) {
    const int32_t c = column_of[s.sparse->index[k]];
    if (c >= 0) row[c] = s.sparse->value[k];
  }
}

namespace {

// The n-grams whose presence correlates most with the label (|r| of a binary feature), at least
// 3 answers each; returned in ascending vocabulary order.
std::vector<uint32_t> SelectNgrams(std::span<const Sample> samples, std::span<const double> labels,
                                   size_t vocab, size_t k) {
  std::vector<uint32_t> count(vocab, 0);
  std::vector<double> label_sum(vocab, 0.0);
  double mean = 0;
  for (double y : labels) mean += y;
  const double n = static_cast<double>(labels.size());
  mean /= n;
  double var = 0;
  for (double y : labels) var += (y - mean) * (y - mean);
  var /= n;
  for (size_t i = 0; i < samples.size(); ++i)
    for (uint32_t idx : samples[i].sparse->index) ++count[idx], label_sum[idx] += labels[i];
  std::vector<std::pair<double, uint32_t>> scored;
  for (size_t j = 0; j < vocab; ++j) {
    if (count[j] < 3 || count[j] >= labels.size()) continue;
    const double p = count[j] / n;
    const double mean_in = label_sum[j] / count[j];
    const double r = var > 0 ? (mean_in - mean) * std::sqrt(p / (1 - p)) / std::sqrt(var) : 0.0;
    scored.emplace_back(-std::fabs(r), static_cast<uint32_t>(j));
  }
  const size_t keep = std::min(k, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + static_cast<long>(keep), scored.end());
  std::vector<uint32_t> out;
  for (size_t i = 0; i < keep; ++i) out.push_back(scored[i].second);
  std::sort(out.begin(), out.end());
  return out;
}

struct XgbHandles {
  DMatrixHandle dmat = nullptr;
  BoosterHandle booster = nullptr;
  ~XgbHandles() {
    if (booster) XGBoosterFree(booster);
    if (dmat) XGDMatrixFree(dmat);
  }
};

Status XgbCheck(int rc) {
  if (rc == 0) return Ok();
  return Internal(std::string("xgboost: ") + XGBGetLastError());
}

Result<std::vector<Tree>> ParseTrees(const nlohmann::json& j, float* base_score) {
  try {
    const auto& learner = j.at("learner");
    *base_score = std::stof(learner.at("learner_model_param").at("base_score").get<std::string>());
    std::vector<Tree> trees;
    for (const auto& jt : learner.at("gradient_booster").at("model").at("trees")) {
      Tree t;
      t.left = jt.at("left_children").get<std::vector<int32_t>>();
      t.right = jt.at("right_children").get<std::vector<int32_t>>();
      t.feature = jt.at("split_indices").get<std::vector<uint32_t>>();
      t.value = jt.at("split_conditions").get<std::vector<float>>();
      t.cover = jt.at("sum_hessian").get<std::vector<float>>();
      for (const auto& d : jt.at("default_left"))
        t.default_left.push_back(d.is_boolean() ? d.get<bool>() : d.get<int>() != 0);
      if (t.left.size() != t.value.size() || t.right.size() != t.value.size() ||
          t.feature.size() != t.value.size() || t.cover.size() != t.value.size() ||
          t.default_left.size() != t.value.size() || t.value.empty())
        return Internal("xgboost: unexpected tree layout");
      t.ComputeMeans();
      trees.push_back(std::move(t));
    }
    return trees;
  } catch (const std::exception& e) {
    return Internal(std::string("xgboost model: ") + e.what());
  }
}

}  // namespace

Result<TreeModel> FitTrees(std::span<const Sample> samples, std::span<const double> labels,
                           size_t vocab, size_t dense, const TreeParams& params) {
  SilenceLibraries();
  TreeModel m;
  m.dense = dense;
  m.ngrams = SelectNgrams(samples, labels, vocab, params.ngrams);
  const std::vector<int32_t> column_of = TreeColumns(m, vocab);
  const size_t cols = m.columns();
  // CSR: the dense features always, the selected n-grams where present.
  std::vector<size_t> indptr{0};
  std::vector<unsigned> indices;
  std::vector<float> values;
  for (const Sample& s : samples) {
    for (size_t j = 0; j < dense; ++j) {
      indices.push_back(static_cast<unsigned>(j));
      values.push_back(s.dense[j]);
    }
    std::vector<std::pair<unsigned, float>> present;
    for (size_t k = 0; k < s.sparse->index.size(); ++k) {
      const int32_t c = column_of[s.sparse->index[k]];
      if (c >= 0) present.emplace_back(static_cast<unsigned>(c), s.sparse->value[k]);
    }
    std::sort(present.begin(), present.end());
    for (const auto& [c, v] : present) indices.push_back(c), values.push_back(v);
    indptr.push_back(indices.size());
  }
  std::vector<float> y(labels.begin(), labels.end());
  double mean = 0;
  for (double v : labels) mean += v;
  mean /= static_cast<double>(labels.size());

  XgbHandles h;
  ZM_RETURN_IF_ERROR(XgbCheck(XGDMatrixCreateFromCSREx(
      indptr.data(), indices.data(), values.data(), indptr.size(), values.size(), cols, &h.dmat)));
  ZM_RETURN_IF_ERROR(XgbCheck(XGDMatrixSetFloatInfo(h.dmat, "label", y.data(), y.size())));
  ZM_RETURN_IF_ERROR(XgbCheck(XGBoosterCreate(&h.dmat, 1, &h.booster)));
  const std::vector<std::pair<std::string, std::string>> settings = {
      {"objective", "reg:squarederror"},
      {"nthread", "1"},
      {"verbosity", "0"},
      {"max_depth", std::to_string(params.depth)},
      {"eta", std::to_string(params.eta)},
      {"subsample", std::to_string(params.subsample)},
      {"colsample_bytree", std::to_string(params.colsample)},
      {"min_child_weight", "2"},
      {"max_bin", std::to_string(params.max_bin)},
      {"tree_method", "hist"},
      {"seed", std::to_string(params.seed % 2147483647)},
      {"base_score", std::to_string(mean)},
  };
  for (const auto& [k, v] : settings)
    ZM_RETURN_IF_ERROR(XgbCheck(XGBoosterSetParam(h.booster, k.c_str(), v.c_str())));
  for (int it = 0; it < params.rounds; ++it)
    ZM_RETURN_IF_ERROR(XgbCheck(XGBoosterUpdateOneIter(h.booster, it, h.dmat)));
  bst_ulong len = 0;
  const char* buf = nullptr;
  ZM_RETURN_IF_ERROR(
      XgbCheck(XGBoosterSaveModelToBuffer(h.booster, "{\"format\": \"json\"}", &len, &buf)));
  const nlohmann::json j = nlohmann::json::parse(std::string_view(buf, len), nullptr, false);
  if (j.is_discarded()) return Internal("xgboost: unreadable model JSON");
  ZM_ASSIGN_OR_RETURN(m.trees, ParseTrees(j, &m.base_score));
  return m;
}

double Qwk(std::span<const int> a, std::span<const int> b, int max_label) {
  const int k = max_label + 1;
  if (a.size() != b.size() || a.empty() || k < 2) return 0;
  std::vector<double> o(static_cast<size_t>(k * k), 0.0);
  std::vector<double> ha(k, 0.0);
  std::vector<double> hb(k, 0.0);
  for (size_t i = 0; i < a.size(); ++i) {
    const int x = std::clamp(a[i], 0, max_label);
    const int y = std::clamp(b[i], 0, max_label);
    o[x * k + y] += 1;
    ha[x] += 1;
    hb[y] += 1;
  }
  const double n = static_cast<double>(a.size());
  double num = 0;
  double den = 0;
  for (int i = 0; i < k; ++i) {
    for (int j = 0; j < k; ++j) {
      const double w = static_cast<double>((i - j) * (i - j));
      num += w * o[i * k + j];
      den += w * ha[i] * hb[j] / n;
    }
  }
  return den > 0 ? 1.0 - num / den : 0.0;
}

double PearsonR(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size() || a.size() < 2) return 0;
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0;
  double saa = 0;
  double sbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

int ApplyThresholds(double p, std::span<const double> thresholds) {
  int label = 0;
  for (double t : thresholds)
    if (p >= t) ++label;
  return label;
}

namespace {

// QWK from a confusion matrix o[pred * k + true] with its marginals.
double QwkFromConfusion(const std::vector<double>& o, int k, double n) {
  std::vector<double> hp(k, 0.0);
  std::vector<double> ht(k, 0.0);
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) hp[i] += o[i * k + j], ht[j] += o[i * k + j];
  double num = 0;
  double den = 0;
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) {
      const double w = static_cast<double>((i - j) * (i - j));
      num += w * o[i * k + j];
      den += w * hp[i] * ht[j] / n;
    }
  return den > 0 ? 1.0 - num / den : 0.0;
}

}  // namespace

std::vector<double> TuneThresholds(std::span<const double> pred, std::span<const int> y,
                                   int max_label) {
  std::vector<double> t(static_cast<size_t>(std::max(0, max_label)));
  for (int k = 0; k < max_label; ++k) t[k] = k + 0.5;
  const size_t n = pred.size();
  if (n == 0 || max_label < 1) return t;
  const int kk = max_label + 1;
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return pred[a] < pred[b] || (pred[a] == pred[b] && a < b); });
  const double lowest = pred[order.front()];
  const double highest = pred[order.back()];
  std::vector<int> label(n);
  std::vector<double> o(static_cast<size_t>(kk * kk));
  auto rebuild = [&] {
    std::fill(o.begin(), o.end(), 0.0);
    for (size_t i = 0; i < n; ++i) {
      label[i] = ApplyThresholds(pred[i], t);
      o[label[i] * kk + std::clamp(y[i], 0, max_label)] += 1;
    }
  };
  const double dn = static_cast<double>(n);
  for (int pass = 0; pass < 4; ++pass) {
    bool changed = false;
    for (int k = 0; k < max_label; ++k) {
      const double lo = k > 0 ? t[k - 1] : std::min(lowest, t[k]) - 1.0;
      const double hi = k + 1 < max_label ? t[k + 1] : std::max(highest, t[k]) + 1.0;
      rebuild();
      const double current = QwkFromConfusion(o, kk, dn);
      // Put the cut at lo: every prediction in [lo, hi) is rated k + 1, then sweep it upwards.
      std::vector<size_t> in_range;
      for (size_t idx : order)
        if (pred[idx] >= lo && pred[idx] < hi) in_range.push_back(idx);
      for (size_t idx : in_range) {
        const int yt = std::clamp(y[idx], 0, max_label);
        o[label[idx] * kk + yt] -= 1;
        o[(k + 1) * kk + yt] += 1;
        label[idx] = k + 1;
      }
      double best = current;
      double best_t = t[k];
      auto consider = [&](double cut) {
        const double q = QwkFromConfusion(o, kk, dn);
        if (q > best + 1e-12) best = q, best_t = cut;
      };
      consider(lo);
      for (size_t p = 0; p < in_range.size();) {
        size_t e = p;
        while (e < in_range.size() && pred[in_range[e]] == pred[in_range[p]]) {
          const size_t idx = in_range[e];
          const int yt = std::clamp(y[idx], 0, max_label);
          o[(k + 1) * kk + yt] -= 1;
          o[k * kk + yt] += 1;
          label[idx] = k;
          ++e;
        }
        const double cut = e < in_range.size() ? (pred[in_range[p]] + pred[in_range[e]]) / 2 : hi;
        consider(cut);
        p = e;
      }
      if (best_t != t[k]) {
        t[k] = best_t;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return t;
}

std::vector<int> StratifiedFolds(std::span<const int> labels, int k, uint64_t seed) {
  std::vector<int> fold(labels.size(), 0);
  int max_label = 0;
  for (int y : labels) max_label = std::max(max_label, y);
  uint64_t state = seed;
  auto next = [&] {
    state += 0x9E3779B97F4A7C15ULL;
    return Mix64(state);
  };
  int offset = 0;
  for (int c = 0; c <= max_label; ++c) {
    std::vector<size_t> members;
    for (size_t i = 0; i < labels.size(); ++i)
      if (labels[i] == c) members.push_back(i);
    for (size_t i = members.size(); i > 1; --i) {  // Fisher-Yates
      const size_t j = static_cast<size_t>(next() % i);
      std::swap(members[i - 1], members[j]);
    }
    for (size_t i = 0; i < members.size(); ++i)
      fold[members[i]] =
          static_cast<int>((i + static_cast<size_t>(offset)) % static_cast<size_t>(k));
    offset = static_cast<int>((offset + members.size()) % static_cast<size_t>(k));
  }
  return fold;
}

}  // namespace zm::scoring::supervised::internal
