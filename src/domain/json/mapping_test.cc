#include "domain/json/mapping.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/time.h"

namespace zm::json {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr char kDept[] = "01JD5M1Z8Q3V4W5X6Y7Z8A9B0C";
constexpr char kDept2[] = "01JD5M1Z8Q3V4W5X6Y7Z8A9B0D";
constexpr char kQ1[] = "01JD5M1Z8Q3V4W5X6Y7Z8A9B01";
constexpr char kQ2[] = "01JD5M1Z8Q3V4W5X6Y7Z8A9B02";
constexpr char kQ3[] = "01JD5M1Z8Q3V4W5X6Y7Z8A9B03";
constexpr int64_t kT1 = 1795315260123;  // 2026-11-22T02:41:00.123Z
constexpr int64_t kT2 = 1795315320000;

// (field, message) pairs of a failed result.
template <class T>
std::vector<std::pair<std::string, std::string>> Details(const Result<T>& r) {
  std::vector<std::pair<std::string, std::string>> out;
  if (r) return out;
  for (const FieldError& d : r.error().details) out.emplace_back(d.field, d.message);
  return out;
}

template <class T>
std::vector<std::string> Fields(const Result<T>& r) {
  std::vector<std::string> out;
  for (const auto& [f, m] : Details(r)) out.push_back(f);
  return out;
}

template <class T>
void ExpectValidationFailed(const Result<T>& r) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason, "validation_failed");
}

std::set<std::string> Keys(const json& j) {
  std::set<std::string> out;
  for (const auto& [k, v] : j.items()) out.insert(k);
  return out;
}

json J(const char* text) { return json::parse(text); }

// ---------------------------------------------------------------------------------------------
// Generic

TEST(JsonBodyTest, ParsesOrRefuses) {
  auto ok = ParseJsonBody(R"({"name": "销售部"})");
  ASSERT_TRUE(ok);
  EXPECT_EQ((*ok)["name"], "销售部");
  for (const char* bad : {"", "{", "{\"a\": }", "nul", "{\"a\": 1} x"}) {
    auto r = ParseJsonBody(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().reason, "invalid_json");
  }
  // Invalid UTF-8 inside a string is malformed JSON.
  EXPECT_FALSE(ParseJsonBody(std::string("{\"name\": \"a\xC3\"}")));
}

TEST(JsonBodyTest, BodyMustBeAnObject) {
  for (const char* text : {"[]", "\"x\"", "1", "null", "true"}) {
    auto r = ParseDepartmentCreate(J(text));
    ExpectValidationFailed(r);
    EXPECT_EQ(r.error().message, "request body must be a JSON object");
  }
  ExpectValidationFailed(ParseCompetencyModelPut(J("[]")));
  ExpectValidationFailed(ParseLoginRequest(J("null")));
}

TEST(PageTest, Shape) {
  json p = Page({J(R"({"id": "a"})"), J(R"({"id": "b"})")}, std::string("b"));
  EXPECT_EQ(p, J(R"({"items": [{"id": "a"}, {"id": "b"}], "next_cursor": "b"})"));
  json last = Page({}, std::nullopt);
  EXPECT_EQ(last, J(R"({"items": [], "next_cursor": null})"));
}

// ---------------------------------------------------------------------------------------------
// Department

TEST(DepartmentJsonTest, CreateRoundTrip) {
  auto r = ParseDepartmentCreate(J(R"({"name": "华东销售部", "description": "负责华东区"})"));
  ASSERT_TRUE(r) << r.error().message;
  domain::Department d = *r;
  EXPECT_EQ(d.name, "华东销售部");
  d.id = kDept;
  d.created_at = kT1;
  d.updated_at = kT2;
  json j = ToJson(d);
  EXPECT_EQ(Keys(j),
            (std::set<std::string>{"id", "name", "description", "created_at", "updated_at"}));
  EXPECT_EQ(j["id"], kDept);
  EXPECT_EQ(j["name"], "华东销售部");
  EXPECT_EQ(j["description"], "负责华东区");
  EXPECT_EQ(j["created_at"], "2026-11-22T02:41:00.123Z");
  EXPECT_EQ(j["updated_at"], FormatIso8601(kT2));
  // Chinese survives serialization as UTF-8.
  EXPECT_NE(j.dump().find("华东销售部"), std::string::npos);
}

TEST(DepartmentJsonTest, OptionalNullCountsAsAbsent) {
  auto r = ParseDepartmentCreate(J(R"({"name": "HR", "description": null})"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->description, "");
}

TEST(DepartmentJsonTest, UnknownFieldRefused) {
  auto r = ParseDepartmentCreate(J(R"({"name": "HR", "foo": 1})"));
  ExpectValidationFailed(r);
  EXPECT_THAT(Details(r), ElementsAre(Pair("foo", "unknown field")));
}

TEST(DepartmentJsonTest, WrongTypesAndMissing) {
  auto r = ParseDepartmentCreate(J(R"({"name": 5, "description": ["x"]})"));
  EXPECT_THAT(Details(r), ElementsAre(Pair("name", "must be a string"),
                                      Pair("description", "must be a string")));
  auto missing = ParseDepartmentCreate(J("{}"));
  EXPECT_THAT(Details(missing), ElementsAre(Pair("name", "is required")));
  auto null_name = ParseDepartmentCreate(J(R"({"name": null})"));
  EXPECT_THAT(Details(null_name), ElementsAre(Pair("name", "is required")));
}

TEST(DepartmentJsonTest, DomainRulesApplied) {
  std::string long_name;
  for (int i = 0; i < 101; ++i) long_name += "部";
  auto r = ParseDepartmentCreate(json{{"name", long_name}});
  EXPECT_THAT(Details(r), ElementsAre(Pair("name", "must be at most 100 characters")));
  auto blank = ParseDepartmentCreate(J(R"({"name": "   "})"));
  EXPECT_THAT(Details(blank), ElementsAre(Pair("name", "must not be empty")));
}

TEST(DepartmentJsonTest, InvalidUtf8InBuiltJsonRefused) {
  json body = json::object();
  body["name"] = std::string("a\xC3", 2);  // not via the parser
  auto r = ParseDepartmentCreate(body);
  EXPECT_THAT(Details(r), ElementsAre(Pair("name", "must be valid UTF-8")));
  json bad_key = json::object();
  bad_key["name"] = "ok";
  bad_key[std::string("\xFF", 1)] = 1;
  EXPECT_THAT(Details(ParseDepartmentCreate(bad_key)),
              ElementsAre(Pair("<invalid UTF-8>", "unknown field")));
}

TEST(DepartmentJsonTest, PatchChangesOnlyGivenField) {
  domain::Department d{.id = kDept, .name = "销售部", .description = "旧描述"};
  auto p = ParseDepartmentPatch(J(R"({"description": "新描述"})"));
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->name);
  p->Apply(d);
  EXPECT_EQ(d.name, "销售部");
  EXPECT_EQ(d.description, "新描述");

  EXPECT_THAT(Details(ParseDepartmentPatch(J(R"({"name": null})"))),
              ElementsAre(Pair("name", "must not be null")));
  EXPECT_THAT(Details(ParseDepartmentPatch(J(R"({"name": ""})"))),
              ElementsAre(Pair("name", "must not be empty")));
  EXPECT_THAT(Details(ParseDepartmentPatch(J(R"({"id": "x"})"))),
              ElementsAre(Pair("id", "unknown field")));
  auto empty = ParseDepartmentPatch(J("{}"));
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

// ---------------------------------------------------------------------------------------------
// User

TEST(UserJsonTest, CreateRoundTrip) {
  json body = {{"email", "li.manager@example.com"},
               {"name", "李经理"},
               {"role", "manager"},
               {"password", "Zhimian-2026"},
               {"department_ids", {kDept, kDept2}}};
  auto r = ParseUserCreate(body);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->password, "Zhimian-2026");
  domain::User u = r->user;
  EXPECT_EQ(u.role, domain::Role::kManager);
  u.id = kQ1;
  u.created_at = u.updated_at = kT1;
  json j = ToJson(u);
  EXPECT_EQ(Keys(j),
            (std::set<std::string>{"id", "email", "name", "role", "department_ids", "status",
                                   "created_at", "updated_at", "last_login_at"}));
  EXPECT_EQ(j["email"], "li.manager@example.com");
  EXPECT_EQ(j["name"], "李经理");
  EXPECT_EQ(j["role"], "manager");
  EXPECT_EQ(j["department_ids"], json({kDept, kDept2}));
  EXPECT_EQ(j["status"], "active");
  EXPECT_TRUE(j["last_login_at"].is_null());
  EXPECT_EQ(j.find("password"), j.end());
  u.last_login_at = kT2;
  EXPECT_EQ(ToJson(u)["last_login_at"], FormatIso8601(kT2));
}

