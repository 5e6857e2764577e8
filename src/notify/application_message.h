// Messages about one application (what automation rules and reminders send): the template's
// variables are filled from the application's records -- candidate name and address
// (decrypted), job title, stage, the interview's overall score -- and one delivery is enqueued
// per recipient inside the caller's transaction. Thread-safe (stateless).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "notify/notify.h"

namespace zm::notify {

struct ApplicationMessage {
  std::string application_id;
  std::string template_key;
  std::string channel_kind = "email";  // email | sms | wecom | dingtalk | feishu
  // candidate: the candidate's e-mail or phone; hr: every active HR user's e-mail; manager:
  // the e-mail of every active manager of the application's department. Group robots (wecom,
  // dingtalk, feishu) post once to their group whoever the recipient is.
  std::string recipient = "candidate";
  std::string idempotency_key;  // the base key; a per-recipient suffix is added for users
  std::string language = "zh";
  // Values the records do not hold, e.g. interview_link, next_round_time. Without a
  // next_round_time / next_round_location the text says HR will confirm them (and no calendar
  // invitation is attached unless `calendar` is given).
  Variables extra;
  std::optional<CalendarEvent> calendar;
};

// Returns the delivery ids (existing ones for keys seen before). Errors: kNotFound for an
// unknown application; kInvalidArgument when the candidate has no address for the channel or
// the template needs a value that is missing (permanent: retrying cannot fix it).
Result<std::vector<std::string>> EnqueueApplicationMessage(storage::Tx& tx,
                                                           const security::FieldCipher& cipher,
                                                           const NotifySettings& settings,
                                                           const ApplicationMessage& message);

// English labels of the pipeline stages ("second_round" -> "Second round").
std::string StageLabelEn(std::string_view stage);

}  // namespace zm::notify
