#include "domain/json/mapping.h"

#include <array>
#include <utility>

#include "common/strings.h"
#include "common/time.h"
#include "domain/json/reader.h"

namespace zm::json {

using domain::FieldErrors;
using internal::Finish;
using internal::NotAnObject;
using internal::ObjectReader;
using internal::Presence;
using nlohmann::json;

namespace {

constexpr Presence kRequired = Presence::kRequired;
constexpr Presence kOptional = Presence::kOptional;
constexpr Presence kNonNull = Presence::kNonNull;

constexpr std::string_view kRoleNames = "admin, hr, manager, auditor";
constexpr std::string_view kUserStatusNames = "active, disabled";
constexpr std::string_view kJobStatusNames = "draft, open, closed";
constexpr std::string_view kEmploymentTypeNames = "full_time, part_time, intern, contract";
constexpr std::string_view kQuestionTypeNames = "behavioural, situational, technical, scenario";
constexpr std::string_view kAnswerModeNames = "text, audio, video";
constexpr std::string_view kStageNames =
    "new, screening, interview_invited, interviewing, interview_completed, hr_review, "
    "second_round, offer, hired, rejected, talent_pool";

json Time(int64_t unix_ms) { return FormatIso8601(unix_ms); }
json OptTime(const std::optional<int64_t>& t) {
  return t ? json(FormatIso8601(*t)) : json(nullptr);
}
json OptString(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json Strings(const std::vector<std::string>& v) {
  json a = json::array();
  for (const std::string& s : v) a.push_back(s);
  return a;
}

}  // namespace

Result<json> ParseJsonBody(std::string_view body) {
  json j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded())
    return Fail(
        MakeError(ErrorCode::kInvalidArgument, "invalid_json", "request body is not valid JSON"));
  return j;
}

json Page(const std::vector<json>& items, const std::optional<std::string>& next_cursor) {
  json j = json::object();
  j["items"] = json::array();
  for (const json& item : items) j["items"].push_back(item);
  j["next_cursor"] = OptString(next_cursor);
  return j;
}

// ---------------------------------------------------------------------------------------------
// Responses

json ToJson(const domain::Department& d) {
  json j = json::object();
  j["id"] = d.id;
  j["name"] = d.name;
  j["description"] = d.description;
  j["created_at"] = Time(d.created_at);
  j["updated_at"] = Time(d.updated_at);
  return j;
}

json ToJson(const domain::User& u) {
  json j = json::object();
  j["id"] = u.id;
  j["email"] = u.email;
  j["name"] = u.name;
  j["role"] = domain::ToString(u.role);
  j["department_ids"] = Strings(u.department_ids);
  j["status"] = domain::ToString(u.status);
  j["created_at"] = Time(u.created_at);
  j["updated_at"] = Time(u.updated_at);
  j["last_login_at"] = OptTime(u.last_login_at);
  return j;
}

json ToJson(const domain::Job& job) {
  json j = json::object();
  j["id"] = job.id;
  j["title"] = job.title;
  j["department_id"] = job.department_id;
  j["description"] = job.description;
  j["requirements"] = Strings(job.requirements);
  j["location"] = job.location;
  j["employment_type"] = domain::ToString(job.employment_type);
  j["status"] = domain::ToString(job.status);
  j["thresholds"] = {{"recommend", job.thresholds.recommend}, {"review", job.thresholds.review}};
  j["created_at"] = Time(job.created_at);
  j["updated_at"] = Time(job.updated_at);
  return j;
}

json ToJson(const domain::CompetencyModel& m) {
  json dims = json::array();
  for (const domain::Dimension& d : m.dimensions) {
    json inds = json::array();
    for (const domain::Indicator& i : d.indicators) {
      json ij = json::object();
      ij["key"] = i.key;
      ij["name"] = i.name;
      ij["name_en"] = i.name_en;
      ij["synonyms"] = Strings(i.synonyms);
      inds.push_back(std::move(ij));
    }
    json dj = json::object();
    dj["key"] = d.key;
    dj["name"] = d.name;
    dj["name_en"] = d.name_en;
    dj["description"] = d.description;
    dj["weight"] = d.weight;
    dj["indicators"] = std::move(inds);
    dj["level_anchors"] = Strings(d.level_anchors);
    dims.push_back(std::move(dj));
  }
  json j = json::object();
  j["job_id"] = m.job_id;
  j["version"] = m.version;
  j["updated_at"] = Time(m.updated_at);
  j["dimensions"] = std::move(dims);
  return j;
}

json ToJson(const domain::Question& q) {
  json j = json::object();
  j["id"] = q.id;
  j["job_id"] = OptString(q.job_id);
  j["type"] = domain::ToString(q.type);
  j["text"] = {{"zh", q.text.zh}, {"en", q.text.en}};
  j["dimension_keys"] = Strings(q.dimension_keys);
  j["scenario"] = q.scenario ? json{{"title", q.scenario->title}, {"context", q.scenario->context}}
                             : json(nullptr);
  json points = json::array();
  for (const domain::KeyPoint& k : q.rubric.key_points) {
    json kj = json::object();
    kj["text"] = k.text;
    kj["synonyms"] = Strings(k.synonyms);
    kj["dimension_key"] = OptString(k.dimension_key);
    points.push_back(std::move(kj));
  }
  j["rubric"] = {{"key_points", std::move(points)}, {"notes", q.rubric.notes}};
  json answers = json::array();
  for (const domain::ReferenceAnswer& a : q.reference_answers) {
    json aj = json::object();
    aj["text"] = a.text;
    aj["score"] = a.score ? json(*a.score) : json(nullptr);
    aj["language"] = a.language;
    answers.push_back(std::move(aj));
  }
  j["reference_answers"] = std::move(answers);
  j["think_seconds"] = q.think_seconds;
  j["answer_seconds"] = q.answer_seconds;
  j["expected_length"] = {{"min", q.expected_length.min}, {"max", q.expected_length.max}};
  j["tags"] = Strings(q.tags);
  j["rating_max"] = q.rating_max;
  j["created_at"] = Time(q.created_at);
  j["updated_at"] = Time(q.updated_at);
  return j;
}

json ToJson(const domain::InterviewPlan& p) {
  json sections = json::array();
  for (const domain::PlanSection& s : p.sections) {
    json sj = json::object();
    sj["key"] = s.key;
    sj["title"] = s.title;
    sj["question_ids"] = Strings(s.question_ids);
    sections.push_back(std::move(sj));
  }
  json modes = json::array();
  for (domain::AnswerMode m : p.answer_modes) modes.push_back(domain::ToString(m));
  json j = json::object();
  j["job_id"] = p.job_id;
  j["updated_at"] = Time(p.updated_at);
  j["sections"] = std::move(sections);
  j["reanswer_limit"] = p.reanswer_limit;
  j["feedback_enabled"] = p.feedback_enabled;
  j["follow_ups_enabled"] = p.follow_ups_enabled;
  j["answer_modes"] = std::move(modes);
  j["expires_in_days"] = p.expires_in_days;
  return j;
}

json ToJson(const domain::Candidate& c) {
  json j = json::object();
  j["id"] = c.id;
  j["name"] = c.name;
  j["email"] = OptString(c.email);
  j["phone"] = OptString(c.phone);
  j["national_id"] = OptString(c.national_id);
  j["resume_text"] = OptString(c.resume_text);
  j["source"] = c.source;
  j["tags"] = Strings(c.tags);
  j["created_at"] = Time(c.created_at);
  j["updated_at"] = Time(c.updated_at);
  return j;
}

void WriteJson(JsonWriter& w, const domain::Application& a,
               const std::function<void(JsonWriter&)>& more_fields) {
  w.BeginObject()
      .Key("candidate_id")
      .String(a.candidate_id)
      .Key("candidate_name")
      .String(a.candidate_name)
      .Key("created_at")
      .Time(a.created_at)
      .Key("department_id")
      .String(a.department_id)
      .Key("id")
      .String(a.id)
      .Key("job_id")
      .String(a.job_id)
      .Key("job_title")
      .String(a.job_title)
      .Key("source")
      .String(a.source)
      .Key("stage")
      .String(domain::ToString(a.stage))
      .Key("updated_at")
      .Time(a.updated_at);
  if (more_fields) more_fields(w);
  w.EndObject();
}

json ToJson(const domain::Application& a) {
  std::string text;
  JsonWriter w(text);
  WriteJson(w, a);
  return json::parse(text);
}

json ToJson(const domain::ApiToken& t) {
  json j = json::object();
  j["id"] = t.id;
  j["name"] = t.name;
  j["scopes"] = Strings(t.scopes);
  j["prefix"] = t.prefix;
  j["created_by"] = t.created_by;
  j["created_at"] = Time(t.created_at);
  j["last_used_at"] = OptTime(t.last_used_at);
  j["revoked_at"] = OptTime(t.revoked_at);
  return j;
}

json ApiTokenCreatedToJson(const domain::ApiToken& t, std::string_view token) {
  json j = ToJson(t);
  j["token"] = std::string(token);
  return j;
}

// ---------------------------------------------------------------------------------------------
// Request bodies

Result<domain::Department> ParseDepartmentCreate(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"name", "description"});
  domain::Department d;
  if (auto v = r.String("name", kRequired)) d.name = std::move(*v);
  if (auto v = r.String("description", kOptional)) d.description = std::move(*v);
  Status s = domain::ValidateDepartment(d);
  return Finish(std::move(d), errors, s, "invalid department");
}

