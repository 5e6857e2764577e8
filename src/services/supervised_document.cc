#include "services/supervised_document.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "common/strings.h"
#include "scoring/aggregate.h"
#include "scoring/supervised/supervised.h"

namespace zm::services {
namespace {

using nlohmann::json;
namespace sv = scoring::supervised;

// The explanation lists the kExplainTop features that moved the prediction most, plus the
// kExplainSpans n-grams that moved it most among those occurring in the answer (whole-answer
// features such as length often lead, and HR needs to see which words counted).
constexpr size_t kExplainTop = 5;
constexpr size_t kExplainSpans = 5;
constexpr size_t kExplainCandidates = 40;

double Round1(double v) { return std::round(v * 10.0) / 10.0; }
double Round3(double v) { return std::round(v * 1000.0) / 1000.0; }

std::string Fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string Signed(double v) { return (v >= 0 ? "+" : "") + Fixed(v, 2); }

// "char:客户" / "word:customer needs" -> the n-gram; other features keep their name.
std::string FeatureText(const std::string& feature, bool* is_ngram) {
  for (std::string_view prefix : {"char:", "word:"}) {
    if (feature.starts_with(prefix)) {
      *is_ngram = true;
      return feature.substr(prefix.size());
    }
  }
  *is_ngram = false;
  return feature;
}

// Evidence spans of one contribution; the prediction ran on answer + "\n" + follow_up.
json SpansToEvidence(const sv::Contribution& c, std::string_view combined, size_t answer_chars,
                     bool has_follow_up) {
  json out = json::array();
  for (const auto& s : c.spans) {
    std::string part = "answer";
    size_t begin = s.char_begin;
    size_t end = s.char_end;
    if (has_follow_up && begin > answer_chars) {
      part = "follow_up";
      begin -= answer_chars + 1;
      end -= answer_chars + 1;
    } else if (end > answer_chars) {
      end = answer_chars;  // an n-gram across the joint: its answer side
    }
    if (end <= begin || s.byte_end > combined.size() || s.byte_begin >= s.byte_end) continue;
    std::string text(combined.substr(s.byte_begin, s.byte_end - s.byte_begin));
    if (part == "answer" && text.ends_with('\n')) text.pop_back();
    out.push_back({{"kind", "model_feature"},
                   {"label", c.feature},
                   {"part", part},
                   {"begin", begin},
                   {"end", end},
                   {"text", std::move(text)}});
  }
  return out;
}

struct Scored {
  const ModelCache::Active* model = nullptr;
  sv::Prediction prediction;
  double score = 0;  // 0..100
  json contributions;
  std::string features_zh, features_en;  // "「客户」(+0.42)、..." for the explanations
};

Scored Predict(const ModelCache::Active& m, const std::string& combined, size_t answer_chars,
               bool has_follow_up) {
  Scored s;
  s.model = &m;
  sv::PredictOptions po;
  po.explain_top = kExplainCandidates;
  s.prediction = m.model->Predict(combined, {}, po);
  {
    // contributions come largest |effect| first: keep the top ones and the top ones with spans.
    std::vector<sv::Contribution> kept;
    size_t with_spans = 0;
    for (auto& c : s.prediction.contributions) {
      const bool spans = !c.spans.empty();
      if (kept.size() < kExplainTop || (spans && with_spans < kExplainSpans)) {
        with_spans += spans ? 1 : 0;
        kept.push_back(std::move(c));
      }
    }
    s.prediction.contributions = std::move(kept);
  }
  const int max_label = std::max(1, m.max_label);
  s.score = std::clamp(s.prediction.expected_score / max_label * 100.0, 0.0, 100.0);
  s.contributions = json::array();
  for (const auto& c : s.prediction.contributions) {
    bool ngram = false;
    std::string shown = FeatureText(c.feature, &ngram);
    s.contributions.push_back(
        {{"feature", c.feature},
         {"effect", Round3(c.effect)},
         {"evidence", SpansToEvidence(c, combined, answer_chars, has_follow_up)}});
    std::string sep_zh = s.features_zh.empty() ? "" : "、";
    std::string sep_en = s.features_en.empty() ? "" : ", ";
    if (ngram) {
      s.features_zh += sep_zh + "「" + shown + "」(" + Signed(c.effect) + ")";
      s.features_en += sep_en + "\"" + shown + "\" (" + Signed(c.effect) + ")";
    } else {
      s.features_zh += sep_zh + shown + " (" + Signed(c.effect) + ")";
      s.features_en += sep_en + shown + " (" + Signed(c.effect) + ")";
    }
  }
  return s;
}

}  // namespace

bool ApplySupervisedModels(json& answer_doc, std::span<const ModelCache::Active> models,
                           std::string_view answer, std::string_view follow_up,
                           const domain::CompetencyModel& competency) {
  json used = json::array();
  json model_version = nullptr;
  const bool empty = answer_doc.value("empty", false);
  bool applied = false;
  if (answer_doc.contains("dimensions") && !models.empty() && !empty) {
    const bool has_follow_up = !follow_up.empty();
    std::string combined(answer);
    if (has_follow_up) combined += "\n" + std::string(follow_up);
    const size_t answer_chars = Utf8Length(answer);
    std::map<std::string, Scored> by_model;  // one prediction per model
    for (auto& d : answer_doc["dimensions"]) {
      const std::string key = d.value("dimension_key", "");
      const ModelCache::Active* m = nullptr;
      for (const auto& a : models)
        if (a.dimension_key == key) m = &a;
      if (!m)
        for (const auto& a : models)
          if (a.dimension_key.empty()) m = &a;
      if (!m || !m->model) {
        d["scorer"] = "rubric";
        continue;
      }
      auto it = by_model.find(m->model_id);
      if (it == by_model.end())
        it =
            by_model.emplace(m->model_id, Predict(*m, combined, answer_chars, has_follow_up)).first;
      const Scored& s = it->second;
      const double rubric_score = d.value("score", 0.0);
      const int level = scoring::ScoreToLevel(s.score);
      std::string anchor;
      if (const auto* dim = competency.FindDimension(key);
          dim && static_cast<size_t>(level) <= dim->level_anchors.size())
        anchor = dim->level_anchors[static_cast<size_t>(level) - 1];
      const std::string version = std::to_string(m->version);
      const std::string expected = Fixed(s.prediction.expected_score, 2);
      const std::string scale = std::to_string(m->max_label);
      d["score"] = Round1(s.score);
      d["level"] = level;
      d["level_anchor"] = anchor;
      d["scorer"] = kSupervisedScorerName;
      d["explanation_zh"] =
          "得分依据: 由 HR 评分训练的模型（版本 " + version + "）预测评分 " + expected + " / " +
          scale + "，折合 " + Fixed(s.score, 1) + " 分。" +
          (s.features_zh.empty() ? "" : "影响最大的特征: " + s.features_zh + "。") +
          "规则评分器给出 " + Fixed(rubric_score, 1) + " 分，仅供参考。";
      d["explanation_en"] =
          "Basis: the model trained on HR ratings (version " + version + ") predicts a rating of " +
          expected + " / " + scale + ", i.e. " + Fixed(s.score, 1) + " points." +
          (s.features_en.empty() ? "" : " Features that moved it most: " + s.features_en + ".") +
          " The rubric scorer gave " + Fixed(rubric_score, 1) + " (for reference).";
      d["model"] = {
          {"model_id", m->model_id},
          {"version", m->version},
          {"dimension_key", m->dimension_key.empty() ? json(nullptr) : json(m->dimension_key)},
          {"expected_rating", Round3(s.prediction.expected_score)},
          {"rating", s.prediction.label},
          {"max_rating", m->max_label},
          {"rubric_score", Round1(rubric_score)},
          {"contributions", s.contributions}};
      applied = true;
    }
    for (const auto& [id, s] : by_model) {
      used.push_back(
          {{"model_id", id},
           {"version", s.model->version},
           {"dimension_key",
            s.model->dimension_key.empty() ? json(nullptr) : json(s.model->dimension_key)}});
      if (model_version.is_null() || s.model->version > model_version.get<int64_t>())
        model_version = s.model->version;
    }
  } else if (answer_doc.contains("dimensions")) {
    for (auto& d : answer_doc["dimensions"]) d["scorer"] = "rubric";
  }
  if (applied) answer_doc["scorer"] = kSupervisedScorerName;
  answer_doc["model_version"] = model_version;
  answer_doc["models"] = std::move(used);
  return applied;
}

}  // namespace zm::services
