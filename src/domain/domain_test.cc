#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "common/ids.h"
#include "domain/api_token.h"
#include "domain/application.h"
#include "domain/candidate.h"
#include "domain/competency_model.h"
#include "domain/department.h"
#include "domain/interview.h"
#include "domain/interview_plan.h"
#include "domain/job.h"
#include "domain/question.h"
#include "domain/user.h"
#include "domain/validation.h"

namespace zm::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kId1[] = "01HZX3K9Q4W2E5R6T7Y8U9I0PA";  // has I/U: invalid
constexpr char kDept[] = "01JD5M1Z8Q3V4W5X6Y7Z8A9B0C";
constexpr char kDept2[] = "01JD5M1Z8Q3V4W5X6Y7Z8A9B0D";
constexpr char kQ1[] = "01JD5M1Z8Q3V4W5X6Y7Z8A9B01";
constexpr char kQ2[] = "01JD5M1Z8Q3V4W5X6Y7Z8A9B02";
constexpr char kQ3[] = "01JD5M1Z8Q3V4W5X6Y7Z8A9B03";

// The fields named in the details of a failed Status (empty when ok).
std::vector<std::string> Fields(const Status& s) {
  std::vector<std::string> out;
  if (s) return out;
  for (const FieldError& d : s.error().details) out.push_back(d.field);
  return out;
}

std::string MessageFor(const Status& s, const std::string& field) {
  if (s) return "";
  for (const FieldError& d : s.error().details)
    if (d.field == field) return d.message;
  return "";
}

void ExpectValidationFailed(const Status& s) {
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().reason, "validation_failed");
  EXPECT_FALSE(s.error().message.empty());
}

std::string Repeat(const std::string& unit, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += unit;
  return out;
}

const std::string kBadUtf8 = std::string("ab\xC3", 3);

// ---------------------------------------------------------------------------------------------
// Shared rules

TEST(ValidationTest, Keys) {
  EXPECT_TRUE(IsValidKey("communication"));
  EXPECT_TRUE(IsValidKey("a"));
  EXPECT_TRUE(IsValidKey("team_work2"));
  EXPECT_TRUE(IsValidKey("a" + std::string(39, 'b')));
  EXPECT_FALSE(IsValidKey("a" + std::string(40, 'b')));
  EXPECT_FALSE(IsValidKey(""));
  EXPECT_FALSE(IsValidKey("1abc"));
  EXPECT_FALSE(IsValidKey("_abc"));
  EXPECT_FALSE(IsValidKey("Abc"));
  EXPECT_FALSE(IsValidKey("a-b"));
  EXPECT_FALSE(IsValidKey("沟通"));
}

TEST(ValidationTest, Paths) {
  EXPECT_EQ(Member("", "name"), "name");
  EXPECT_EQ(Member("dimensions[1]", "weight"), "dimensions[1].weight");
  EXPECT_EQ(Item("sections", 3), "sections[3]");
  EXPECT_TRUE(PathCovers("a", "a"));
  EXPECT_TRUE(PathCovers("a", "a.b"));
  EXPECT_TRUE(PathCovers("a", "a[0].c"));
  EXPECT_FALSE(PathCovers("a", "ab"));
  EXPECT_FALSE(PathCovers("a.b", "a"));
}

TEST(ValidationTest, EmailAndPhoneShapes) {
  EXPECT_TRUE(IsPlausibleEmail("zhang.san@example.com"));
  EXPECT_TRUE(IsPlausibleEmail("Li+hr@corp.example.cn"));
  EXPECT_FALSE(IsPlausibleEmail("zhang"));
  EXPECT_FALSE(IsPlausibleEmail("@example.com"));
  EXPECT_FALSE(IsPlausibleEmail("a@b"));
  EXPECT_FALSE(IsPlausibleEmail("a@@b.com"));
  EXPECT_FALSE(IsPlausibleEmail("a b@c.com"));
  EXPECT_FALSE(IsPlausibleEmail(std::string(250, 'a') + "@b.com"));
  EXPECT_TRUE(IsPlausiblePhone("13800138000"));
  EXPECT_TRUE(IsPlausiblePhone("+86 138-0013-8000"));
  EXPECT_TRUE(IsPlausiblePhone("(010) 6552 9988"));
  EXPECT_FALSE(IsPlausiblePhone("138+0013"));
  EXPECT_FALSE(IsPlausiblePhone("1234"));
  EXPECT_FALSE(IsPlausiblePhone("call me"));
  EXPECT_FALSE(IsPlausiblePhone(""));
}

TEST(ValidationTest, TextLengthCountsCodePoints) {
  FieldErrors ok;
  CheckText(ok, "name", Repeat("张", 100), 1, 100);  // 300 bytes, 100 code points
  EXPECT_TRUE(ok.empty());
  FieldErrors too_long;
  CheckText(too_long, "name", Repeat("张", 101), 1, 100);
  ASSERT_EQ(too_long.size(), 1u);
  EXPECT_EQ(too_long.details()[0].message, "must be at most 100 characters");
  FieldErrors blank;
  CheckText(blank, "name", "  \t", 1, 100);
  ASSERT_EQ(blank.size(), 1u);
  EXPECT_EQ(blank.details()[0].message, "must not be empty");
  FieldErrors bad;
  CheckText(bad, "name", kBadUtf8, 0, 100);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad.details()[0].message, "must be valid UTF-8");
}

TEST(ValidationTest, FieldErrorsToStatus) {
  FieldErrors e;
  EXPECT_TRUE(e.ToStatus("x"));
  e.Add("a.b", "bad");
  e.Add("c", "worse");
  Status s = e.ToStatus("invalid thing");
  ExpectValidationFailed(s);
  EXPECT_EQ(s.error().message, "invalid thing");
  EXPECT_THAT(Fields(s), ElementsAre("a.b", "c"));
  EXPECT_TRUE(e.HasAtOrBelow("a"));
  EXPECT_FALSE(e.HasAtOrBelow("b"));
}

TEST(ValidationTest, DetailsAreCapped) {
  FieldErrors e;
  for (int i = 0; i < 1000; ++i) e.Add(Item("tags", i), "bad");
  EXPECT_EQ(e.size(), FieldErrors::kMaxDetails);
}

TEST(ValidationTest, OverlongListGetsOnlyTheCountError) {
  FieldErrors e;
  CheckTextList(e, "tags", std::vector<std::string>(5000, ""), 20, 1, 50, true);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e.details()[0].field, "tags");
  EXPECT_EQ(e.details()[0].message, "must have at most 20 items");
}

// ---------------------------------------------------------------------------------------------
// Department

TEST(DepartmentTest, ValidPasses) {
  Department d{.name = "销售部", .description = "华东区销售团队"};
  EXPECT_TRUE(ValidateDepartment(d));
  d.description = "";
  EXPECT_TRUE(ValidateDepartment(d));
}

