#include "notify/application_message.h"

#include <cstdio>

#include "domain/application.h"
#include "security/crypto.h"
#include "storage/hiring_repository.h"
#include "storage/interview_repository.h"

namespace zm::notify {

namespace {
std::string CandidateAad(const std::string& id, const char* field) {
  return "candidate:" + id + ":" + field;
}
}  // namespace

std::string StageLabelEn(std::string_view stage) {
  static const std::pair<std::string_view, std::string_view> kLabels[] = {
      {"new", "New"},
      {"screening", "Screening"},
      {"interview_invited", "AI interview invited"},
      {"interviewing", "AI interview in progress"},
      {"interview_completed", "AI interview completed"},
      {"hr_review", "HR review"},
      {"second_round", "Second round"},
      {"offer", "Offer"},
      {"hired", "Hired"},
      {"rejected", "Not selected"},
      {"talent_pool", "Talent pool"},
  };
  for (auto [k, v] : kLabels)
    if (k == stage) return std::string(v);
  return std::string(stage);
}

Result<std::vector<std::string>> EnqueueApplicationMessage(storage::Tx& tx,
                                                           const security::FieldCipher& cipher,
                                                           const NotifySettings& settings,
                                                           const ApplicationMessage& m) {
  if (m.recipient != "candidate" && m.recipient != "hr" && m.recipient != "manager")
    return InvalidArgument("invalid recipient",
                           {{"recipient", "must be candidate, hr or manager"}});
  ZM_ASSIGN_OR_RETURN(auto app, storage::GetApplication(tx, m.application_id));
  if (!app) return NotFound("application");
  ZM_ASSIGN_OR_RETURN(auto cand, storage::GetCandidate(tx, app->candidate_id));
  if (!cand) return NotFound("candidate");
  ZM_ASSIGN_OR_RETURN(std::string name,
                      cipher.Decrypt(cand->name_enc, CandidateAad(cand->id, "name")));

  Variables vars = m.extra;
  vars.emplace("candidate_name", name);
  vars.emplace("job_title", app->job_title);
  vars.emplace("organisation_name", settings.organisation_name);
  std::string stage_label(app->stage);
  if (auto s = domain::ParseStage(app->stage))
    stage_label =
        m.language == "zh" ? std::string(domain::StageLabelZh(*s)) : StageLabelEn(app->stage);
  vars.emplace("stage", stage_label);
  // A rule inviting to the next round knows no time or place yet: HR confirms them.
  bool zh = m.language == "zh";
  vars.emplace("next_round_time", zh ? "待 HR 确认" : "to be confirmed by HR");
  vars.emplace("next_round_location", zh ? "待 HR 确认" : "to be confirmed by HR");
  ZM_ASSIGN_OR_RETURN(auto interview, storage::GetInterviewByApplication(tx, app->id));
  if (interview && interview->overall) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *interview->overall);
    vars.emplace("overall_score", buf);
  }

  MessageRequest base;
  base.template_key = m.template_key;
  base.channel_kind = m.channel_kind;
  base.language = m.language;
  base.variables = std::move(vars);
  base.application_id = app->id;
  base.calendar = m.calendar;
  std::vector<std::string> ids;
  bool robot =
      m.channel_kind == "wecom" || m.channel_kind == "dingtalk" || m.channel_kind == "feishu";
  if (robot) {
    base.idempotency_key = m.idempotency_key;
    ZM_ASSIGN_OR_RETURN(auto id, EnqueueMessage(tx, cipher, settings, base));
    ids.push_back(id);
    return ids;
  }
  if (m.recipient == "candidate") {
    const auto& enc = m.channel_kind == "sms" ? cand->phone_enc : cand->email_enc;
    const char* field = m.channel_kind == "sms" ? "phone" : "email";
    if (!enc)
      return InvalidArgument("the candidate has no address for this channel",
                             {{"recipient", std::string("candidate has no ") + field}});
    ZM_ASSIGN_OR_RETURN(base.to_address, cipher.Decrypt(*enc, CandidateAad(cand->id, field)));
    base.to_name = name;
    base.idempotency_key = m.idempotency_key;
    ZM_ASSIGN_OR_RETURN(auto id, EnqueueMessage(tx, cipher, settings, base));
    ids.push_back(id);
    security::WipeString(base.to_address);
    return ids;
  }
  if (m.channel_kind != "email")
    return InvalidArgument(
        "staff are reached by e-mail or group robots",
        {{"channel_kind", "must be email, wecom, dingtalk or feishu for staff"}});
  std::string sql =
      m.recipient == "hr"
          ? "SELECT id, email, name FROM users WHERE role = 'hr' AND status = 'active' ORDER BY id"
          : "SELECT u.id, u.email, u.name FROM users u JOIN user_departments d ON d.user_id = u.id "
            "WHERE u.role = 'manager' AND u.status = 'active' AND d.department_id = ? ORDER BY "
            "u.id";
  std::vector<storage::Value> params;
  if (m.recipient == "manager") params.push_back(app->department_id);
  ZM_ASSIGN_OR_RETURN(auto users, tx.Query(sql, params));
  for (const auto& u : users.rows) {
    MessageRequest r = base;
    r.idempotency_key = m.idempotency_key + ":" + u.Text(0);
    r.to_address = u.Text(1);
    r.to_name = u.Text(2);
    ZM_ASSIGN_OR_RETURN(auto id, EnqueueMessage(tx, cipher, settings, r));
    ids.push_back(id);
  }
  return ids;
}

}  // namespace zm::notify
