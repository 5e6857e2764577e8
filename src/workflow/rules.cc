#include "workflow/rules.h"

#include <algorithm>
#include <functional>

#include <nlohmann/json.hpp>

namespace zm::workflow {

using nlohmann::json;

namespace {

size_t Index(Stage s) {
  const auto& all = domain::AllStages();
  return static_cast<size_t>(std::ranges::find(all, s) - all.begin());
}

bool InMainLine(Stage s) { return s != Stage::kRejected && s != Stage::kTalentPool; }

const std::vector<std::string> kChannels = {"email", "sms", "wecom", "dingtalk", "feishu"};
const std::vector<std::string> kRecipients = {"candidate", "hr", "manager"};
const std::vector<std::string> kTaskKinds = {"human_review", "follow_up"};

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::ranges::find(v, s) != v.end();
}

bool ValidTemplateId(const std::string& s) {
  if (s.empty() || s.size() > 100) return false;
  return std::ranges::all_of(s, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

// Collects field errors while reading one JSON document strictly.
class Reader {
 public:
  explicit Reader(std::vector<FieldError>& errors) : errors_(errors) {}

  void Error(const std::string& field, const std::string& message) {
    errors_.push_back({field, message});
  }
  // Reports every key of `obj` not in `allowed`.
  bool Object(const json& obj, const std::string& field,
              std::initializer_list<const char*> allowed) {
    if (!obj.is_object()) {
      Error(field.empty() ? "body" : field, "must be an object");
      return false;
    }
    for (const auto& [k, _] : obj.items()) {
      bool known = std::ranges::any_of(allowed, [&](const char* a) { return k == a; });
      if (!known) Error(Join(field, k), "unknown field");
    }
    return true;
  }
  static std::string Join(const std::string& prefix, const std::string& k) {
    return prefix.empty() ? k : prefix + "." + k;
  }
  std::optional<Stage> StageAt(const json& v, const std::string& field) {
    if (!v.is_string()) {
      Error(field, "must be a stage name");
      return std::nullopt;
    }
    auto s = domain::ParseStage(v.get<std::string>());
    if (!s) Error(field, "unknown stage '" + v.get<std::string>() + "'");
    return s;
  }
  std::optional<std::string> String(const json& v, const std::string& field, size_t max) {
    if (!v.is_string()) {
      Error(field, "must be a string");
      return std::nullopt;
    }
    auto s = v.get<std::string>();
    if (s.size() > max) {
      Error(field, "at most " + std::to_string(max) + " bytes");
      return std::nullopt;
    }
    return s;
  }
  std::optional<ScoreRange> Range(const json& v, const std::string& field) {
    if (!Object(v, field, {"gte", "lt"})) return std::nullopt;
    ScoreRange r;
    bool ok = true;
    for (const char* k : {"gte", "lt"}) {
      if (!v.contains(k) || v[k].is_null()) continue;
      if (!v[k].is_number()) {
        Error(Join(field, k), "must be a number 0..100");
        ok = false;
        continue;
      }
      double x = v[k].get<double>();
      if (x < 0 || x > 100 + (std::string(k) == "lt" ? 1e-9 : 0)) {
        Error(Join(field, k), "must be 0..100");
        ok = false;
      }
      (std::string(k) == "gte" ? r.gte : r.lt) = x;
    }
    if (!ok) return std::nullopt;
    if (!r.gte && !r.lt) {
      Error(field, "give gte, lt or both");
      return std::nullopt;
    }
    if (r.gte && r.lt && *r.gte >= *r.lt) {
      Error(field, "impossible: gte must be below lt");
      return std::nullopt;
    }
    if (r.gte && *r.gte == 0 && !r.lt) {
      // Holds for every score: harmless, allowed.
    }
    return r;
  }

 private:
  std::vector<FieldError>& errors_;
};

}  // namespace

bool IsAutomaticTransitionAllowed(Stage from, Stage to) {
  if (from == to) return false;
  if (from == Stage::kHired) return false;
  if (to == Stage::kRejected) return from != Stage::kTalentPool;
  if (to == Stage::kTalentPool) return true;
  if (from == Stage::kTalentPool)
    return to == Stage::kNew || to == Stage::kScreening || to == Stage::kInterviewInvited;
  if (from == Stage::kRejected) return false;
  return InMainLine(to) && Index(to) > Index(from);
}

std::string_view ToString(TriggerType t) {
  switch (t) {
    case TriggerType::kInterviewCompleted:
      return "interview_completed";
    case TriggerType::kStageEntered:
      return "stage_entered";
    case TriggerType::kNoAction:
      return "no_action";
  }
  return "interview_completed";
}

std::string_view ToString(ActionType t) {
  switch (t) {
    case ActionType::kMoveStage:
      return "move_stage";
    case ActionType::kNotify:
      return "notify";
    case ActionType::kTalentPool:
      return "talent_pool";
    case ActionType::kCreateTask:
      return "create_task";
  }
  return "move_stage";
}

const std::vector<std::string>& KnownFlags() {
  static const std::vector<std::string> kFlags = {"teamwork_only_i", "no_example", "too_short",
                                                  "near_copy_question", "near_copy_answer"};
  return kFlags;
}

Result<RuleDefinition> ParseDefinition(const std::string& json_text, const RuleContext& ctx,
                                       const std::string& prefix) {
  auto doc = json::parse(json_text, nullptr, false);
  std::vector<FieldError> errors;
  Reader r(errors);
  auto F = [&](const std::string& k) { return Reader::Join(prefix, k); };
  RuleDefinition d;
  if (doc.is_discarded()) return InvalidArgument("invalid rule", {{F("definition"), "not JSON"}});
  if (!r.Object(doc, prefix, {"trigger", "conditions", "actions"}))
    return InvalidArgument("invalid rule", std::move(errors));

  // trigger
  if (!doc.contains("trigger")) {
    r.Error(F("trigger"), "required");
  } else if (const json& t = doc["trigger"]; r.Object(t, F("trigger"), {"type", "stage", "days"})) {
    std::string type = t.value("type", json()).is_string() ? t["type"].get<std::string>() : "";
    if (type == "interview_completed") {
      d.trigger.type = TriggerType::kInterviewCompleted;
      if (t.contains("stage") || t.contains("days"))
        r.Error(F("trigger"), "interview_completed takes no stage or days");
    } else if (type == "stage_entered" || type == "no_action") {
      d.trigger.type =
          type == "stage_entered" ? TriggerType::kStageEntered : TriggerType::kNoAction;
      if (!t.contains("stage"))
        r.Error(F("trigger.stage"), "required");
      else
        d.trigger.stage = r.StageAt(t["stage"], F("trigger.stage"));
      if (type == "no_action") {
        if (!t.contains("days") || !t["days"].is_number_integer() || t["days"].get<int64_t>() < 1 ||
            t["days"].get<int64_t>() > 365)
          r.Error(F("trigger.days"), "required: an integer 1..365");
        else
          d.trigger.days = t["days"].get<int>();
      } else if (t.contains("days")) {
        r.Error(F("trigger.days"), "only no_action takes days");
      }
    } else {
      r.Error(F("trigger.type"), "must be interview_completed, stage_entered or no_action");
    }
  }

  // conditions
  if (doc.contains("conditions")) {
    const json& c = doc["conditions"];
    std::string cp = F("conditions");
    if (r.Object(c, cp, {"overall", "dimensions", "flags_any", "flags_none", "stages"})) {
      if (c.contains("overall")) d.conditions.overall = r.Range(c["overall"], cp + ".overall");
      if (c.contains("dimensions")) {
        if (!c["dimensions"].is_array()) {
          r.Error(cp + ".dimensions", "must be an array");
        } else {
          std::set<std::string> seen;
          for (size_t i = 0; i < c["dimensions"].size(); ++i) {
            const json& dc = c["dimensions"][i];
            std::string fp = cp + ".dimensions[" + std::to_string(i) + "]";
            if (!r.Object(dc, fp, {"key", "gte", "lt"})) continue;
            DimensionCondition cond;
            if (auto key = dc.contains("key") ? r.String(dc["key"], fp + ".key", 100)
                                              : std::optional<std::string>{}) {
              cond.key = *key;
              if (!ctx.dimension_keys.contains(*key))
                r.Error(fp + ".key", "unknown dimension '" + *key + "'");
              else if (!seen.insert(*key).second)
                r.Error(fp + ".key", "dimension named twice");
            } else if (!dc.contains("key")) {
              r.Error(fp + ".key", "required");
            }
            json range = json::object();
            if (dc.contains("gte")) range["gte"] = dc["gte"];
            if (dc.contains("lt")) range["lt"] = dc["lt"];
            if (auto rg = r.Range(range, fp)) cond.range = *rg;
            d.conditions.dimensions.push_back(std::move(cond));
          }
        }
      }
      for (const char* k : {"flags_any", "flags_none"}) {
        if (!c.contains(k)) continue;
        std::string fp = cp + "." + k;
        auto& out =
            std::string(k) == "flags_any" ? d.conditions.flags_any : d.conditions.flags_none;
        if (!c[k].is_array()) {
          r.Error(fp, "must be an array of risk flags");
          continue;
        }
        for (size_t i = 0; i < c[k].size(); ++i) {
          const json& f = c[k][i];
          if (!f.is_string() || !Contains(KnownFlags(), f.get<std::string>()))
            r.Error(fp + "[" + std::to_string(i) + "]",
                    "unknown flag (teamwork_only_i, no_example, too_short, near_copy_question, "
                    "near_copy_answer)");
          else
            out.push_back(f.get<std::string>());
        }
      }
      for (const auto& f : d.conditions.flags_any)
        if (Contains(d.conditions.flags_none, f))
          r.Error(cp + ".flags_none", "impossible: '" + f + "' is also in flags_any");
      if (c.contains("stages")) {
        if (!c["stages"].is_array() || c["stages"].empty()) {
          r.Error(cp + ".stages", "must be a non-empty array of stage names");
        } else {
          for (size_t i = 0; i < c["stages"].size(); ++i)
            if (auto s = r.StageAt(c["stages"][i], cp + ".stages[" + std::to_string(i) + "]"))
              d.conditions.stages.push_back(*s);
        }
      }
    }
  }
  // A stage-entered trigger with a stage condition that excludes that stage never fires.
  if (d.trigger.type == TriggerType::kStageEntered && d.trigger.stage &&
      !d.conditions.stages.empty() &&
      std::ranges::find(d.conditions.stages, *d.trigger.stage) == d.conditions.stages.end())
    r.Error(F("conditions.stages"), "impossible: excludes the trigger's stage");

  // actions
  if (!doc.contains("actions") || !doc["actions"].is_array() || doc["actions"].empty()) {
    r.Error(F("actions"), "required: a non-empty array");
  } else if (doc["actions"].size() > kMaxActions) {
    r.Error(F("actions"), "at most 10 actions");
  } else {
    int stage_moves = 0;
    for (size_t i = 0; i < doc["actions"].size(); ++i) {
      const json& a = doc["actions"][i];
      std::string ap = F("actions[" + std::to_string(i) + "]");
      if (!a.is_object() || !a.contains("type") || !a["type"].is_string()) {
        r.Error(ap + ".type", "required: move_stage, notify, talent_pool or create_task");
        continue;
      }
      std::string type = a["type"].get<std::string>();
      Action act;
      if (type == "move_stage") {
        act.type = ActionType::kMoveStage;
        if (!r.Object(a, ap, {"type", "stage"})) continue;
        if (!a.contains("stage")) {
          r.Error(ap + ".stage", "required");
          continue;
        }
        auto s = r.StageAt(a["stage"], ap + ".stage");
        if (!s) continue;
        act.stage = *s;
        if (d.trigger.type == TriggerType::kStageEntered && d.trigger.stage == *s)
          r.Error(ap + ".stage", "cycle: moves to the stage that triggers it");
        ++stage_moves;
      } else if (type == "notify") {
        act.type = ActionType::kNotify;
        if (!r.Object(a, ap, {"type", "channel", "to", "template"})) continue;
        auto ch = a.contains("channel") ? r.String(a["channel"], ap + ".channel", 20)
                                        : std::optional<std::string>("email");
        if (ch && !Contains(kChannels, *ch))
          r.Error(ap + ".channel", "must be email, sms, wecom, dingtalk or feishu");
        auto to = a.contains("to") ? r.String(a["to"], ap + ".to", 20)
                                   : std::optional<std::string>("candidate");
        if (to && !Contains(kRecipients, *to))
          r.Error(ap + ".to", "must be candidate, hr or manager");
        if (!a.contains("template")) {
          r.Error(ap + ".template", "required: a message template id");
        } else if (auto tp = r.String(a["template"], ap + ".template", 100)) {
          if (!ValidTemplateId(*tp)) r.Error(ap + ".template", "a template id: a-z 0-9 _ . -");
          act.template_id = *tp;
        }
        act.channel = ch.value_or("");
        act.to = to.value_or("");
      } else if (type == "talent_pool") {
        act.type = ActionType::kTalentPool;
        act.stage = Stage::kTalentPool;
        if (!r.Object(a, ap, {"type", "tag"})) continue;
        if (a.contains("tag"))
          if (auto tag = r.String(a["tag"], ap + ".tag", 50)) act.tag = *tag;
        ++stage_moves;
      } else if (type == "create_task") {
        act.type = ActionType::kCreateTask;
        if (!r.Object(a, ap, {"type", "kind", "title"})) continue;
        if (a.contains("kind")) {
          auto k = r.String(a["kind"], ap + ".kind", 40);
          if (k && !Contains(kTaskKinds, *k))
            r.Error(ap + ".kind", "must be human_review or follow_up");
          if (k) act.task_kind = *k;
        }
        if (!a.contains("title")) {
          r.Error(ap + ".title", "required");
        } else if (auto title = r.String(a["title"], ap + ".title", kRuleNameMax)) {
          if (title->empty()) r.Error(ap + ".title", "must not be empty");
          act.title = *title;
        }
      } else {
        r.Error(ap + ".type", "unknown action '" + type + "'");
        continue;
      }
      d.actions.push_back(std::move(act));
    }
    if (stage_moves > 1)
      r.Error(F("actions"), "at most one stage move (move_stage or talent_pool)");
  }
  if (!errors.empty()) return InvalidArgument("invalid rule", std::move(errors));
  return d;
}

std::string DefinitionJson(const RuleDefinition& d) {
  json t = {{"type", ToString(d.trigger.type)}};
  if (d.trigger.stage) t["stage"] = domain::ToString(*d.trigger.stage);
  if (d.trigger.type == TriggerType::kNoAction) t["days"] = d.trigger.days;
  auto range = [](const ScoreRange& r) {
    json o = json::object();
    if (r.gte) o["gte"] = *r.gte;
    if (r.lt) o["lt"] = *r.lt;
    return o;
  };
  json c = json::object();
  if (d.conditions.overall) c["overall"] = range(*d.conditions.overall);
  if (!d.conditions.dimensions.empty()) {
    json dims = json::array();
    for (const auto& dc : d.conditions.dimensions) {
      json o = range(dc.range);
      o["key"] = dc.key;
      dims.push_back(o);
    }
    c["dimensions"] = dims;
  }
  if (!d.conditions.flags_any.empty()) c["flags_any"] = d.conditions.flags_any;
  if (!d.conditions.flags_none.empty()) c["flags_none"] = d.conditions.flags_none;
  if (!d.conditions.stages.empty()) {
    json st = json::array();
    for (auto s : d.conditions.stages) st.push_back(domain::ToString(s));
    c["stages"] = st;
  }
  json actions = json::array();
  for (const auto& a : d.actions) {
    json o = {{"type", ToString(a.type)}};
    switch (a.type) {
      case ActionType::kMoveStage:
        o["stage"] = domain::ToString(a.stage);
        break;
      case ActionType::kNotify:
        o["channel"] = a.channel;
        o["to"] = a.to;
        o["template"] = a.template_id;
        break;
      case ActionType::kTalentPool:
        o["tag"] = a.tag;
        break;
      case ActionType::kCreateTask:
        o["kind"] = a.task_kind;
        o["title"] = a.title;
        break;
    }
    actions.push_back(o);
  }
  return json{{"trigger", t}, {"conditions", c}, {"actions", actions}}.dump();
}

std::optional<std::string> FindStageCycle(const std::vector<Rule>& rules) {
  std::map<Stage, std::set<Stage>> edges;
  for (const auto& r : rules) {
    if (!r.enabled || r.definition.trigger.type != TriggerType::kStageEntered ||
        !r.definition.trigger.stage)
      continue;
    for (const auto& a : r.definition.actions)
      if (a.type == ActionType::kMoveStage || a.type == ActionType::kTalentPool)
        edges[*r.definition.trigger.stage].insert(a.stage);
  }
  std::map<Stage, int> color;  // 0 new, 1 on the path, 2 done
  std::vector<Stage> path;
  std::optional<std::string> found;
  std::function<void(Stage)> visit = [&](Stage s) {
    if (found) return;
    color[s] = 1;
    path.push_back(s);
    for (Stage n : edges[s]) {
      if (found) return;
      if (color[n] == 1) {
        std::string text;
        auto it = std::ranges::find(path, n);
        for (; it != path.end(); ++it) text += std::string(domain::ToString(*it)) + " -> ";
        found = text + std::string(domain::ToString(n));
        return;
      }
      if (color[n] == 0) visit(n);
    }
    path.pop_back();
    color[s] = 2;
  };
  for (const auto& [s, _] : edges)
    if (color[s] == 0) visit(s);
  return found;
}

bool ConditionsHold(const Conditions& c, const Facts& f) {
  if (c.overall && (!f.overall || !c.overall->Holds(*f.overall))) return false;
  for (const auto& d : c.dimensions) {
    auto it = f.dimensions.find(d.key);
    if (it == f.dimensions.end() || !d.range.Holds(it->second)) return false;
  }
  if (!c.flags_any.empty() &&
      std::ranges::none_of(c.flags_any, [&](const std::string& x) { return f.flags.contains(x); }))
    return false;
  if (std::ranges::any_of(c.flags_none, [&](const std::string& x) { return f.flags.contains(x); }))
    return false;
  if (!c.stages.empty() && std::ranges::find(c.stages, f.stage) == c.stages.end()) return false;
  return true;
}

}  // namespace zm::workflow