Result<domain::DepartmentPatch> ParseDepartmentPatch(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"name", "description"});
  domain::DepartmentPatch p;
  p.name = r.String("name", kNonNull);
  p.description = r.String("description", kNonNull);
  Status s = domain::ValidateDepartmentPatch(p);
  return Finish(std::move(p), errors, s, "invalid department");
}

Result<domain::UserCreate> ParseUserCreate(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"email", "name", "role", "password", "department_ids"});
  domain::UserCreate c;
  if (auto v = r.String("email", kRequired)) c.user.email = std::move(*v);
  if (auto v = r.String("name", kRequired)) c.user.name = std::move(*v);
  if (auto v = r.Enum("role", kRequired, &domain::ParseRole, kRoleNames)) c.user.role = *v;
  if (auto v = r.String("password", kRequired)) c.password = std::move(*v);
  if (auto v = r.StringArray("department_ids", kOptional)) c.user.department_ids = std::move(*v);
  Status s = domain::ValidateUserCreate(c);
  return Finish(std::move(c), errors, s, "invalid user");
}

Result<domain::UserPatch> ParseUserPatch(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"name", "role", "department_ids", "status", "password"});
  domain::UserPatch p;
  p.name = r.String("name", kNonNull);
  p.role = r.Enum("role", kNonNull, &domain::ParseRole, kRoleNames);
  p.department_ids = r.StringArray("department_ids", kNonNull);
  p.status = r.Enum("status", kNonNull, &domain::ParseUserStatus, kUserStatusNames);
  p.password = r.String("password", kNonNull);
  Status s = domain::ValidateUserPatch(p);
  return Finish(std::move(p), errors, s, "invalid user");
}

