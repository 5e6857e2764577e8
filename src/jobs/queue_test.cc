// The job queue's contract (queue.h, worker.h) on SQLite and on PostgreSQL (ZHIMIAN_TEST_PG_URL;
// skipped with a message without it): idempotent enqueue inside a caller's transaction, claims
// that never hand one job to two workers, lease expiry, backoff, dead letters, release, retry,
// and the worker pool.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "common/time.h"
#include "jobs/admin.h"
#include "jobs/queue.h"
#include "jobs/worker.h"
#include "security/audit_log.h"
#include "storage/contract_test_support.h"
#include "storage/migrations.h"

namespace zm::jobs {
namespace {

namespace fs = std::filesystem;
using namespace zm::storage::testing;  // NOLINT: test scaffolding
using storage::Database;
using storage::Tx;

class QueueTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      base_url_ = PgTestUrl();
      if (base_url_.empty()) GTEST_SKIP() << kPgSkipMessage;
      auto schema = CreatePgSchema(base_url_, "zm_jobs_test_", &url_);
      ASSERT_OK(schema);
      schema_ = *schema;
    } else {
      dir_ = fs::temp_directory_path() / ("zm_jobs_test_" + UniqueSuffix());
      url_ = "sqlite:" + (dir_ / "zhimian.db").string();
    }
    auto db = Database::Open(url_, {.pool_size = 12});
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_OK(storage::Migrate(*db_));
    queue_ = std::make_unique<Queue>(*db_, BackoffPolicy{.base_ms = 1000, .max_ms = 60000});
  }
  void TearDown() override {
    queue_.reset();
    db_.reset();
    if (!schema_.empty()) DropPgSchema(base_url_, schema_);
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  std::string Add(const std::string& kind, const std::string& key = "", int max_attempts = 8) {
    auto r = queue_->Enqueue({.kind = kind,
                              .payload_json = R"({"interview_id":"01J0000000000000000000000A"})",
                              .idempotency_key = key,
                              .max_attempts = max_attempts});
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? r->id : "";
  }
  JobRecord MustGet(const std::string& id) {
    auto j = queue_->Get(id);
    EXPECT_TRUE(j && *j);
    return j && *j ? **j : JobRecord{};
  }
  int64_t CountJobs() {
    return *db_->ReadValue<int64_t>([](Tx& tx) -> Result<int64_t> {
      ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM background_jobs"));
      return row->Int(0);
    });
  }

  std::string base_url_, url_, schema_;
  fs::path dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Queue> queue_;
};

TEST_P(QueueTest, EnqueueClaimComplete) {
  int64_t before = NowMillis();
  std::string id = Add("interview.completed", "interview.completed:A");
  auto c = queue_->Claim("w1", {"interview.completed"}, 30000);
  ASSERT_OK(c);
  ASSERT_TRUE(c->has_value());
  const JobRecord& j = **c;
  EXPECT_EQ(j.id, id);
  EXPECT_EQ(j.kind, "interview.completed");
  EXPECT_EQ(j.payload_json, R"({"interview_id":"01J0000000000000000000000A"})");
  EXPECT_EQ(j.idempotency_key, "interview.completed:A");
  EXPECT_EQ(j.state, JobState::kRunning);
  EXPECT_EQ(j.attempts, 1);
  EXPECT_EQ(j.lease_owner, "w1");
  ASSERT_TRUE(j.lease_expires_at);
  EXPECT_GE(*j.lease_expires_at, before + 30000);
  // Nothing else is due.
  auto none = queue_->Claim("w2", {}, 30000);
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
  ASSERT_OK(queue_->Complete(id, "w1"));
  auto done = MustGet(id);
  EXPECT_EQ(done.state, JobState::kDone);
  EXPECT_TRUE(done.finished_at);
  EXPECT_FALSE(done.lease_owner);
  // Completing twice, or by another worker, is refused and changes nothing.
  auto again = queue_->Complete(id, "w1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().reason, "lease_lost");
}

TEST_P(QueueTest, DuplicateIdempotencyKeyReturnsTheExistingJob) {
  auto a = queue_->Enqueue({.kind = "notify.email", .idempotency_key = "rule-1:event-9"});
  auto b = queue_->Enqueue({.kind = "notify.email", .idempotency_key = "rule-1:event-9"});
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_TRUE(a->created);
  EXPECT_FALSE(b->created);
  EXPECT_EQ(a->id, b->id);
  EXPECT_EQ(CountJobs(), 1);
  // Inside one transaction too.
  ASSERT_OK(db_->Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto x, Enqueue(tx, {.kind = "notify.email", .idempotency_key = "k2"}));
    ZM_ASSIGN_OR_RETURN(auto y, Enqueue(tx, {.kind = "notify.email", .idempotency_key = "k2"}));
    EXPECT_EQ(x.id, y.id);
    EXPECT_FALSE(y.created);
    return Ok();
  }));
  EXPECT_EQ(CountJobs(), 2);
}