TEST(UserJsonTest, CreateReportsEverything) {
  json body = {
      {"email", "li@example.com"},    {"name", ""},      {"role", "boss"}, {"password", "Sh0rt!"},
      {"department_ids", {kDept, 7}}, {"is_admin", true}};
  auto r = ParseUserCreate(body);
  ExpectValidationFailed(r);
  EXPECT_THAT(Details(r), ElementsAre(Pair("is_admin", "unknown field"),
                                      Pair("role", "must be one of: admin, hr, manager, auditor"),
                                      Pair("department_ids[1]", "must be a string"),
                                      Pair("name", "must not be empty"),
                                      Pair("password", "must be 10 to 128 characters long")));
}

TEST(UserJsonTest, ManagerWithoutDepartment) {
  json body = {{"email", "li@example.com"},
               {"name", "李"},
               {"role", "manager"},
               {"password", "Zhimian-2026"}};
  EXPECT_THAT(Fields(ParseUserCreate(body)), ElementsAre("department_ids"));
}

TEST(UserJsonTest, Patch) {
  auto p = ParseUserPatch(J(R"({"status": "disabled", "password": "New-Password-1"})"));
  ASSERT_TRUE(p);
  domain::User u{.email = "a@example.com", .name = "甲", .role = domain::Role::kHr};
  p->Apply(u);
  EXPECT_EQ(u.status, domain::UserStatus::kDisabled);
  EXPECT_EQ(u.name, "甲");
  EXPECT_EQ(p->password, "New-Password-1");
  EXPECT_THAT(Details(ParseUserPatch(J(R"({"status": "gone", "email": "x@y.z"})"))),
              ElementsAre(Pair("email", "unknown field"),
                          Pair("status", "must be one of: active, disabled")));
}

// ---------------------------------------------------------------------------------------------
// Job

TEST(JobJsonTest, CreateWithDefaultsRoundTrip) {
  json body = {{"title", "客户经理"}, {"department_id", kDept}};
  auto r = ParseJobCreate(body);
  ASSERT_TRUE(r) << r.error().message;
  domain::Job job = *r;
  job.id = kQ1;
  json j = ToJson(job);
  EXPECT_EQ(Keys(j), (std::set<std::string>{"id", "title", "department_id", "description",
                                            "requirements", "location", "employment_type", "status",
                                            "thresholds", "created_at", "updated_at"}));
  EXPECT_EQ(j["title"], "客户经理");
  EXPECT_EQ(j["status"], "draft");
  EXPECT_EQ(j["employment_type"], "full_time");
  EXPECT_EQ(j["thresholds"], J(R"({"recommend": 80, "review": 60})"));
  EXPECT_EQ(j["requirements"], json::array());
}

TEST(JobJsonTest, CreateFull) {
  json body = J(R"({"title": "Sales", "department_id": "01JD5M1Z8Q3V4W5X6Y7Z8A9B0C",
      "description": "d", "requirements": ["3年经验"], "location": "北京",
      "employment_type": "intern", "status": "open", "thresholds": {"recommend": 85.0}})");
  auto r = ParseJobCreate(body);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->employment_type, domain::EmploymentType::kIntern);
  EXPECT_EQ(r->status, domain::JobStatus::kOpen);
  EXPECT_EQ(r->thresholds.recommend, 85);  // integral float accepted
  EXPECT_EQ(r->thresholds.review, 60);
  json j = ToJson(*r);
  EXPECT_EQ(j["requirements"], json({"3年经验"}));
  EXPECT_EQ(j["location"], "北京");
}

TEST(JobJsonTest, IntegerRules) {
  auto frac = ParseJobCreate(J(
      R"({"title": "t", "department_id": "01JD5M1Z8Q3V4W5X6Y7Z8A9B0C", "thresholds": {"recommend": 80.5, "review": "60"}})"));
  EXPECT_THAT(Details(frac), ElementsAre(Pair("thresholds.recommend", "must be an integer"),
                                         Pair("thresholds.review", "must be an integer")));
  auto huge = ParseJobCreate(J(
      R"({"title": "t", "department_id": "01JD5M1Z8Q3V4W5X6Y7Z8A9B0C", "thresholds": {"recommend": 1e20, "review": 18446744073709551615}})"));
  EXPECT_THAT(Details(huge), ElementsAre(Pair("thresholds.recommend", "is out of range"),
                                         Pair("thresholds.review", "is out of range")));
  auto range = ParseJobCreate(J(
      R"({"title": "t", "department_id": "01JD5M1Z8Q3V4W5X6Y7Z8A9B0C", "thresholds": {"recommend": 120, "review": true}})"));
  EXPECT_THAT(Details(range),
              ElementsAre(Pair("thresholds.review", "must be an integer"),
                          Pair("thresholds.recommend", "must be between 0 and 100")));
  auto order = ParseJobCreate(J(
      R"({"title": "t", "department_id": "01JD5M1Z8Q3V4W5X6Y7Z8A9B0C", "thresholds": {"recommend": 50}})"));
  EXPECT_THAT(Details(order),
              ElementsAre(Pair("thresholds", "recommend must be greater than review")));
}

TEST(JobJsonTest, CreateReportsEverything) {
  auto r = ParseJobCreate(J(
      R"({"title": "", "department_id": "nope", "requirements": "x", "employment_type": "gig", "thresholds": 5})"));
  EXPECT_THAT(Fields(r), ElementsAre("requirements", "employment_type", "thresholds", "title",
                                     "department_id"));
}

TEST(JobJsonTest, PatchChangesOnlyGivenFields) {
  domain::Job job{.id = kQ1, .title = "客户经理", .department_id = kDept, .location = "上海"};
  auto p = ParseJobPatch(J(R"({"thresholds": {"review": 65}})"));
  ASSERT_TRUE(p);
  p->Apply(job);
  EXPECT_EQ(job.thresholds.review, 65);
  EXPECT_EQ(job.thresholds.recommend, 80);
  EXPECT_EQ(job.title, "客户经理");
  EXPECT_EQ(job.location, "上海");
  EXPECT_TRUE(domain::ValidateJob(job));

  EXPECT_THAT(
      Details(ParseJobPatch(J(R"({"thresholds": null, "title": null})"))),
      ElementsAre(Pair("title", "must not be null"), Pair("thresholds", "must not be null")));
  EXPECT_THAT(Details(ParseJobPatch(J(R"({"thresholds": {"review": null, "x": 1}})"))),
              ElementsAre(Pair("thresholds.x", "unknown field"),
                          Pair("thresholds.review", "must not be null")));
}

// ---------------------------------------------------------------------------------------------
// Competency model

constexpr char kModelBody[] = R"({"dimensions": [
  {"key": "communication", "name": "沟通能力", "name_en": "Communication",
   "description": "清晰表达观点，倾听并回应他人需求", "weight": 30,
   "indicators": [{"key": "active_listening", "name": "倾听客户需求", "name_en": "Listens to needs",
                   "synonyms": ["了解客户需求", "挖掘需求"]}],
   "level_anchors": ["1级: a", "2级: b", "3级: c", "4级: d", "5级: e"]},
  {"key": "customer_focus", "name": "客户导向", "weight": 45.5,
   "level_anchors": ["1", "2", "3", "4", "5"]},
  {"key": "teamwork", "name": "团队协作", "weight": 24.5, "indicators": [],
   "level_anchors": ["1", "2", "3", "4", "5"]}]})";

TEST(CompetencyModelJsonTest, PutRoundTrip) {
  auto r = ParseCompetencyModelPut(J(kModelBody));
  ASSERT_TRUE(r) << r.error().message;
  domain::CompetencyModel m = *r;
  ASSERT_EQ(m.dimensions.size(), 3u);
  EXPECT_DOUBLE_EQ(m.WeightSum(), 100.0);
  EXPECT_EQ(m.dimensions[0].indicators[0].synonyms[1], "挖掘需求");
  EXPECT_EQ(m.dimensions[1].name_en, "");
  m.job_id = kQ1;
  m.version = 3;
  m.updated_at = kT1;
  json j = ToJson(m);
  EXPECT_EQ(Keys(j), (std::set<std::string>{"job_id", "version", "updated_at", "dimensions"}));
  EXPECT_EQ(j["version"], 3);
  EXPECT_EQ(j["job_id"], kQ1);
  json d0 = j["dimensions"][0];
  EXPECT_EQ(Keys(d0), (std::set<std::string>{"key", "name", "name_en", "description", "weight",
                                             "indicators", "level_anchors"}));
  EXPECT_EQ(d0["name"], "沟通能力");
  EXPECT_EQ(d0["description"], "清晰表达观点，倾听并回应他人需求");
  EXPECT_DOUBLE_EQ(d0["weight"].get<double>(), 30);
  EXPECT_EQ(d0["indicators"][0],
            J(R"({"key": "active_listening", "name": "倾听客户需求", "name_en": "Listens to needs",
                  "synonyms": ["了解客户需求", "挖掘需求"]})"));
  EXPECT_EQ(d0["level_anchors"].size(), 5u);
  EXPECT_DOUBLE_EQ(j["dimensions"][1]["weight"].get<double>(), 45.5);
  // What ToJson produced parses back to the same dimensions.
  json again = {{"dimensions", j["dimensions"]}};
  auto r2 = ParseCompetencyModelPut(again);
  ASSERT_TRUE(r2);
  EXPECT_EQ(ToJson(*r2)["dimensions"], j["dimensions"]);
}