namespace {

// thresholds: {recommend?, review?}
std::optional<domain::ThresholdsPatch> ReadThresholds(ObjectReader& r, Presence presence) {
  const json* v = r.Get("thresholds", presence);
  if (!v) return std::nullopt;
  ObjectReader t(*v, r.PathOf("thresholds"), r.errors());
  if (!t.ok()) return std::nullopt;
  t.AllowOnly({"recommend", "review"});
  domain::ThresholdsPatch out;
  out.recommend = t.Int32("recommend", presence == kOptional ? kOptional : kNonNull);
  out.review = t.Int32("review", presence == kOptional ? kOptional : kNonNull);
  return out;
}

constexpr std::string_view kJobMembers[] = {"title",        "department_id", "description",
                                            "requirements", "location",      "employment_type",
                                            "status",       "thresholds"};

}  // namespace

Result<domain::Job> ParseJobCreate(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly(kJobMembers);
  domain::Job j;
  if (auto v = r.String("title", kRequired)) j.title = std::move(*v);
  if (auto v = r.String("department_id", kRequired)) j.department_id = std::move(*v);
  if (auto v = r.String("description", kOptional)) j.description = std::move(*v);
  if (auto v = r.StringArray("requirements", kOptional)) j.requirements = std::move(*v);
  if (auto v = r.String("location", kOptional)) j.location = std::move(*v);
  if (auto v =
          r.Enum("employment_type", kOptional, &domain::ParseEmploymentType, kEmploymentTypeNames))
    j.employment_type = *v;
  if (auto v = r.Enum("status", kOptional, &domain::ParseJobStatus, kJobStatusNames)) j.status = *v;
  if (auto t = ReadThresholds(r, kOptional)) domain::JobPatch{.thresholds = t}.Apply(j);
  Status s = domain::ValidateJob(j);
  return Finish(std::move(j), errors, s, "invalid job");
}

