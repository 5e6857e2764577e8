#include "jobs/queue.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <random>

#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "common/time.h"
#include "jobs/internal/wake.h"

namespace zm::jobs {

using storage::Dialect;
using storage::Row;
using storage::Tx;
using storage::Value;

namespace {

constexpr std::string_view kColumns =
    "id, kind, payload, idempotency_key, state, attempts, max_attempts, run_at, lease_owner, "
    "lease_expires_at, last_error, created_at, updated_at, finished_at";

JobRecord FromRow(const Row& r) {
  JobRecord j;
  j.id = r.Text(0);
  j.kind = r.Text(1);
  j.payload_json = r.Text(2);
  j.idempotency_key = r.Text(3);
  j.state = ParseJobState(r.Text(4)).value_or(JobState::kQueued);
  j.attempts = static_cast<int>(r.Int(5));
  j.max_attempts = static_cast<int>(r.Int(6));
  j.run_at = r.Int(7);
  j.lease_owner = r.OptText(8);
  j.lease_expires_at = r.OptInt(9);
  j.last_error = r.OptText(10);
  j.created_at = r.Int(11);
  j.updated_at = r.Int(12);
  j.finished_at = r.OptInt(13);
  return j;
}

bool ValidKind(std::string_view k) {
  if (k.empty() || k.size() > kMaxKindChars) return false;
  return std::ranges::all_of(k, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

double UnitRandom() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}

std::string Cut(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  size_t end = n;
  // Do not split a UTF-8 sequence.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

std::unexpected<Error> LeaseLost(const std::string& id) {
  return Conflict("lease_lost", "job " + id + " is no longer held by this worker");
}

}  // namespace

std::string_view ToString(JobState s) {
  switch (s) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kDone:
      return "done";
    case JobState::kDead:
      return "dead";
  }
  return "queued";
}

std::optional<JobState> ParseJobState(std::string_view s) {
  for (auto st : {JobState::kQueued, JobState::kRunning, JobState::kDone, JobState::kDead})
    if (ToString(st) == s) return st;
  return std::nullopt;
}

int64_t BackoffDelay(const BackoffPolicy& p, int attempts, double unit) {
  int n = std::max(1, attempts);
  // 2^(n-1) saturates well before overflow: cap the exponent.
  double d = static_cast<double>(p.base_ms) * std::pow(2.0, std::min(n - 1, 40));
  d = std::min(d, static_cast<double>(p.max_ms));
  double jitter = std::clamp(p.jitter, 0.0, 1.0);
  return static_cast<int64_t>(d * (1.0 - jitter * std::clamp(unit, 0.0, 1.0)));
}

Result<EnqueueResult> Enqueue(Tx& tx, const NewJob& job) {
  std::vector<FieldError> errors;
  if (!ValidKind(job.kind)) errors.push_back({"kind", "1..100 characters of a-z 0-9 . _ -"});
  std::string payload = job.payload_json.empty() ? "{}" : job.payload_json;
  if (payload.size() > kMaxPayloadChars) {
    errors.push_back({"payload", "at most 16 KiB"});
  } else {
    auto parsed = nlohmann::json::parse(payload, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
      errors.push_back({"payload", "must be a JSON object"});
  }
  if (job.idempotency_key.size() > kMaxIdempotencyKeyChars)
    errors.push_back({"idempotency_key", "at most 200 characters"});
  if (job.max_attempts < 1 || job.max_attempts > 100)
    errors.push_back({"max_attempts", "must be 1..100"});
  if (!errors.empty()) return InvalidArgument("invalid job", std::move(errors));

  std::string id = NewId();
  std::string key = job.idempotency_key.empty() ? id : job.idempotency_key;
  int64_t now = NowMillis();
  // ON CONFLICT DO NOTHING: on PostgreSQL a concurrent insert of the same key waits for the
  // other transaction and then does nothing, so no unique violation aborts the caller's
  // transaction.
  ZM_ASSIGN_OR_RETURN(
      int64_t inserted,
      tx.Exec("INSERT INTO background_jobs (id, kind, payload, idempotency_key, state, attempts, "
              "max_attempts, run_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'queued', 0, ?, "
              "?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
              {id, job.kind, payload, key, int64_t{job.max_attempts}, job.run_at.value_or(now), now,
               now}));
  if (inserted == 1) {
    WakeLocalWorkers();
    return EnqueueResult{id, true};
  }
  ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM background_jobs WHERE "
                                            "idempotency_key = ?",
                                            {key}));
  if (!row) return Internal("idempotency key conflict without a row");
  return EnqueueResult{row->Text(0), false};
}

void WakeLocalWorkers() { internal::WakeSignal().Notify(); }

Result<EnqueueResult> Queue::Enqueue(const NewJob& job) {
  return db_.WriteValue<EnqueueResult>([&](Tx& tx) { return jobs::Enqueue(tx, job); });
}

Result<std::optional<JobRecord>> Queue::Claim(const std::string& worker_id,
                                              const std::vector<std::string>& kinds,
                                              int64_t lease_ms) {
  return db_.WriteValue<std::optional<JobRecord>>([&](Tx& tx) -> Result<std::optional<JobRecord>> {
    int64_t now = NowMillis();
    std::string kind_clause;
    std::vector<Value> kind_params;
    if (!kinds.empty()) {
      kind_clause = " AND kind IN (";
      for (size_t i = 0; i < kinds.size(); ++i) {
        kind_clause += i ? ", ?" : "?";
        kind_params.push_back(kinds[i]);
      }
      kind_clause += ")";
    }
    // Crash loops end: a job whose worker died during its last allowed attempt is dead.
    std::vector<Value> dead_params = {now, now, now};
    dead_params.insert(dead_params.end(), kind_params.begin(), kind_params.end());
    ZM_RETURN_IF_ERROR(
        tx.Exec("UPDATE background_jobs SET state = 'dead', finished_at = ?, updated_at = ?, "
                "lease_owner = NULL, lease_expires_at = NULL, last_error = 'lease expired during "
                "the last allowed attempt (worker stopped or crashed)' WHERE state = 'running' AND "
                "lease_expires_at <= ? AND attempts >= max_attempts" +
                    kind_clause,
                dead_params));

    std::string skip = tx.dialect() == Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
    // Two probes, each an index range (background_jobs_due, background_jobs_lease): due queued
    // jobs first, then running jobs whose lease expired. One OR-ed probe scans and sorts every
    // queued row on each claim (measured: 76 jobs/s on PostgreSQL with 10,000 queued).
    storage::QueryResult rows;
    for (std::string_view due : {std::string_view("state = 'queued' AND run_at <= ?"),
                                 std::string_view("state = 'running' AND lease_expires_at <= ?")}) {
      std::vector<Value> params = {worker_id, now + lease_ms, now, now};
      params.insert(params.end(), kind_params.begin(), kind_params.end());
      std::string order = due.starts_with("state = 'queued'") ? " ORDER BY run_at, id"
                                                              : " ORDER BY lease_expires_at, id";
      ZM_ASSIGN_OR_RETURN(
          rows, tx.Query("UPDATE background_jobs SET state = 'running', attempts = attempts + 1, "
                         "lease_owner = ?, lease_expires_at = ?, updated_at = ? WHERE id = (SELECT "
                         "id FROM background_jobs WHERE " +
                             std::string(due) + kind_clause + order + " LIMIT 1" + skip +
                             ") RETURNING " + std::string(kColumns),
                         params));
      if (!rows.rows.empty()) break;
    }
    if (rows.rows.empty()) return std::optional<JobRecord>{};
    return std::optional<JobRecord>{FromRow(rows.rows.front())};
  });
}

Status CompleteInTx(Tx& tx, const std::string& id, const std::string& worker_id) {
  int64_t now = NowMillis();
  ZM_ASSIGN_OR_RETURN(
      int64_t n, tx.Exec("UPDATE background_jobs SET state = 'done', finished_at = ?, updated_at = "
                         "?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND state = "
                         "'running' AND lease_owner = ?",
                         {now, now, id, worker_id}));
  if (n != 1) return LeaseLost(id);
  return Ok();
}

Status Queue::Complete(const std::string& id, const std::string& worker_id) {
  return db_.Write([&](Tx& tx) { return CompleteInTx(tx, id, worker_id); });
}

Result<JobState> Queue::Fail(const std::string& id, const std::string& worker_id, FailKind kind,
                             const std::string& reason) {
  return db_.WriteValue<JobState>([&](Tx& tx) -> Result<JobState> {
    ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT attempts, max_attempts FROM background_jobs "
                                              "WHERE id = ? AND state = 'running' AND "
                                              "lease_owner = ?" +
                                                  std::string(tx.ForUpdate()),
                                              {id, worker_id}));
    if (!row) return LeaseLost(id);
    int attempts = static_cast<int>(row->Int(0));
    int max_attempts = static_cast<int>(row->Int(1));
    int64_t now = NowMillis();
    std::string error = Cut(reason.empty() ? "failed" : reason, 1000);
    if (kind == FailKind::kPermanent || attempts >= max_attempts) {
      ZM_RETURN_IF_ERROR(
          tx.Exec("UPDATE background_jobs SET state = 'dead', finished_at = ?, updated_at = ?, "
                  "lease_owner = NULL, lease_expires_at = NULL, last_error = ? WHERE id = ?",
                  {now, now, error, id}));
      return JobState::kDead;
    }
    int64_t run_at = now + BackoffDelay(backoff_, attempts, UnitRandom());
    ZM_RETURN_IF_ERROR(
        tx.Exec("UPDATE background_jobs SET state = 'queued', run_at = ?, updated_at = ?, "
                "lease_owner = NULL, lease_expires_at = NULL, last_error = ? WHERE id = ?",
                {run_at, now, error, id}));
    return JobState::kQueued;
  });
}

