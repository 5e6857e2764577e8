#include "jobs/worker.h"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>

#include "common/log.h"
#include "jobs/internal/wake.h"

namespace zm::jobs {

namespace internal {
Wake& WakeSignal() {
  static Wake* wake = new Wake();  // never destroyed: workers may outlive static destruction
  return *wake;
}
}  // namespace internal

Status JobContext::CompleteIn(storage::Tx& tx) {
  ZM_RETURN_IF_ERROR(CompleteInTx(tx, job_.id, worker_id_));
  completed_ = true;
  return Ok();
}

bool IsRetryable(const Error& e) {
  if (e.reason == "permanent") return false;
  switch (e.code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kPayloadTooLarge:
      return false;
    default:
      return true;
  }
}

struct WorkerPool::Impl {
  std::mutex mu;
  std::condition_variable renew_cv;
  std::map<std::string, std::string> running;  // job id -> worker id
  WorkerStats stats;
  bool started = false;
  bool threads_joined = false;  // set by Stop(): the renewer may exit
};

namespace {
std::string HostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "host";
  return buf;
}
}  // namespace

WorkerPool::WorkerPool(Queue& queue, const Registry& registry, WorkerOptions options)
    : queue_(queue),
      registry_(registry),
      options_(std::move(options)),
      impl_(std::make_unique<Impl>()) {
  if (options_.threads < 1) options_.threads = 1;
  if (options_.lease_ms < 100) options_.lease_ms = 100;
  if (options_.poll_ms < 1) options_.poll_ms = 1;
}

WorkerPool::~WorkerPool() { Stop(); }

void WorkerPool::Start() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->started) return;
    impl_->started = true;
  }
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this, i] { Loop(i); });
  renewer_ = std::thread([this] { RenewLoop(); });
}

void WorkerPool::Stop() {
  stopping_.store(true);
  internal::WakeSignal().NotifyStop();
  // Running handlers finish first (their leases are still renewed), then the renewer stops.
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
  {
    std::lock_guard lock(impl_->mu);
    impl_->threads_joined = true;
  }
  impl_->renew_cv.notify_all();
  if (renewer_.joinable()) renewer_.join();
}

WorkerStats WorkerPool::Stats() const {
  std::lock_guard lock(impl_->mu);
  return impl_->stats;
}

void WorkerPool::Loop(int index) {
  std::string worker_id = options_.name + "-" + HostName() + "-" + std::to_string(getpid()) + "-" +
                          std::to_string(index);
  auto kinds = registry_.Kinds();
  auto& wake = internal::WakeSignal();
  uint64_t seen = wake.Generation();
  bool woken = false;
  while (!stopping_.load()) {
    auto claimed = queue_.Claim(worker_id, kinds, options_.lease_ms);
    if (!claimed) {
      Log(LogLevel::kWarn, "job_claim_failed",
          {{"worker", worker_id}, {"reason", claimed.error().reason}});
    } else if (*claimed && stopping_.load()) {
      (void)queue_.Release((*claimed)->id, worker_id);  // claimed while stopping: hand it back
      break;
    } else if (*claimed) {
      RunOne(worker_id, std::move(**claimed));
      woken = false;
      continue;  // more may be due: claim again at once
    }
    // Nothing due. After a wake-up the enqueuing transaction may not have committed yet
    // (PostgreSQL does not make the claim wait for it): look again shortly.
    auto timeout = std::chrono::milliseconds(woken ? std::min<int64_t>(options_.poll_ms, 20)
                                                   : options_.poll_ms);
    uint64_t now_gen = wake.WaitFor(seen, timeout, [this] { return stopping_.load(); });
    woken = now_gen != seen;
    seen = now_gen;
  }
}

void WorkerPool::RunOne(const std::string& worker_id, JobRecord job) {
  {
    std::lock_guard lock(impl_->mu);
    impl_->running[job.id] = worker_id;
  }
  std::string id = job.id, kind = job.kind;
  Status st = Ok();
  bool completed = false;
  if (const JobHandler* handler = registry_.Find(kind)) {
    JobContext ctx(queue_, std::move(job), worker_id, options_.lease_ms, stopping_);
    try {
      st = (*handler)(ctx);
    } catch (const std::exception& e) {
      st = Internal(std::string("handler threw: ") + e.what());
    } catch (...) {
      st = Internal("handler threw");
    }
    completed = ctx.completed();
  } else {
    st = Fail(MakeError(ErrorCode::kInternal, "permanent", "no handler for kind " + kind));
  }
  {
    std::lock_guard lock(impl_->mu);
    impl_->running.erase(id);
  }

  auto count = [&](int64_t WorkerStats::*field) {
    std::lock_guard lock(impl_->mu);
    ++(impl_->stats.*field);
  };
  if (st) {
    if (completed) {
      count(&WorkerStats::done);
      return;
    }
    auto done = queue_.Complete(id, worker_id);
    if (done) {
      count(&WorkerStats::done);
    } else {
      count(&WorkerStats::lease_lost);
      Log(LogLevel::kWarn, "job_complete_failed",
          {{"job_id", id}, {"kind", kind}, {"reason", done.error().reason}});
    }
    return;
  }
  const Error& e = st.error();
  if (e.reason == "lease_lost") {
    count(&WorkerStats::lease_lost);
    Log(LogLevel::kWarn, "job_lease_lost", {{"job_id", id}, {"kind", kind}});
    return;
  }
  if (e.reason == "shutting_down" || (stopping_.load() && e.code == ErrorCode::kUnavailable)) {
    auto released = queue_.Release(id, worker_id);
    if (released) count(&WorkerStats::released);
    return;
  }
  // The reason kept on the job names the error, never the input (no personal data).
  std::string reason = e.reason.empty() ? e.message : e.reason + ": " + e.message;
  auto state = queue_.Fail(id, worker_id,
                           IsRetryable(e) ? FailKind::kRetryable : FailKind::kPermanent, reason);
  if (!state) {
    count(&WorkerStats::lease_lost);
    return;
  }
  if (*state == JobState::kDead) {
    count(&WorkerStats::dead);
    Log(LogLevel::kWarn, "job_dead", {{"job_id", id}, {"kind", kind}, {"reason", e.reason}});
  } else {
    count(&WorkerStats::retried);
    Log(LogLevel::kInfo, "job_retry_scheduled",
        {{"job_id", id}, {"kind", kind}, {"reason", e.reason}});
  }
}

void WorkerPool::RenewLoop() {
  auto period = std::chrono::milliseconds(std::max<int64_t>(options_.lease_ms / 3, 10));
  std::unique_lock lock(impl_->mu);
  auto finished = [&] { return impl_->threads_joined; };
  while (!finished()) {
    if (impl_->renew_cv.wait_for(lock, period, finished)) break;
    auto running = impl_->running;
    lock.unlock();
    for (const auto& [job_id, worker_id] : running) {
      auto st = queue_.RenewLease(job_id, worker_id, options_.lease_ms);
      if (!st && st.error().reason != "lease_lost")
        Log(LogLevel::kWarn, "job_lease_renew_failed",
            {{"job_id", job_id}, {"reason", st.error().reason}});
    }
    lock.lock();
  }
}

}  // namespace zm::jobs
