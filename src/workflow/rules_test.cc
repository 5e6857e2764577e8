// Pipeline transitions and rule parsing, validation, evaluation and the cycle check (rules.h).
#include "workflow/rules.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace zm::workflow {
namespace {

RuleContext Dims() { return {{"communication", "customer_focus"}}; }

std::vector<std::string> Fields(const Error& e) {
  std::vector<std::string> out;
  for (const auto& d : e.details) out.push_back(d.field);
  return out;
}

bool HasField(const Error& e, const std::string& f) {
  auto fs = Fields(e);
  return std::ranges::find(fs, f) != fs.end();
}

TEST(PipelineTest, AutomaticTransitions) {
  EXPECT_TRUE(IsAutomaticTransitionAllowed(Stage::kInterviewCompleted, Stage::kSecondRound));
  EXPECT_TRUE(IsAutomaticTransitionAllowed(Stage::kInterviewCompleted, Stage::kHrReview));
  EXPECT_TRUE(IsAutomaticTransitionAllowed(Stage::kInterviewCompleted, Stage::kTalentPool));
  EXPECT_TRUE(IsAutomaticTransitionAllowed(Stage::kHrReview, Stage::kRejected));
  EXPECT_TRUE(IsAutomaticTransitionAllowed(Stage::kTalentPool, Stage::kInterviewInvited));
  EXPECT_TRUE(IsAutomaticTransitionAllowed(Stage::kRejected, Stage::kTalentPool));
  // Never backwards along the pipeline, never out of 已入职, never to the same stage.
  EXPECT_FALSE(IsAutomaticTransitionAllowed(Stage::kSecondRound, Stage::kHrReview));
  EXPECT_FALSE(IsAutomaticTransitionAllowed(Stage::kHired, Stage::kTalentPool));
  EXPECT_FALSE(IsAutomaticTransitionAllowed(Stage::kOffer, Stage::kOffer));
  EXPECT_FALSE(IsAutomaticTransitionAllowed(Stage::kRejected, Stage::kSecondRound));
  EXPECT_FALSE(IsAutomaticTransitionAllowed(Stage::kTalentPool, Stage::kOffer));
}

TEST(RuleParseTest, RoundTripsAValidDefinition) {
  std::string text = R"({"trigger":{"type":"interview_completed"},
    "conditions":{"overall":{"gte":60,"lt":80},"dimensions":[{"key":"communication","gte":70}],
                  "flags_none":["teamwork_only_i"],"stages":["interview_completed"]},
    "actions":[{"type":"move_stage","stage":"hr_review"},
               {"type":"create_task","kind":"human_review","title":"请复核"},
               {"type":"notify","channel":"wecom","to":"manager","template":"review_needed"}]})";
  auto d = ParseDefinition(text, Dims());
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->trigger.type, TriggerType::kInterviewCompleted);
  ASSERT_TRUE(d->conditions.overall);
  EXPECT_EQ(*d->conditions.overall->gte, 60);
  EXPECT_EQ(*d->conditions.overall->lt, 80);
  ASSERT_EQ(d->actions.size(), 3u);
  EXPECT_EQ(d->actions[0].stage, Stage::kHrReview);
  EXPECT_EQ(d->actions[2].channel, "wecom");
  auto again = ParseDefinition(DefinitionJson(*d), Dims());
  ASSERT_TRUE(again);
  EXPECT_EQ(DefinitionJson(*again), DefinitionJson(*d));
}

TEST(RuleParseTest, RefusesUnknownFieldsImpossibleRangesUnknownStagesAndDimensions) {
  auto r = ParseDefinition(R"({"trigger":{"type":"interview_completed","when":"now"},
    "conditions":{"overall":{"gte":80,"lt":60},"dimensions":[{"key":"charisma","gte":50}],
                  "flags_any":["sleepy"],"score":3},
    "actions":[{"type":"move_stage","stage":"final_round"},{"type":"teleport"}],
    "extra":1})",
                           Dims());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  const Error& e = r.error();
  EXPECT_TRUE(HasField(e, "extra"));
  EXPECT_TRUE(HasField(e, "trigger.when"));
  EXPECT_TRUE(HasField(e, "conditions.overall"));  // gte 80 >= lt 60: impossible
  EXPECT_TRUE(HasField(e, "conditions.dimensions[0].key"));
  EXPECT_TRUE(HasField(e, "conditions.flags_any[0]"));
  EXPECT_TRUE(HasField(e, "conditions.score"));
  EXPECT_TRUE(HasField(e, "actions[0].stage"));
  EXPECT_TRUE(HasField(e, "actions[1].type"));
}