TEST_P(QueueTest, EnqueueRollsBackWithTheCallersTransaction) {
  auto st = db_->Write([&](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(Enqueue(tx, {.kind = "interview.completed", .idempotency_key = "x"}));
    return Conflict("later_step_failed", "the change that caused the event failed");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(CountJobs(), 0);
}

TEST_P(QueueTest, InvalidJobsAreRefused) {
  auto bad_kind = queue_->Enqueue({.kind = "Bad Kind"});
  ASSERT_FALSE(bad_kind);
  EXPECT_EQ(bad_kind.error().code, ErrorCode::kInvalidArgument);
  auto bad_payload = queue_->Enqueue({.kind = "a.b", .payload_json = "[1,2]"});
  ASSERT_FALSE(bad_payload);
  EXPECT_EQ(bad_payload.error().details.at(0).field, "payload");
  auto bad_attempts = queue_->Enqueue({.kind = "a.b", .max_attempts = 0});
  ASSERT_FALSE(bad_attempts);
  EXPECT_EQ(CountJobs(), 0);
}

TEST_P(QueueTest, ConcurrentClaimersNeverGetTheSameJob) {
  constexpr int kJobs = 120;
  for (int i = 0; i < kJobs; ++i) Add("bench.noop");
  std::mutex mu;
  std::vector<std::string> claimed;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::string worker = "w" + std::to_string(t);
      int empty = 0;
      while (empty < 3) {
        auto c = queue_->Claim(worker, {"bench.noop"}, 60000);
        if (!c) {
          ++errors;
          continue;
        }
        if (!*c) {
          ++empty;
          continue;
        }
        empty = 0;
        {
          std::lock_guard lock(mu);
          claimed.push_back((*c)->id);
        }
        if (!queue_->Complete((*c)->id, worker)) ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  std::set<std::string> unique(claimed.begin(), claimed.end());
  EXPECT_EQ(unique.size(), claimed.size()) << "a job was claimed twice";
  EXPECT_EQ(static_cast<int>(claimed.size()), kJobs);
  auto counts = queue_->Counts();
  ASSERT_OK(counts);
  EXPECT_EQ(counts->done, kJobs);
}

TEST_P(QueueTest, ExpiredLeaseIsClaimedAgainAndTheOldOwnerIsLockedOut) {
  std::string id = Add("interview.completed");
  auto first = queue_->Claim("dead-worker", {}, 150);
  ASSERT_OK(first);
  ASSERT_TRUE(first->has_value());
  auto early = queue_->Claim("w2", {}, 60000);
  ASSERT_OK(early);
  EXPECT_FALSE(early->has_value()) << "a live lease was stolen";
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  auto second = queue_->Claim("w2", {}, 60000);
  ASSERT_OK(second);
  ASSERT_TRUE(second->has_value());
  EXPECT_EQ((*second)->id, id);
  EXPECT_EQ((*second)->attempts, 2);
  EXPECT_EQ((*second)->lease_owner, "w2");
  // The first worker comes back: every call is refused; its effect in CompleteInTx rolls back.
  EXPECT_EQ(queue_->Complete(id, "dead-worker").error().reason, "lease_lost");
  EXPECT_EQ(queue_->RenewLease(id, "dead-worker", 1000).error().reason, "lease_lost");
  EXPECT_EQ(queue_->Release(id, "dead-worker").error().reason, "lease_lost");
  ASSERT_OK(queue_->Complete(id, "w2"));
}

TEST_P(QueueTest, RenewedLeaseIsNotReclaimed) {
  std::string id = Add("interview.completed");
  ASSERT_OK(queue_->Claim("w1", {}, 200));
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  ASSERT_OK(queue_->RenewLease(id, "w1", 60000));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  auto other = queue_->Claim("w2", {}, 60000);
  ASSERT_OK(other);
  EXPECT_FALSE(other->has_value());
}

TEST(BackoffTest, DoublesWithJitterUpToTheCap) {
  BackoffPolicy p{.base_ms = 1000, .max_ms = 10000, .jitter = 0.5};
  EXPECT_EQ(BackoffDelay(p, 1, 0.0), 1000);
  EXPECT_EQ(BackoffDelay(p, 2, 0.0), 2000);
  EXPECT_EQ(BackoffDelay(p, 3, 0.0), 4000);
  EXPECT_EQ(BackoffDelay(p, 4, 0.0), 8000);
  EXPECT_EQ(BackoffDelay(p, 5, 0.0), 10000);   // capped
  EXPECT_EQ(BackoffDelay(p, 60, 0.0), 10000);  // no overflow
  EXPECT_EQ(BackoffDelay(p, 3, 0.999999), 2000);
  EXPECT_EQ(BackoffDelay(p, 3, 0.5), 3000);
}

TEST_P(QueueTest, RetryableFailureIsScheduledWithBackoff) {
  std::string id = Add("notify.email");
  ASSERT_OK(queue_->Claim("w1", {}, 60000));
  int64_t before = NowMillis();
  auto st = queue_->Fail(id, "w1", FailKind::kRetryable, "smtp: connection refused");
  ASSERT_OK(st);
  EXPECT_EQ(*st, JobState::kQueued);
  auto j = MustGet(id);
  EXPECT_EQ(j.state, JobState::kQueued);
  EXPECT_EQ(j.attempts, 1);
  EXPECT_EQ(j.last_error, "smtp: connection refused");
  // base 1000 ms, jitter 0.5: due 500..1000 ms later.
  EXPECT_GE(j.run_at, before + 500);
  EXPECT_LE(j.run_at, NowMillis() + 1000);
  auto not_yet = queue_->Claim("w1", {}, 60000);
  ASSERT_OK(not_yet);
  EXPECT_FALSE(not_yet->has_value()) << "claimed before its backoff passed";
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto later = queue_->Claim("w1", {}, 60000);
  ASSERT_OK(later);
  ASSERT_TRUE(later->has_value());
  EXPECT_EQ((*later)->attempts, 2);
  // The second failure waits about twice as long.
  before = NowMillis();
  ASSERT_OK(queue_->Fail(id, "w1", FailKind::kRetryable, "smtp: timeout"));
  j = MustGet(id);
  EXPECT_GE(j.run_at, before + 1000);
  EXPECT_LE(j.run_at, NowMillis() + 2000);
}

TEST_P(QueueTest, DeadAfterMaxAttemptsKeepsTheReasonAndAnAdminCanRetry) {
  queue_ = std::make_unique<Queue>(*db_, BackoffPolicy{.base_ms = 0});
  std::string id = Add("webhook.deliver", "", 2);
  for (int i = 0; i < 2; ++i) {
    auto c = queue_->Claim("w1", {}, 60000);
    ASSERT_OK(c);
    ASSERT_TRUE(c->has_value()) << "attempt " << i + 1;
    auto st = queue_->Fail(id, "w1", FailKind::kRetryable, "receiver answered 503");
    ASSERT_OK(st);
    EXPECT_EQ(*st, i == 0 ? JobState::kQueued : JobState::kDead);
  }
  auto j = MustGet(id);
  EXPECT_EQ(j.state, JobState::kDead);
  EXPECT_EQ(j.attempts, 2);
  EXPECT_EQ(j.last_error, "receiver answered 503");
  EXPECT_TRUE(j.finished_at);
  auto none = queue_->Claim("w1", {}, 60000);
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value()) << "a dead job was claimed";

  JobsAdmin admin(*queue_);
  security::Context ctx;
  ctx.principal.kind = security::Principal::Kind::kUser;
  ctx.principal.id = "auditor-1";
  ctx.principal.permissions.set(static_cast<size_t>(security::Permission::kQueueRead));
  auto denied = admin.Retry(ctx, id);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  ctx.principal.permissions.set(static_cast<size_t>(security::Permission::kQueueManage));
  auto retried = admin.Retry(ctx, id);
  ASSERT_OK(retried);
  EXPECT_EQ(retried->state, JobState::kQueued);
  EXPECT_EQ(MustGet(id).attempts, 0);
  EXPECT_EQ(MustGet(id).last_error, "receiver answered 503");  // history kept
  auto again = admin.Retry(ctx, id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().reason, "not_dead");
  auto audit = db_->ReadValue<std::vector<security::AuditEntry>>(
      [&](Tx& tx) { return security::ListAudit(tx, {.target_id = id}); });
  ASSERT_OK(audit);
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ(audit->front().action, "job.retry");
  EXPECT_EQ(audit->front().actor_id, "auditor-1");
  auto c = queue_->Claim("w1", {}, 60000);
  ASSERT_OK(c);
  ASSERT_TRUE(c->has_value());
}

TEST_P(QueueTest, PermanentFailureIsDeadAtOnce) {
  std::string id = Add("notify.email");
  ASSERT_OK(queue_->Claim("w1", {}, 60000));
  auto st = queue_->Fail(id, "w1", FailKind::kPermanent, "template refers to a deleted job");
  ASSERT_OK(st);
  EXPECT_EQ(*st, JobState::kDead);
  EXPECT_EQ(MustGet(id).attempts, 1);
}

TEST_P(QueueTest, ReleaseRequeuesWithoutCountingTheAttempt) {
  std::string id = Add("notify.email");
  ASSERT_OK(queue_->Claim("w1", {}, 60000));
  ASSERT_OK(queue_->Release(id, "w1"));
  auto j = MustGet(id);
  EXPECT_EQ(j.state, JobState::kQueued);
  EXPECT_EQ(j.attempts, 0);
  EXPECT_FALSE(j.lease_owner);
  auto c = queue_->Claim("w2", {}, 60000);
  ASSERT_OK(c);
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->attempts, 1);
}

TEST_P(QueueTest, LeaseExpiringOnTheLastAttemptMakesTheJobDead) {
  std::string id = Add("notify.email", "", 1);
  ASSERT_OK(queue_->Claim("crashing-worker", {}, 100));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto c = queue_->Claim("w2", {}, 60000);
  ASSERT_OK(c);
  EXPECT_FALSE(c->has_value());
  auto j = MustGet(id);
  EXPECT_EQ(j.state, JobState::kDead);
  ASSERT_TRUE(j.last_error);
  EXPECT_NE(j.last_error->find("lease expired"), std::string::npos);
}

TEST_P(QueueTest, ClaimHonoursKindsAndRunAt) {
  auto later_job = queue_->Enqueue({.kind = "a.later", .run_at = NowMillis() + 60000});
  ASSERT_OK(later_job);
  std::string later = later_job->id;
  std::string other = Add("b.other");
  auto c = queue_->Claim("w1", {"a.later"}, 60000);
  ASSERT_OK(c);
  EXPECT_FALSE(c->has_value());
  c = queue_->Claim("w1", {"a.later", "b.other"}, 60000);
  ASSERT_OK(c);
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->id, other);
  EXPECT_EQ(MustGet(later).state, JobState::kQueued);
}

