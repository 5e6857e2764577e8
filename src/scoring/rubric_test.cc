#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "scoring/rubric.h"
#include "scoring/rubric_internal.h"
#include "scoring/similarity.h"
#include "text/analyzer.h"

namespace zm::scoring {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// --- Fixtures: a customer-service job's competency model and two behavioural questions ------

domain::CompetencyModel Model() {
  domain::CompetencyModel m;
  m.job_id = "job1";
  auto dim = [](std::string key, std::string name, std::string name_en, double weight,
                std::vector<domain::Indicator> inds) {
    domain::Dimension d;
    d.key = key;
    d.name = name;
    d.name_en = name_en;
    d.weight = weight;
    d.indicators = std::move(inds);
    d.level_anchors = {"L1 " + name, "L2 " + name, "L3 " + name, "L4 " + name, "L5 " + name};
    return d;
  };
  m.dimensions.push_back(dim(
      "customer_focus", "客户导向", "Customer focus", 25,
      {{"needs_discovery",
        "客户需求挖掘",
        "Uncovering customer needs",
        {"倾听客户需求", "了解客户需求", "挖掘需求", "真正的需求", "customer needs", "real need"}},
       {"solution",
        "提供解决方案",
        "Offering a solution",
        {"解决方案", "补偿方案", "给出方案", "offered a solution", "proposed a solution"}},
       {"follow_up",
        "持续跟进",
        "Following up",
        {"跟进", "回访", "follow up", "followed up", "check in"}},
       {"satisfaction",
        "客户满意度",
        "Customer satisfaction",
        {"满意", "续签", "好评", "satisfied", "renewed"}}}));
  m.dimensions.push_back(
      dim("communication", "沟通表达", "Communication", 20,
          {{"active_listening",
            "积极倾听",
            "Active listening",
            {"认真倾听", "耐心倾听", "倾听", "listened carefully", "listen"}},
           {"clear_expression",
            "清晰表达",
            "Clear expression",
            {"解释清楚", "说明清楚", "讲清楚", "explained clearly", "explain"}},
           {"empathy",
            "同理心",
            "Empathy",
            {"换位思考", "安抚情绪", "安抚", "道歉", "empathy", "apologized", "apologised"}}}));
  m.dimensions.push_back(
      dim("teamwork", "团队协作", "Teamwork", 20,
          {{"cross_team",
            "跨部门协作",
            "Cross-team collaboration",
            {"跨部门", "和研发", "物流部门", "协调资源", "cross-functional", "engineering team"}},
           {"shared_goal",
            "共同目标",
            "Shared goal",
            {"统一目标", "一起完成", "共同完成", "common goal", "shared goal"}},
           {"support_others",
            "帮助同事",
            "Supporting colleagues",
            {"支持同事", "分享经验", "带新人", "helped colleagues", "mentored"}}}));
  m.dimensions.push_back(
      dim("problem_solving", "问题解决", "Problem solving", 20,
          {{"root_cause",
            "分析根因",
            "Root cause analysis",
            {"根本原因", "问题根因", "复盘", "root cause"}},
           {"action_plan",
            "制定改进措施",
            "Improvement plan",
            {"改进措施", "行动计划", "检查清单", "流程", "action plan", "process"}},
           {"verify",
            "验证效果",
            "Checking the outcome",
            {"跟踪效果", "数据验证", "下降了", "measured", "tracked", "dropped"}}}));
  m.dimensions.push_back(
      dim("results", "结果导向", "Results orientation", 15,
          {{"quantified",
            "量化结果",
            "Quantified results",
            {"提升了", "降低了", "增长了", "increased", "reduced", "improved by"}},
           {"ownership",
            "主动担责",
            "Ownership",
            {"主动承担", "负责到底", "推动", "took ownership", "took responsibility"}}}));
  return m;
}

domain::Question ComplaintQuestion() {
  domain::Question q;
  q.id = "q1";
  q.type = domain::QuestionType::kBehavioural;
  q.text.zh = "请讲一个你处理客户投诉的具体经历：当时是什么情况，你做了什么，结果如何？";
  q.text.en =
      "Tell us about a time you handled a customer complaint: what was the situation, what did "
      "you do, and what was the result?";
  q.dimension_keys = {"customer_focus", "communication", "problem_solving"};
  q.rubric.key_points = {
      {"安抚客户情绪", {"安抚情绪", "calmed the customer"}, "communication"},
      {"找到投诉的根本原因", {"根本原因", "root cause"}, "problem_solving"},
      {"给出补偿或解决方案", {"补偿", "解决方案", "refund", "replacement"}, std::nullopt},
  };
  q.reference_answers = {
      {"去年我负责一个大客户，他因为交付延期连续投诉。我先耐心倾听，安抚他的情绪并道歉，了解到他真"
       "正担心的是"
       "影响年底促销。随后我和研发、测试一起复盘，找到根本原因是需求变更没有评审，制定了变更流程，"
       "并给出补"
       "偿方案。之后每周回访跟进。最终项目按时交付，客户续签了合同，满意度从70%提升到95%。",
       90, "zh"},
      {"At my last job a major client complained twice about late deliveries. I listened to the "
       "customer, apologized and calmed them down, then found the root cause with the logistics "
       "team: orders were routed to the wrong warehouse. We offered a refund of the shipping fee, "
       "fixed the routing process and I followed up weekly. As a result the client renewed and "
       "complaints dropped by 40%.",
       90, "en"},
  };
  q.expected_length = {100, 1000};
  q.answer_seconds = 300;
  return q;
}

const char kZhStrong[] =
    "去年我在一家电商公司做客服主管。当时双十一后有位老客户连续三次投诉物流延误，情绪非常激动，还说"
    "要在网上发"
    "差评。我的任务是在48小时内平息投诉并留住这个客户。首先我给他打电话，认真倾听他的抱怨，先安抚情"
    "绪，向他真"
    "诚道歉，了解到他真正的需求是赶在月底前给门店备货。然后我和仓储、物流部门一起排查，发现根本原因"
    "是分拣系统"
    "把他的订单标错了仓库。我们当天就从就近仓库重新发货，并给出了补偿方案：退还运费并赠送200元优惠"
    "券。之后我"
    "每两天回访一次，持续跟进到货情况。最终货物提前两天送到，客户撤回了投诉，还续签了一年的合同，季"
    "度采购额提"
    "升了30%。事后我推动把这个问题写进了分拣流程的检查清单，同类投诉下降了一半。";
const char kZhWeak[] =
    "我觉得处理客户投诉最重要的是态度要好，要耐心一点，多站在客户的角度想问题。遇到投诉的时候应该先"
    "道歉，然"
    "后尽量满足客户的要求，和同事一起想办法解决。总之就是要让客户满意，这样公司的口碑才会好。";
const char kZhOffTopic[] =
    "我平时很喜欢跑步，去年参加了上海马拉松，用了四个小时跑完全程。为了准备比赛，我制定了训练计划，"
    "每周跑三次"
    "，最终成绩比前年提高了20分钟。跑步让我学会了坚持，也认识了很多朋友。";
const char kEnStrong[] =
    "Last year I was a customer success lead at a SaaS company. A key client had filed three "
    "complaints in one week because our billing system charged them twice, and they threatened "
    "to cancel. My task was to resolve it within 48 hours and keep the account. First I called "
    "the customer, listened carefully and apologized, and learned that their real need was a "
    "correct invoice before their quarter close. Then I worked with the engineering team to find "
    "the root cause: a retry bug in the payment service. We refunded the double charge the same "
    "day and offered a solution: one month free. I followed up every two days. As a result, the "
    "client withdrew the complaint, renewed their contract for two years, and similar billing "
    "tickets dropped by 60%.";
const char kEnWeak[] =
    "I think handling complaints is about having a good attitude. You should be patient, say "
    "sorry and try to make the customer happy. Communication is very important and we should "
    "work as a team to solve problems.";
const char kEnOffTopic[] =
    "I really enjoy cooking in my free time. Last year I started baking bread every weekend and "
    "tried more than 30 recipes. In the end my sourdough improved a lot and my family loves it.";
const char kMixed[] =
    "去年我在一家SaaS公司负责customer "
    "success。当时有个大客户因为billing系统重复扣款连续投诉了三次，说要cancel"
    "合同。我首先给客户打电话，认真倾听客户需求，向他道歉并安抚情绪；然后和engineering团队一起做roo"
    "t cause分析"
    "，发现是payment service的retry "
    "bug。我们当天退款，并给出补偿方案：免一个月的费用。之后我每两天回访一次。"
    "最终客户撤回投诉，续签了两年合同，类似工单下降了60%。";

// The strong answer through OpenCC s2tw (Taiwan traditional).
const char kZhStrongTraditional[] =
    "去年我在一家電商公司做客服主管。當時雙十一後有位老客戶連續三次投訴物流延誤，情緒非常激動，還說"
    "要在網上發"
    "差評。我的任務是在48小時內平息投訴並留住這個客戶。首先我給他打電話，認真傾聽他的抱怨，先安撫情"
    "緒，向他真"
    "誠道歉，瞭解到他真正的需求是趕在月底前給門店備貨。然後我和倉儲、物流部門一起排查，發現根本原因"
    "是分揀系統"
    "把他的訂單標錯了倉庫。我們當天就從就近倉庫重新發貨，並給出了補償方案：退還運費並贈送200元優惠"
    "券。之後我"
    "每兩天回訪一次，持續跟進到貨情況。最終貨物提前兩天送到，客戶撤回了投訴，還續簽了一年的合同，季"
    "度採購額提"
    "升了30%。事後我推動把這個問題寫進了分揀流程的檢查清單，同類投訴下降了一半。";

domain::Question TeamworkQuestion() {
  domain::Question q;
  q.id = "q2";
  q.type = domain::QuestionType::kBehavioural;
  q.text.zh = "请分享一次你在工作中完成困难任务的经历，你在其中扮演了什么角色？";
  q.text.en = "Describe a difficult task you completed at work. What was your role?";
  q.dimension_keys = {"teamwork", "results"};
  q.expected_length = {100, 800};
  return q;
}

const char kZhOnlyI[] =
    "去年我负责公司新版官网的上线。当时时间只有三周，我先梳理了所有需求，自己写了详细的排期。然后我"
    "每天加班完成"
    "前端页面，遇到接口问题我就自己查文档解决。上线前我又自己做了完整的测试。最终我提前两天完成了上"
    "线，页面访问"
    "速度提升了40%，领导对我的表现很满意。";
const char kZhWithTeam[] =
    "去年我负责公司新版官网的上线。当时时间只有三周，我先和产品、设计一起梳理了所有需求，定了共同目"
    "标。然后我们"
    "团队每天站会同步进度，遇到接口问题我就拉上后端同事一起排查。上线前大家交叉做了完整的测试。最终"
    "我们提前两天"
    "完成了上线，页面访问速度提升了40%。";
const char kEnOnlyI[] =
    "Last year I was asked to rebuild the company website in three weeks. I planned every page "
    "myself, I wrote the front end at night and I fixed the API problems on my own. Before "
    "launch I tested everything alone. In the end I delivered two days early and page load time "
    "improved by 40%.";

class RubricTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto analyzer = text::Analyzer::Create();
    ASSERT_TRUE(analyzer.has_value()) << analyzer.error().message;
    analyzer_ = std::move(*analyzer).release();
    auto scorer = RubricScorer::Create(*analyzer_);
    ASSERT_TRUE(scorer.has_value()) << scorer.error().message;
    scorer_ = std::move(*scorer).release();
    auto complaint = scorer_->Prepare(ComplaintQuestion(), Model());
    ASSERT_TRUE(complaint.has_value()) << complaint.error().message;
    complaint_ = new std::shared_ptr<const PreparedQuestion>(*complaint);
    auto teamwork = scorer_->Prepare(TeamworkQuestion(), Model());
    ASSERT_TRUE(teamwork.has_value()) << teamwork.error().message;
    teamwork_ = new std::shared_ptr<const PreparedQuestion>(*teamwork);
  }
  static void TearDownTestSuite() {
    delete teamwork_;
    delete complaint_;
    delete scorer_;
    delete analyzer_;
  }

  static AnswerResult Score(const PreparedQuestion& q, std::string_view answer,
                            std::string_view follow_up = {}) {
    AnswerInput in;
    in.answer = answer;
    in.follow_up = follow_up;
    return scorer_->Score(q, in);
  }
  static AnswerResult Complaint(std::string_view answer, std::string_view follow_up = {}) {
    return Score(**complaint_, answer, follow_up);
  }

  static text::Analyzer* analyzer_;
  static RubricScorer* scorer_;
  static std::shared_ptr<const PreparedQuestion>* complaint_;
  static std::shared_ptr<const PreparedQuestion>* teamwork_;
};
text::Analyzer* RubricTest::analyzer_ = nullptr;
RubricScorer* RubricTest::scorer_ = nullptr;
std::shared_ptr<const PreparedQuestion>* RubricTest::complaint_ = nullptr;
std::shared_ptr<const PreparedQuestion>* RubricTest::teamwork_ = nullptr;