TEST(CompetencyModelJsonTest, WeightsNotSummingTo100) {
  json body = J(kModelBody);
  body["dimensions"][2]["weight"] = 20;
  auto r = ParseCompetencyModelPut(body);
  ExpectValidationFailed(r);
  EXPECT_THAT(Details(r), ElementsAre(Pair("dimensions", "weights must sum to 100 (got 95.50)")));
}

TEST(CompetencyModelJsonTest, UnknownFieldHidesNoDomainProblem) {
  json body = J(kModelBody);
  body["dimensions"][0]["indicators"][0]["foo"] = 1;
  body["dimensions"][0]["weight"] = 20;
  EXPECT_THAT(Details(ParseCompetencyModelPut(body)),
              ElementsAre(Pair("dimensions[0].indicators[0].foo", "unknown field"),
                          Pair("dimensions", "weights must sum to 100 (got 90.00)")));
}

TEST(CompetencyModelJsonTest, WrongTypesWithPaths) {
  json body = J(kModelBody);
  body["dimensions"][1]["weight"] = "45.5";
  body["dimensions"][0]["indicators"][0]["synonyms"][1] = 3;
  body["dimensions"][0]["indicators"][0]["foo"] = 1;
  body["dimensions"][2]["level_anchors"] = {"1", "2", "3", "4"};
  auto r = ParseCompetencyModelPut(body);
  // The weight sum follows from the unreadable weight and is not reported.
  EXPECT_THAT(Details(r),
              ElementsAre(Pair("dimensions[0].indicators[0].foo", "unknown field"),
                          Pair("dimensions[0].indicators[0].synonyms[1]", "must be a string"),
                          Pair("dimensions[1].weight", "must be a number"),
                          Pair("dimensions[2].level_anchors", "must have exactly 5 items")));
}

TEST(CompetencyModelJsonTest, StructuralProblems) {
  EXPECT_THAT(Details(ParseCompetencyModelPut(J("{}"))),
              ElementsAre(Pair("dimensions", "is required")));
  EXPECT_THAT(Details(ParseCompetencyModelPut(J(R"({"dimensions": {}})"))),
              ElementsAre(Pair("dimensions", "must be an array")));
  EXPECT_THAT(Details(ParseCompetencyModelPut(J(R"({"dimensions": []})"))),
              ElementsAre(Pair("dimensions", "must have 1..12 items")));
  json body = J(kModelBody);
  body["dimensions"][1] = "customer_focus";
  body["version"] = 4;
  EXPECT_THAT(
      Details(ParseCompetencyModelPut(body)),
      ElementsAre(Pair("version", "unknown field"), Pair("dimensions[1]", "must be an object")));
  json dup = J(kModelBody);
  dup["dimensions"][2]["key"] = "communication";
  dup["dimensions"][0]["weight"] = -1;
  dup["dimensions"][1]["weight"] = 76.5;
  EXPECT_THAT(Details(ParseCompetencyModelPut(dup)),
              ElementsAre(Pair("dimensions[0].weight", "must be between 0 and 100"),
                          Pair("dimensions[2].key", "duplicate key")));
}

// ---------------------------------------------------------------------------------------------
// Question

constexpr char kQuestionBody[] = R"({
  "type": "scenario", "job_id": "01JD5M1Z8Q3V4W5X6Y7Z8A9B0C",
  "text": {"zh": "客户因延迟发货投诉，你会怎么做？", "en": "A customer complains about a late delivery."},
  "dimension_keys": ["communication", "customer_focus"],
  "scenario": {"title": "客户投诉", "context": "一位老客户的订单延迟了三天……"},
  "rubric": {"key_points": [{"text": "先倾听并确认需求", "synonyms": ["了解需求"], "dimension_key": "communication"},
                            {"text": "给出补救方案"}],
             "notes": "关注具体行动"},
  "reference_answers": [{"text": "我会先致歉……", "score": 92.5, "language": "zh"}, {"text": "I would", "score": null, "language": "en"}],
  "think_seconds": 60, "answer_seconds": 240, "expected_length": {"min": 100, "max": 1000},
  "tags": ["销售"]})";

TEST(QuestionJsonTest, CreateRoundTrip) {
  auto r = ParseQuestionCreate(J(kQuestionBody));
  ASSERT_TRUE(r) << r.error().message;
  domain::Question q = *r;
  q.id = kQ1;
  q.created_at = q.updated_at = kT1;
  json j = ToJson(q);
  EXPECT_EQ(Keys(j), (std::set<std::string>{"id", "job_id", "type", "text", "dimension_keys",
                                            "scenario", "rubric", "reference_answers",
                                            "think_seconds", "answer_seconds", "expected_length",
                                            "tags", "rating_max", "created_at", "updated_at"}));
  json body = J(kQuestionBody);
  for (const char* k : {"type", "job_id", "text", "dimension_keys", "scenario", "think_seconds",
                        "answer_seconds", "expected_length", "tags"})
    EXPECT_EQ(j[k], body[k]) << k;
  EXPECT_EQ(j["rubric"]["notes"], "关注具体行动");
  EXPECT_EQ(j["rubric"]["key_points"][0]["dimension_key"], "communication");
  EXPECT_TRUE(j["rubric"]["key_points"][1]["dimension_key"].is_null());
  EXPECT_EQ(j["rubric"]["key_points"][1]["synonyms"], json::array());
  EXPECT_DOUBLE_EQ(j["reference_answers"][0]["score"].get<double>(), 92.5);
  EXPECT_TRUE(j["reference_answers"][1]["score"].is_null());
  EXPECT_EQ(j["reference_answers"][1]["language"], "en");
}

TEST(QuestionJsonTest, CreateDefaults) {
  auto r = ParseQuestionCreate(J(R"({"type": "behavioural", "text": {"zh": "请介绍你自己"}})"));
  ASSERT_TRUE(r) << r.error().message;
  json j = ToJson(*r);
  EXPECT_TRUE(j["job_id"].is_null());
  EXPECT_TRUE(j["scenario"].is_null());
  EXPECT_EQ(j["text"], J(R"({"zh": "请介绍你自己", "en": ""})"));
  EXPECT_EQ(j["think_seconds"], 30);
  EXPECT_EQ(j["answer_seconds"], 180);
  EXPECT_EQ(j["expected_length"], J(R"({"min": 50, "max": 800})"));
  EXPECT_EQ(j["rubric"], J(R"({"key_points": [], "notes": ""})"));
  EXPECT_EQ(j["reference_answers"], json::array());
  EXPECT_EQ(j["rating_max"], 4);
}

TEST(QuestionJsonTest, RatingScaleIsOneToTen) {
  auto ok = ParseQuestionCreate(
      J(R"({"type": "behavioural", "text": {"zh": "请介绍你自己"}, "rating_max": 10})"));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->rating_max, 10);
  for (const char* bad : {"0", "11", "2.5", "\"4\""}) {
    std::string body =
        std::string(R"({"type": "behavioural", "text": {"zh": "x"}, "rating_max": )") + bad + "}";
    auto r = ParseQuestionCreate(J(body.c_str()));
    ASSERT_FALSE(r) << bad;
    ASSERT_FALSE(r.error().details.empty()) << bad;
    EXPECT_EQ(r.error().details[0].field, "rating_max") << bad;
  }
  auto patch = ParseQuestionPatch(J(R"({"rating_max": 3})"));
  ASSERT_TRUE(patch) << patch.error().message;
  domain::Question q = *ok;
  patch->Apply(q);
  EXPECT_EQ(q.rating_max, 3);
  EXPECT_FALSE(ParseQuestionPatch(J(R"({"rating_max": 0})")));
}