TEST(DepartmentTest, EachRule) {
  Department d{.name = ""};
  ExpectValidationFailed(ValidateDepartment(d));
  EXPECT_THAT(Fields(ValidateDepartment(d)), ElementsAre("name"));
  d.name = Repeat("部", 101);
  EXPECT_THAT(Fields(ValidateDepartment(d)), ElementsAre("name"));
  d.name = "ok";
  d.description = Repeat("字", 2001);
  EXPECT_THAT(Fields(ValidateDepartment(d)), ElementsAre("description"));
  d.description = kBadUtf8;
  EXPECT_EQ(MessageFor(ValidateDepartment(d), "description"), "must be valid UTF-8");
}

TEST(DepartmentTest, AllProblemsReported) {
  Department d{.name = " ", .description = Repeat("x", 2001)};
  EXPECT_THAT(Fields(ValidateDepartment(d)), ElementsAre("name", "description"));
}

TEST(DepartmentTest, PatchAppliesOnlyPresentFields) {
  Department d{.id = kDept, .name = "销售部", .description = "旧"};
  DepartmentPatch p{.description = "新"};
  EXPECT_TRUE(ValidateDepartmentPatch(p));
  p.Apply(d);
  EXPECT_EQ(d.name, "销售部");
  EXPECT_EQ(d.description, "新");
  EXPECT_THAT(Fields(ValidateDepartmentPatch(DepartmentPatch{.name = ""})), ElementsAre("name"));
  EXPECT_TRUE(DepartmentPatch{}.empty());
}

// ---------------------------------------------------------------------------------------------
// User

TEST(UserTest, EnumsRoundTrip) {
  for (Role r : {Role::kAdmin, Role::kHr, Role::kManager, Role::kAuditor})
    EXPECT_EQ(ParseRole(ToString(r)), r);
  EXPECT_EQ(ToString(Role::kHr), "hr");
  EXPECT_FALSE(ParseRole("root"));
  EXPECT_FALSE(ParseRole("Admin"));
  EXPECT_EQ(ParseUserStatus("disabled"), UserStatus::kDisabled);
  EXPECT_EQ(ToString(UserStatus::kActive), "active");
  EXPECT_FALSE(ParseUserStatus("deleted"));
}

User ValidUser() { return User{.email = "wang.hr@example.com", .name = "王芳", .role = Role::kHr}; }

TEST(UserTest, ValidPasses) {
  EXPECT_TRUE(ValidateUser(ValidUser()));
  User m = ValidUser();
  m.role = Role::kManager;
  m.department_ids = {kDept, kDept2};
  EXPECT_TRUE(ValidateUser(m));
}

TEST(UserTest, ManagerNeedsDepartment) {
  User m = ValidUser();
  m.role = Role::kManager;
  Status s = ValidateUser(m);
  EXPECT_THAT(Fields(s), ElementsAre("department_ids"));
  EXPECT_EQ(MessageFor(s, "department_ids"), "a manager needs at least one department");
}

TEST(UserTest, EachRule) {
  User u = ValidUser();
  u.email = "not-an-email";
  EXPECT_THAT(Fields(ValidateUser(u)), ElementsAre("email"));
  u = ValidUser();
  u.name = "";
  EXPECT_THAT(Fields(ValidateUser(u)), ElementsAre("name"));
  u = ValidUser();
  u.department_ids = {kDept, "nope", kDept};
  EXPECT_THAT(Fields(ValidateUser(u)), ElementsAre("department_ids[1]", "department_ids[2]"));
  EXPECT_EQ(MessageFor(ValidateUser(u), "department_ids[2]"), "duplicate id");
}

TEST(UserTest, AllProblemsReported) {
  User u{.email = "", .name = "", .role = Role::kManager};
  EXPECT_THAT(Fields(ValidateUser(u)), ElementsAre("email", "name", "department_ids"));
}

TEST(UserTest, PasswordPolicy) {
  EXPECT_TRUE(ValidatePassword("Zhimian-2026", "wang@example.com"));
  EXPECT_TRUE(ValidatePassword("zhimian2026!", "wang@example.com"));  // lower, digit, symbol
  EXPECT_TRUE(ValidatePassword("面试平台Secure1", "wang@example.com"));
  EXPECT_THAT(Fields(ValidatePassword("Ab1!", "")), ElementsAre("password"));  // too short
  EXPECT_FALSE(ValidatePassword(std::string(129, 'a') + "A1", ""));            // too long
  EXPECT_FALSE(ValidatePassword("abcdefghijk1", ""));                          // 2 classes
  EXPECT_FALSE(ValidatePassword("ABCDEFGHIJKL", ""));                          // 1 class
  EXPECT_FALSE(ValidatePassword("Abc\n1234567", ""));                          // control char
  EXPECT_FALSE(ValidatePassword(kBadUtf8 + "Abcdefgh1!", ""));
  // Contains the e-mail's local part, in any case.
  Status s = ValidatePassword("xWangFang2026", "wangfang@example.com");
  ExpectValidationFailed(s);
  EXPECT_EQ(MessageFor(s, "password"), "must not contain the e-mail address's user name");
  // Very short local parts are not checked.
  EXPECT_TRUE(ValidatePassword("Zhimian-2026", "z@example.com"));
}

TEST(UserTest, CreateReportsUserAndPasswordProblems) {
  UserCreate c{.user = ValidUser(), .password = "Sh0rt!"};  // only too short
  c.user.name = "";
  EXPECT_THAT(Fields(ValidateUserCreate(c)), ElementsAre("name", "password"));
  c.user.name = "王芳";
  c.password = "Zhimian-2026";
  EXPECT_TRUE(ValidateUserCreate(c));
  c.password = "Wang.hr-2026";  // contains local part "wang.hr"
  EXPECT_THAT(Fields(ValidateUserCreate(c)), ElementsAre("password"));
}

TEST(UserTest, PatchAppliesAndValidates) {
  User u = ValidUser();
  UserPatch p{.role = Role::kManager, .department_ids = std::vector<std::string>{kDept}};
  EXPECT_TRUE(ValidateUserPatch(p));
  p.Apply(u);
  EXPECT_EQ(u.role, Role::kManager);
  EXPECT_THAT(u.department_ids, ElementsAre(kDept));
  EXPECT_EQ(u.name, "王芳");
  EXPECT_TRUE(ValidateUser(u));

  UserPatch bad{.name = "",
                .role = Role::kManager,
                .department_ids = std::vector<std::string>{},
                .password = "We4k!"};  // only too short
  EXPECT_THAT(Fields(ValidateUserPatch(bad)), ElementsAre("name", "department_ids", "password"));

  // Password is not applied to the user.
  UserPatch pw{.password = "Zhimian-2026"};
  EXPECT_FALSE(pw.empty());
  User before = u;
  pw.Apply(u);
  EXPECT_EQ(u.name, before.name);
}

// ---------------------------------------------------------------------------------------------
// Job

Job ValidJob() {
  return Job{.title = "客户经理",
             .department_id = kDept,
             .description = "负责大客户维护",
             .requirements = {"3年以上销售经验", "良好的沟通能力"},
             .location = "上海"};
}