Result<domain::JobPatch> ParseJobPatch(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly(kJobMembers);
  domain::JobPatch p;
  p.title = r.String("title", kNonNull);
  p.department_id = r.String("department_id", kNonNull);
  p.description = r.String("description", kNonNull);
  p.requirements = r.StringArray("requirements", kNonNull);
  p.location = r.String("location", kNonNull);
  p.employment_type =
      r.Enum("employment_type", kNonNull, &domain::ParseEmploymentType, kEmploymentTypeNames);
  p.status = r.Enum("status", kNonNull, &domain::ParseJobStatus, kJobStatusNames);
  p.thresholds = ReadThresholds(r, kNonNull);
  Status s = domain::ValidateJobPatch(p);
  return Finish(std::move(p), errors, s, "invalid job");
}

namespace {

domain::Indicator ReadIndicator(const json& v, const std::string& path, FieldErrors& errors) {
  domain::Indicator ind;
  ObjectReader r(v, path, errors);
  if (!r.ok()) return ind;
  r.AllowOnly({"key", "name", "name_en", "synonyms"});
  if (auto s = r.String("key", kRequired)) ind.key = std::move(*s);
  if (auto s = r.String("name", kRequired)) ind.name = std::move(*s);
  if (auto s = r.String("name_en", kOptional)) ind.name_en = std::move(*s);
  if (auto s = r.StringArray("synonyms", kOptional)) ind.synonyms = std::move(*s);
  return ind;
}

domain::Dimension ReadDimension(const json& v, const std::string& path, FieldErrors& errors) {
  domain::Dimension d;
  ObjectReader r(v, path, errors);
  if (!r.ok()) return d;
  r.AllowOnly({"key", "name", "name_en", "description", "weight", "indicators", "level_anchors"});
  if (auto s = r.String("key", kRequired)) d.key = std::move(*s);
  if (auto s = r.String("name", kRequired)) d.name = std::move(*s);
  if (auto s = r.String("name_en", kOptional)) d.name_en = std::move(*s);
  if (auto s = r.String("description", kOptional)) d.description = std::move(*s);
  if (auto w = r.Number("weight", kRequired)) d.weight = *w;
  if (auto a = r.Array("indicators", kOptional, [&](const json& item, const std::string& p) {
        return ReadIndicator(item, p, errors);
      }))
    d.indicators = std::move(*a);
  if (auto a = r.StringArray("level_anchors", kRequired)) d.level_anchors = std::move(*a);
  return d;
}

}  // namespace

Result<domain::CompetencyModel> ParseCompetencyModelPut(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"dimensions"});
  domain::CompetencyModel m;
  if (auto a = r.Array("dimensions", kRequired, [&](const json& item, const std::string& p) {
        return ReadDimension(item, p, errors);
      }))
    m.dimensions = std::move(*a);
  Status s = domain::ValidateCompetencyModel(m);
  return Finish(std::move(m), errors, s, "invalid competency model");
}

namespace {

domain::Scenario ReadScenario(const json& v, const std::string& path, FieldErrors& errors) {
  domain::Scenario sc;
  ObjectReader r(v, path, errors);
  if (!r.ok()) return sc;
  r.AllowOnly({"title", "context"});
  if (auto s = r.String("title", kRequired)) sc.title = std::move(*s);
  if (auto s = r.String("context", kRequired)) sc.context = std::move(*s);
  return sc;
}

domain::KeyPoint ReadKeyPoint(const json& v, const std::string& path, FieldErrors& errors) {
  domain::KeyPoint k;
  ObjectReader r(v, path, errors);
  if (!r.ok()) return k;
  r.AllowOnly({"text", "synonyms", "dimension_key"});
  if (auto s = r.String("text", kRequired)) k.text = std::move(*s);
  if (auto s = r.StringArray("synonyms", kOptional)) k.synonyms = std::move(*s);
  k.dimension_key = r.String("dimension_key", kOptional);
  return k;
}

domain::ReferenceAnswer ReadReferenceAnswer(const json& v, const std::string& path,
                                            FieldErrors& errors) {
  domain::ReferenceAnswer a;
  ObjectReader r(v, path, errors);
  if (!r.ok()) return a;
  r.AllowOnly({"text", "score", "language"});
  if (auto s = r.String("text", kRequired)) a.text = std::move(*s);
  a.score = r.Number("score", kOptional);
  if (auto s = r.String("language", kOptional)) a.language = std::move(*s);
  return a;
}

std::optional<std::vector<domain::KeyPoint>> ReadKeyPoints(ObjectReader& r, Presence presence) {
  FieldErrors& errors = r.errors();
  return r.Array("key_points", presence, [&](const json& item, const std::string& p) {
    return ReadKeyPoint(item, p, errors);
  });
}

std::optional<std::vector<domain::ReferenceAnswer>> ReadReferenceAnswers(ObjectReader& r,
                                                                         Presence presence) {
  FieldErrors& errors = r.errors();
  return r.Array("reference_answers", presence, [&](const json& item, const std::string& p) {
    return ReadReferenceAnswer(item, p, errors);
  });
}

constexpr std::string_view kQuestionMembers[] = {"job_id",
                                                 "type",
                                                 "text",
                                                 "dimension_keys",
                                                 "scenario",
                                                 "rubric",
                                                 "reference_answers",
                                                 "think_seconds",
                                                 "answer_seconds",
                                                 "expected_length",
                                                 "tags",
                                                 "rating_max"};

}  // namespace

