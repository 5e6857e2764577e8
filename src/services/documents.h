// Stored documents of the hiring aggregates (competency models, interview plans, questions):
// how they are encoded for storage and loaded back. Stored documents drop the fields that live
// in columns, so they parse with the strict request-body parsers (and stay valid by the same
// rules). Internal to services (heavy JSON header): include from .cc files only.
#pragma once

#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "domain/competency_model.h"
#include "domain/interview_plan.h"
#include "domain/question.h"
#include "storage/hiring_repository.h"

namespace zm::services {

// The model's dimensions array as JSON text.
std::string StoredModel(const domain::CompetencyModel& m);
// Parses a stored model; errors (a corrupt document) as kInvalidArgument.
Result<domain::CompetencyModel> LoadModel(const std::string& job_id,
                                          const storage::StoredDocument& doc);
// The plan without job_id and updated_at.
std::string StoredPlan(const domain::InterviewPlan& p);
Result<domain::InterviewPlan> LoadPlan(const std::string& job_id,
                                       const storage::StoredDocument& doc);
// `j` without the members `keys`.
nlohmann::json WithoutMeta(nlohmann::json j, std::initializer_list<const char*> keys);

storage::QuestionRecord ToRecord(const domain::Question& q);
Result<domain::Question> FromRecord(const storage::QuestionRecord& r);

}  // namespace zm::services
