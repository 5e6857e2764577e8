// The built-in message templates, seeded once per database (an admin may edit them; they come
// back only if deleted rows are missing, which the service forbids).
#include "common/ids.h"
#include "common/time.h"
#include "notify/internal.h"
#include "notify/notify.h"

namespace zm::notify {

namespace {
struct Default {
  const char *key, *name, *description, *subject_zh, *subject_en, *body_zh, *body_en;
  bool attach_ics;
};

const Default kDefaults[] = {
    {"interview_invitation", "AI面试邀请 / AI interview invitation",
     "Sent with the personal interview link when HR invites a candidate.",
     "【{{organisation_name}}】{{job_title}} AI面试邀请",
     "{{organisation_name}}: AI interview for {{job_title}}",
     "{{candidate_name}}，您好：\n\n感谢您应聘{{organisation_name}}的{{job_title}}"
     "职位。诚邀您参加在线AI面试，"
     "请在 {{interview_deadline}} 前通过以下个人链接完成：\n{{interview_link}}\n\n"
     "面试开始前，页面会说明评估的维度、数据用途和保存期限。\n\n{{organisation_name}} 招聘团队",
     "Dear {{candidate_name}},\n\nThank you for applying for the {{job_title}} position at "
     "{{organisation_name}}. Please take the online AI interview before {{interview_deadline}} "
     "through your personal link:\n{{interview_link}}\n\nBefore you start, the page explains "
     "what is assessed, how your data is used and how long it is kept.\n\n"
     "{{organisation_name}} Recruiting",
     false},
    {"interview_reminder", "面试提醒 / Interview reminder",
     "Reminds an invited candidate who has not started the interview.",
     "【{{organisation_name}}】提醒：请完成{{job_title}} AI面试",
     "Reminder: your AI interview for {{job_title}}",
     "{{candidate_name}}，您好：\n\n您的{{job_title}} AI面试尚未完成，链接将于 "
     "{{interview_deadline}} "
     "失效。请点击继续：\n{{interview_link}}\n\n{{organisation_name}} 招聘团队",
     "Dear {{candidate_name}},\n\nYour AI interview for {{job_title}} is not finished yet; the "
     "link expires at {{interview_deadline}}. Continue here:\n{{interview_link}}\n\n"
     "{{organisation_name}} Recruiting",
     false},
    {"next_round_invitation", "复试邀请 / Next-round invitation",
     "Invites a candidate to the next round; carries an iCalendar invitation.",
     "【{{organisation_name}}】{{job_title}} 复试邀请",
     "{{organisation_name}}: next-round interview for {{job_title}}",
     "{{candidate_name}}，您好：\n\n恭喜您通过{{job_title}}职位的AI面试。诚邀您参加复试：\n"
     "时间：{{next_round_time}}\n地点：{{next_round_location}}\n\n日程邀请见附件（invitation."
     "ics）。"
     "如时间不便，请直接回复本邮件。\n\n{{organisation_name}} 招聘团队",
     "Dear {{candidate_name}},\n\nCongratulations on passing the AI interview for {{job_title}}. "
     "We would like to invite you to the next round:\nTime: {{next_round_time}}\n"
     "Place: {{next_round_location}}\n\nThe calendar invitation is attached (invitation.ics). If "
     "the time does not suit you, please reply to this e-mail.\n\n{{organisation_name}} Recruiting",
     true},
    {"thank_you", "感谢信 / Thank-you letter",
     "Thanks a candidate who is not moving on and keeps them in the talent pool.",
     "【{{organisation_name}}】感谢您应聘{{job_title}}",
     "{{organisation_name}}: thank you for applying for {{job_title}}",
     "{{candidate_name}}，您好：\n\n感谢您参加{{job_title}}职位的面试。经过综合评估，"
     "本次暂时无法进入下一轮。我们已将您的资料保存在人才库中，今后有合适的职位会再与您联系。\n\n"
     "祝您一切顺利！\n{{organisation_name}} 招聘团队",
     "Dear {{candidate_name}},\n\nThank you for interviewing for the {{job_title}} position. "
     "After careful review we cannot move you to the next round this time. We have kept your "
     "profile in our talent pool and will contact you when a suitable position opens.\n\n"
     "Best wishes,\n{{organisation_name}} Recruiting",
     false},
    {"review_needed", "待复核提醒 / Review needed",
     "Tells HR or the department's managers (e-mail or a WeCom / DingTalk / Feishu group) that an "
     "AI interview result waits for their review.",
     "【{{organisation_name}}】待复核：{{candidate_name}}（{{job_title}}）",
     "{{organisation_name}}: review needed: {{candidate_name}} ({{job_title}})",
     "AI面试结果待复核：{{candidate_name}} 应聘 {{job_title}}，总分 {{overall_score}}，"
     "当前阶段：{{stage}}。请在智面中查看评分依据并决定下一步。",
     "AI interview result to review: {{candidate_name}} for {{job_title}}, overall "
     "{{overall_score}}, stage: {{stage}}. Please open Zhimian to read the evidence and decide "
     "the next step.",
     false},
};
}  // namespace

Status NotifyService::SeedDefaultTemplates() {
  return deps_.db.Write([&](storage::Tx& tx) -> Status {
    int64_t now = NowMillis();
    for (const auto& d : kDefaults) {
      ZM_ASSIGN_OR_RETURN(auto existing, internal::FindTemplateByKey(tx, d.key));
      if (existing) continue;
      ZM_RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO message_templates (id, template_key, name, description, subject_zh, "
          "subject_en, body_zh, body_en, attach_ics, builtin, created_at, updated_at) VALUES "
          "(?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
          {NewId(), std::string(d.key), std::string(d.name), std::string(d.description),
           std::string(d.subject_zh), std::string(d.subject_en), std::string(d.body_zh),
           std::string(d.body_en), int64_t{d.attach_ics}, now, now}));
    }
    return Ok();
  });
}

}  // namespace zm::notify