TEST(QuestionJsonTest, CreateProblems) {
  EXPECT_THAT(Details(ParseQuestionCreate(J(R"({"type": "scenario", "text": {"zh": "x"}})"))),
              ElementsAre(Pair("scenario", "is required for scenario questions")));
  EXPECT_THAT(Details(ParseQuestionCreate(J(R"({"type": "technical", "text": {}})"))),
              ElementsAre(Pair("text", "at least one of zh and en must be non-empty")));
  EXPECT_THAT(Details(ParseQuestionCreate(J(R"({"type": "technical", "text": {"zh": 1}})"))),
              ElementsAre(Pair("text.zh", "must be a string")));
  EXPECT_THAT(Details(ParseQuestionCreate(J(R"({"text": "x"})"))),
              ElementsAre(Pair("type", "is required"), Pair("text", "must be an object")));
  auto many = ParseQuestionCreate(J(R"({"type": "behavioural", "text": {"en": "q", "fr": "q"},
      "think_seconds": 700, "answer_seconds": 5.5, "expected_length": {"min": 900},
      "rubric": {"key_points": [{"synonyms": []}, {"text": "t", "dimension_key": "Bad"}]},
      "reference_answers": [{"text": "a", "score": "high", "language": "de"}]})"));
  EXPECT_THAT(
      Details(many),
      ElementsAre(Pair("text.fr", "unknown field"),
                  Pair("rubric.key_points[0].text", "is required"),
                  Pair("reference_answers[0].score", "must be a number"),
                  Pair("answer_seconds", "must be an integer"),
                  Pair("rubric.key_points[1].dimension_key", "must match [a-z][a-z0-9_]{0,39}"),
                  Pair("reference_answers[0].language", "must be one of: zh, en"),
                  Pair("think_seconds", "must be between 0 and 600"),
                  Pair("expected_length", "min must not exceed max")));
}