Status Queue::Release(const std::string& id, const std::string& worker_id) {
  return db_.Write([&](Tx& tx) -> Status {
    int64_t now = NowMillis();
    ZM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.Exec("UPDATE background_jobs SET state = 'queued', attempts = CASE WHEN attempts > 0 "
                "THEN attempts - 1 ELSE 0 END, run_at = ?, updated_at = ?, lease_owner = NULL, "
                "lease_expires_at = NULL WHERE id = ? AND state = 'running' AND lease_owner = ?",
                {now, now, id, worker_id}));
    if (n != 1) return LeaseLost(id);
    return Ok();
  });
}

Status Queue::RenewLease(const std::string& id, const std::string& worker_id, int64_t lease_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    int64_t now = NowMillis();
    ZM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.Exec("UPDATE background_jobs SET lease_expires_at = ?, updated_at = ? WHERE id = ? AND "
                "state = 'running' AND lease_owner = ?",
                {now + lease_ms, now, id, worker_id}));
    if (n != 1) return LeaseLost(id);
    return Ok();
  });
}

Result<int64_t> Queue::SkipQueued(const std::string& kind, const std::string& note) {
  return db_.WriteValue<int64_t>([&](Tx& tx) {
    int64_t now = NowMillis();
    return tx.Exec(
        "UPDATE background_jobs SET state = 'done', finished_at = ?, updated_at = ?, last_error = "
        "? WHERE kind = ? AND state = 'queued'",
        {now, now, note, kind});
  });
}

