// Competency model of one job: weighted dimensions with behavioural indicators and level
// anchors. Value type, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace zm::domain {

inline constexpr size_t kDimensionsMin = 1;
inline constexpr size_t kDimensionsMax = 12;
inline constexpr size_t kIndicatorsMax = 30;
inline constexpr size_t kSynonymsMax = 30;
inline constexpr size_t kSynonymMax = 100;
inline constexpr size_t kLevelAnchors = 5;
inline constexpr size_t kLevelAnchorMax = 500;
inline constexpr size_t kCompetencyNameMax = 100;
inline constexpr size_t kCompetencyDescriptionMax = 2000;
inline constexpr double kWeightSumTarget = 100.0;
inline constexpr double kWeightSumTolerance = 0.01;

struct Indicator {
  std::string key;                    // [a-z][a-z0-9_]{0,39}, unique within its dimension
  std::string name;                   // 1..100 chars
  std::string name_en;                // <= 100 chars
  std::vector<std::string> synonyms;  // <= 30 unique items of 1..100 chars
};

struct Dimension {
  std::string key;                         // [a-z][a-z0-9_]{0,39}, unique within the model
  std::string name;                        // 1..100 chars
  std::string name_en;                     // <= 100 chars
  std::string description;                 // <= 2000 chars
  double weight = 0;                       // 0..100; the weights of a model sum to 100 (+-0.01)
  std::vector<Indicator> indicators;       // <= 30
  std::vector<std::string> level_anchors;  // exactly 5 (levels 1..5), each 1..500 chars
};

struct CompetencyModel {
  std::string job_id;
  int64_t version = 0;  // incremented by each PUT
  std::vector<Dimension> dimensions;
  int64_t updated_at = 0;  // Unix ms

  // Sum of the dimension weights (100 for a valid model).
  double WeightSum() const;
  // The dimension with `key`, or nullptr.
  const Dimension* FindDimension(std::string_view key) const;
};

// Checks the dimensions (not job_id, version or time). Errors name paths such as
// "dimensions[1].weight", "dimensions[0].indicators[2].key", "dimensions[3].level_anchors";
// a wrong weight sum is reported on "dimensions".
Status ValidateCompetencyModel(const CompetencyModel& m);

}  // namespace zm::domain