TEST(QuestionJsonTest, PatchNullsAndMerges) {
  domain::Question q = *ParseQuestionCreate(J(kQuestionBody));
  auto p = ParseQuestionPatch(J(R"({"job_id": null, "text": {"en": "New English"}})"));
  ASSERT_TRUE(p) << p.error().message;
  p->Apply(q);
  EXPECT_FALSE(q.job_id);
  EXPECT_EQ(q.text.zh, "客户因延迟发货投诉，你会怎么做？");
  EXPECT_EQ(q.text.en, "New English");
  EXPECT_TRUE(q.scenario);
  EXPECT_EQ(q.think_seconds, 60);

  auto to_behavioural = ParseQuestionPatch(J(R"({"type": "behavioural", "scenario": null})"));
  ASSERT_TRUE(to_behavioural);
  to_behavioural->Apply(q);
  EXPECT_FALSE(q.scenario);
  EXPECT_TRUE(domain::ValidateQuestion(q));

  // Clearing the scenario of a scenario question is caught after Apply.
  domain::Question s = *ParseQuestionCreate(J(kQuestionBody));
  ParseQuestionPatch(J(R"({"scenario": null})"))->Apply(s);
  EXPECT_FALSE(domain::ValidateQuestion(s));

  EXPECT_THAT(
      Details(ParseQuestionPatch(J(R"({"think_seconds": null, "scenario": {"title": ""}})"))),
      ElementsAre(Pair("scenario.context", "is required"),
                  Pair("think_seconds", "must not be null"),
                  Pair("scenario.title", "must not be empty")));
  auto rubric = ParseQuestionPatch(J(R"({"rubric": {"notes": "新备注"}})"));
  ASSERT_TRUE(rubric);
  rubric->Apply(q);
  EXPECT_EQ(q.rubric.notes, "新备注");
  EXPECT_EQ(q.rubric.key_points.size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// Interview plan

TEST(InterviewPlanJsonTest, PutRoundTrip) {
  json body = {{"sections",
                {{{"key", "intro"}, {"title", "自我介绍"}, {"question_ids", {kQ1}}},
                 {{"key", "scenario"}, {"title", "情景题"}, {"question_ids", {kQ2, kQ3}}}}},
               {"reanswer_limit", 2},
               {"feedback_enabled", false},
               {"follow_ups_enabled", true},
               {"answer_modes", {"text", "audio"}},
               {"expires_in_days", 14}};
  auto r = ParseInterviewPlanPut(body);
  ASSERT_TRUE(r) << r.error().message;
  domain::InterviewPlan p = *r;
  p.job_id = kDept;
  p.updated_at = kT1;
  json j = ToJson(p);
  EXPECT_EQ(Keys(j), (std::set<std::string>{"job_id", "updated_at", "sections", "reanswer_limit",
                                            "feedback_enabled", "follow_ups_enabled",
                                            "answer_modes", "expires_in_days"}));
  for (const char* k : {"sections", "reanswer_limit", "feedback_enabled", "follow_ups_enabled",
                        "answer_modes", "expires_in_days"})
    EXPECT_EQ(j[k], body[k]) << k;
  EXPECT_EQ(j["sections"][0]["title"], "自我介绍");
}

TEST(InterviewPlanJsonTest, Defaults) {
  json body = {{"sections", {{{"key", "main"}, {"title", "主体"}, {"question_ids", {kQ1}}}}}};
  auto r = ParseInterviewPlanPut(body);
  ASSERT_TRUE(r);
  json j = ToJson(*r);
  EXPECT_EQ(j["reanswer_limit"], 1);
  EXPECT_EQ(j["feedback_enabled"], true);
  EXPECT_EQ(j["follow_ups_enabled"], true);
  EXPECT_EQ(j["answer_modes"], json({"text"}));
  EXPECT_EQ(j["expires_in_days"], 7);
}

TEST(InterviewPlanJsonTest, Problems) {
  json body = {{"sections",
                {{{"key", "intro"}, {"title", "自我介绍"}, {"question_ids", {kQ1}}},
                 {{"key", "intro"}, {"title", 3}, {"question_ids", {kQ2, kQ1}}}}},
               {"feedback_enabled", "yes"},
               {"answer_modes", {"text", "hologram", 5}},
               {"expires_in_days", 0}};
  auto r = ParseInterviewPlanPut(body);
  EXPECT_THAT(Details(r),
              ElementsAre(Pair("sections[1].title", "must be a string"),
                          Pair("feedback_enabled", "must be a boolean"),
                          Pair("answer_modes[2]", "must be a string"),
                          Pair("answer_modes[1]", "must be one of: text, audio, video"),
                          Pair("sections[1].key", "duplicate key"),
                          Pair("sections[1].question_ids[1]", "question appears twice in the plan"),
                          Pair("expires_in_days", "must be between 1 and 90")));
  EXPECT_THAT(
      Details(ParseInterviewPlanPut(J(
          R"({"sections": [{"key": "a", "title": "t", "question_ids": []}], "answer_modes": []})"))),
      ElementsAre(Pair("sections[0].question_ids", "must have 1..30 items"),
                  Pair("answer_modes", "must not be empty")));
}

// ---------------------------------------------------------------------------------------------
// Candidate

TEST(CandidateJsonTest, CreateRoundTrip) {
  auto r = ParseCandidateCreate(J(R"({"name": "张三", "phone": "13800138000",
      "resume_text": "复旦大学 市场营销", "source": "boss_zhipin", "tags": ["校招"]})"));
  ASSERT_TRUE(r) << r.error().message;
  domain::Candidate c = *r;
  c.id = kQ1;
  json j = ToJson(c);
  EXPECT_EQ(Keys(j),
            (std::set<std::string>{"id", "name", "email", "phone", "national_id", "resume_text",
                                   "source", "tags", "created_at", "updated_at"}));
  EXPECT_EQ(j["name"], "张三");
  EXPECT_TRUE(j["email"].is_null());
  EXPECT_EQ(j["phone"], "13800138000");
  EXPECT_TRUE(j["national_id"].is_null());
  EXPECT_EQ(j["resume_text"], "复旦大学 市场营销");
  EXPECT_EQ(j["tags"], json({"校招"}));
}

TEST(CandidateJsonTest, ContactRequired) {
  EXPECT_THAT(Details(ParseCandidateCreate(J(R"({"name": "张三"})"))),
              ElementsAre(Pair("email", "at least one of email and phone is required")));
  EXPECT_THAT(Details(ParseCandidateCreate(J(R"({"name": "张三", "email": null, "phone": null})"))),
              ElementsAre(Pair("email", "at least one of email and phone is required")));
  // A wrongly typed phone is the problem; the "one of" rule does not pile on.
  EXPECT_THAT(Details(ParseCandidateCreate(J(R"({"name": "张三", "phone": 13800138000})"))),
              ElementsAre(Pair("phone", "must be a string")));
  EXPECT_THAT(Details(ParseCandidateCreate(J(R"({"name": "", "email": "zhang", "tags": [""]})"))),
              ElementsAre(Pair("name", "must not be empty"),
                          Pair("email", "must be a valid e-mail address"),
                          Pair("tags[0]", "must not be empty")));
}

TEST(CandidateJsonTest, PatchClearsNullable) {
  domain::Candidate c = *ParseCandidateCreate(
      J(R"({"name": "张三", "email": "z@example.com", "phone": "13800138000"})"));
  auto p = ParseCandidatePatch(J(R"({"email": null})"));
  ASSERT_TRUE(p);
  p->Apply(c);
  EXPECT_FALSE(c.email);
  EXPECT_EQ(c.phone, "13800138000");
  EXPECT_EQ(c.name, "张三");
  EXPECT_THAT(Details(ParseCandidatePatch(J(R"({"email": null, "phone": null})"))),
              ElementsAre(Pair("email", "at least one of email and phone is required")));
  EXPECT_THAT(Details(ParseCandidatePatch(J(R"({"name": null, "phone": 1})"))),
              ElementsAre(Pair("name", "must not be null"), Pair("phone", "must be a string")));
}

// ---------------------------------------------------------------------------------------------
// Application

TEST(ApplicationJsonTest, CreateAndPatch) {
  json body = {{"candidate_id", kQ1}, {"job_id", kQ2}};
  auto r = ParseApplicationCreate(body);
  ASSERT_TRUE(r);
  domain::Application a = *r;
  EXPECT_EQ(a.stage, domain::Stage::kNew);
  a.id = kQ3;
  a.department_id = kDept;
  a.candidate_name = "张*";
  a.job_title = "客户经理";
  json j = ToJson(a);
  EXPECT_EQ(Keys(j), (std::set<std::string>{"id", "candidate_id", "job_id", "department_id",
                                            "stage", "source", "candidate_name", "job_title",
                                            "created_at", "updated_at"}));
  EXPECT_EQ(j["stage"], "new");
  EXPECT_EQ(j["candidate_name"], "张*");

  body["stage"] = "interview_invited";
  body["source"] = "内推";
  auto r2 = ParseApplicationCreate(body);
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->stage, domain::Stage::kInterviewInvited);
  EXPECT_EQ(r2->source, "内推");

  auto bad = ParseApplicationCreate(J(R"({"candidate_id": "x", "stage": "done"})"));
  EXPECT_THAT(Fields(bad), ElementsAre("job_id", "stage", "candidate_id"));

  auto p = ParseApplicationPatch(J(R"({"stage": "hr_review"})"));
  ASSERT_TRUE(p);
  p->Apply(a);
  EXPECT_EQ(ToJson(a)["stage"], "hr_review");
  EXPECT_THAT(Details(ParseApplicationPatch(J("{}"))), ElementsAre(Pair("stage", "is required")));
  EXPECT_THAT(Details(ParseApplicationPatch(J(R"({"stage": "hired", "job_id": "x"})"))),
              ElementsAre(Pair("job_id", "unknown field")));
}

// ---------------------------------------------------------------------------------------------
// API token

TEST(ApiTokenJsonTest, CreateAndShape) {
  auto r = ParseApiTokenCreate(J(R"({"name": "EHR 同步", "scopes": ["write", "read"]})"));
  ASSERT_TRUE(r) << r.error().message;
  domain::ApiToken t = *r;
  EXPECT_THAT(t.scopes, ElementsAre("read", "write"));
  t.id = kQ1;
  t.prefix = "zmk_AbCd";
  t.created_by = kQ2;
  t.created_at = kT1;
  json j = ToJson(t);
  EXPECT_EQ(Keys(j), (std::set<std::string>{"id", "name", "scopes", "prefix", "created_by",
                                            "created_at", "last_used_at", "revoked_at"}));
  EXPECT_TRUE(j["last_used_at"].is_null());
  EXPECT_TRUE(j["revoked_at"].is_null());
  EXPECT_EQ(j["name"], "EHR 同步");
  json created = ApiTokenCreatedToJson(t, "zmk_secret");
  EXPECT_EQ(created["token"], "zmk_secret");
  EXPECT_EQ(created["id"], kQ1);
  t.revoked_at = kT2;
  EXPECT_EQ(ToJson(t)["revoked_at"], FormatIso8601(kT2));

  EXPECT_THAT(Details(ParseApiTokenCreate(J(R"({"name": "x", "scopes": ["write"]})"))),
              ElementsAre(Pair("scopes", "write requires read")));
  EXPECT_THAT(Details(ParseApiTokenCreate(J(R"({"scopes": "read"})"))),
              ElementsAre(Pair("name", "is required"), Pair("scopes", "must be an array")));
}

// ---------------------------------------------------------------------------------------------
// Login

TEST(LoginJsonTest, Parse) {
  auto r = ParseLoginRequest(J(R"({"email": "admin@example.com", "password": "x"})"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->email, "admin@example.com");
  EXPECT_EQ(r->password, "x");
  EXPECT_THAT(Details(ParseLoginRequest(J(R"({"email": "", "remember": true})"))),
              ElementsAre(Pair("remember", "unknown field"), Pair("email", "must not be empty"),
                          Pair("password", "is required")));
  EXPECT_THAT(Details(ParseLoginRequest(J(R"({"email": 1, "password": ["x"]})"))),
              ElementsAre(Pair("email", "must be a string"), Pair("password", "must be a string")));
}

// ---------------------------------------------------------------------------------------------
// Interview bodies: every new parser refuses a body that is not an object.

TEST(InterviewJsonTest, BodiesMustBeObjects) {
  for (const char* text : {"[]", "\"x\"", "1", "null", "true"}) {
    SCOPED_TRACE(text);
    const json body = J(text);
    std::vector<Error> errors;
    auto collect = [&](const auto& r) {
      ASSERT_FALSE(r);
      errors.push_back(r.error());
    };
    collect(ParseCourseCreate(body));
    collect(ParseCoursePatch(body));
    collect(ParseConsent(body));
    collect(ParseAnswer(body));
    collect(ParseIntegrityEvent(body));
    collect(ParseScoreOverride(body));
    collect(ParseInvitationRequest(body));
    collect(ParseExtendRequest(body));
    collect(ParseReviewRequest(body));
    collect(ParseTaskResolve(body));
    ASSERT_EQ(errors.size(), 10u);
    for (const Error& e : errors) {
      EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
      EXPECT_EQ(e.reason, "validation_failed");
      EXPECT_EQ(e.message, "request body must be a JSON object");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Course

TEST(CourseJsonTest, CreateRoundTripAndShape) {
  auto r = ParseCourseCreate(J(R"({
    "title": "结构化沟通", "title_en": "Structured communication",
    "url": "https://learn.example.cn/c/42?lang=zh", "description": "三周课程",
    "dimension_keys": ["communication", "teamwork"], "max_level": 2})"));
  ASSERT_TRUE(r) << r.error().message;
  domain::Course c = *r;
  EXPECT_EQ(c.title, "结构化沟通");
  EXPECT_EQ(c.title_en, "Structured communication");
  EXPECT_EQ(c.url, "https://learn.example.cn/c/42?lang=zh");
  EXPECT_EQ(c.description, "三周课程");
  EXPECT_THAT(c.dimension_keys, ElementsAre("communication", "teamwork"));
  EXPECT_EQ(c.max_level, 2);
  EXPECT_EQ(c.id, "");
  EXPECT_EQ(c.created_at, 0);

  c.id = kQ1;
  c.created_at = kT1;
  c.updated_at = kT2;
  json j = ToJson(c);
  EXPECT_EQ(Keys(j),
            (std::set<std::string>{"id", "title", "title_en", "url", "description",
                                   "dimension_keys", "max_level", "created_at", "updated_at"}));
  EXPECT_EQ(j["id"], kQ1);
  EXPECT_EQ(j["title"], "结构化沟通");
  EXPECT_EQ(j["title_en"], "Structured communication");
  EXPECT_EQ(j["url"], "https://learn.example.cn/c/42?lang=zh");
  EXPECT_EQ(j["description"], "三周课程");
  EXPECT_EQ(j["dimension_keys"], J(R"(["communication", "teamwork"])"));
  ASSERT_TRUE(j["max_level"].is_number_integer());
  EXPECT_EQ(j["max_level"], 2);
  EXPECT_EQ(j["created_at"], "2026-11-22T02:41:00.123Z");
  EXPECT_EQ(j["updated_at"], FormatIso8601(kT2));
  // An empty key list is an empty array, not null.
  c.dimension_keys.clear();
  EXPECT_EQ(ToJson(c)["dimension_keys"], json::array());
}

TEST(CourseJsonTest, CreateDefaultsAndNulls) {
  auto r = ParseCourseCreate(
      J(R"({"title": "学习力", "url": "http://a.cn", "dimension_keys": ["learning"]})"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->title_en, "");
  EXPECT_EQ(r->description, "");
  EXPECT_EQ(r->max_level, 3);
  // Optional members given as null count as absent.
  auto nulls = ParseCourseCreate(J(
      R"({"title": "学习力", "url": "http://a.cn", "dimension_keys": ["learning"], "title_en": null, "description": null, "max_level": null})"));
  ASSERT_TRUE(nulls) << nulls.error().message;
  EXPECT_EQ(nulls->title_en, "");
  EXPECT_EQ(nulls->max_level, 3);
}

TEST(CourseJsonTest, CreateProblems) {
  auto missing = ParseCourseCreate(J("{}"));
  ExpectValidationFailed(missing);
  EXPECT_THAT(Details(missing),
              ElementsAre(Pair("title", "is required"), Pair("url", "is required"),
                          Pair("dimension_keys", "is required")));
  auto nulls = ParseCourseCreate(J(R"({"title": null, "url": null, "dimension_keys": null})"));
  EXPECT_THAT(Fields(nulls), ElementsAre("title", "url", "dimension_keys"));

  auto unknown = ParseCourseCreate(J(
      R"({"title": "t", "url": "https://a.cn", "dimension_keys": ["a"], "level": 2, "id": "x"})"));
  EXPECT_THAT(Details(unknown),
              UnorderedElementsAre(Pair("level", "unknown field"), Pair("id", "unknown field")));

  auto types = ParseCourseCreate(J(
      R"({"title": 1, "title_en": false, "url": "https://a.cn", "description": [], "dimension_keys": ["a", 2], "max_level": "3"})"));
  EXPECT_THAT(Details(types),
              ElementsAre(Pair("title", "must be a string"), Pair("title_en", "must be a string"),
                          Pair("description", "must be a string"),
                          Pair("dimension_keys[1]", "must be a string"),
                          Pair("max_level", "must be an integer")));
  auto not_array = ParseCourseCreate(
      J(R"({"title": "t", "url": "https://a.cn", "dimension_keys": "communication"})"));
  EXPECT_THAT(Details(not_array), ElementsAre(Pair("dimension_keys", "must be an array")));
  auto fraction = ParseCourseCreate(
      J(R"({"title": "t", "url": "https://a.cn", "dimension_keys": ["a"], "max_level": 2.5})"));
  EXPECT_THAT(Details(fraction), ElementsAre(Pair("max_level", "must be an integer")));

  // Domain rules run after the types: url scheme, level range, key rules.
  auto domain_rules = ParseCourseCreate(J(
      R"({"title": "t", "url": "ftp://a.cn", "dimension_keys": ["Bad", "a", "a"], "max_level": 9})"));
  EXPECT_THAT(Details(domain_rules),
              ElementsAre(Pair("url", "must be an http:// or https:// URL"),
                          Pair("dimension_keys[0]", "must match [a-z][a-z0-9_]{0,39}"),
                          Pair("dimension_keys[2]", "duplicate key"),
                          Pair("max_level", "must be between 1 and 5")));
  auto empty_keys =
      ParseCourseCreate(J(R"({"title": "t", "url": "https://a.cn", "dimension_keys": []})"));
  EXPECT_THAT(Details(empty_keys), ElementsAre(Pair("dimension_keys", "must have 1..12 items")));
  auto level0 = ParseCourseCreate(
      J(R"({"title": "t", "url": "https://a.cn", "dimension_keys": ["a"], "max_level": 0})"));
  EXPECT_THAT(Fields(level0), ElementsAre("max_level"));
}

TEST(CourseJsonTest, PatchChangesOnlyGivenFields) {
  auto r = ParseCoursePatch(J(R"({"title": "高效沟通", "max_level": 4})"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->title, "高效沟通");
  EXPECT_EQ(r->max_level, 4);
  EXPECT_FALSE(r->title_en);
  EXPECT_FALSE(r->url);
  EXPECT_FALSE(r->description);
  EXPECT_FALSE(r->dimension_keys);
  domain::Course c{.title = "旧",
                   .title_en = "old",
                   .url = "https://a.cn",
                   .description = "d",
                   .dimension_keys = {"a"},
                   .max_level = 1};
  r->Apply(c);
  EXPECT_EQ(c.title, "高效沟通");
  EXPECT_EQ(c.max_level, 4);
  EXPECT_EQ(c.title_en, "old");
  EXPECT_EQ(c.url, "https://a.cn");
  EXPECT_THAT(c.dimension_keys, ElementsAre("a"));

  auto all = ParseCoursePatch(J(
      R"({"title": "t", "title_en": "", "url": "http://b.cn", "description": "", "dimension_keys": ["b", "c"], "max_level": 5})"));
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->title_en, "");
  EXPECT_EQ(all->url, "http://b.cn");
  EXPECT_EQ(all->description, "");
  EXPECT_EQ(all->dimension_keys, (std::vector<std::string>{"b", "c"}));
  EXPECT_TRUE(ParseCoursePatch(J("{}")));

  // Null is refused for every member (none is nullable); types and unknown members as usual.
  auto nulls = ParseCoursePatch(J(
      R"({"title": null, "title_en": null, "url": null, "description": null, "dimension_keys": null, "max_level": null})"));
  EXPECT_THAT(Details(nulls),
              ElementsAre(Pair("title", "must not be null"), Pair("title_en", "must not be null"),
                          Pair("url", "must not be null"), Pair("description", "must not be null"),
                          Pair("dimension_keys", "must not be null"),
                          Pair("max_level", "must not be null")));
  auto bad = ParseCoursePatch(J(R"({"url": 5, "max_level": "2", "created_at": 1})"));
  EXPECT_THAT(Details(bad),
              ElementsAre(Pair("created_at", "unknown field"), Pair("url", "must be a string"),
                          Pair("max_level", "must be an integer")));
  // Field rules run on the merged course (documented): a PATCH parses, the merge fails.
  auto level = ParseCoursePatch(J(R"({"max_level": 9, "url": "ftp://x"})"));
  ASSERT_TRUE(level) << level.error().message;
  level->Apply(c);
  EXPECT_THAT(Fields(domain::ValidateCourse(c)), ElementsAre("url", "max_level"));
}

// ---------------------------------------------------------------------------------------------
// Candidate's interview bodies

TEST(ConsentJsonTest, Parse) {
  const std::string version(domain::kConsentTextVersion);
  auto r = ParseConsent(json{{"consent_version", version}, {"accept", true}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->consent_version, version);
  EXPECT_TRUE(r->accept);
  EXPECT_FALSE(r->audio_video_analysis);
  auto av = ParseConsent(
      json{{"consent_version", version}, {"accept", true}, {"audio_video_analysis", true}});
  ASSERT_TRUE(av);
  EXPECT_TRUE(av->audio_video_analysis);
  auto av_null = ParseConsent(
      json{{"consent_version", version}, {"accept", true}, {"audio_video_analysis", nullptr}});
  ASSERT_TRUE(av_null);
  EXPECT_FALSE(av_null->audio_video_analysis);

  // Required members; types.
  auto missing = ParseConsent(J("{}"));
  ExpectValidationFailed(missing);
  EXPECT_THAT(Details(missing),
              ElementsAre(Pair("consent_version", "is required"), Pair("accept", "is required")));
  auto types =
      ParseConsent(json{{"consent_version", 2026}, {"accept", "yes"}, {"audio_video_analysis", 1}});
  EXPECT_THAT(Details(types), ElementsAre(Pair("consent_version", "must be a string"),
                                          Pair("accept", "must be a boolean"),
                                          Pair("audio_video_analysis", "must be a boolean")));
  // Domain rules: current version, accept true.
  auto old = ParseConsent(json{{"consent_version", "2025-01-v1"}, {"accept", true}});
  EXPECT_THAT(
      Details(old),
      ElementsAre(Pair("consent_version", "must be the current data-use text version " + version)));
  auto declined = ParseConsent(json{{"consent_version", version}, {"accept", false}});
  EXPECT_THAT(Details(declined),
              ElementsAre(Pair("accept", "must be true to start the interview")));
  auto unknown = ParseConsent(json{{"consent_version", version}, {"accept", true}, {"ip", "x"}});
  EXPECT_THAT(Details(unknown), ElementsAre(Pair("ip", "unknown field")));
}

std::string RepeatUtf8(const std::string& unit, size_t n) {
  std::string out;
  out.reserve(unit.size() * n);
  for (size_t i = 0; i < n; ++i) out += unit;
  return out;
}

TEST(AnswerJsonTest, Parse) {
  auto r = ParseAnswer(json{{"text", "我负责过支付系统的重构 😀"}, {"client_elapsed_ms", 61234}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->text, "我负责过支付系统的重构 😀");
  EXPECT_EQ(r->client_elapsed_ms, 61234);
  auto empty = ParseAnswer(J(R"({"text": ""})"));
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->text, "");
  EXPECT_FALSE(empty->client_elapsed_ms);
  auto null_elapsed = ParseAnswer(J(R"({"text": "x", "client_elapsed_ms": null})"));
  ASSERT_TRUE(null_elapsed);
  EXPECT_FALSE(null_elapsed->client_elapsed_ms);

  // 20,000 code points (60,000 bytes of Chinese) pass; one more does not.
  auto longest = ParseAnswer(json{{"text", RepeatUtf8("答", domain::kAnswerMaxChars)}});
  ASSERT_TRUE(longest);
  EXPECT_EQ(longest->text.size(), 3 * domain::kAnswerMaxChars);
  auto too_long = ParseAnswer(json{{"text", RepeatUtf8("答", domain::kAnswerMaxChars + 1)}});
  EXPECT_THAT(Details(too_long), ElementsAre(Pair("text", "must be at most 20000 characters")));

  // Required text; types; ranges; unknown members.
  EXPECT_THAT(Details(ParseAnswer(J("{}"))), ElementsAre(Pair("text", "is required")));
  EXPECT_THAT(Details(ParseAnswer(J(R"({"text": null})"))),
              ElementsAre(Pair("text", "is required")));
  EXPECT_THAT(Details(ParseAnswer(J(R"({"text": ["a"], "client_elapsed_ms": "5"})"))),
              ElementsAre(Pair("text", "must be a string"),
                          Pair("client_elapsed_ms", "must be an integer")));
  EXPECT_THAT(Details(ParseAnswer(J(R"({"text": "a", "client_elapsed_ms": -1})"))),
              ElementsAre(Pair("client_elapsed_ms", "is out of range")));
  EXPECT_THAT(Details(ParseAnswer(J(R"({"text": "a", "client_elapsed_ms": 1.5})"))),
              ElementsAre(Pair("client_elapsed_ms", "must be an integer")));
  EXPECT_THAT(
      Details(ParseAnswer(J(R"({"text": "a", "elapsed": 1, "position": 0})"))),
      UnorderedElementsAre(Pair("elapsed", "unknown field"), Pair("position", "unknown field")));
  // Invalid UTF-8 inside a built value.
  EXPECT_THAT(Details(ParseAnswer(json{{"text", std::string("ab\xC3", 3)}})),
              ElementsAre(Pair("text", "must be valid UTF-8")));
}

TEST(IntegrityEventJsonTest, Parse) {
  auto r = ParseIntegrityEvent(J(R"({"kind": "tab_hidden", "position": 2, "duration_ms": 4200})"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->kind, domain::IntegrityEventKind::kTabHidden);
  EXPECT_EQ(r->position, 2);
  EXPECT_EQ(r->duration_ms, 4200);
  auto bare = ParseIntegrityEvent(J(R"({"kind": "paste", "position": null})"));
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->kind, domain::IntegrityEventKind::kPaste);
  EXPECT_FALSE(bare->position);
  EXPECT_FALSE(bare->duration_ms);
  for (domain::IntegrityEventKind k : domain::AllIntegrityEventKinds()) {
    auto each = ParseIntegrityEvent(json{{"kind", std::string(domain::ToString(k))}});
    ASSERT_TRUE(each) << domain::ToString(k);
    EXPECT_EQ(each->kind, k);
  }

  EXPECT_THAT(Details(ParseIntegrityEvent(J("{}"))), ElementsAre(Pair("kind", "is required")));
  EXPECT_THAT(
      Details(ParseIntegrityEvent(J(R"({"kind": "screenshot"})"))),
      ElementsAre(
          Pair("kind", "must be one of: tab_hidden, paste, window_blur, copy, fullscreen_exit")));
  EXPECT_THAT(Details(ParseIntegrityEvent(J(R"({"kind": 1, "position": "2", "duration_ms": []})"))),
              ElementsAre(Pair("kind", "must be a string"), Pair("position", "must be an integer"),
                          Pair("duration_ms", "must be an integer")));
  EXPECT_THAT(Details(ParseIntegrityEvent(J(R"({"kind": "copy", "position": -1})"))),
              ElementsAre(Pair("position", "is out of range")));
  EXPECT_THAT(Details(ParseIntegrityEvent(J(R"({"kind": "copy", "duration_ms": -5})"))),
              ElementsAre(Pair("duration_ms", "is out of range")));
  EXPECT_THAT(Details(ParseIntegrityEvent(J(R"({"kind": "copy", "at": 1})"))),
              ElementsAre(Pair("at", "unknown field")));
}

// ---------------------------------------------------------------------------------------------
// HR bodies

TEST(ScoreOverrideJsonTest, Parse) {
  auto r = ParseScoreOverride(
      J(R"({"dimension_key": "communication", "score": 72.5, "reason": "复核录像后上调"})"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->dimension_key, "communication");
  EXPECT_DOUBLE_EQ(r->score, 72.5);
  EXPECT_EQ(r->reason, "复核录像后上调");
  EXPECT_EQ(r->id, "");
  EXPECT_EQ(r->actor_id, "");
  EXPECT_FALSE(r->original);
  // null = the overall score; integers are numbers too.
  auto overall = ParseScoreOverride(
      J(R"({"dimension_key": null, "score": 80, "reason": "overall adjusted"})"));
  ASSERT_TRUE(overall) << overall.error().message;
  EXPECT_EQ(overall->dimension_key, "");
  EXPECT_DOUBLE_EQ(overall->score, 80);
  for (const char* edge : {R"({"dimension_key": null, "score": 0, "reason": "abcde"})",
                           R"({"dimension_key": null, "score": 100, "reason": "abcde"})"})
    EXPECT_TRUE(ParseScoreOverride(J(edge))) << edge;

  // dimension_key must be present (null for the overall score), reason and score required.
  auto no_key = ParseScoreOverride(J(R"({"score": 80, "reason": "overall adjusted"})"));
  ExpectValidationFailed(no_key);
  EXPECT_THAT(Details(no_key),
              ElementsAre(Pair("dimension_key", "is required (null for the overall score)")));
  auto no_reason = ParseScoreOverride(J(R"({"dimension_key": "teamwork", "score": 80})"));
  EXPECT_THAT(Details(no_reason), ElementsAre(Pair("reason", "is required")));
  auto null_reason =
      ParseScoreOverride(J(R"({"dimension_key": "teamwork", "score": 80, "reason": null})"));
  EXPECT_THAT(Details(null_reason), ElementsAre(Pair("reason", "is required")));
  auto nothing = ParseScoreOverride(J("{}"));
  EXPECT_THAT(Fields(nothing), ElementsAre("dimension_key", "score", "reason"));

  // Types, ranges and domain rules.
  EXPECT_THAT(Details(ParseScoreOverride(J(R"({"dimension_key": 5, "score": "80", "reason": 1})"))),
              ElementsAre(Pair("dimension_key", "must be a string"),
                          Pair("score", "must be a number"), Pair("reason", "must be a string")));
  EXPECT_THAT(Details(ParseScoreOverride(
                  J(R"({"dimension_key": "teamwork", "score": 100.5, "reason": "abcde"})"))),
              ElementsAre(Pair("score", "must be between 0 and 100")));
  EXPECT_THAT(Details(ParseScoreOverride(
                  J(R"({"dimension_key": "teamwork", "score": -1, "reason": "abcde"})"))),
              ElementsAre(Pair("score", "must be between 0 and 100")));
  EXPECT_THAT(Details(ParseScoreOverride(
                  J(R"({"dimension_key": "teamwork", "score": 1, "reason": "短"})"))),
              ElementsAre(Pair("reason", "must be at least 5 characters")));
  EXPECT_THAT(
      Details(ParseScoreOverride(
          json{{"dimension_key", "teamwork"}, {"score", 1}, {"reason", std::string(2001, 'r')}})),
      ElementsAre(Pair("reason", "must be at most 2000 characters")));
  EXPECT_THAT(Details(ParseScoreOverride(
                  J(R"({"dimension_key": "Team Work", "score": 1, "reason": "abcde"})"))),
              ElementsAre(Pair("dimension_key", "must match [a-z][a-z0-9_]{0,39}")));
  EXPECT_THAT(
      Details(ParseScoreOverride(
          J(R"({"dimension_key": "teamwork", "score": 1, "reason": "abcde", "original": 3})"))),
      ElementsAre(Pair("original", "unknown field")));
  // The empty key is not a second spelling of the overall score: null is.
  EXPECT_THAT(
      Details(ParseScoreOverride(J(R"({"dimension_key": "", "score": 1, "reason": "abcde"})"))),
      ElementsAre(Pair("dimension_key", "must be a dimension key, or null for the overall")));
}

TEST(InvitationJsonTest, Parse) {
  auto r = ParseInvitationRequest(J("{}"));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->expires_in_days);
  auto null_days = ParseInvitationRequest(J(R"({"expires_in_days": null})"));
  ASSERT_TRUE(null_days);
  EXPECT_FALSE(null_days->expires_in_days);
  for (int days : {1, 7, 90}) {
    auto ok = ParseInvitationRequest(json{{"expires_in_days", days}});
    ASSERT_TRUE(ok) << days;
    EXPECT_EQ(ok->expires_in_days, days);
  }
  for (int days : {0, 91, -1, 365}) {
    EXPECT_THAT(Details(ParseInvitationRequest(json{{"expires_in_days", days}})),
                ElementsAre(Pair("expires_in_days", "is out of range")))
        << days;
  }
  EXPECT_THAT(Details(ParseInvitationRequest(J(R"({"expires_in_days": "7"})"))),
              ElementsAre(Pair("expires_in_days", "must be an integer")));
  EXPECT_THAT(Details(ParseInvitationRequest(J(R"({"expires_in_days": 7.5})"))),
              ElementsAre(Pair("expires_in_days", "must be an integer")));
  EXPECT_THAT(Details(ParseInvitationRequest(J(R"({"expires_in_days": 7, "email": "x"})"))),
              ElementsAre(Pair("email", "unknown field")));
}

TEST(ExtendJsonTest, Parse) {
  for (int days : {1, 30, 90}) {
    auto ok = ParseExtendRequest(json{{"days", days}});
    ASSERT_TRUE(ok) << days;
    EXPECT_EQ(*ok, days);
  }
  auto integral_float = ParseExtendRequest(J(R"({"days": 2.0})"));
  ASSERT_TRUE(integral_float);
  EXPECT_EQ(*integral_float, 2);
  EXPECT_THAT(Details(ParseExtendRequest(J("{}"))), ElementsAre(Pair("days", "is required")));
  EXPECT_THAT(Details(ParseExtendRequest(J(R"({"days": null})"))),
              ElementsAre(Pair("days", "is required")));
  for (int days : {0, 91, -3}) {
    EXPECT_THAT(Details(ParseExtendRequest(json{{"days", days}})),
                ElementsAre(Pair("days", "is out of range")))
        << days;
  }
  EXPECT_THAT(Details(ParseExtendRequest(J(R"({"days": 2.5})"))),
              ElementsAre(Pair("days", "must be an integer")));
  EXPECT_THAT(Details(ParseExtendRequest(J(R"({"days": "7"})"))),
              ElementsAre(Pair("days", "must be an integer")));
  EXPECT_THAT(Details(ParseExtendRequest(J(R"({"days": 7, "hours": 1})"))),
              ElementsAre(Pair("hours", "unknown field")));
}

TEST(ReviewRequestJsonTest, Parse) {
  auto empty = ParseReviewRequest(J("{}"));
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, "");
  auto null_reason = ParseReviewRequest(J(R"({"reason": null})"));
  ASSERT_TRUE(null_reason);
  EXPECT_EQ(*null_reason, "");
  auto r = ParseReviewRequest(J(R"({"reason": "我认为第二题的评分没有考虑我的项目经验"})"));
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "我认为第二题的评分没有考虑我的项目经验");
  auto longest = ParseReviewRequest(json{{"reason", RepeatUtf8("理", 2000)}});
  ASSERT_TRUE(longest);
  EXPECT_THAT(Details(ParseReviewRequest(json{{"reason", RepeatUtf8("理", 2001)}})),
              ElementsAre(Pair("reason", "must be at most 2000 characters")));
  EXPECT_THAT(Details(ParseReviewRequest(J(R"({"reason": 1})"))),
              ElementsAre(Pair("reason", "must be a string")));
  EXPECT_THAT(Details(ParseReviewRequest(J(R"({"reason": "x", "contact": "y"})"))),
              ElementsAre(Pair("contact", "unknown field")));
}

TEST(TaskResolveJsonTest, Parse) {
  auto r = ParseTaskResolve(J(R"({"resolution": "已复核，维持原结果"})"));
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "已复核，维持原结果");
  auto done = ParseTaskResolve(J(R"({"resolution": "已复核", "status": "done"})"));
  ASSERT_TRUE(done);
  EXPECT_EQ(*done, "已复核");
  EXPECT_TRUE(ParseTaskResolve(J(R"({"resolution": "已复核", "status": null})")));
  EXPECT_TRUE(ParseTaskResolve(json{{"resolution", RepeatUtf8("结", 2000)}}));

  // Required once (not also "must not be empty").
  EXPECT_THAT(Details(ParseTaskResolve(J("{}"))), ElementsAre(Pair("resolution", "is required")));
  EXPECT_THAT(Details(ParseTaskResolve(J(R"({"resolution": null})"))),
              ElementsAre(Pair("resolution", "is required")));
  EXPECT_THAT(Details(ParseTaskResolve(J(R"({"resolution": 5})"))),
              ElementsAre(Pair("resolution", "must be a string")));
  EXPECT_THAT(Details(ParseTaskResolve(J(R"({"resolution": "  "})"))),
              ElementsAre(Pair("resolution", "must not be empty")));
  EXPECT_THAT(Details(ParseTaskResolve(json{{"resolution", RepeatUtf8("结", 2001)}})),
              ElementsAre(Pair("resolution", "must be at most 2000 characters")));
  EXPECT_THAT(Details(ParseTaskResolve(J(R"({"resolution": "ok", "status": "open"})"))),
              ElementsAre(Pair("status", "must be \"done\"")));
  EXPECT_THAT(Details(ParseTaskResolve(J(R"({"resolution": "ok", "status": 1})"))),
              ElementsAre(Pair("status", "must be a string")));
  EXPECT_THAT(Details(ParseTaskResolve(J(R"({"resolution": "ok", "resolved_by": "me"})"))),
              ElementsAre(Pair("resolved_by", "unknown field")));
}

TEST(TaskJsonTest, Shape) {
  domain::Task t{.id = kQ1,
                 .kind = "human_review",
                 .status = domain::TaskStatus::kOpen,
                 .application_id = kQ2,
                 .department_id = kDept,
                 .title = "人工复核申请",
                 .detail = "我认为评分有误",
                 .origin = "candidate",
                 .created_at = kT1,
                 .updated_at = kT1};
  json j = ToJson(t);
  EXPECT_EQ(Keys(j),
            (std::set<std::string>{"id", "kind", "status", "application_id", "department_id",
                                   "title", "detail", "origin", "resolution", "resolved_by",
                                   "resolved_at", "created_at", "updated_at"}));
  EXPECT_EQ(j["id"], kQ1);
  EXPECT_EQ(j["origin"], "candidate");
  EXPECT_EQ(j["kind"], "human_review");
  EXPECT_EQ(j["status"], "open");
  EXPECT_EQ(j["application_id"], kQ2);
  EXPECT_EQ(j["department_id"], kDept);
  EXPECT_EQ(j["title"], "人工复核申请");
  EXPECT_EQ(j["detail"], "我认为评分有误");
  EXPECT_TRUE(j["resolution"].is_null());
  EXPECT_TRUE(j["resolved_by"].is_null());
  EXPECT_TRUE(j["resolved_at"].is_null());
  EXPECT_EQ(j["created_at"], "2026-11-22T02:41:00.123Z");
  EXPECT_EQ(j["updated_at"], "2026-11-22T02:41:00.123Z");

  t.status = domain::TaskStatus::kDone;
  t.resolution = "已复核，维持原结果";
  t.resolved_by = kQ3;
  t.resolved_at = kT2;
  t.updated_at = kT2;
  j = ToJson(t);
  EXPECT_EQ(j["status"], "done");
  EXPECT_EQ(j["resolution"], "已复核，维持原结果");
  EXPECT_EQ(j["resolved_by"], kQ3);
  EXPECT_EQ(j["resolved_at"], FormatIso8601(kT2));
  EXPECT_EQ(j["updated_at"], FormatIso8601(kT2));
  EXPECT_EQ(Keys(j).size(), 13u);
}

}  // namespace
}  // namespace zm::json