Result<std::optional<JobRecord>> GetJob(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne("SELECT " + std::string(kColumns) + " FROM background_jobs WHERE id = ?", {id}));
  if (!row) return std::optional<JobRecord>{};
  return std::optional<JobRecord>{FromRow(*row)};
}

Result<std::optional<JobRecord>> Queue::Get(const std::string& id) {
  return db_.ReadValue<std::optional<JobRecord>>([&](Tx& tx) { return GetJob(tx, id); });
}

Result<storage::Page<JobRecord>> Queue::List(const JobFilter& filter,
                                             const storage::PageRequest& page) {
  return db_.ReadValue<storage::Page<JobRecord>>([&](Tx& tx) -> Result<storage::Page<JobRecord>> {
    std::string sql = "SELECT " + std::string(kColumns) + " FROM background_jobs WHERE 1 = 1";
    std::vector<Value> params;
    if (filter.state) {
      sql += " AND state = ?";
      params.emplace_back(std::string(ToString(*filter.state)));
    }
    if (filter.kind) {
      sql += " AND kind = ?";
      params.emplace_back(*filter.kind);
    }
    sql += storage::PageClause(page, "id", params);
    ZM_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    std::vector<JobRecord> items;
    items.reserve(rows.rows.size());
    for (const auto& r : rows.rows) items.push_back(FromRow(r));
    return storage::MakePage(std::move(items), page, [](const JobRecord& j) { return j.id; });
  });
}

Result<QueueCounts> Queue::Counts() {
  return db_.ReadValue<QueueCounts>([&](Tx& tx) -> Result<QueueCounts> {
    ZM_ASSIGN_OR_RETURN(auto rows,
                        tx.Query("SELECT state, COUNT(*) FROM background_jobs GROUP BY state"));
    QueueCounts c;
    for (const auto& r : rows.rows) {
      auto st = ParseJobState(r.Text(0));
      if (!st) continue;
      int64_t n = r.Int(1);
      switch (*st) {
        case JobState::kQueued:
          c.queued = n;
          break;
        case JobState::kRunning:
          c.running = n;
          break;
        case JobState::kDone:
          c.done = n;
          break;
        case JobState::kDead:
          c.dead = n;
          break;
      }
    }
    return c;
  });
}

Result<JobRecord> RetryDeadJob(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto job, GetJob(tx, id));
  if (!job) return NotFound("job");
  if (job->state != JobState::kDead)
    return Conflict("not_dead", "only dead jobs can be retried; this job is " +
                                    std::string(ToString(job->state)));
  int64_t now = NowMillis();
  ZM_ASSIGN_OR_RETURN(
      int64_t n,
      tx.Exec("UPDATE background_jobs SET state = 'queued', attempts = 0, run_at = ?, updated_at "
              "= ?, finished_at = NULL, lease_owner = NULL, lease_expires_at = NULL WHERE id = ? "
              "AND state = 'dead'",
              {now, now, id}));
  if (n != 1) return Conflict("not_dead", "the job changed meanwhile");
  job->state = JobState::kQueued;
  job->attempts = 0;
  job->run_at = now;
  job->updated_at = now;
  job->finished_at.reset();
  WakeLocalWorkers();
  return *job;
}

}  // namespace zm::jobs