TEST(JobTest, Defaults) {
  Job j;
  EXPECT_EQ(j.thresholds.recommend, 80);
  EXPECT_EQ(j.thresholds.review, 60);
  EXPECT_EQ(j.status, JobStatus::kDraft);
  EXPECT_EQ(j.employment_type, EmploymentType::kFullTime);
}

TEST(JobTest, EnumsRoundTrip) {
  for (JobStatus s : {JobStatus::kDraft, JobStatus::kOpen, JobStatus::kClosed})
    EXPECT_EQ(ParseJobStatus(ToString(s)), s);
  for (EmploymentType t : {EmploymentType::kFullTime, EmploymentType::kPartTime,
                           EmploymentType::kIntern, EmploymentType::kContract})
    EXPECT_EQ(ParseEmploymentType(ToString(t)), t);
  EXPECT_EQ(ToString(EmploymentType::kPartTime), "part_time");
  EXPECT_FALSE(ParseJobStatus("archived"));
}

TEST(JobTest, ValidPasses) { EXPECT_TRUE(ValidateJob(ValidJob())); }

TEST(JobTest, EachRule) {
  Job j = ValidJob();
  j.title = Repeat("岗", 201);
  EXPECT_THAT(Fields(ValidateJob(j)), ElementsAre("title"));
  j = ValidJob();
  j.department_id = "";
  EXPECT_THAT(Fields(ValidateJob(j)), ElementsAre("department_id"));
  j = ValidJob();
  j.description = Repeat("x", 20001);
  EXPECT_THAT(Fields(ValidateJob(j)), ElementsAre("description"));
  j = ValidJob();
  j.requirements = std::vector<std::string>(51, "x");
  EXPECT_THAT(Fields(ValidateJob(j)), ElementsAre("requirements"));
  j = ValidJob();
  j.requirements = {"ok", Repeat("要", 501), ""};
  EXPECT_THAT(Fields(ValidateJob(j)), ElementsAre("requirements[1]", "requirements[2]"));
  j = ValidJob();
  j.thresholds = {.recommend = 101, .review = -1};
  EXPECT_THAT(Fields(ValidateJob(j)), ElementsAre("thresholds.recommend", "thresholds.review"));
  j = ValidJob();
  j.thresholds = {.recommend = 60, .review = 60};
  EXPECT_THAT(Fields(ValidateJob(j)), ElementsAre("thresholds"));
}

TEST(JobTest, PatchMergesThresholds) {
  Job j = ValidJob();
  JobPatch p{.status = JobStatus::kOpen, .thresholds = ThresholdsPatch{.recommend = 85}};
  EXPECT_TRUE(ValidateJobPatch(p));
  p.Apply(j);
  EXPECT_EQ(j.status, JobStatus::kOpen);
  EXPECT_EQ(j.thresholds.recommend, 85);
  EXPECT_EQ(j.thresholds.review, 60);
  EXPECT_EQ(j.title, "客户经理");
  // Order is checked after Apply.
  JobPatch lower{.thresholds = ThresholdsPatch{.recommend = 50}};
  EXPECT_TRUE(ValidateJobPatch(lower));
  lower.Apply(j);
  EXPECT_THAT(Fields(ValidateJob(j)), ElementsAre("thresholds"));
  JobPatch both{.thresholds = ThresholdsPatch{.recommend = 50, .review = 70}};
  EXPECT_THAT(Fields(ValidateJobPatch(both)), ElementsAre("thresholds"));
}

// ---------------------------------------------------------------------------------------------
// Competency model

Dimension MakeDimension(std::string key, double weight) {
  return Dimension{.key = std::move(key),
                   .name = "沟通能力",
                   .name_en = "Communication",
                   .description = "清晰表达观点，倾听并回应他人需求",
                   .weight = weight,
                   .indicators = {Indicator{.key = "active_listening",
                                            .name = "倾听客户需求",
                                            .name_en = "Listens to needs",
                                            .synonyms = {"了解客户需求", "挖掘需求"}}},
                   .level_anchors = {"1级: 表达混乱", "2级: 基本清楚", "3级: 清晰", "4级: 有说服力",
                                     "5级: 影响他人"}};
}

CompetencyModel ValidModel() {
  CompetencyModel m;
  m.dimensions = {MakeDimension("communication", 30), MakeDimension("customer_focus", 33.33),
                  MakeDimension("teamwork", 36.67)};
  return m;
}

TEST(CompetencyModelTest, ValidPassesAndWeightSum) {
  CompetencyModel m = ValidModel();
  EXPECT_TRUE(ValidateCompetencyModel(m));
  EXPECT_NEAR(m.WeightSum(), 100.0, 1e-9);
  ASSERT_NE(m.FindDimension("teamwork"), nullptr);
  EXPECT_DOUBLE_EQ(m.FindDimension("teamwork")->weight, 36.67);
  EXPECT_EQ(m.FindDimension("nope"), nullptr);
  EXPECT_EQ(CompetencyModel{}.WeightSum(), 0.0);
}

TEST(CompetencyModelTest, WeightSumTolerance) {
  CompetencyModel m = ValidModel();
  m.dimensions[2].weight = 36.675;  // sum 100.005
  EXPECT_TRUE(ValidateCompetencyModel(m));
  m.dimensions[2].weight = 36.69;  // sum 100.02
  Status s = ValidateCompetencyModel(m);
  EXPECT_THAT(Fields(s), ElementsAre("dimensions"));
  EXPECT_EQ(MessageFor(s, "dimensions"), "weights must sum to 100 (got 100.02)");
}

TEST(CompetencyModelTest, EachRule) {
  CompetencyModel m = ValidModel();
  m.dimensions[1].weight = -5;
  m.dimensions[2].weight = 75;
  EXPECT_THAT(Fields(ValidateCompetencyModel(m)), ElementsAre("dimensions[1].weight"));

  m = ValidModel();
  m.dimensions[0].level_anchors.pop_back();
  Status s = ValidateCompetencyModel(m);
  EXPECT_THAT(Fields(s), ElementsAre("dimensions[0].level_anchors"));
  EXPECT_EQ(MessageFor(s, "dimensions[0].level_anchors"), "must have exactly 5 items");

  m = ValidModel();
  m.dimensions[1].level_anchors[3] = "";
  EXPECT_THAT(Fields(ValidateCompetencyModel(m)), ElementsAre("dimensions[1].level_anchors[3]"));

  m = ValidModel();
  m.dimensions[2].key = "communication";
  EXPECT_THAT(Fields(ValidateCompetencyModel(m)), ElementsAre("dimensions[2].key"));
  EXPECT_EQ(MessageFor(ValidateCompetencyModel(m), "dimensions[2].key"), "duplicate key");

  m = ValidModel();
  m.dimensions[0].key = "Communication";
  EXPECT_THAT(Fields(ValidateCompetencyModel(m)), ElementsAre("dimensions[0].key"));

  m = ValidModel();
  m.dimensions[0].indicators.push_back(m.dimensions[0].indicators[0]);
  EXPECT_THAT(Fields(ValidateCompetencyModel(m)), ElementsAre("dimensions[0].indicators[1].key"));

  m = ValidModel();
  m.dimensions[0].indicators[0].synonyms = std::vector<std::string>(31, "x");  // only the count
  EXPECT_THAT(Fields(ValidateCompetencyModel(m)),
              ElementsAre("dimensions[0].indicators[0].synonyms"));

  m = ValidModel();
  m.dimensions[0].indicators[0].synonyms = {"挖掘需求", "挖掘需求"};
  EXPECT_THAT(Fields(ValidateCompetencyModel(m)),
              ElementsAre("dimensions[0].indicators[0].synonyms[1]"));

  m = ValidModel();
  m.dimensions[0].indicators = std::vector<Indicator>(31, Indicator{.key = "k", .name = "n"});
  Status many = ValidateCompetencyModel(m);
  EXPECT_EQ(MessageFor(many, "dimensions[0].indicators"), "must have at most 30 items");

  m = ValidModel();
  m.dimensions[0].name = "";
  m.dimensions[0].name_en = Repeat("e", 101);
  m.dimensions[0].description = Repeat("描", 2001);
  EXPECT_THAT(
      Fields(ValidateCompetencyModel(m)),
      ElementsAre("dimensions[0].name", "dimensions[0].name_en", "dimensions[0].description"));
}