TEST(RuleParseTest, RefusesOutOfRangeScoresAndContradictoryFlags) {
  auto r = ParseDefinition(R"({"trigger":{"type":"interview_completed"},
    "conditions":{"overall":{"gte":-1},"flags_any":["too_short"],"flags_none":["too_short"]},
    "actions":[{"type":"talent_pool"}]})",
                           Dims());
  ASSERT_FALSE(r);
  EXPECT_TRUE(HasField(r.error(), "conditions.overall.gte"));
  EXPECT_TRUE(HasField(r.error(), "conditions.flags_none"));
}

TEST(RuleParseTest, RefusesASelfCycleAndTwoStageMoves) {
  auto self = ParseDefinition(R"({"trigger":{"type":"stage_entered","stage":"hr_review"},
    "actions":[{"type":"move_stage","stage":"hr_review"}]})",
                              Dims());
  ASSERT_FALSE(self);
  EXPECT_TRUE(HasField(self.error(), "actions[0].stage"));
  auto two = ParseDefinition(R"({"trigger":{"type":"interview_completed"},
    "actions":[{"type":"move_stage","stage":"hr_review"},{"type":"talent_pool"}]})",
                             Dims());
  ASSERT_FALSE(two);
  EXPECT_TRUE(HasField(two.error(), "actions"));
  auto no_days = ParseDefinition(R"({"trigger":{"type":"no_action","stage":"hr_review"},
    "actions":[{"type":"notify","template":"reminder","to":"hr"}]})",
                                 Dims());
  ASSERT_FALSE(no_days);
  EXPECT_TRUE(HasField(no_days.error(), "trigger.days"));
}

Rule StageRule(const std::string& id, Stage from, Stage to) {
  Rule r;
  r.id = id;
  r.definition.trigger = {TriggerType::kStageEntered, from, 0};
  Action a;
  a.type = ActionType::kMoveStage;
  a.stage = to;
  r.definition.actions.push_back(a);
  return r;
}

TEST(RuleCycleTest, FindsCyclesAcrossRules) {
  std::vector<Rule> rules = {StageRule("a", Stage::kHrReview, Stage::kSecondRound),
                             StageRule("b", Stage::kSecondRound, Stage::kOffer)};
  EXPECT_FALSE(FindStageCycle(rules));
  rules.push_back(StageRule("c", Stage::kOffer, Stage::kHrReview));
  auto cycle = FindStageCycle(rules);
  ASSERT_TRUE(cycle);
  EXPECT_EQ(*cycle, "hr_review -> second_round -> offer -> hr_review");
  rules[2].enabled = false;  // disabled rules do not run
  EXPECT_FALSE(FindStageCycle(rules));
}

TEST(RuleEvalTest, ConditionsHold) {
  Conditions c;
  c.overall = ScoreRange{60, 80};
  c.dimensions.push_back({"communication", {70, std::nullopt}});
  c.flags_none = {"teamwork_only_i"};
  Facts f;
  f.stage = Stage::kInterviewCompleted;
  f.overall = 70;
  f.dimensions = {{"communication", 75}};
  EXPECT_TRUE(ConditionsHold(c, f));
  f.overall = 80;  // lt is exclusive
  EXPECT_FALSE(ConditionsHold(c, f));
  f.overall = 60;  // gte is inclusive
  EXPECT_TRUE(ConditionsHold(c, f));
  f.flags = {"teamwork_only_i"};
  EXPECT_FALSE(ConditionsHold(c, f));
  f.flags.clear();
  f.dimensions.clear();  // a condition on an absent score does not hold
  EXPECT_FALSE(ConditionsHold(c, f));
  Conditions unscored;
  unscored.overall = ScoreRange{std::nullopt, 60};
  Facts none;
  EXPECT_FALSE(ConditionsHold(unscored, none));
}

}  // namespace
}  // namespace zm::workflow