Result<domain::Question> ParseQuestionCreate(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly(kQuestionMembers);
  domain::Question q;
  q.job_id = r.String("job_id", kOptional);
  if (auto v = r.Enum("type", kRequired, &domain::ParseQuestionType, kQuestionTypeNames))
    q.type = *v;
  if (const json* v = r.Get("text", kRequired)) {
    ObjectReader t(*v, r.PathOf("text"), errors);
    t.AllowOnly({"zh", "en"});
    if (auto s = t.String("zh", kOptional)) q.text.zh = std::move(*s);
    if (auto s = t.String("en", kOptional)) q.text.en = std::move(*s);
  }
  if (auto v = r.StringArray("dimension_keys", kOptional)) q.dimension_keys = std::move(*v);
  if (const json* v = r.Get("scenario", kOptional))
    q.scenario = ReadScenario(*v, r.PathOf("scenario"), errors);
  if (const json* v = r.Get("rubric", kOptional)) {
    ObjectReader rb(*v, r.PathOf("rubric"), errors);
    rb.AllowOnly({"key_points", "notes"});
    if (auto k = ReadKeyPoints(rb, kOptional)) q.rubric.key_points = std::move(*k);
    if (auto s = rb.String("notes", kOptional)) q.rubric.notes = std::move(*s);
  }
  if (auto a = ReadReferenceAnswers(r, kOptional)) q.reference_answers = std::move(*a);
  if (auto v = r.Int32("think_seconds", kOptional)) q.think_seconds = *v;
  if (auto v = r.Int32("answer_seconds", kOptional)) q.answer_seconds = *v;
  if (const json* v = r.Get("expected_length", kOptional)) {
    ObjectReader el(*v, r.PathOf("expected_length"), errors);
    el.AllowOnly({"min", "max"});
    if (auto n = el.Int32("min", kOptional)) q.expected_length.min = *n;
    if (auto n = el.Int32("max", kOptional)) q.expected_length.max = *n;
  }
  if (auto v = r.StringArray("tags", kOptional)) q.tags = std::move(*v);
  if (auto v = r.Int32("rating_max", kOptional)) q.rating_max = *v;
  Status s = domain::ValidateQuestion(q);
  return Finish(std::move(q), errors, s, "invalid question");
}

Result<domain::QuestionPatch> ParseQuestionPatch(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly(kQuestionMembers);
  domain::QuestionPatch p;
  p.job_id = r.NullableString("job_id");
  p.type = r.Enum("type", kNonNull, &domain::ParseQuestionType, kQuestionTypeNames);
  if (const json* v = r.Get("text", kNonNull)) {
    ObjectReader t(*v, r.PathOf("text"), errors);
    if (t.ok()) {
      t.AllowOnly({"zh", "en"});
      p.text = domain::QuestionTextPatch{t.String("zh", kNonNull), t.String("en", kNonNull)};
    }
  }
  p.dimension_keys = r.StringArray("dimension_keys", kNonNull);
  if (r.IsNull("scenario")) {
    p.scenario = std::optional<domain::Scenario>{};
  } else if (const json* v = r.Get("scenario", kOptional)) {
    p.scenario = std::optional<domain::Scenario>{ReadScenario(*v, r.PathOf("scenario"), errors)};
  }
  if (const json* v = r.Get("rubric", kNonNull)) {
    ObjectReader rb(*v, r.PathOf("rubric"), errors);
    if (rb.ok()) {
      rb.AllowOnly({"key_points", "notes"});
      p.rubric = domain::RubricPatch{ReadKeyPoints(rb, kNonNull), rb.String("notes", kNonNull)};
    }
  }
  p.reference_answers = ReadReferenceAnswers(r, kNonNull);
  p.think_seconds = r.Int32("think_seconds", kNonNull);
  p.answer_seconds = r.Int32("answer_seconds", kNonNull);
  if (const json* v = r.Get("expected_length", kNonNull)) {
    ObjectReader el(*v, r.PathOf("expected_length"), errors);
    if (el.ok()) {
      el.AllowOnly({"min", "max"});
      p.expected_length =
          domain::ExpectedLengthPatch{el.Int32("min", kNonNull), el.Int32("max", kNonNull)};
    }
  }
  p.tags = r.StringArray("tags", kNonNull);
  p.rating_max = r.Int32("rating_max", kNonNull);
  Status s = domain::ValidateQuestionPatch(p);
  return Finish(std::move(p), errors, s, "invalid question");
}

