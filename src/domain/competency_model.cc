#include "domain/competency_model.h"

#include <cmath>
#include <cstdio>
#include <set>

#include "domain/validation.h"

namespace zm::domain {

double CompetencyModel::WeightSum() const {
  double sum = 0;
  for (const Dimension& d : dimensions) sum += d.weight;
  return sum;
}

const Dimension* CompetencyModel::FindDimension(std::string_view key) const {
  for (const Dimension& d : dimensions)
    if (d.key == key) return &d;
  return nullptr;
}

namespace {

void CheckIndicator(FieldErrors& e, const std::string& path, const Indicator& ind) {
  CheckKey(e, Member(path, "key"), ind.key);
  CheckText(e, Member(path, "name"), ind.name, 1, kCompetencyNameMax);
  CheckText(e, Member(path, "name_en"), ind.name_en, 0, kCompetencyNameMax);
  CheckTextList(e, Member(path, "synonyms"), ind.synonyms, kSynonymsMax, 1, kSynonymMax, true);
}

void CheckDimension(FieldErrors& e, const std::string& path, const Dimension& d) {
  CheckKey(e, Member(path, "key"), d.key);
  CheckText(e, Member(path, "name"), d.name, 1, kCompetencyNameMax);
  CheckText(e, Member(path, "name_en"), d.name_en, 0, kCompetencyNameMax);
  CheckText(e, Member(path, "description"), d.description, 0, kCompetencyDescriptionMax);
  CheckRange(e, Member(path, "weight"), d.weight, 0.0, 100.0);

  std::string indicators = Member(path, "indicators");
  std::set<std::string_view> keys;
  size_t n =
      CheckCount(e, indicators, d.indicators.size(), 0, kIndicatorsMax) ? d.indicators.size() : 0;
  for (size_t i = 0; i < n; ++i) {
    std::string ipath = Item(indicators, i);
    CheckIndicator(e, ipath, d.indicators[i]);
    if (IsValidKey(d.indicators[i].key) && !keys.insert(d.indicators[i].key).second)
      e.Add(Member(ipath, "key"), "duplicate key");
  }

  std::string anchors = Member(path, "level_anchors");
  if (d.level_anchors.size() != kLevelAnchors) {
    CheckCount(e, anchors, d.level_anchors.size(), kLevelAnchors, kLevelAnchors);
  } else {
    CheckTextList(e, anchors, d.level_anchors, 0, 1, kLevelAnchorMax, false);
  }
}

}  // namespace

Status ValidateCompetencyModel(const CompetencyModel& m) {
  FieldErrors e;
  if (!CheckCount(e, "dimensions", m.dimensions.size(), kDimensionsMin, kDimensionsMax) &&
      !m.dimensions.empty())
    return e.ToStatus("invalid competency model");
  std::set<std::string_view> keys;
  for (size_t i = 0; i < m.dimensions.size(); ++i) {
    std::string path = Item("dimensions", i);
    CheckDimension(e, path, m.dimensions[i]);
    if (IsValidKey(m.dimensions[i].key) && !keys.insert(m.dimensions[i].key).second)
      e.Add(Member(path, "key"), "duplicate key");
  }
  if (!m.dimensions.empty()) {
    double sum = m.WeightSum();
    if (!std::isfinite(sum) || std::fabs(sum - kWeightSumTarget) > kWeightSumTolerance) {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "weights must sum to 100 (got %.2f)", sum);
      e.Add("dimensions", buf);
    }
  }
  return e.ToStatus("invalid competency model");
}

}  // namespace zm::domain
