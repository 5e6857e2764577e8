#include "scoring/aggregate.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace zm::scoring {
namespace {

double Clamp100(double s) { return std::clamp(s, 0.0, 100.0); }

const DimensionScore* FindScore(std::span<const DimensionScore> dimensions, std::string_view key) {
  for (const DimensionScore& d : dimensions)
    if (d.dimension_key == key && !std::isnan(d.score)) return &d;
  return nullptr;
}

// Weighted mean of `values` by the model weight of each scored dimension (plain mean if all
// weights are 0). `value` maps a scored dimension to the quantity averaged.
template <class F>
std::optional<double> ModelWeightedMean(std::span<const DimensionScore> dimensions,
                                        const domain::CompetencyModel& model, F value) {
  double weighted = 0;
  double weight_sum = 0;
  double plain = 0;
  size_t count = 0;
  for (const domain::Dimension& dim : model.dimensions) {
    const DimensionScore* s = FindScore(dimensions, dim.key);
    if (s == nullptr) continue;
    const double v = value(dim, *s);
    const double w = std::isfinite(dim.weight) ? std::max(0.0, dim.weight) : 0.0;
    weighted += w * v;
    weight_sum += w;
    plain += v;
    ++count;
  }
  if (count == 0) return std::nullopt;
  if (weight_sum > 0) return weighted / weight_sum;
  return plain / static_cast<double>(count);
}

}  // namespace

std::vector<DimensionScore> AggregateDimensions(std::span<const QuestionDimensionScore> scores) {
  std::map<std::string, DimensionScore> by_key;
  std::map<std::string, double> weighted;
  for (const QuestionDimensionScore& q : scores) {
    if (std::isnan(q.score) || std::isnan(q.weight) || q.weight <= 0) continue;
    DimensionScore& d = by_key[q.dimension_key];
    d.dimension_key = q.dimension_key;
    d.weight_sum += q.weight;
    d.question_count += 1;
    weighted[q.dimension_key] += q.weight * Clamp100(q.score);
  }
  std::vector<DimensionScore> out;
  out.reserve(by_key.size());
  for (auto& [key, d] : by_key) {
    d.score = Clamp100(weighted[key] / d.weight_sum);
    out.push_back(d);
  }
  return out;
}

std::optional<double> OverallScore(std::span<const DimensionScore> dimensions,
                                   const domain::CompetencyModel& model) {
  auto r = ModelWeightedMean(
      dimensions, model,
      [](const domain::Dimension&, const DimensionScore& s) { return Clamp100(s.score); });
  if (r) *r = Clamp100(*r);
  return r;
}

std::optional<double> JobMatchPercent(std::span<const DimensionScore> dimensions,
                                      const domain::CompetencyModel& model,
                                      std::span<const DimensionTarget> targets,
                                      int default_target_level) {
  auto r = ModelWeightedMean(dimensions, model,
                             [&](const domain::Dimension& dim, const DimensionScore& s) {
                               int level = default_target_level;
                               for (const DimensionTarget& t : targets)
                                 if (t.dimension_key == dim.key) level = t.level;
                               const double target = LevelLowerBound(level);
                               if (target <= 0) return 1.0;
                               return std::min(1.0, Clamp100(s.score) / target);
                             });
  if (r) *r = Clamp100(100.0 * *r);
  return r;
}

std::optional<double> Percentile(double score, std::span<const double> cohort) {
  if (std::isnan(score)) return std::nullopt;
  size_t below = 0;
  size_t equal = 0;
  size_t n = 0;
  for (double c : cohort) {
    if (std::isnan(c)) continue;
    ++n;
    if (c < score) {
      ++below;
    } else if (c == score) {
      ++equal;
    }
  }
  if (n == 0) return std::nullopt;
  const double p = 100.0 * (static_cast<double>(below) + 0.5 * static_cast<double>(equal)) /
                   static_cast<double>(n);
  return std::clamp(p, 0.0, 100.0);
}

std::string_view ToString(Recommendation r) {
  switch (r) {
    case Recommendation::kRecommend:
      return "recommend";
    case Recommendation::kReview:
      return "review";
    case Recommendation::kNotRecommended:
      return "not_recommended";
  }
  return "review";
}

Recommendation Recommend(double overall, const domain::Thresholds& thresholds) {
  if (std::isnan(overall)) return Recommendation::kReview;
  if (overall >= thresholds.recommend) return Recommendation::kRecommend;
  if (overall >= thresholds.review) return Recommendation::kReview;
  return Recommendation::kNotRecommended;
}

int ScoreToLevel(double score) {
  if (std::isnan(score)) return 1;
  const double s = Clamp100(score);
  if (s >= 80) return 5;
  if (s >= 60) return 4;
  if (s >= 40) return 3;
  if (s >= 20) return 2;
  return 1;
}

double LevelLowerBound(int level) { return 20.0 * (std::clamp(level, 1, 5) - 1); }

}  // namespace zm::scoring