TEST(CompetencyModelTest, DimensionCount) {
  CompetencyModel empty;
  EXPECT_THAT(Fields(ValidateCompetencyModel(empty)), ElementsAre("dimensions"));
  CompetencyModel many;
  for (int i = 0; i < 13; ++i)
    many.dimensions.push_back(MakeDimension("d" + std::to_string(i), 100.0 / 13));
  Status s = ValidateCompetencyModel(many);
  EXPECT_THAT(Fields(s), ElementsAre("dimensions"));
  EXPECT_EQ(MessageFor(s, "dimensions"), "must have 1..12 items");
}

TEST(CompetencyModelTest, AllProblemsReported) {
  CompetencyModel m = ValidModel();
  m.dimensions[0].key = "";
  m.dimensions[1].weight = 150;
  m.dimensions[2].level_anchors = {"only one"};
  m.dimensions[2].indicators[0].name = "";
  EXPECT_THAT(
      Fields(ValidateCompetencyModel(m)),
      ElementsAre("dimensions[0].key", "dimensions[1].weight", "dimensions[2].indicators[0].name",
                  "dimensions[2].level_anchors", "dimensions"));
}

// ---------------------------------------------------------------------------------------------
// Question

Question ValidQuestion() {
  Question q;
  q.type = QuestionType::kBehavioural;
  q.text = {.zh = "请讲述一次你处理客户投诉的经历。", .en = ""};
  q.dimension_keys = {"communication", "customer_focus"};
  q.rubric.key_points = {
      KeyPoint{
          .text = "倾听并确认客户需求", .synonyms = {"了解需求"}, .dimension_key = "communication"},
      KeyPoint{.text = "给出具体行动", .synonyms = {}, .dimension_key = {}}};
  q.rubric.notes = "关注具体行动与结果";
  q.reference_answers = {ReferenceAnswer{.text = "我先倾听……", .score = 90, .language = "zh"}};
  q.tags = {"销售", "客服"};
  return q;
}

TEST(QuestionTest, Defaults) {
  Question q;
  EXPECT_EQ(q.think_seconds, 30);
  EXPECT_EQ(q.answer_seconds, 180);
  EXPECT_EQ(q.expected_length.min, 50);
  EXPECT_EQ(q.expected_length.max, 800);
  EXPECT_FALSE(q.job_id);
  EXPECT_FALSE(q.scenario);
  EXPECT_EQ(ReferenceAnswer{}.language, "zh");
}

TEST(QuestionTest, EnumsRoundTrip) {
  for (QuestionType t : {QuestionType::kBehavioural, QuestionType::kSituational,
                         QuestionType::kTechnical, QuestionType::kScenario})
    EXPECT_EQ(ParseQuestionType(ToString(t)), t);
  EXPECT_FALSE(ParseQuestionType("behavioral"));
}

TEST(QuestionTest, ValidPasses) {
  EXPECT_TRUE(ValidateQuestion(ValidQuestion()));
  Question s = ValidQuestion();
  s.type = QuestionType::kScenario;
  s.scenario = Scenario{.title = "客户投诉", .context = "一位客户因延迟发货而愤怒……"};
  s.job_id = kDept;
  s.text = {.zh = "", .en = "How would you handle it?"};
  EXPECT_TRUE(ValidateQuestion(s));
}

TEST(QuestionTest, EachRule) {
  Question q = ValidQuestion();
  q.text = {};
  EXPECT_THAT(Fields(ValidateQuestion(q)), ElementsAre("text"));
  q.text = {.zh = Repeat("问", 4001), .en = "ok"};
  EXPECT_THAT(Fields(ValidateQuestion(q)), ElementsAre("text.zh"));

  q = ValidQuestion();
  q.type = QuestionType::kScenario;
  EXPECT_THAT(Fields(ValidateQuestion(q)), ElementsAre("scenario"));
  q.scenario = Scenario{.title = "", .context = ""};
  EXPECT_THAT(Fields(ValidateQuestion(q)), ElementsAre("scenario.title", "scenario.context"));

  q = ValidQuestion();
  q.job_id = "bad";
  EXPECT_THAT(Fields(ValidateQuestion(q)), ElementsAre("job_id"));

  q = ValidQuestion();
  q.dimension_keys = {"communication", "Bad Key", "communication"};
  EXPECT_THAT(Fields(ValidateQuestion(q)), ElementsAre("dimension_keys[1]", "dimension_keys[2]"));

  q = ValidQuestion();
  q.think_seconds = 601;
  q.answer_seconds = 9;
  EXPECT_THAT(Fields(ValidateQuestion(q)), ElementsAre("think_seconds", "answer_seconds"));
  EXPECT_EQ(MessageFor(ValidateQuestion(q), "think_seconds"), "must be between 0 and 600");

  q = ValidQuestion();
  q.think_seconds = 0;
  q.answer_seconds = 1800;
  EXPECT_TRUE(ValidateQuestion(q));

  q = ValidQuestion();
  q.expected_length = {.min = 900, .max = 800};
  EXPECT_THAT(Fields(ValidateQuestion(q)), ElementsAre("expected_length"));
  q.expected_length = {.min = -1, .max = 20001};
  EXPECT_THAT(Fields(ValidateQuestion(q)),
              ElementsAre("expected_length.min", "expected_length.max"));

  q = ValidQuestion();
  q.rubric.key_points[1].dimension_key = "Not-A-Key";
  q.rubric.key_points[0].text = "";
  EXPECT_THAT(Fields(ValidateQuestion(q)),
              ElementsAre("rubric.key_points[0].text", "rubric.key_points[1].dimension_key"));

  q = ValidQuestion();
  q.reference_answers[0].score = 100.5;
  q.reference_answers[0].language = "fr";
  EXPECT_THAT(Fields(ValidateQuestion(q)),
              ElementsAre("reference_answers[0].score", "reference_answers[0].language"));

  q = ValidQuestion();
  q.tags = {"销售", "销售", ""};
  EXPECT_THAT(Fields(ValidateQuestion(q)), ElementsAre("tags[1]", "tags[2]"));
}