// --- Helpers ----------------------------------------------------------------------------------

// The code points [begin, end) of `s`.
std::string Sub(std::string_view s, size_t begin, size_t end) {
  const size_t b = text::CharToByteOffset(s, begin);
  const size_t e = text::CharToByteOffset(s, end);
  return std::string(s.substr(b, e - b));
}

const DimensionResult& Dim(const AnswerResult& r, std::string_view key) {
  for (const DimensionResult& d : r.dimensions) {
    if (d.dimension_key == key) return d;
  }
  ADD_FAILURE() << "no dimension " << key;
  static const DimensionResult kNone;
  return kNone;
}

const IndicatorResult& Ind(const DimensionResult& d, std::string_view key) {
  for (const IndicatorResult& i : d.indicators) {
    if (i.key == key) return i;
  }
  ADD_FAILURE() << "no indicator " << key << " in " << d.dimension_key;
  static const IndicatorResult kNone;
  return kNone;
}

const RiskFlag* Flag(const AnswerResult& r, std::string_view code) {
  for (const RiskFlag& f : r.flags) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

std::vector<const Evidence*> AllEvidence(const AnswerResult& r) {
  std::vector<const Evidence*> all;
  for (const DimensionResult& d : r.dimensions) {
    for (const IndicatorResult& i : d.indicators) {
      for (const Evidence& e : i.evidence) all.push_back(&e);
    }
  }
  for (const Evidence& e : r.star.evidence) all.push_back(&e);
  for (const Evidence& e : r.specifics) all.push_back(&e);
  for (const RiskFlag& f : r.flags) {
    for (const Evidence& e : f.evidence) all.push_back(&e);
  }
  return all;
}

// Every evidence span is non-empty and its text is exactly the original text of its part at
// [begin, end) in code points.
void ExpectEvidenceMatchesOriginal(const AnswerResult& r, std::string_view answer,
                                   std::string_view follow_up = {}) {
  for (const Evidence* e : AllEvidence(r)) {
    const std::string_view original = e->part == 0 ? answer : follow_up;
    ASSERT_TRUE(e->part == 0 || e->part == 1) << e->kind;
    EXPECT_LT(e->begin, e->end) << e->kind << " " << e->text;
    EXPECT_EQ(Sub(original, e->begin, e->end), e->text) << e->kind << "/" << e->label;
    EXPECT_FALSE(e->text.empty()) << e->kind;
  }
}

std::vector<std::string> Texts(const std::vector<Evidence>& evidence, std::string_view kind) {
  std::vector<std::string> out;
  for (const Evidence& e : evidence) {
    if (e.kind == kind) out.push_back(e.text);
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// --- Ranking: strong > weak > off-topic ------------------------------------------------------

TEST_F(RubricTest, ChineseStrongBeatsWeakBeatsOffTopic) {
  const AnswerResult strong = Complaint(kZhStrong);
  const AnswerResult weak = Complaint(kZhWeak);
  const AnswerResult off = Complaint(kZhOffTopic);
  ASSERT_EQ(strong.dimensions.size(), 3u);
  for (size_t i = 0; i < strong.dimensions.size(); ++i) {
    SCOPED_TRACE(strong.dimensions[i].dimension_key);
    EXPECT_GE(strong.dimensions[i].score, 75);
    EXPECT_LE(strong.dimensions[i].score, 97);
    EXPECT_GE(weak.dimensions[i].score, 30);
    EXPECT_LE(weak.dimensions[i].score, 55);
    EXPECT_LE(off.dimensions[i].score, 25);
    EXPECT_GT(strong.dimensions[i].score, weak.dimensions[i].score + 20);
    EXPECT_GT(weak.dimensions[i].score, off.dimensions[i].score + 10);
    EXPECT_EQ(strong.dimensions[i].level, 5);
    EXPECT_EQ(off.dimensions[i].level, 1);
  }
  EXPECT_EQ(strong.language, "zh");
  EXPECT_EQ(strong.length_chars, 301u);
  EXPECT_FALSE(strong.empty);
  EXPECT_EQ(strong.scorer, "rubric");
  EXPECT_EQ(strong.scorer_version, kRubricScorerVersion);
}

TEST_F(RubricTest, EnglishStrongBeatsWeakBeatsOffTopic) {
  const AnswerResult strong = Complaint(kEnStrong);
  const AnswerResult weak = Complaint(kEnWeak);
  const AnswerResult off = Complaint(kEnOffTopic);
  for (size_t i = 0; i < strong.dimensions.size(); ++i) {
    SCOPED_TRACE(strong.dimensions[i].dimension_key);
    // The English reference answer tells almost the same story, hence up to 100.
    EXPECT_GE(strong.dimensions[i].score, 75);
    EXPECT_GE(weak.dimensions[i].score, 25);
    EXPECT_LE(weak.dimensions[i].score, 55);
    EXPECT_LE(off.dimensions[i].score, 25);
    EXPECT_GT(strong.dimensions[i].score, weak.dimensions[i].score + 20);
    EXPECT_GT(weak.dimensions[i].score, off.dimensions[i].score + 10);
  }
  EXPECT_EQ(strong.language, "en");
}

TEST_F(RubricTest, MixedChineseEnglishAnswerScoresLikeAStrongAnswer) {
  const AnswerResult r = Complaint(kMixed);
  for (const DimensionResult& d : r.dimensions) EXPECT_GE(d.score, 75) << d.dimension_key;
  const DimensionResult& ps = Dim(r, "problem_solving");
  EXPECT_TRUE(Ind(ps, "root_cause").found);  // "root cause" inside Chinese text
  EXPECT_EQ(Ind(ps, "root_cause").evidence.at(0).text, "root cause");
  EXPECT_TRUE(Contains(Texts(r.specifics, "named_entity"), "SaaS"));
  ExpectEvidenceMatchesOriginal(r, kMixed);
}

TEST_F(RubricTest, TraditionalChineseScoresLikeSimplified) {
  const AnswerResult simplified = Complaint(kZhStrong);
  const AnswerResult traditional = Complaint(kZhStrongTraditional);
  ASSERT_EQ(simplified.dimensions.size(), traditional.dimensions.size());
  for (size_t i = 0; i < simplified.dimensions.size(); ++i) {
    EXPECT_EQ(simplified.dimensions[i].score, traditional.dimensions[i].score);
    EXPECT_EQ(simplified.dimensions[i].explanation_en, traditional.dimensions[i].explanation_en);
  }
  // Evidence is shown in the candidate's own (traditional) characters.
  const IndicatorResult& listening = Ind(Dim(traditional, "communication"), "active_listening");
  ASSERT_TRUE(listening.found);
  EXPECT_EQ(listening.evidence[0].text, "認真傾聽");
  ExpectEvidenceMatchesOriginal(traditional, kZhStrongTraditional);
}

TEST_F(RubricTest, EmojiDoNotDisturbScoresOrOffsets) {
  std::string answer = kZhStrong;
  // Emoji with a skin-tone modifier, a variation selector and a ZWJ sequence.
  answer.insert(0, "🙂 ");
  answer.insert(answer.find("。当时"), "👍🏻");
  answer.insert(answer.find("最终"), "❤️👨‍👩‍👧");
  answer += "🎉🎉";
  const AnswerResult r = Complaint(answer);
  const AnswerResult plain = Complaint(kZhStrong);
  for (size_t i = 0; i < r.dimensions.size(); ++i) {
    EXPECT_NEAR(r.dimensions[i].score, plain.dimensions[i].score, 3);
  }
  ExpectEvidenceMatchesOriginal(r, answer);
  const IndicatorResult& needs = Ind(Dim(r, "customer_focus"), "needs_discovery");
  ASSERT_TRUE(needs.found);
  EXPECT_EQ(needs.evidence[0].text, "真正的需求");
}

// --- Indicators, key points, evidence --------------------------------------------------------

TEST_F(RubricTest, IndicatorsFoundAndMissingWithEvidence) {
  const AnswerResult strong = Complaint(kZhStrong);
  const DimensionResult& cf = Dim(strong, "customer_focus");
  // Four indicators, then the key point without a dimension ("kp2").
  ASSERT_EQ(cf.indicators.size(), 5u);
  EXPECT_EQ(cf.indicators[4].key, "kp2");
  EXPECT_TRUE(cf.indicators[4].from_key_point);
  for (const IndicatorResult& i : cf.indicators) EXPECT_TRUE(i.found) << i.key;
  EXPECT_DOUBLE_EQ(cf.components.indicators, 1.0);
  EXPECT_EQ(Ind(cf, "solution").evidence[0].text, "补偿方案");
  EXPECT_EQ(Ind(cf, "solution").evidence[0].kind, "indicator");
  EXPECT_EQ(Ind(cf, "solution").evidence[0].label, "solution");

  // Key points count for their own dimension only.
  const DimensionResult& ps = Dim(strong, "problem_solving");
  const IndicatorResult& kp1 = Ind(ps, "kp1");
  EXPECT_TRUE(kp1.found);
  EXPECT_EQ(kp1.evidence[0].kind, "key_point");
  EXPECT_EQ(kp1.evidence[0].text, "根本原因");
  EXPECT_EQ(kp1.name, "找到投诉的根本原因");
  for (const IndicatorResult& i : cf.indicators) EXPECT_NE(i.key, "kp1");

  const AnswerResult weak = Complaint(kZhWeak);
  const DimensionResult& wcf = Dim(weak, "customer_focus");
  EXPECT_FALSE(Ind(wcf, "needs_discovery").found);
  EXPECT_TRUE(Ind(wcf, "needs_discovery").evidence.empty());
  EXPECT_TRUE(Ind(wcf, "satisfaction").found);  // "让客户满意"
  EXPECT_DOUBLE_EQ(wcf.components.indicators, 0.2);
  EXPECT_FALSE(Ind(Dim(weak, "problem_solving"), "root_cause").found);

  const AnswerResult en = Complaint(kEnStrong);
  const DimensionResult& ecf = Dim(en, "customer_focus");
  EXPECT_TRUE(Ind(ecf, "follow_up").found);     // "followed up"
  EXPECT_TRUE(Ind(ecf, "satisfaction").found);  // "renewed"
  EXPECT_FALSE(Ind(Dim(en, "communication"), "clear_expression").found);
  EXPECT_EQ(Ind(Dim(en, "communication"), "active_listening").evidence[0].text,
            "listened carefully");
  ExpectEvidenceMatchesOriginal(en, kEnStrong);
  ExpectEvidenceMatchesOriginal(strong, kZhStrong);
  ExpectEvidenceMatchesOriginal(weak, kZhWeak);
}

TEST_F(RubricTest, MultiWordIndicatorFoundWhenItsWordsShareASentence) {
  // "客户需求挖掘" is never said verbatim; its words 客户, 需求, 挖掘 occur in one sentence.
  const std::string answer = "我们的做法是：我先深入挖掘了客户的真实需求，然后给出方案。";
  const AnswerResult r = Complaint(answer);
  const IndicatorResult& needs = Ind(Dim(r, "customer_focus"), "needs_discovery");
  ASSERT_TRUE(needs.found);
  EXPECT_EQ(needs.evidence[0].text, "挖掘了客户的真实需求");
  ExpectEvidenceMatchesOriginal(r, answer);

  // Split across two sentences it does not count.
  const AnswerResult split = Complaint("我很会挖掘。客户的事情我都会放在心上，需求多也不怕。");
  EXPECT_FALSE(Ind(Dim(split, "customer_focus"), "needs_discovery").found);
}

TEST_F(RubricTest, StarPartsDetected) {
  const AnswerResult strong = Complaint(kZhStrong);
  EXPECT_TRUE(strong.star.situation);
  EXPECT_TRUE(strong.star.task);
  EXPECT_TRUE(strong.star.action);
  EXPECT_TRUE(strong.star.result);
  EXPECT_DOUBLE_EQ(strong.dimensions[0].components.star, 1.0);
  const auto situation = Texts(strong.star.evidence, "star_situation");
  EXPECT_TRUE(Contains(situation, "去年")) << ::testing::PrintToString(situation);
  EXPECT_TRUE(Contains(situation, "当时"));
  EXPECT_TRUE(Contains(Texts(strong.star.evidence, "star_task"), "任务"));
  EXPECT_TRUE(Contains(Texts(strong.star.evidence, "star_action"), "首先"));
  EXPECT_TRUE(Contains(Texts(strong.star.evidence, "star_result"), "最终"));

  const AnswerResult weak = Complaint(kZhWeak);
  EXPECT_FALSE(weak.star.situation);
  EXPECT_FALSE(weak.star.task);
  EXPECT_TRUE(weak.star.action);  // "然后"
  EXPECT_FALSE(weak.star.result);

  const AnswerResult en = Complaint(kEnStrong);
  EXPECT_TRUE(en.star.situation && en.star.task && en.star.action && en.star.result);
  EXPECT_TRUE(Contains(Texts(en.star.evidence, "star_task"), "My task"));
  EXPECT_TRUE(Contains(Texts(en.star.evidence, "star_result"), "As a result"));

  const AnswerResult en_weak = Complaint(kEnWeak);
  EXPECT_FALSE(en_weak.star.situation || en_weak.star.task || en_weak.star.action ||
               en_weak.star.result);
  EXPECT_DOUBLE_EQ(en_weak.dimensions[0].components.star, 0.0);
}

TEST_F(RubricTest, SpecificsNumbersTimeFramesAndNames) {
  const AnswerResult r = Complaint(kZhStrong);
  const auto numbers = Texts(r.specifics, "number");
  EXPECT_TRUE(Contains(numbers, "30%"));
  EXPECT_TRUE(Contains(numbers, "200元"));
  const auto times = Texts(r.specifics, "time_frame");
  EXPECT_TRUE(Contains(times, "48小时"));
  EXPECT_TRUE(Contains(times, "去年"));
  EXPECT_GT(r.dimensions[0].components.specificity, 0.8);

  const std::string named =
      "2023年我们把投诉工单迁到了Salesforce，用CRM和Power BI看板跟踪，并按《客户服务规范》培训了"
      "新人。Then I used Excel, SQL and Instagram.";
  const AnswerResult n = Complaint(named);
  const auto names = Texts(n.specifics, "named_entity");
  EXPECT_TRUE(Contains(names, "Salesforce"));
  EXPECT_TRUE(Contains(names, "CRM"));
  EXPECT_TRUE(Contains(names, "《客户服务规范》"));
  EXPECT_TRUE(Contains(names, "Excel"));
  EXPECT_TRUE(Contains(names, "SQL"));
  EXPECT_TRUE(Contains(names, "Instagram"));
  EXPECT_FALSE(Contains(names, "Then"));  // capitalised only because it starts a sentence
  EXPECT_TRUE(Contains(Texts(n.specifics, "time_frame"), "2023年"));
  ExpectEvidenceMatchesOriginal(n, named);

  EXPECT_TRUE(Complaint(kZhWeak).specifics.empty());
  EXPECT_DOUBLE_EQ(Complaint(kZhWeak).dimensions[0].components.specificity, 0.0);
}

TEST_F(RubricTest, ExplanationsNameIndicatorsAndComponents) {
  const AnswerResult weak = Complaint(kZhWeak);
  const DimensionResult& d = Dim(weak, "customer_focus");
  EXPECT_THAT(d.explanation_zh, StartsWith("得分依据: "));
  EXPECT_THAT(d.explanation_zh, HasSubstr("客户满意度"));            // found
  EXPECT_THAT(d.explanation_zh, HasSubstr("未体现：客户需求挖掘"));  // missing
  EXPECT_THAT(d.explanation_zh, HasSubstr("STAR"));
  EXPECT_THAT(d.explanation_zh, HasSubstr("具体性低"));
  EXPECT_THAT(d.explanation_zh, HasSubstr("综合得分" + std::to_string(static_cast<int>(d.score))));
  EXPECT_THAT(d.explanation_en, StartsWith("Basis: "));
  EXPECT_THAT(d.explanation_en, HasSubstr("Customer satisfaction"));
  EXPECT_THAT(d.explanation_en, HasSubstr("missing: Uncovering customer needs"));
  EXPECT_THAT(d.explanation_en, HasSubstr("Specificity low"));
  EXPECT_EQ(d.level, 3);
  EXPECT_EQ(d.level_anchor, "L3 客户导向");

  const AnswerResult strong = Complaint(kZhStrong);
  EXPECT_THAT(Dim(strong, "customer_focus").explanation_zh, HasSubstr("STAR结构完整"));
  EXPECT_THAT(Dim(strong, "customer_focus").explanation_en, HasSubstr("STAR structure complete"));
  EXPECT_EQ(Dim(strong, "customer_focus").level_anchor, "L5 客户导向");
}

// --- Empty, follow-up, time -------------------------------------------------------------------

TEST_F(RubricTest, EmptyAndWhitespaceAnswersScoreZeroWithExplanation) {
  for (const std::string& answer : {std::string(), std::string(" \n\t\u3000 \u200b")}) {
    const AnswerResult r = Complaint(answer);
    EXPECT_TRUE(r.empty);
    EXPECT_EQ(r.length_chars, 0u);
    ASSERT_EQ(r.dimensions.size(), 3u);
    for (const DimensionResult& d : r.dimensions) {
      EXPECT_EQ(d.score, 0);
      EXPECT_EQ(d.level, 1);
      EXPECT_EQ(d.level_anchor, "L1 " + Model().FindDimension(d.dimension_key)->name);
      EXPECT_THAT(d.explanation_zh, StartsWith("得分依据: 未作答"));
      EXPECT_THAT(d.explanation_en, StartsWith("Basis: no answer was given"));
      for (const IndicatorResult& i : d.indicators) EXPECT_FALSE(i.found);
    }
    ASSERT_NE(Flag(r, "too_short"), nullptr);
    EXPECT_THAT(Flag(r, "too_short")->message_en, HasSubstr("No answer"));
    const Feedback fb = scorer_->MakeFeedback(**complaint_, r, true);
    EXPECT_EQ(fb.reason, "too_short");
    EXPECT_TRUE(fb.follow_up_zh.has_value());
  }
}

TEST_F(RubricTest, FollowUpIsScoredTogetherWithPartOneEvidence) {
  const std::string follow_up =
      "补充一下：去年双十一我遇到过类似的投诉，先安抚情绪，找到根本原因后给出了补偿方案，每两天回访"
      "一次，最终"
      "客户续签了合同，投诉率下降了40%。";
  const AnswerResult alone = Complaint(kZhWeak);
  const AnswerResult together = Complaint(kZhWeak, follow_up);
  EXPECT_EQ(together.length_chars,
            alone.length_chars + text::ByteToCharOffset(follow_up, follow_up.size()));
  for (size_t i = 0; i < alone.dimensions.size(); ++i) {
    EXPECT_GT(together.dimensions[i].score, alone.dimensions[i].score + 15);
  }
  const IndicatorResult& kp1 = Ind(Dim(together, "problem_solving"), "kp1");
  ASSERT_TRUE(kp1.found);
  EXPECT_EQ(kp1.evidence[0].part, 1);
  EXPECT_EQ(kp1.evidence[0].text, "根本原因");
  EXPECT_TRUE(together.star.result);
  EXPECT_EQ(Flag(together, "no_example"), nullptr);
  ExpectEvidenceMatchesOriginal(together, kZhWeak, follow_up);
}

TEST_F(RubricTest, AnswerTimeOverTheLimitLowersLength) {
  AnswerInput in;
  in.answer = kZhStrong;
  in.answer_seconds = 200;  // limit 300
  const AnswerResult on_time = scorer_->Score(**complaint_, in);
  in.answer_seconds = 450;
  const AnswerResult late = scorer_->Score(**complaint_, in);
  EXPECT_DOUBLE_EQ(on_time.dimensions[0].components.length, 1.0);
  EXPECT_DOUBLE_EQ(late.dimensions[0].components.length, 0.9);  // 0.8 + 0.2 * 0.5
  EXPECT_LT(late.dimensions[0].score, on_time.dimensions[0].score);
  EXPECT_THAT(late.dimensions[0].explanation_zh, HasSubstr("超过限制"));
}

// --- Risk flags -------------------------------------------------------------------------------

TEST_F(RubricTest, TeamworkAnsweredOnlyWithIIsFlagged) {
  const AnswerResult only_i = Score(**teamwork_, kZhOnlyI);
  const RiskFlag* f = Flag(only_i, "teamwork_only_i");
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->evidence.empty());
  for (const Evidence& e : f->evidence) {
    EXPECT_EQ(e.kind, "first_person_singular");
    EXPECT_EQ(e.text, "我");
  }
  EXPECT_THAT(f->message_zh, HasSubstr("我"));
  ExpectEvidenceMatchesOriginal(only_i, kZhOnlyI);

  EXPECT_EQ(Flag(Score(**teamwork_, kZhWithTeam), "teamwork_only_i"), nullptr);
  const AnswerResult en = Score(**teamwork_, kEnOnlyI);
  ASSERT_NE(Flag(en, "teamwork_only_i"), nullptr);
  EXPECT_EQ(Flag(en, "teamwork_only_i")->evidence[0].text, "I");
  // The complaint question is not about teamwork: the same answer raises no flag there.
  EXPECT_EQ(Flag(Complaint(kZhOnlyI), "teamwork_only_i"), nullptr);
}

TEST_F(RubricTest, NoExampleFlagOnGenericBehaviouralAnswers) {
  const AnswerResult weak = Complaint(kZhWeak);
  const RiskFlag* zh = Flag(weak, "no_example");
  ASSERT_NE(zh, nullptr);
  EXPECT_FALSE(zh->evidence.empty());
  EXPECT_EQ(zh->evidence[0].kind, "hedge");
  EXPECT_EQ(zh->evidence[0].text, "我觉得");
  ASSERT_NE(Flag(Complaint(kEnWeak), "no_example"), nullptr);
  EXPECT_EQ(Flag(Complaint(kZhStrong), "no_example"), nullptr);
  EXPECT_EQ(Flag(Complaint(kEnStrong), "no_example"), nullptr);
}

TEST_F(RubricTest, TooShortFlagBelowFortyPercentOfTheMinimum) {
  const std::string answer = "客户至上，耐心道歉就好。";  // 12 characters, minimum 100
  const AnswerResult r = Complaint(answer);
  const RiskFlag* f = Flag(r, "too_short");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->evidence.size(), 1u);
  EXPECT_EQ(f->evidence[0].text, answer);
  EXPECT_EQ(f->evidence[0].label, "12/100");
  EXPECT_LT(r.dimensions[0].components.length, 0.2);
  EXPECT_EQ(Flag(Complaint(kZhWeak), "too_short"), nullptr);  // 95 characters
  EXPECT_EQ(Flag(Complaint(kZhStrong), "too_short"), nullptr);
}

TEST_F(RubricTest, AnswerRepeatingTheQuestionIsFlaggedAndCut) {
  const std::string copy = ComplaintQuestion().text.zh;
  const AnswerResult r = Complaint(copy);
  ASSERT_NE(Flag(r, "near_copy_question"), nullptr);
  for (const DimensionResult& d : r.dimensions) EXPECT_LE(d.score, 25);
  // Mostly the question, plus a few words.
  const AnswerResult padded = Complaint(copy + "这个我不太清楚。");
  ASSERT_NE(Flag(padded, "near_copy_question"), nullptr);
  EXPECT_EQ(Flag(padded, "near_copy_question")->evidence[0].kind, "copy");
  EXPECT_THAT(r.dimensions[0].explanation_zh, HasSubstr("重复题目"));
  // English question copied in English.
  EXPECT_NE(Flag(Complaint(ComplaintQuestion().text.en), "near_copy_question"), nullptr);
  EXPECT_EQ(Flag(Complaint(kZhStrong), "near_copy_question"), nullptr);
  EXPECT_EQ(Flag(Complaint(kEnStrong), "near_copy_question"), nullptr);
}

TEST_F(RubricTest, NearCopyOfAnotherCandidatesAnswer) {
  std::string edited = kZhStrong;  // another candidate's answer with a couple of words changed
  edited.replace(edited.find("电商"), std::string("电商").size(), "零售");
  edited.replace(edited.find("200元"), std::string("200元").size(), "100元");
  const std::vector<std::string> others = {kEnStrong, edited, kZhWeak};
  AnswerInput in;
  in.answer = kZhStrong;
  in.other_answers = others;
  const AnswerResult r = scorer_->Score(**complaint_, in);
  const RiskFlag* f = Flag(r, "near_copy_answer");
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(f->other_index.has_value());
  EXPECT_EQ(*f->other_index, 1u);
  EXPECT_TRUE(NearDuplicate(kZhStrong, others[1]));  // agrees with the library's definition
  ASSERT_EQ(f->evidence.size(), 1u);
  EXPECT_EQ(f->evidence[0].text, kZhStrong);

  const std::vector<std::string> unrelated = {kEnStrong, kZhWeak, kMixed};
  in.other_answers = unrelated;
  EXPECT_EQ(Flag(scorer_->Score(**complaint_, in), "near_copy_answer"), nullptr);
}

// --- Feedback and advice ----------------------------------------------------------------------

TEST_F(RubricTest, FollowUpProbeForAnIndicatorMentionedButNotCarriedThrough) {
  const AnswerResult r = Complaint(
      "我觉得做客服最重要的就是客户需求挖掘，要多和客户聊天，站在客户的角度看问题，平时我也一直是这"
      "样要求自己的，"
      "和客户保持良好的关系。");
  const Feedback fb = scorer_->MakeFeedback(**complaint_, r, true);
  EXPECT_EQ(fb.reason, "missing_result");
  ASSERT_TRUE(fb.follow_up_zh.has_value());
  EXPECT_EQ(*fb.follow_up_zh,
            "你提到了'客户需求挖掘'，但未具体说明如何落地，可以补充一个具体案例吗?");
  ASSERT_TRUE(fb.follow_up_en.has_value());
  EXPECT_THAT(*fb.follow_up_en, HasSubstr("'Uncovering customer needs'"));
  EXPECT_THAT(fb.note_zh, HasSubstr("客户需求挖掘"));
  EXPECT_THAT(fb.note_en, HasSubstr("Uncovering customer needs"));

  // A result right before the indicator ("最终...满意") carries it through: no such probe.
  const AnswerResult landed = Complaint(
      "我觉得做客服最重要的就是客户需求挖掘，这一点我一直很重视，平时会主动和客户沟通。最终客户都很"
      "满意。");
  const Feedback landed_fb = scorer_->MakeFeedback(**complaint_, landed, true);
  EXPECT_EQ(landed_fb.reason, "no_example");  // the next gap in line

  const Feedback no_probe = scorer_->MakeFeedback(**complaint_, r, false);
  EXPECT_FALSE(no_probe.follow_up_zh.has_value());
  EXPECT_FALSE(no_probe.follow_up_en.has_value());
  EXPECT_FALSE(no_probe.note_zh.empty());
}

TEST_F(RubricTest, FollowUpProbeAsksForTheMostImportantMissingIndicator) {
  // A concrete story with a result, but no root cause analysis and no needs discovery.
  const std::string answer =
      "去年我负责华东区的售后。当时一位客户因为安装延期投诉了两次，我先向他道歉，然后马上安排师傅第"
      "二天上门，"
      "并给出了补偿方案，免了一年的保养费。之后我每周回访。最终客户撤回了投诉，还给了好评，满意度提"
      "升了20%。";
  const AnswerResult r = Complaint(answer);
  const Feedback fb = scorer_->MakeFeedback(**complaint_, r, true);
  EXPECT_EQ(fb.reason, "missing_indicator");
  ASSERT_TRUE(fb.follow_up_zh.has_value());
  // customer_focus has the highest weight (25); its missing indicator is needs discovery.
  EXPECT_THAT(*fb.follow_up_zh, HasSubstr("'客户需求挖掘'"));
  EXPECT_THAT(*fb.follow_up_en, HasSubstr("'Uncovering customer needs'"));
}

TEST_F(RubricTest, NoFollowUpWhenNothingSubstantialIsMissing) {
  const Feedback fb = scorer_->MakeFeedback(**complaint_, Complaint(kZhStrong), true);
  EXPECT_FALSE(fb.follow_up_zh.has_value());
  EXPECT_FALSE(fb.follow_up_en.has_value());
  EXPECT_EQ(fb.reason, "");
  EXPECT_THAT(fb.note_zh, HasSubstr("感谢"));
  EXPECT_FALSE(fb.note_en.empty());
}

TEST_F(RubricTest, FeedbackOnGenericAndOffTopicAnswers) {
  const Feedback generic = scorer_->MakeFeedback(**complaint_, Complaint(kEnWeak), true);
  EXPECT_EQ(generic.reason, "no_example");
  ASSERT_TRUE(generic.follow_up_en.has_value());
  EXPECT_THAT(*generic.follow_up_en, HasSubstr("concrete example"));

  const Feedback off = scorer_->MakeFeedback(**complaint_, Complaint(kZhOffTopic), true);
  EXPECT_EQ(off.reason, "off_topic");
  ASSERT_TRUE(off.follow_up_zh.has_value());
  EXPECT_THAT(*off.follow_up_zh, HasSubstr("客户投诉"));
}

TEST_F(RubricTest, AdviseDimensionStrengthAndGap) {
  const domain::CompetencyModel model = Model();
  const domain::Dimension& cf = *model.FindDimension("customer_focus");
  const DimensionAdvice strong = AdviseDimension(cf, 85, {});
  EXPECT_TRUE(strong.strength);
  EXPECT_EQ(strong.dimension_key, "customer_focus");
  EXPECT_THAT(strong.summary_zh, HasSubstr("客户导向"));
  EXPECT_THAT(strong.summary_zh, HasSubstr("L5 客户导向"));
  EXPECT_THAT(strong.summary_en, HasSubstr("Customer focus is a strength (85)"));
  EXPECT_TRUE(strong.advice_zh.empty());
  EXPECT_TRUE(strong.advice_en.empty());

  const AnswerResult weak = Complaint(kZhWeak);
  std::vector<IndicatorResult> missing;
  for (const IndicatorResult& i : Dim(weak, "customer_focus").indicators) {
    if (!i.found) missing.push_back(i);
  }
  missing.push_back(missing.front());  // duplicates across answers are listed once
  const DimensionAdvice gap = AdviseDimension(cf, 42.5, missing);
  EXPECT_FALSE(gap.strength);
  EXPECT_THAT(gap.summary_zh, HasSubstr("42.5"));
  EXPECT_THAT(gap.advice_zh, HasSubstr("客户需求挖掘、提供解决方案、持续跟进"));
  EXPECT_THAT(gap.advice_zh, HasSubstr("STAR"));
  EXPECT_THAT(gap.advice_en, HasSubstr("Uncovering customer needs; Offering a solution"));
  EXPECT_EQ(gap.advice_zh.find("客户需求挖掘"), gap.advice_zh.rfind("客户需求挖掘"));

  // Nothing missing reported: advise on the dimension's own indicators.
  const DimensionAdvice generic = AdviseDimension(cf, 30, {});
  EXPECT_THAT(generic.advice_zh, HasSubstr("客户满意度"));
  EXPECT_GE(AdviseDimension(cf, 70, {}).strength, true);
}

// --- Prepare ----------------------------------------------------------------------------------

TEST_F(RubricTest, PrepareRejectsAQuestionWithNoDimensionOfTheModel) {
  domain::Question q = ComplaintQuestion();
  q.dimension_keys = {"leadership"};
  auto prepared = scorer_->Prepare(q, Model());
  ASSERT_FALSE(prepared.has_value());
  EXPECT_EQ(prepared.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(prepared.error().details.size(), 1u);
  EXPECT_EQ(prepared.error().details[0].field, "dimension_keys");
  EXPECT_FALSE(scorer_->Prepare(q, domain::CompetencyModel{}).has_value());
}

TEST_F(RubricTest, QuestionWithoutDimensionKeysCoversTheWholeModelInModelOrder) {
  domain::Question q = ComplaintQuestion();
  q.dimension_keys = {"problem_solving", "customer_focus"};  // question order is not used
  auto two = scorer_->Prepare(q, Model());
  ASSERT_TRUE(two.has_value());
  const AnswerResult r2 = Score(**two, kZhStrong);
  ASSERT_EQ(r2.dimensions.size(), 2u);
  EXPECT_EQ(r2.dimensions[0].dimension_key, "customer_focus");
  q.dimension_keys.clear();
  auto all = scorer_->Prepare(q, Model());
  ASSERT_TRUE(all.has_value());
  const AnswerResult r = Score(**all, kZhStrong);
  ASSERT_EQ(r.dimensions.size(), 5u);
  EXPECT_EQ(r.dimensions[2].dimension_key, "teamwork");
  // teamwork: the story mentions 物流部门 (cross-team) but not the other two indicators.
  EXPECT_TRUE(Ind(Dim(r, "teamwork"), "cross_team").found);
  EXPECT_LT(Dim(r, "teamwork").score, Dim(r, "customer_focus").score);
}

TEST_F(RubricTest, WithoutReferenceAnswersRelevanceComesFromTheQuestion) {
  domain::Question q = ComplaintQuestion();
  q.reference_answers.clear();
  auto prepared = scorer_->Prepare(q, Model());
  ASSERT_TRUE(prepared.has_value());
  const AnswerResult strong = Score(**prepared, kZhStrong);
  const AnswerResult weak = Score(**prepared, kZhWeak);
  const AnswerResult off = Score(**prepared, kZhOffTopic);
  for (size_t i = 0; i < strong.dimensions.size(); ++i) {
    EXPECT_GE(strong.dimensions[i].score, 75);
    EXPECT_GT(strong.dimensions[i].score, weak.dimensions[i].score);
    EXPECT_GT(weak.dimensions[i].score, off.dimensions[i].score);
    EXPECT_LE(off.dimensions[i].score, 25);
  }
  EXPECT_THAT(strong.dimensions[0].explanation_zh, HasSubstr("本题无参考答案"));
  EXPECT_THAT(strong.dimensions[0].explanation_en, HasSubstr("no reference answers"));
}

TEST_F(RubricTest, TechnicalQuestionsWeighStarLittle) {
  domain::Question q = ComplaintQuestion();
  q.type = domain::QuestionType::kTechnical;
  auto prepared = scorer_->Prepare(q, Model());
  ASSERT_TRUE(prepared.has_value());
  // The same content without any STAR marker loses less on a technical question.
  const std::string answer =
      "客户投诉要先安抚情绪并道歉，认真倾听客户需求，找到根本原因，给出补偿方案，制定改进措施，持续"
      "跟进回访，"
      "确认客户满意。";
  const AnswerResult tech = Score(**prepared, answer);
  const AnswerResult behavioural = Complaint(answer);
  EXPECT_GT(tech.dimensions[0].score, behavioural.dimensions[0].score);
  EXPECT_EQ(Flag(tech, "no_example"), nullptr);  // only behavioural questions need an example
}

// --- Properties -------------------------------------------------------------------------------

// Answers assembled from pieces of real answers, with emoji, traditional characters,
// full-width forms, stray punctuation and (optionally) invalid UTF-8.
std::string RandomAnswer(std::mt19937& rng, bool allow_invalid) {
  static const std::vector<std::string> kPieces = {
      "去年我在一家电商公司做客服主管。",
      "当时有位老客户连续三次投诉物流延误，",
      "我的任务是",
      "首先我认真倾听他的抱怨，",
      "然后和物流部门一起排查，",
      "发现根本原因是分拣系统标错了仓库。",
      "最终客户续签了合同，",
      "季度采购额提升了30%。",
      "我觉得态度最重要。",
      "客戶需求挖掘",
      "團隊協作",
      "I listened carefully and apologized. ",
      "As a result the client renewed. ",
      "We reduced tickets by 60% in two weeks. ",
      "CRM",
      "《客户服务规范》",
      "😀",
      "👍🏻",
      "  ",
      "\n",
      "ＡＢＣ１２３",
      "。。。",
      "!!!",
      "Salesforce ",
      "我",
      "我们",
      "team ",
      "跟进",
      "补偿方案",
      "200元",
      "一年半",
      "百分之二十",
  };
  std::uniform_int_distribution<size_t> count(0, 24);
  std::uniform_int_distribution<size_t> pick(0, kPieces.size() - 1);
  std::uniform_int_distribution<int> bad(0, 30);
  std::string s;
  const size_t n = count(rng);
  for (size_t i = 0; i < n; ++i) {
    if (allow_invalid && bad(rng) == 0) s.push_back(static_cast<char>(0xE4));  // truncated
    s += kPieces[pick(rng)];
  }
  return s;
}

TEST_F(RubricTest, PropertyScoresStayInRangeAndEvidenceMatches) {
  std::mt19937 rng(20261122);
  for (int i = 0; i < 400; ++i) {
    const bool invalid = i % 4 == 3;
    const std::string answer = RandomAnswer(rng, invalid);
    const std::string follow_up = i % 3 == 0 ? RandomAnswer(rng, false) : std::string();
    const AnswerResult r = Complaint(answer, follow_up);
    ASSERT_EQ(r.dimensions.size(), 3u);
    for (const DimensionResult& d : r.dimensions) {
      ASSERT_GE(d.score, 0) << answer;
      ASSERT_LE(d.score, 100) << answer;
      ASSERT_GE(d.level, 1);
      ASSERT_LE(d.level, 5);
      for (double c : {d.components.indicators, d.components.star, d.components.specificity,
                       d.components.relevance, d.components.length}) {
        ASSERT_GE(c, 0);
        ASSERT_LE(c, 1);
      }
      ASSERT_THAT(d.explanation_zh, StartsWith("得分依据: "));
      ASSERT_THAT(d.explanation_en, StartsWith("Basis: "));
    }
    ExpectEvidenceMatchesOriginal(r, answer, follow_up);
    const Feedback fb = scorer_->MakeFeedback(**complaint_, r, true);
    ASSERT_FALSE(fb.note_zh.empty());
    ASSERT_EQ(fb.follow_up_zh.has_value(), fb.follow_up_en.has_value());
  }
}

TEST_F(RubricTest, PropertyAppendingAnIndicatorPhraseNeverLowersItsCoverage) {
  const domain::CompetencyModel model = Model();
  std::mt19937 rng(7);
  for (int i = 0; i < 60; ++i) {
    const std::string base = RandomAnswer(rng, false);
    const AnswerResult before = Complaint(base);
    for (const DimensionResult& d : before.dimensions) {
      const domain::Dimension* dim = model.FindDimension(d.dimension_key);
      ASSERT_NE(dim, nullptr);
      for (const domain::Indicator& ind : dim->indicators) {
        for (const std::string& phrase : {ind.name, ind.synonyms.front(), ind.name_en}) {
          const std::string extended = base + "。" + phrase;
          const AnswerResult after = Complaint(extended);
          const DimensionResult& d2 = Dim(after, d.dimension_key);
          ASSERT_GE(d2.components.indicators, d.components.indicators) << base << " + " << phrase;
          ASSERT_TRUE(Ind(d2, ind.key).found) << base << " + " << phrase;
          for (const IndicatorResult& ir : d.indicators) {
            if (ir.found) {
              ASSERT_TRUE(Ind(d2, ir.key).found) << ir.key;
            }
          }
        }
      }
    }
  }
}

bool SameEvidence(const std::vector<Evidence>& a, const std::vector<Evidence>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].kind != b[i].kind || a[i].label != b[i].label || a[i].part != b[i].part ||
        a[i].begin != b[i].begin || a[i].end != b[i].end || a[i].text != b[i].text) {
      return false;
    }
  }
  return true;
}