namespace {

domain::PlanSection ReadSection(const json& v, const std::string& path, FieldErrors& errors) {
  domain::PlanSection sec;
  ObjectReader r(v, path, errors);
  if (!r.ok()) return sec;
  r.AllowOnly({"key", "title", "question_ids"});
  if (auto s = r.String("key", kRequired)) sec.key = std::move(*s);
  if (auto s = r.String("title", kRequired)) sec.title = std::move(*s);
  if (auto a = r.StringArray("question_ids", kRequired)) sec.question_ids = std::move(*a);
  return sec;
}

}  // namespace

Result<domain::InterviewPlan> ParseInterviewPlanPut(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"sections", "reanswer_limit", "feedback_enabled", "follow_ups_enabled",
               "answer_modes", "expires_in_days"});
  domain::InterviewPlan p;
  if (auto a = r.Array("sections", kRequired, [&](const json& item, const std::string& path) {
        return ReadSection(item, path, errors);
      }))
    p.sections = std::move(*a);
  if (auto v = r.Int32("reanswer_limit", kOptional)) p.reanswer_limit = *v;
  if (auto v = r.Bool("feedback_enabled", kOptional)) p.feedback_enabled = *v;
  if (auto v = r.Bool("follow_ups_enabled", kOptional)) p.follow_ups_enabled = *v;
  if (auto a = r.StringArray("answer_modes", kOptional)) {
    p.answer_modes.clear();
    std::string path = r.PathOf("answer_modes");
    for (size_t i = 0; i < a->size(); ++i) {
      std::string item = domain::Item(path, i);
      if (errors.HasAtOrBelow(item)) continue;  // not a string: reported already
      if (auto m = domain::ParseAnswerMode((*a)[i])) {
        p.answer_modes.push_back(*m);
      } else {
        errors.Add(item, "must be one of: " + std::string(kAnswerModeNames));
      }
    }
  }
  if (auto v = r.Int32("expires_in_days", kOptional)) p.expires_in_days = *v;
  Status s = domain::ValidateInterviewPlan(p);
  return Finish(std::move(p), errors, s, "invalid interview plan");
}

namespace {
constexpr std::string_view kCandidateMembers[] = {"name",        "email",  "phone", "national_id",
                                                  "resume_text", "source", "tags"};
}  // namespace

Result<domain::Candidate> ParseCandidateCreate(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly(kCandidateMembers);
  domain::Candidate c;
  if (auto v = r.String("name", kRequired)) c.name = std::move(*v);
  c.email = r.String("email", kOptional);
  c.phone = r.String("phone", kOptional);
  c.national_id = r.String("national_id", kOptional);
  c.resume_text = r.String("resume_text", kOptional);
  if (auto v = r.String("source", kOptional)) c.source = std::move(*v);
  if (auto v = r.StringArray("tags", kOptional)) c.tags = std::move(*v);
  Status s = domain::ValidateCandidate(c);
  // "email or phone required" follows from an unreadable email or phone: skip it then.
  if (!s && (errors.HasAtOrBelow("email") || errors.HasAtOrBelow("phone"))) {
    std::erase_if(s.error().details, [](const FieldError& d) {
      return d.field == "email" && d.message.starts_with("at least one");
    });
    if (s.error().details.empty()) s = Ok();
  }
  return Finish(std::move(c), errors, s, "invalid candidate");
}

Result<domain::CandidatePatch> ParseCandidatePatch(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly(kCandidateMembers);
  domain::CandidatePatch p;
  p.name = r.String("name", kNonNull);
  p.email = r.NullableString("email");
  p.phone = r.NullableString("phone");
  p.national_id = r.NullableString("national_id");
  p.resume_text = r.NullableString("resume_text");
  p.source = r.String("source", kNonNull);
  p.tags = r.StringArray("tags", kNonNull);
  Status s = domain::ValidateCandidatePatch(p);
  return Finish(std::move(p), errors, s, "invalid candidate");
}