TEST(QuestionTest, PatchMergesNestedObjects) {
  Question q = ValidQuestion();
  QuestionPatch p;
  p.text = QuestionTextPatch{.en = "Tell me about a complaint you handled."};
  p.expected_length = ExpectedLengthPatch{.max = 1200};
  p.job_id = std::optional<std::string>{kDept};
  EXPECT_TRUE(ValidateQuestionPatch(p));
  p.Apply(q);
  EXPECT_EQ(q.text.zh, "请讲述一次你处理客户投诉的经历。");
  EXPECT_EQ(q.text.en, "Tell me about a complaint you handled.");
  EXPECT_EQ(q.expected_length.min, 50);
  EXPECT_EQ(q.expected_length.max, 1200);
  EXPECT_EQ(q.job_id, kDept);
  EXPECT_EQ(q.rubric.key_points.size(), 2u);

  QuestionPatch clear;
  clear.job_id = std::optional<std::string>{};
  clear.Apply(q);
  EXPECT_FALSE(q.job_id);

  QuestionPatch bad;
  bad.think_seconds = -1;
  bad.type = QuestionType::kScenario;
  bad.scenario = std::optional<Scenario>{};
  bad.text = QuestionTextPatch{.zh = "", .en = " "};
  EXPECT_THAT(Fields(ValidateQuestionPatch(bad)), ElementsAre("text", "scenario", "think_seconds"));
}

// ---------------------------------------------------------------------------------------------
// Interview plan

InterviewPlan ValidPlan() {
  InterviewPlan p;
  p.sections = {PlanSection{.key = "intro", .title = "自我介绍", .question_ids = {kQ1}},
                PlanSection{.key = "scenario", .title = "情景题", .question_ids = {kQ2, kQ3}}};
  return p;
}

TEST(InterviewPlanTest, DefaultsAndEnums) {
  InterviewPlan p;
  EXPECT_EQ(p.reanswer_limit, 1);
  EXPECT_TRUE(p.feedback_enabled);
  EXPECT_TRUE(p.follow_ups_enabled);
  EXPECT_THAT(p.answer_modes, ElementsAre(AnswerMode::kText));
  EXPECT_EQ(p.expires_in_days, 7);
  for (AnswerMode m : {AnswerMode::kText, AnswerMode::kAudio, AnswerMode::kVideo})
    EXPECT_EQ(ParseAnswerMode(ToString(m)), m);
  EXPECT_FALSE(ParseAnswerMode("hologram"));
}

TEST(InterviewPlanTest, ValidPasses) {
  InterviewPlan p = ValidPlan();
  EXPECT_TRUE(ValidateInterviewPlan(p));
  EXPECT_THAT(p.QuestionIds(), ElementsAre(kQ1, kQ2, kQ3));
  p.answer_modes = {AnswerMode::kText, AnswerMode::kAudio, AnswerMode::kVideo};
  p.reanswer_limit = 0;
  p.expires_in_days = 90;
  EXPECT_TRUE(ValidateInterviewPlan(p));
}

TEST(InterviewPlanTest, QuestionTwiceInPlan) {
  InterviewPlan p = ValidPlan();
  p.sections[1].question_ids = {kQ1, kQ2};
  Status s = ValidateInterviewPlan(p);
  EXPECT_THAT(Fields(s), ElementsAre("sections[1].question_ids[0]"));
  EXPECT_EQ(MessageFor(s, "sections[1].question_ids[0]"), "question appears twice in the plan");
}

TEST(InterviewPlanTest, EachRule) {
  InterviewPlan p = ValidPlan();
  p.sections[1].key = "intro";
  EXPECT_THAT(Fields(ValidateInterviewPlan(p)), ElementsAre("sections[1].key"));

  p = ValidPlan();
  p.sections[0].title = "";
  p.sections[0].question_ids = {};
  p.sections[1].question_ids[1] = "x";
  EXPECT_THAT(
      Fields(ValidateInterviewPlan(p)),
      ElementsAre("sections[0].title", "sections[0].question_ids", "sections[1].question_ids[1]"));

  p = ValidPlan();
  p.sections[0].question_ids.clear();
  for (int i = 0; i < 31; ++i) p.sections[0].question_ids.push_back(MakeId(1, 0, i));
  EXPECT_THAT(Fields(ValidateInterviewPlan(p)), ElementsAre("sections[0].question_ids"));

  p = ValidPlan();
  p.sections.clear();
  EXPECT_THAT(Fields(ValidateInterviewPlan(p)), ElementsAre("sections"));
  for (int i = 0; i < 11; ++i)
    p.sections.push_back(PlanSection{
        .key = "s" + std::to_string(i), .title = "t", .question_ids = {MakeId(2, 0, i)}});
  EXPECT_THAT(Fields(ValidateInterviewPlan(p)), ElementsAre("sections"));

  p = ValidPlan();
  p.reanswer_limit = 6;
  p.answer_modes = {};
  p.expires_in_days = 0;
  EXPECT_THAT(Fields(ValidateInterviewPlan(p)),
              ElementsAre("reanswer_limit", "answer_modes", "expires_in_days"));
  p = ValidPlan();
  p.answer_modes = {AnswerMode::kAudio, AnswerMode::kAudio};
  p.expires_in_days = 91;
  EXPECT_THAT(Fields(ValidateInterviewPlan(p)), ElementsAre("answer_modes[1]", "expires_in_days"));
}

// ---------------------------------------------------------------------------------------------
// Candidate

Candidate ValidCandidate() {
  return Candidate{.name = "张三", .email = "zhang.san@example.com", .source = "boss_zhipin"};
}

TEST(CandidateTest, ValidPasses) {
  EXPECT_TRUE(ValidateCandidate(ValidCandidate()));
  Candidate c = ValidCandidate();
  c.email.reset();
  c.phone = "+86 138 0013 8000";
  c.national_id = "11010119900307123X";
  c.resume_text = "教育经历：复旦大学……";
  c.tags = {"校招", "上海"};
  EXPECT_TRUE(ValidateCandidate(c));
}

TEST(CandidateTest, EmailOrPhoneRequired) {
  Candidate c = ValidCandidate();
  c.email.reset();
  Status s = ValidateCandidate(c);
  EXPECT_THAT(Fields(s), ElementsAre("email"));
  EXPECT_EQ(MessageFor(s, "email"), "at least one of email and phone is required");
}

TEST(CandidateTest, EachRule) {
  Candidate c = ValidCandidate();
  c.name = Repeat("张", 101);
  EXPECT_THAT(Fields(ValidateCandidate(c)), ElementsAre("name"));
  c = ValidCandidate();
  c.email = "zhang";
  EXPECT_THAT(Fields(ValidateCandidate(c)), ElementsAre("email"));
  c = ValidCandidate();
  c.phone = "phone: 138";
  EXPECT_THAT(Fields(ValidateCandidate(c)), ElementsAre("phone"));
  c = ValidCandidate();
  c.national_id = "110101 1990";
  EXPECT_THAT(Fields(ValidateCandidate(c)), ElementsAre("national_id"));
  c = ValidCandidate();
  c.resume_text = Repeat("简", 100001);
  EXPECT_THAT(Fields(ValidateCandidate(c)), ElementsAre("resume_text"));
  c = ValidCandidate();
  c.source = Repeat("s", 101);
  c.tags = std::vector<std::string>(21, "t");
  EXPECT_THAT(Fields(ValidateCandidate(c)), ElementsAre("source", "tags"));
}

