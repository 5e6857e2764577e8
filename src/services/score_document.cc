#include "services/score_document.h"

#include <cmath>

namespace zm::services {
namespace {

using nlohmann::json;

// Scores are shown with one decimal; storing them rounded keeps documents stable and small.
double Round1(double v) { return std::round(v * 10.0) / 10.0; }

json EvidenceList(const std::vector<scoring::Evidence>& list) {
  json out = json::array();
  for (const auto& e : list) out.push_back(EncodeEvidence(e));
  return out;
}

json OptText(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

}  // namespace

json EncodeEvidence(const scoring::Evidence& e) {
  return {{"kind", e.kind},   {"label", e.label}, {"part", e.part == 0 ? "answer" : "follow_up"},
          {"begin", e.begin}, {"end", e.end},     {"text", e.text}};
}

json EncodeAnswerResult(const scoring::AnswerResult& r) {
  json dims = json::array();
  for (const auto& d : r.dimensions) {
    json indicators = json::array();
    for (const auto& i : d.indicators)
      indicators.push_back({{"key", i.key},
                            {"name", i.name},
                            {"name_en", i.name_en},
                            {"from_key_point", i.from_key_point},
                            {"found", i.found},
                            {"evidence", EvidenceList(i.evidence)}});
    const auto& c = d.components;
    dims.push_back({{"dimension_key", d.dimension_key},
                    {"score", Round1(d.score)},
                    {"level", d.level},
                    {"level_anchor", d.level_anchor},
                    {"components",
                     {{"indicators", Round1(c.indicators * 100)},
                      {"star", Round1(c.star * 100)},
                      {"specificity", Round1(c.specificity * 100)},
                      {"relevance", Round1(c.relevance * 100)},
                      {"length", Round1(c.length * 100)}}},
                    {"indicators", std::move(indicators)},
                    {"explanation_zh", d.explanation_zh},
                    {"explanation_en", d.explanation_en}});
  }
  json flags = json::array();
  for (const auto& f : r.flags)
    flags.push_back({{"code", f.code},
                     {"message_zh", f.message_zh},
                     {"message_en", f.message_en},
                     {"evidence", EvidenceList(f.evidence)}});
  const auto& s = r.star;
  return {{"dimensions", std::move(dims)},
          {"star",
           {{"situation", s.situation},
            {"task", s.task},
            {"action", s.action},
            {"result", s.result},
            {"evidence", EvidenceList(s.evidence)}}},
          {"specifics", EvidenceList(r.specifics)},
          {"flags", std::move(flags)},
          {"language", r.language},
          {"length_chars", r.length_chars},
          {"empty", r.empty},
          {"scorer", r.scorer},
          {"scorer_version", r.scorer_version}};
}

json EncodeFeedback(const scoring::Feedback& f) {
  return {{"note_zh", f.note_zh},
          {"note_en", f.note_en},
          {"follow_up_zh", OptText(f.follow_up_zh)},
          {"follow_up_en", OptText(f.follow_up_en)},
          {"reason", f.reason}};
}

}  // namespace zm::services
