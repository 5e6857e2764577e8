// The durable job queue: rows of the background_jobs table (migration 4), on SQLite and on
// PostgreSQL through the storage port.
//
// Delivery is at least once: a job whose worker dies is claimed again after its lease expires.
// Handlers make their effects happen once with idempotency keys (messages, webhooks) or by
// writing their database effect and the completion in one transaction (JobContext::CompleteIn).
//
// Payloads are JSON objects carrying ids only (interview id, rule id ...), never personal data:
// they are stored in clear and shown to admins by the jobs API. Enqueue refuses nothing on that
// ground; it is the producers' contract.
//
// Thread safety: the free functions run inside the caller's transaction; Queue is thread-safe
// (it only holds a reference to the thread-safe Database, which must outlive it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "storage/database.h"
#include "storage/page.h"

namespace zm::jobs {

enum class JobState { kQueued, kRunning, kDone, kDead };
std::string_view ToString(JobState s);
std::optional<JobState> ParseJobState(std::string_view s);

inline constexpr int kDefaultMaxAttempts = 8;
inline constexpr size_t kMaxKindChars = 100;
inline constexpr size_t kMaxIdempotencyKeyChars = 200;
inline constexpr size_t kMaxPayloadChars = 16 * 1024;

struct NewJob {
  std::string kind;          // "interview.completed", "notify.email" ...: [a-z0-9._-], 1..100
  std::string payload_json;  // a JSON object (ids only); "" means {}
  // Unique across all jobs. Empty: the new job's id (no deduplication).
  std::string idempotency_key;
  int max_attempts = kDefaultMaxAttempts;  // 1..100
  std::optional<int64_t> run_at;           // Unix ms; default now
};

struct EnqueueResult {
  std::string id;
  bool created = false;  // false: the idempotency key was taken; id is the existing job's
};

struct JobRecord {
  std::string id, kind, payload_json, idempotency_key;
  JobState state = JobState::kQueued;
  int attempts = 0, max_attempts = kDefaultMaxAttempts;
  int64_t run_at = 0;
  std::optional<std::string> lease_owner;
  std::optional<int64_t> lease_expires_at;
  std::optional<std::string> last_error;
  int64_t created_at = 0, updated_at = 0;
  std::optional<int64_t> finished_at;
};

// Adds a job inside the caller's write transaction, so it commits or rolls back with the
// change that causes it (transactional outbox). A duplicate idempotency key returns the
// existing job (created = false) and adds nothing. Errors: kInvalidArgument for a bad kind,
// payload (not a JSON object, too long), key or max_attempts; storage errors otherwise.
// Wakes this process's idle workers (they see the job once the transaction commits).
Result<EnqueueResult> Enqueue(storage::Tx& tx, const NewJob& job);

// Wakes this process's workers waiting in their poll sleep. Thread-safe; never blocks.
void WakeLocalWorkers();

struct BackoffPolicy {
  int64_t base_ms = 2000;    // delay before the 2nd attempt (before jitter)
  int64_t max_ms = 3600000;  // cap of the delay
  double jitter = 0.5;       // the delay is d * (1 - jitter * U[0,1)), d = base * 2^(n-1)
};
// The delay after the `attempts`-th failed attempt (attempts >= 1), with jitter drawn from
// `unit` in [0, 1).
int64_t BackoffDelay(const BackoffPolicy& p, int attempts, double unit);

enum class FailKind { kRetryable, kPermanent };

struct JobFilter {
  std::optional<JobState> state;
  std::optional<std::string> kind;
};

struct QueueCounts {
  int64_t queued = 0, running = 0, done = 0, dead = 0;
};

class Queue {
 public:
  explicit Queue(storage::Database& db, BackoffPolicy backoff = {}) : db_(db), backoff_(backoff) {}

  // Enqueue in its own transaction.
  Result<EnqueueResult> Enqueue(const NewJob& job);

  // Claims the oldest due job of one of `kinds` (all kinds when empty): a queued job whose
  // run_at has come, or a running job whose lease expired (its worker died). The job becomes
  // running, owned by `worker_id` until now + lease_ms, with attempts + 1. Running jobs whose
  // lease expired after their last allowed attempt become dead ("lease expired ...") instead.
  // Two claimers never get the same job: PostgreSQL skips rows locked by another claimer
  // (FOR UPDATE SKIP LOCKED); SQLite runs the claim under its single writer. nullopt when
  // nothing is due.
  Result<std::optional<JobRecord>> Claim(const std::string& worker_id,
                                         const std::vector<std::string>& kinds, int64_t lease_ms);

  // The calls below act only while `worker_id` still holds the job's lease: kConflict
  // "lease_lost" otherwise (the lease expired and another worker claimed it, or an admin
  // changed it). They never change a job in another state.

  // running -> done.
  Status Complete(const std::string& id, const std::string& worker_id);
  // running -> queued with run_at = now + backoff (retryable, attempts left) or -> dead
  // (permanent, or the last attempt). `reason` is kept as last_error (no personal data; cut to
  // 1000 chars). Returns the new state.
  Result<JobState> Fail(const std::string& id, const std::string& worker_id, FailKind kind,
                        const std::string& reason);
  // running -> queued, due now, the attempt not counted (graceful shutdown).
  Status Release(const std::string& id, const std::string& worker_id);
  // Extends the lease to now + lease_ms (long jobs).
  Status RenewLease(const std::string& id, const std::string& worker_id, int64_t lease_ms);

  // Marks every queued job of `kind` done without running it, with `note` as last_error.
  // For events that describe history rather than news (the demo organisation's interviews).
  // Returns how many.
  Result<int64_t> SkipQueued(const std::string& kind, const std::string& note);

  Result<std::optional<JobRecord>> Get(const std::string& id);
  // Newest first.
  Result<storage::Page<JobRecord>> List(const JobFilter& filter, const storage::PageRequest& page);
  Result<QueueCounts> Counts();

  storage::Database& db() { return db_; }
  const BackoffPolicy& backoff() const { return backoff_; }

 private:
  storage::Database& db_;
  BackoffPolicy backoff_;
};

// In-transaction forms (the worker's CompleteIn and the admin retry use them).
Status CompleteInTx(storage::Tx& tx, const std::string& id, const std::string& worker_id);
Result<std::optional<JobRecord>> GetJob(storage::Tx& tx, const std::string& id);
// dead -> queued, due now, attempts reset to 0 (last_error kept). kNotFound for an unknown id,
// kConflict "not_dead" for a job in another state.
Result<JobRecord> RetryDeadJob(storage::Tx& tx, const std::string& id);

}  // namespace zm::jobs