TEST(CandidateTest, AllProblemsReported) {
  Candidate c{.name = ""};
  c.phone = "12";
  c.national_id = "";
  EXPECT_THAT(Fields(ValidateCandidate(c)), ElementsAre("name", "phone", "national_id"));
  Candidate none{.name = ""};
  EXPECT_THAT(Fields(ValidateCandidate(none)), ElementsAre("name", "email"));
}

TEST(CandidateTest, PatchClearsAndSets) {
  Candidate c = ValidCandidate();
  CandidatePatch p;
  p.phone = std::optional<std::string>{"13800138000"};
  p.tags = std::vector<std::string>{"复试"};
  EXPECT_TRUE(ValidateCandidatePatch(p));
  p.Apply(c);
  EXPECT_EQ(c.phone, "13800138000");
  EXPECT_EQ(c.email, "zhang.san@example.com");
  EXPECT_THAT(c.tags, ElementsAre("复试"));

  CandidatePatch clear_email;
  clear_email.email = std::optional<std::string>{};
  EXPECT_TRUE(ValidateCandidatePatch(clear_email));
  clear_email.Apply(c);
  EXPECT_FALSE(c.email);
  EXPECT_TRUE(ValidateCandidate(c));  // the phone remains

  CandidatePatch clear_both;
  clear_both.email = std::optional<std::string>{};
  clear_both.phone = std::optional<std::string>{};
  EXPECT_THAT(Fields(ValidateCandidatePatch(clear_both)), ElementsAre("email"));
}

// ---------------------------------------------------------------------------------------------
// Application

TEST(ApplicationTest, StagesRoundTripWithLabels) {
  const auto& all = AllStages();
  ASSERT_EQ(all.size(), 11u);
  EXPECT_EQ(all.front(), Stage::kNew);
  EXPECT_EQ(all.back(), Stage::kTalentPool);
  for (Stage s : all) {
    EXPECT_EQ(ParseStage(ToString(s)), s);
    EXPECT_FALSE(StageLabelZh(s).empty());
  }
  EXPECT_EQ(ToString(Stage::kInterviewInvited), "interview_invited");
  EXPECT_EQ(StageLabelZh(Stage::kInterviewInvited), "AI面试邀请");
  EXPECT_EQ(StageLabelZh(Stage::kHrReview), "HR复核");
  EXPECT_EQ(StageLabelZh(Stage::kTalentPool), "人才库");
  EXPECT_EQ(StageLabelZh(Stage::kOffer), "Offer");
  EXPECT_FALSE(ParseStage("interview"));
}

TEST(ApplicationTest, Validate) {
  Application a{.candidate_id = kQ1, .job_id = kQ2, .source = "内推"};
  EXPECT_TRUE(ValidateApplication(a));
  EXPECT_EQ(a.stage, Stage::kNew);
  a.candidate_id = "";
  a.job_id = kId1;
  a.source = Repeat("s", 101);
  EXPECT_THAT(Fields(ValidateApplication(a)), ElementsAre("candidate_id", "job_id", "source"));
  ApplicationPatch p{.stage = Stage::kHrReview};
  p.Apply(a);
  EXPECT_EQ(a.stage, Stage::kHrReview);
}

// ---------------------------------------------------------------------------------------------
// API token

TEST(ApiTokenTest, Scopes) {
  ApiToken t{.name = "EHR sync", .scopes = {"read"}};
  EXPECT_TRUE(ValidateApiToken(t));
  EXPECT_TRUE(t.HasScope("read"));
  EXPECT_FALSE(t.HasScope("write"));
  EXPECT_FALSE(t.revoked());
  t.scopes = {"write", "read"};
  EXPECT_TRUE(ValidateApiToken(t));
  NormalizeScopes(t.scopes);
  EXPECT_THAT(t.scopes, ElementsAre("read", "write"));

  t.scopes = {"write"};
  EXPECT_THAT(Fields(ValidateApiToken(t)), ElementsAre("scopes"));
  t.scopes = {};
  EXPECT_THAT(Fields(ValidateApiToken(t)), ElementsAre("scopes"));
  t.scopes = {"read", "admin", "read"};
  EXPECT_THAT(Fields(ValidateApiToken(t)), ElementsAre("scopes[1]", "scopes[2]"));
  t = ApiToken{.name = "", .scopes = {"read"}};
  EXPECT_THAT(Fields(ValidateApiToken(t)), ElementsAre("name"));
  t.revoked_at = 1;
  EXPECT_TRUE(t.revoked());
}

// ---------------------------------------------------------------------------------------------
// Interview

TEST(InterviewTest, EnumsRoundTrip) {
  const std::vector<std::pair<InterviewStatus, std::string>> statuses = {
      {InterviewStatus::kInvited, "invited"},
      {InterviewStatus::kInProgress, "in_progress"},
      {InterviewStatus::kCompleted, "completed"},
      {InterviewStatus::kRevoked, "revoked"}};
  for (const auto& [s, name] : statuses) {
    EXPECT_EQ(ToString(s), name);
    EXPECT_EQ(ParseInterviewStatus(name), s);
  }
  for (const char* bad : {"", "Invited", "in-progress", "inprogress", "expired", "invited "})
    EXPECT_FALSE(ParseInterviewStatus(bad)) << bad;

  const std::vector<std::pair<IntegrityEventKind, std::string>> kinds = {
      {IntegrityEventKind::kTabHidden, "tab_hidden"},
      {IntegrityEventKind::kPaste, "paste"},
      {IntegrityEventKind::kWindowBlur, "window_blur"},
      {IntegrityEventKind::kCopy, "copy"},
      {IntegrityEventKind::kFullscreenExit, "fullscreen_exit"}};
  ASSERT_EQ(AllIntegrityEventKinds().size(), kinds.size());
  for (size_t i = 0; i < kinds.size(); ++i) {
    EXPECT_EQ(AllIntegrityEventKinds()[i], kinds[i].first);
    EXPECT_EQ(ToString(kinds[i].first), kinds[i].second);
    EXPECT_EQ(ParseIntegrityEventKind(kinds[i].second), kinds[i].first);
  }
  for (const char* bad : {"", "Paste", "tab-hidden", "screenshot"})
    EXPECT_FALSE(ParseIntegrityEventKind(bad)) << bad;

  EXPECT_EQ(ToString(TaskStatus::kOpen), "open");
  EXPECT_EQ(ToString(TaskStatus::kDone), "done");
  EXPECT_EQ(ParseTaskStatus("open"), TaskStatus::kOpen);
  EXPECT_EQ(ParseTaskStatus("done"), TaskStatus::kDone);
  EXPECT_FALSE(ParseTaskStatus("closed"));
  EXPECT_FALSE(ParseTaskStatus("Done"));
}