Result<domain::Application> ParseApplicationCreate(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"candidate_id", "job_id", "stage", "source"});
  domain::Application a;
  if (auto v = r.String("candidate_id", kRequired)) a.candidate_id = std::move(*v);
  if (auto v = r.String("job_id", kRequired)) a.job_id = std::move(*v);
  if (auto v = r.Enum("stage", kOptional, &domain::ParseStage, kStageNames)) a.stage = *v;
  if (auto v = r.String("source", kOptional)) a.source = std::move(*v);
  Status s = domain::ValidateApplication(a);
  return Finish(std::move(a), errors, s, "invalid application");
}

Result<domain::ApplicationPatch> ParseApplicationPatch(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"stage"});
  domain::ApplicationPatch p;
  p.stage = r.Enum("stage", kRequired, &domain::ParseStage, kStageNames);
  return Finish(std::move(p), errors, Ok(), "invalid application");
}

Result<domain::ApiToken> ParseApiTokenCreate(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"name", "scopes"});
  domain::ApiToken t;
  if (auto v = r.String("name", kRequired)) t.name = std::move(*v);
  if (auto v = r.StringArray("scopes", kRequired)) t.scopes = std::move(*v);
  Status s = domain::ValidateApiToken(t);
  if (errors.empty() && s) domain::NormalizeScopes(t.scopes);
  return Finish(std::move(t), errors, s, "invalid api token");
}

Result<LoginRequest> ParseLoginRequest(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"email", "password"});
  LoginRequest req;
  if (auto v = r.String("email", kRequired)) {
    if (v->empty()) {
      errors.Add("email", "must not be empty");
    } else if (v->size() > domain::kEmailMax) {
      errors.Add("email", "must be at most 254 characters");
    }
    req.email = std::move(*v);
  }
  if (auto v = r.String("password", kRequired)) {
    if (v->empty()) {
      errors.Add("password", "must not be empty");
    } else if (v->size() > 1024) {
      errors.Add("password", "is too long");
    }
    req.password = std::move(*v);
  }
  return Finish(std::move(req), errors, Ok(), "invalid login request");
}

json ToJson(const domain::Course& c) {
  json j = json::object();
  j["id"] = c.id;
  j["title"] = c.title;
  j["title_en"] = c.title_en;
  j["url"] = c.url;
  j["description"] = c.description;
  j["dimension_keys"] = Strings(c.dimension_keys);
  j["max_level"] = c.max_level;
  j["created_at"] = Time(c.created_at);
  j["updated_at"] = Time(c.updated_at);
  return j;
}

json ToJson(const domain::Task& t) {
  json j = json::object();
  j["id"] = t.id;
  j["kind"] = t.kind;
  j["status"] = std::string(domain::ToString(t.status));
  j["application_id"] = t.application_id;
  j["department_id"] = t.department_id;
  j["title"] = t.title;
  j["detail"] = t.detail;
  j["origin"] = t.origin;
  j["resolution"] = t.resolution ? json(*t.resolution) : json(nullptr);
  j["resolved_by"] = t.resolved_by ? json(*t.resolved_by) : json(nullptr);
  j["resolved_at"] = OptTime(t.resolved_at);
  j["created_at"] = Time(t.created_at);
  j["updated_at"] = Time(t.updated_at);
  return j;
}

namespace {
constexpr std::array<std::string_view, 6> kCourseMembers = {
    "title", "title_en", "url", "description", "dimension_keys", "max_level"};
constexpr std::string_view kIntegrityKindNames =
    "tab_hidden, paste, window_blur, copy, fullscreen_exit";
}  // namespace

Result<domain::Course> ParseCourseCreate(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly(kCourseMembers);
  domain::Course c;
  if (auto v = r.String("title", kRequired)) c.title = std::move(*v);
  if (auto v = r.String("title_en", kOptional)) c.title_en = std::move(*v);
  if (auto v = r.String("url", kRequired)) c.url = std::move(*v);
  if (auto v = r.String("description", kOptional)) c.description = std::move(*v);
  if (auto v = r.StringArray("dimension_keys", kRequired)) c.dimension_keys = std::move(*v);
  if (auto v = r.Int32("max_level", kOptional)) c.max_level = *v;
  return Finish(std::move(c), errors, domain::ValidateCourse(c), "invalid course");
}

