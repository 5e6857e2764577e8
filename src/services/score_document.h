// JSON encoding of rubric-scorer results as stored in interview score versions and shown to HR.
// Internal to services (heavy JSON header): include from .cc files only.
#pragma once

#include <nlohmann/json.hpp>

#include "scoring/rubric.h"

namespace zm::services {

nlohmann::json EncodeEvidence(const scoring::Evidence& e);
// {dimensions: [{dimension_key, score, level, level_anchor, components, indicators,
//  explanation_zh, explanation_en}], star, specifics, flags, language, length_chars, empty,
//  scorer, scorer_version}
nlohmann::json EncodeAnswerResult(const scoring::AnswerResult& r);
// {note_zh, note_en, follow_up_zh, follow_up_en, reason}
nlohmann::json EncodeFeedback(const scoring::Feedback& f);

}  // namespace zm::services