TEST(InterviewTest, Defaults) {
  Interview i;
  EXPECT_EQ(i.status, InterviewStatus::kInvited);
  EXPECT_EQ(i.invitations_sent, 1);
  EXPECT_EQ(i.score_version, 0);
  EXPECT_FALSE(i.audio_video_consent);
  EXPECT_FALSE(i.overall.has_value());
  EXPECT_EQ(Course{}.max_level, 3);
  EXPECT_EQ(Task{}.status, TaskStatus::kOpen);
}

TEST(InterviewTest, ConsentRules) {
  ConsentRequest c{.consent_version = std::string(kConsentTextVersion), .accept = true};
  EXPECT_TRUE(ValidateConsent(c));
  c.audio_video_analysis = true;  // a separate, optional consent
  EXPECT_TRUE(ValidateConsent(c));

  for (const std::string& version :
       {std::string("2025-01-v1"), std::string(""), std::string(kConsentTextVersion) + " ",
        std::string("2026-11-V1")}) {
    ConsentRequest wrong = c;
    wrong.consent_version = version;
    Status s = ValidateConsent(wrong);
    ExpectValidationFailed(s);
    EXPECT_THAT(Fields(s), ElementsAre("consent_version")) << version;
    EXPECT_EQ(MessageFor(s, "consent_version"),
              "must be the current data-use text version " + std::string(kConsentTextVersion));
  }

  ConsentRequest declined = c;
  declined.accept = false;
  Status s = ValidateConsent(declined);
  ExpectValidationFailed(s);
  EXPECT_THAT(Fields(s), ElementsAre("accept"));
  EXPECT_EQ(MessageFor(s, "accept"), "must be true to start the interview");

  // Both problems at once.
  EXPECT_THAT(Fields(ValidateConsent(ConsentRequest{})), ElementsAre("consent_version", "accept"));
}

