// Scoring an answer with the question's active supervised models: rewrites the dimensions of an
// encoded rubric result (EncodeAnswerResult) that a model covers. Internal to services (heavy
// JSON header): include from .cc files only. Pure functions of their inputs; thread-safe.
#pragma once

#include <span>
#include <string_view>

#include <nlohmann/json.hpp>

#include "domain/competency_model.h"
#include "services/model_service.h"

namespace zm::services {

inline constexpr std::string_view kSupervisedScorerName = "supervised";

// For every dimension of `answer_doc` covered by an active model (one for that dimension key,
// else a whole-answer model with dimension key ""), the model's expected rating mapped to
// 0..100 becomes the score: "score", "level", "level_anchor" (from `competency`),
// "explanation_zh/en" are replaced, "scorer" is "supervised" and "model" holds the model id and
// version, the expected and cut rating, the rubric's score (kept for reference) and the
// features that moved the prediction most with their evidence spans (code-point offsets into
// the answer or the follow-up answer, like the rubric's evidence). Other dimensions keep the
// rubric's result and get "scorer": "rubric". When a model scored any dimension, the answer's
// "scorer" becomes "supervised" and "model_version" / "models" name the models used; else
// "model_version" is null and "models" empty. An empty answer keeps the rubric's zero scores.
// Returns true when a model scored some dimension.
bool ApplySupervisedModels(nlohmann::json& answer_doc, std::span<const ModelCache::Active> models,
                           std::string_view answer, std::string_view follow_up,
                           const domain::CompetencyModel& competency);

}  // namespace zm::services
