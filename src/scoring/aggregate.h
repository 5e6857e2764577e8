// Interview-level aggregation: per-dimension scores from per-question scores, overall score,
// job-match %, cohort percentile, recommendation and score -> level mapping. Pure functions on
// values, thread-safe. Scores are on 0..100; inputs outside are clamped, NaN inputs skipped.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/competency_model.h"
#include "domain/job.h"

namespace zm::scoring {

// One question's score on one dimension it covers.
struct QuestionDimensionScore {
  std::string question_id;
  std::string dimension_key;
  double score = 0;   // 0..100
  double weight = 1;  // question weight, >= 0; entries with weight <= 0 or NaN are ignored
};

struct DimensionScore {
  std::string dimension_key;
  double score = 0;           // weighted mean of the question scores, 0..100
  double weight_sum = 0;      // sum of the question weights that contributed
  size_t question_count = 0;  // number of entries that contributed
};

// Per-dimension score = sum(w_q * s_q) / sum(w_q) over the entries of that dimension. Result is
// sorted by dimension key; dimensions with no usable entry are absent. Empty input: empty.
std::vector<DimensionScore> AggregateDimensions(std::span<const QuestionDimensionScore> scores);

// Overall = sum(W_d * S_d) / sum(W_d) over the model's dimensions that have a score, with W_d the
// model's dimension weight (so weights are renormalized over scored dimensions). Dimensions not in
// the model are ignored. If every scored dimension has weight 0, the plain mean of their scores.
// nullopt when no model dimension has a score.
std::optional<double> OverallScore(std::span<const DimensionScore> dimensions,
                                   const domain::CompetencyModel& model);

// The job profile's target for one dimension, as a level 1..5 (see LevelLowerBound).
struct DimensionTarget {
  std::string dimension_key;
  int level = 4;
};

// Job match %, 0..100: how far the candidate reaches the job profile's target levels.
// For each model dimension with a score, attainment = min(1, S_d / T_d) where T_d is
// LevelLowerBound(target level) (the target from `targets`, else `default_target_level`);
// T_d == 0 (target level 1) counts as fully met. Result = 100 * weighted mean of attainment with
// the model's dimension weights, renormalized over scored dimensions (plain mean if they are all
// 0). Exceeding a target does not compensate for missing another. nullopt when no model
// dimension has a score.
std::optional<double> JobMatchPercent(std::span<const DimensionScore> dimensions,
                                      const domain::CompetencyModel& model,
                                      std::span<const DimensionTarget> targets = {},
                                      int default_target_level = 4);

// Percentile of `score` within `cohort` by mid-rank: 100 * (below + 0.5 * equal) / n, where below
// / equal count cohort scores strictly below / equal to `score` (the candidate's own score is
// expected to be in the cohort). In 0..100; ties share one value. nullopt for an empty cohort
// (NaN cohort entries are skipped) or a NaN score.
std::optional<double> Percentile(double score, std::span<const double> cohort);

enum class Recommendation { kRecommend, kReview, kNotRecommended };
// "recommend" | "review" | "not_recommended".
std::string_view ToString(Recommendation r);

// score >= thresholds.recommend: recommend; >= thresholds.review: review; below: not recommended
// (compared exactly, so 79.99 is review with the default 80). NaN (no score): review, so that a
// person looks at it.
Recommendation Recommend(double overall, const domain::Thresholds& thresholds = {});

// Level 1..5 for a 0..100 score, equal fifths: [0,20) 1, [20,40) 2, [40,60) 3, [60,80) 4,
// [80,100] 5. Out-of-range scores are clamped; NaN is level 1. The cut points 60 and 80 match
// the default review/recommend thresholds.
int ScoreToLevel(double score);
// The lowest score of a level (1 -> 0, 2 -> 20, ..., 5 -> 80); levels are clamped to 1..5.
double LevelLowerBound(int level);

}  // namespace zm::scoring