TEST(InterviewTest, AnswerTextLimitCountsCodePoints) {
  EXPECT_TRUE(ValidateAnswerText(""));  // empty scores 0 with an explanation
  EXPECT_TRUE(ValidateAnswerText("   \n\t"));
  EXPECT_TRUE(ValidateAnswerText("我在上一家公司负责 Go 微服务 😀 and Kubernetes."));
  // 20,000 Chinese characters are 60,000 bytes: the limit is in code points.
  EXPECT_TRUE(ValidateAnswerText(Repeat("答", kAnswerMaxChars)));
  EXPECT_TRUE(ValidateAnswerText(Repeat("😀", kAnswerMaxChars)));  // 4 bytes each
  EXPECT_TRUE(ValidateAnswerText(Repeat("a", 10000) + Repeat("中", 10000)));
  Status s = ValidateAnswerText(Repeat("答", kAnswerMaxChars + 1));
  ExpectValidationFailed(s);
  EXPECT_THAT(Fields(s), ElementsAre("text"));
  EXPECT_EQ(MessageFor(s, "text"), "must be at most 20000 characters");
  EXPECT_FALSE(ValidateAnswerText(Repeat("a", kAnswerMaxChars + 1)));
  EXPECT_FALSE(ValidateAnswerText(Repeat("😀", kAnswerMaxChars) + "a"));

  // Invalid UTF-8: truncated sequence, lone continuation byte, overlong form, surrogate.
  for (const std::string& bad : {kBadUtf8, std::string("ok\x80"), std::string("\xC0\xAF"),
                                 std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80")}) {
    Status b = ValidateAnswerText(bad);
    ExpectValidationFailed(b);
    EXPECT_EQ(MessageFor(b, "text"), "must be valid UTF-8");
  }
}

ScoreOverride ValidOverride() {
  return ScoreOverride{.dimension_key = "communication", .score = 72.5, .reason = "复核录像后上调"};
}

TEST(InterviewTest, ScoreOverrideRules) {
  EXPECT_TRUE(ValidateScoreOverride(ValidOverride()));
  ScoreOverride o = ValidOverride();
  o.dimension_key = "";  // the overall score
  EXPECT_TRUE(ValidateScoreOverride(o));

  // Score 0..100, inclusive, finite.
  for (double ok : {0.0, 100.0, 59.99}) {
    o = ValidOverride();
    o.score = ok;
    EXPECT_TRUE(ValidateScoreOverride(o)) << ok;
  }
  for (double bad : {-0.01, 100.01, -50.0, 1e9, std::nan(""), HUGE_VAL}) {
    o = ValidOverride();
    o.score = bad;
    Status s = ValidateScoreOverride(o);
    EXPECT_THAT(Fields(s), ElementsAre("score")) << bad;
    EXPECT_EQ(MessageFor(s, "score"), "must be between 0 and 100");
  }

  // Reason 5..2000 characters (code points), not blank.
  o = ValidOverride();
  o.reason = "表达清晰。";  // 5 code points, 15 bytes
  EXPECT_TRUE(ValidateScoreOverride(o));
  o.reason = "复核后调";  // 4 code points, 12 bytes
  Status s = ValidateScoreOverride(o);
  EXPECT_THAT(Fields(s), ElementsAre("reason"));
  EXPECT_EQ(MessageFor(s, "reason"), "must be at least 5 characters");
  o.reason = "abcd";
  EXPECT_THAT(Fields(ValidateScoreOverride(o)), ElementsAre("reason"));
  o.reason = "abcde";
  EXPECT_TRUE(ValidateScoreOverride(o));
  o.reason = Repeat("理", kOverrideReasonMax);
  EXPECT_TRUE(ValidateScoreOverride(o));
  o.reason = Repeat("理", kOverrideReasonMax + 1);
  EXPECT_EQ(MessageFor(ValidateScoreOverride(o), "reason"), "must be at most 2000 characters");
  o.reason = "";
  EXPECT_EQ(MessageFor(ValidateScoreOverride(o), "reason"), "must not be empty");
  o.reason = "       ";
  EXPECT_EQ(MessageFor(ValidateScoreOverride(o), "reason"), "must not be empty");
  o.reason = kBadUtf8 + "理由很充分";
  EXPECT_EQ(MessageFor(ValidateScoreOverride(o), "reason"), "must be valid UTF-8");

  // Dimension keys follow the key rule.
  for (const char* bad : {"Communication", "1st", "team-work", "沟通", "_x"}) {
    o = ValidOverride();
    o.dimension_key = bad;
    Status k = ValidateScoreOverride(o);
    EXPECT_THAT(Fields(k), ElementsAre("dimension_key")) << bad;
    EXPECT_EQ(MessageFor(k, "dimension_key"), "must match [a-z][a-z0-9_]{0,39}");
  }

  // Everything at once, in field order.
  ScoreOverride all{.dimension_key = "Bad", .score = 101, .reason = "短"};
  Status a = ValidateScoreOverride(all);
  ExpectValidationFailed(a);
  EXPECT_THAT(Fields(a), ElementsAre("dimension_key", "score", "reason"));
}

Course ValidCourse() {
  return Course{.title = "结构化沟通",
                .title_en = "Structured communication",
                .url = "https://learn.example.cn/courses/42?lang=zh#intro",
                .description = "三周课程",
                .dimension_keys = {"communication", "teamwork"},
                .max_level = 3};
}

TEST(InterviewTest, CourseRules) {
  EXPECT_TRUE(ValidateCourse(ValidCourse()));
  Course c = ValidCourse();
  c.title_en = "";
  c.description = "";
  c.url = "http://a.cn";
  c.dimension_keys = {"learning"};
  EXPECT_TRUE(ValidateCourse(c));

  // URLs: http(s) with a host, no whitespace or control characters.
  for (const char* ok : {"http://example.com", "https://example.com/a/b?c=d&e=%20",
                         "https://课程.example.cn/学习", "https://localhost:8443/x"}) {
    c = ValidCourse();
    c.url = ok;
    EXPECT_TRUE(ValidateCourse(c)) << ok;
  }
  for (const char* bad :
       {"ftp://example.com/x", "javascript:alert(1)", "example.com", "https://", "http://",
        "https:///path", "https://example.com/a b", "https://example.com/\tx",
        "https://example.com/x\n", " https://example.com", "https://example.com/\x7f",
        "//example.com/x", "mailto:hr@example.com", "https:/example.com"}) {
    c = ValidCourse();
    c.url = bad;
    Status s = ValidateCourse(c);
    ExpectValidationFailed(s);
    EXPECT_THAT(Fields(s), ElementsAre("url")) << bad;
    EXPECT_EQ(MessageFor(s, "url"), "must be an http:// or https:// URL") << bad;
  }
  // Empty, overlong or invalid URL text: one problem, not two.
  c = ValidCourse();
  c.url = "";
  EXPECT_THAT(Fields(ValidateCourse(c)), ElementsAre("url"));
  EXPECT_EQ(MessageFor(ValidateCourse(c), "url"), "must not be empty");
  c.url = "https://example.com/" + Repeat("a", kCourseUrlMax);
  EXPECT_THAT(Fields(ValidateCourse(c)), ElementsAre("url"));
  EXPECT_EQ(MessageFor(ValidateCourse(c), "url"), "must be at most 2000 characters");
  c.url = "https://example.com/" + kBadUtf8;
  EXPECT_EQ(MessageFor(ValidateCourse(c), "url"), "must be valid UTF-8");

  // Dimension keys: 1..12 valid, unique keys.
  c = ValidCourse();
  c.dimension_keys = {};
  EXPECT_THAT(Fields(ValidateCourse(c)), ElementsAre("dimension_keys"));
  EXPECT_EQ(MessageFor(ValidateCourse(c), "dimension_keys"), "must have 1..12 items");
  c.dimension_keys.clear();
  for (int i = 0; i < 12; ++i) c.dimension_keys.push_back("k" + std::to_string(i));
  EXPECT_TRUE(ValidateCourse(c));
  c.dimension_keys.push_back("k12");
  EXPECT_THAT(Fields(ValidateCourse(c)), ElementsAre("dimension_keys"));  // count only
  c.dimension_keys = {"communication", "Bad Key", "communication", ""};
  Status keys = ValidateCourse(c);
  EXPECT_THAT(Fields(keys),
              ElementsAre("dimension_keys[1]", "dimension_keys[2]", "dimension_keys[3]"));
  EXPECT_EQ(MessageFor(keys, "dimension_keys[2]"), "duplicate key");

  // Level 1..5.
  for (int level : {1, 5}) {
    c = ValidCourse();
    c.max_level = level;
    EXPECT_TRUE(ValidateCourse(c)) << level;
  }
  for (int level : {0, 6, -1}) {
    c = ValidCourse();
    c.max_level = level;
    EXPECT_THAT(Fields(ValidateCourse(c)), ElementsAre("max_level")) << level;
    EXPECT_EQ(MessageFor(ValidateCourse(c), "max_level"), "must be between 1 and 5");
  }

  // Texts.
  c = ValidCourse();
  c.title = Repeat("课", kCourseTitleMax);
  c.title_en = Repeat("c", kCourseTitleMax);
  c.description = Repeat("述", kCourseDescriptionMax);
  EXPECT_TRUE(ValidateCourse(c));
  c.title = Repeat("课", kCourseTitleMax + 1);
  c.title_en = Repeat("c", kCourseTitleMax + 1);
  c.description = Repeat("述", kCourseDescriptionMax + 1);
  EXPECT_THAT(Fields(ValidateCourse(c)), ElementsAre("title", "title_en", "description"));
  c = ValidCourse();
  c.title = " ";
  EXPECT_EQ(MessageFor(ValidateCourse(c), "title"), "must not be empty");

  // Everything at once.
  Course bad{.title = "", .url = "ftp://x", .dimension_keys = {}, .max_level = 9};
  Status s = ValidateCourse(bad);
  ExpectValidationFailed(s);
  EXPECT_THAT(Fields(s), ElementsAre("title", "url", "dimension_keys", "max_level"));
}

TEST(InterviewTest, CoursePatchAppliesOnlyPresentFields) {
  const Course original = ValidCourse();
  Course c = original;
  CoursePatch{}.Apply(c);
  EXPECT_EQ(c.title, original.title);
  EXPECT_EQ(c.title_en, original.title_en);
  EXPECT_EQ(c.url, original.url);
  EXPECT_EQ(c.description, original.description);
  EXPECT_EQ(c.dimension_keys, original.dimension_keys);
  EXPECT_EQ(c.max_level, original.max_level);

  CoursePatch p{.title = "高效沟通", .max_level = 5};
  p.Apply(c);
  EXPECT_EQ(c.title, "高效沟通");
  EXPECT_EQ(c.max_level, 5);
  EXPECT_EQ(c.title_en, original.title_en);
  EXPECT_EQ(c.url, original.url);
  EXPECT_EQ(c.description, original.description);
  EXPECT_EQ(c.dimension_keys, original.dimension_keys);

  // Lists are replaced, not merged; empty strings are applied (not "absent").
  CoursePatch q{.title_en = "",
                .url = "http://new.example.cn",
                .description = "",
                .dimension_keys = std::vector<std::string>{"learning"}};
  q.Apply(c);
  EXPECT_EQ(c.title, "高效沟通");
  EXPECT_EQ(c.title_en, "");
  EXPECT_EQ(c.url, "http://new.example.cn");
  EXPECT_EQ(c.description, "");
  EXPECT_THAT(c.dimension_keys, ElementsAre("learning"));
  EXPECT_EQ(c.max_level, 5);
  EXPECT_TRUE(ValidateCourse(c));

  // Apply does not validate: the merged course is re-validated by the caller.
  CoursePatch bad{.max_level = 0};
  bad.Apply(c);
  EXPECT_EQ(c.max_level, 0);
  EXPECT_THAT(Fields(ValidateCourse(c)), ElementsAre("max_level"));
}

}  // namespace
}  // namespace zm::domain