void ExpectSameResult(const AnswerResult& a, const AnswerResult& b) {
  ASSERT_EQ(a.dimensions.size(), b.dimensions.size());
  for (size_t i = 0; i < a.dimensions.size(); ++i) {
    EXPECT_EQ(a.dimensions[i].score, b.dimensions[i].score);
    EXPECT_EQ(a.dimensions[i].explanation_zh, b.dimensions[i].explanation_zh);
    EXPECT_EQ(a.dimensions[i].explanation_en, b.dimensions[i].explanation_en);
    for (size_t j = 0; j < a.dimensions[i].indicators.size(); ++j) {
      EXPECT_TRUE(SameEvidence(a.dimensions[i].indicators[j].evidence,
                               b.dimensions[i].indicators[j].evidence));
    }
  }
  EXPECT_TRUE(SameEvidence(a.star.evidence, b.star.evidence));
  EXPECT_TRUE(SameEvidence(a.specifics, b.specifics));
  ASSERT_EQ(a.flags.size(), b.flags.size());
  for (size_t i = 0; i < a.flags.size(); ++i) EXPECT_EQ(a.flags[i].code, b.flags[i].code);
}

TEST_F(RubricTest, PropertySameInputSameOutputAcrossCallsThreadsAndPreparations) {
  const std::vector<std::string> answers = {kZhStrong, kZhWeak, kZhOffTopic,         kEnStrong,
                                            kEnWeak,   kMixed,  kZhStrongTraditional};
  std::vector<AnswerResult> first;
  for (const std::string& a : answers) first.push_back(Complaint(a));
  // Again, from a second preparation of the same question, and from four threads at once.
  auto again = scorer_->Prepare(ComplaintQuestion(), Model());
  ASSERT_TRUE(again.has_value());
  for (size_t i = 0; i < answers.size(); ++i)
    ExpectSameResult(first[i], Score(**again, answers[i]));
  std::vector<std::vector<AnswerResult>> per_thread(4);
  std::vector<std::thread> threads;
  for (auto& out : per_thread) {
    threads.emplace_back([&answers, &out] {
      for (int round = 0; round < 5; ++round) {
        for (const std::string& a : answers) out.push_back(Complaint(a));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& out : per_thread) {
    ASSERT_EQ(out.size(), answers.size() * 5);
    for (size_t i = 0; i < out.size(); ++i) ExpectSameResult(first[i % answers.size()], out[i]);
  }
  const Feedback f1 = scorer_->MakeFeedback(**complaint_, first[1], true);
  const Feedback f2 = scorer_->MakeFeedback(**complaint_, Complaint(kZhWeak), true);
  EXPECT_EQ(f1.note_zh, f2.note_zh);
  EXPECT_EQ(f1.follow_up_zh, f2.follow_up_zh);
}

TEST_F(RubricTest, FusedSimilarityEqualsTheLibraryFunctions) {
  const std::vector<std::string> corpus = {kZhStrong, kEnStrong, ComplaintQuestion().text.zh};
  const SimilarityModel model{std::span<const std::string>(corpus)};
  for (const char* answer : {kZhWeak, kMixed, kEnWeak, ""}) {
    for (const std::string& reference : corpus) {
      const Document a = model.Analyze(answer);
      const Document r = model.Analyze(reference);
      const internal::Overlap o = internal::Compare(a, r);
      EXPECT_EQ(o.cosine, SimilarityModel::Cosine(a, r));
      EXPECT_EQ(o.coverage, SimilarityModel::Coverage(a, r));
      EXPECT_EQ(o.bm25, SimilarityModel::Bm25Normalized(a, r));
    }
  }
}

}  // namespace
}  // namespace zm::scoring