Result<domain::CoursePatch> ParseCoursePatch(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly(kCourseMembers);
  domain::CoursePatch p;
  p.title = r.String("title", kNonNull);
  p.title_en = r.String("title_en", kNonNull);
  p.url = r.String("url", kNonNull);
  p.description = r.String("description", kNonNull);
  p.dimension_keys = r.StringArray("dimension_keys", kNonNull);
  p.max_level = r.Int32("max_level", kNonNull);
  // Field rules run on the merged course (the service re-validates after Apply).
  return Finish(std::move(p), errors, Ok(), "invalid course");
}

Result<domain::ConsentRequest> ParseConsent(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"consent_version", "accept", "audio_video_analysis"});
  domain::ConsentRequest c;
  if (auto v = r.String("consent_version", kRequired)) c.consent_version = std::move(*v);
  if (auto v = r.Bool("accept", kRequired)) c.accept = *v;
  if (auto v = r.Bool("audio_video_analysis", kOptional)) c.audio_video_analysis = *v;
  return Finish(std::move(c), errors, domain::ValidateConsent(c), "invalid consent");
}

Result<domain::AnswerSubmission> ParseAnswer(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"text", "client_elapsed_ms"});
  domain::AnswerSubmission a;
  if (auto v = r.String("text", kRequired)) a.text = std::move(*v);
  a.client_elapsed_ms = r.Int("client_elapsed_ms", kOptional, 0, int64_t{1} << 40);
  return Finish(std::move(a), errors, domain::ValidateAnswerText(a.text), "invalid answer");
}

Result<domain::IntegrityEvent> ParseIntegrityEvent(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"kind", "position", "duration_ms"});
  domain::IntegrityEvent e;
  if (auto v = r.Enum("kind", kRequired, &domain::ParseIntegrityEventKind, kIntegrityKindNames))
    e.kind = *v;
  if (auto v = r.Int("position", kOptional, 0, 1000)) e.position = static_cast<int>(*v);
  e.duration_ms = r.Int("duration_ms", kOptional, 0, int64_t{1} << 40);
  return Finish(std::move(e), errors, Ok(), "invalid integrity event");
}

Result<domain::ScoreOverride> ParseScoreOverride(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"dimension_key", "score", "reason"});
  domain::ScoreOverride o;
  if (!r.Has("dimension_key"))
    errors.Add("dimension_key", "is required (null for the overall score)");
  if (auto v = r.String("dimension_key", kOptional)) {
    // "" is how the domain spells "overall"; the API spells it null only.
    if (v->empty()) errors.Add("dimension_key", "must be a dimension key, or null for the overall");
    o.dimension_key = std::move(*v);
  }
  if (auto v = r.Number("score", kRequired)) o.score = *v;
  if (auto v = r.String("reason", kRequired)) o.reason = std::move(*v);
  return Finish(std::move(o), errors, domain::ValidateScoreOverride(o), "invalid score override");
}

Result<InvitationRequest> ParseInvitationRequest(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"expires_in_days", "send_email"});
  InvitationRequest req;
  if (auto v =
          r.Int("expires_in_days", kOptional, domain::kExpiresInDaysMin, domain::kExpiresInDaysMax))
    req.expires_in_days = static_cast<int>(*v);
  if (auto v = r.Bool("send_email", kOptional)) req.send_email = *v;
  return Finish(std::move(req), errors, Ok(), "invalid invitation");
}

Result<bool> ParseResendRequest(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"send_email"});
  bool send = r.Bool("send_email", kOptional).value_or(false);
  return Finish(send, errors, Ok(), "invalid resend");
}

Result<int> ParseExtendRequest(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"days"});
  auto days = r.Int("days", kRequired, domain::kExtendDaysMin, domain::kExtendDaysMax);
  return Finish(static_cast<int>(days.value_or(0)), errors, Ok(), "invalid extension");
}

Result<std::string> ParseReviewRequest(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"reason"});
  std::string reason = r.String("reason", kOptional).value_or("");
  domain::CheckText(errors, "reason", reason, 0, domain::kReviewReasonMax);
  return Finish(std::move(reason), errors, Ok(), "invalid review request");
}

Result<std::string> ParseTaskResolve(const json& body) {
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ObjectReader r(body, "", errors);
  r.AllowOnly({"resolution", "status"});
  std::string resolution = r.String("resolution", kRequired).value_or("");
  if (!errors.HasAtOrBelow("resolution"))
    domain::CheckText(errors, "resolution", resolution, 1, domain::kTaskResolutionMax);
  if (auto status = r.String("status", kOptional); status && *status != "done")
    errors.Add("status", "must be \"done\"");
  return Finish(std::move(resolution), errors, Ok(), "invalid task update");
}

}  // namespace zm::json