TEST_P(QueueTest, ListFiltersAndPages) {
  for (int i = 0; i < 5; ++i) Add("a.kind");
  for (int i = 0; i < 3; ++i) Add("b.kind");
  auto page = queue_->List({.kind = "a.kind"}, {.limit = 3});
  ASSERT_OK(page);
  EXPECT_EQ(page->items.size(), 3u);
  ASSERT_TRUE(page->next_cursor);
  auto rest = queue_->List({.kind = "a.kind"}, {.cursor = page->next_cursor, .limit = 3});
  ASSERT_OK(rest);
  EXPECT_EQ(rest->items.size(), 2u);
  EXPECT_FALSE(rest->next_cursor);
  EXPECT_GT(page->items[0].id, page->items[1].id);  // newest first
  auto queued = queue_->List({.state = JobState::kQueued}, {.limit = 50});
  ASSERT_OK(queued);
  EXPECT_EQ(queued->items.size(), 8u);
  auto done = queue_->List({.state = JobState::kDone}, {.limit = 50});
  ASSERT_OK(done);
  EXPECT_TRUE(done->items.empty());
}

// ---- the worker pool ----

TEST_P(QueueTest, WorkerPoolRunsRetriesAndCompletesInTheHandlersTransaction) {
  queue_ = std::make_unique<Queue>(*db_, BackoffPolicy{.base_ms = 10, .max_ms = 50});
  ASSERT_OK(db_->Write(
      [](Tx& tx) { return tx.ExecScript("CREATE TABLE effects (job_id TEXT PRIMARY KEY)"); }));
  std::atomic<int> calls{0}, flaky_calls{0}, bad_calls{0};
  Registry registry;
  registry.Register("test.effect", [&](JobContext& ctx) -> Status {
    ++calls;
    return ctx.db().Write([&](Tx& tx) -> Status {
      ZM_RETURN_IF_ERROR(tx.Exec("INSERT INTO effects (job_id) VALUES (?)", {ctx.job().id}));
      return ctx.CompleteIn(tx);
    });
  });
  registry.Register("test.flaky", [&](JobContext&) -> Status {
    if (++flaky_calls < 3) return Unavailable("receiver down");
    return Ok();
  });
  registry.Register("test.bad", [&](JobContext&) -> Status {
    ++bad_calls;
    return InvalidArgument("payload names no interview");
  });
  for (int i = 0; i < 20; ++i) Add("test.effect");
  std::string flaky = Add("test.flaky");
  std::string bad = Add("test.bad");
  std::string foreign = Add("not.registered");
  WorkerPool pool(*queue_, registry, {.threads = 2, .lease_ms = 5000, .poll_ms = 20});
  pool.Start();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    auto s = pool.Stats();
    if (s.done == 21 && s.dead == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pool.Stop();
  auto s = pool.Stats();
  EXPECT_EQ(s.done, 21);
  EXPECT_EQ(s.dead, 1);
  EXPECT_EQ(s.retried, 2);
  EXPECT_EQ(calls.load(), 20);
  EXPECT_EQ(flaky_calls.load(), 3);
  EXPECT_EQ(bad_calls.load(), 1);
  EXPECT_EQ(*db_->ReadValue<int64_t>([](Tx& tx) -> Result<int64_t> {
    ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM effects"));
    return row->Int(0);
  }),
            20);
  EXPECT_EQ(MustGet(flaky).state, JobState::kDone);
  EXPECT_EQ(MustGet(flaky).attempts, 3);
  EXPECT_EQ(MustGet(bad).state, JobState::kDead);
  EXPECT_EQ(MustGet(bad).last_error, "validation_failed: payload names no interview");
  EXPECT_EQ(MustGet(foreign).state, JobState::kQueued);  // no handler here: left for others
}

TEST_P(QueueTest, StoppingReleasesAJobWhoseHandlerAsksToStop) {
  std::atomic<bool> started{false};
  Registry registry;
  registry.Register("test.long", [&](JobContext& ctx) -> Status {
    started = true;
    while (!ctx.StopRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return Fail(MakeError(ErrorCode::kUnavailable, "shutting_down", "worker stopping"));
  });
  std::string id = Add("test.long");
  WorkerPool pool(*queue_, registry, {.threads = 1, .lease_ms = 5000, .poll_ms = 20});
  pool.Start();
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  pool.Stop();
  EXPECT_EQ(pool.Stats().released, 1);
  auto j = MustGet(id);
  EXPECT_EQ(j.state, JobState::kQueued);
  EXPECT_EQ(j.attempts, 0);
}

TEST_P(QueueTest, LongJobsKeepTheirLeaseWhileRunning) {
  std::atomic<bool> started{false}, finish{false};
  Registry registry;
  registry.Register("test.slow", [&](JobContext&) -> Status {
    started = true;
    while (!finish) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return Ok();
  });
  std::string id = Add("test.slow");
  WorkerPool pool(*queue_, registry, {.threads = 1, .lease_ms = 300, .poll_ms = 20});
  pool.Start();
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(800));  // well past one lease
  auto other = queue_->Claim("intruder", {}, 60000);
  ASSERT_OK(other);
  EXPECT_FALSE(other->has_value()) << "a running job's lease was not renewed";
  finish = true;
  pool.Stop();
  EXPECT_EQ(MustGet(id).state, JobState::kDone);
  EXPECT_EQ(MustGet(id).attempts, 1);
}

INSTANTIATE_TEST_SUITE_P(Adapters, QueueTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace zm::jobs
