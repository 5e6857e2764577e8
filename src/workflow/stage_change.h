// One place for what a pipeline stage change causes, whoever makes it (a person in the console,
// a manager's decision, the interview engine, an automation rule). Everything is written in the
// caller's transaction, so it exists exactly when the change commits:
//  - the application's new stage and its audit entry (the actor is the context's principal);
//  - the webhook events application.stage_changed, plus candidate.hired on entering `hired`
//    and candidate.rejected on entering `rejected` (ids and stages only, no personal data);
//  - for changes not made by a rule, an "application.stage_entered" job that runs the job's
//    stage-entered rules (a rule's own moves run the chained rules inline instead).
// Thread-safe (stateless).
#pragma once

#include <string>

#include "common/result.h"
#include "security/principal.h"
#include "storage/database.h"
#include "storage/hiring_repository.h"

namespace zm::security {
class FieldCipher;
}

namespace zm::workflow {

inline constexpr char kStageEnteredJob[] = "application.stage_entered";

struct StageMove {
  std::string from, to;  // stage names
  // The audit entry's changes document (JSON text); empty: {"before":{"stage"},"after":{"stage"}}.
  std::string audit_changes;
  // Set by automation rules: the rule id (the event names it) and no stage_entered job.
  std::string rule_id;
};

// Writes the stage change of `app` (its stage must still be `change.from`) with its audit entry
// and events. Errors: storage errors; kNotFound when the application is gone.
Status RecordStageChange(storage::Tx& tx, const security::FieldCipher& cipher,
                         const security::Context& ctx, const storage::ApplicationRecord& app,
                         const StageMove& change);

// A webhook event about one application, in the caller's transaction: `data` gets
// application_id, candidate_id and job_id added. No subscribers: nothing is written.
Status EmitApplicationEvent(storage::Tx& tx, const security::FieldCipher& cipher,
                            const std::string& type, const storage::ApplicationRecord& app,
                            const std::string& data_json);

}  // namespace zm::workflow
