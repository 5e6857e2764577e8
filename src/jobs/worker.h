// Workers: a registry of handlers by job kind and a pool of threads that claim jobs, run
// their handler, and complete, fail or release them.
//
// A handler returns Ok (the job is done) or an error. Errors are retryable unless the
// handler says otherwise: kInvalidArgument, kNotFound, kPermissionDenied, kUnauthenticated and
// kPayloadTooLarge are permanent (the job goes dead at once, reason kept), as is any error whose
// reason is "permanent". Everything else (kUnavailable: a receiver is down, kInternal ...) is
// retried with exponential backoff until max_attempts.
//
// Thread safety: Registry is filled before the pool starts and read-only afterwards. Handlers
// run concurrently on the pool's threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "jobs/queue.h"
#include "storage/database.h"

namespace zm::jobs {

class JobContext {
 public:
  JobContext(Queue& queue, JobRecord job, std::string worker_id, int64_t lease_ms,
             const std::atomic<bool>& stopping)
      : queue_(queue),
        job_(std::move(job)),
        worker_id_(std::move(worker_id)),
        lease_ms_(lease_ms),
        stopping_(stopping) {}

  const JobRecord& job() const { return job_; }
  const std::string& worker_id() const { return worker_id_; }
  storage::Database& db() { return queue_.db(); }

  // Marks the job done inside `tx`, so a database effect and the completion commit together
  // and a worker that lost its lease (another worker reclaimed the job) rolls its effect back
  // (kConflict "lease_lost"). Call it last in the handler's transaction.
  Status CompleteIn(storage::Tx& tx);
  bool completed() const { return completed_; }
  // Extends the lease (the pool also renews leases of running jobs in the background).
  Status RenewLease() { return queue_.RenewLease(job_.id, worker_id_, lease_ms_); }
  // True when the pool is stopping: a long handler should return an error with reason
  // "shutting_down"; the job is then released, not failed.
  bool StopRequested() const { return stopping_.load(); }

 private:
  Queue& queue_;
  JobRecord job_;
  std::string worker_id_;
  int64_t lease_ms_;
  const std::atomic<bool>& stopping_;
  bool completed_ = false;
};

using JobHandler = std::function<Status(JobContext&)>;

class Registry {
 public:
  // Replaces an earlier handler of the same kind.
  void Register(const std::string& kind, JobHandler handler) {
    handlers_[kind] = std::move(handler);
  }
  const JobHandler* Find(const std::string& kind) const {
    auto it = handlers_.find(kind);
    return it == handlers_.end() ? nullptr : &it->second;
  }
  std::vector<std::string> Kinds() const {
    std::vector<std::string> out;
    for (const auto& [k, _] : handlers_) out.push_back(k);
    return out;
  }
  bool empty() const { return handlers_.empty(); }

 private:
  std::map<std::string, JobHandler> handlers_;
};

// True when a handler error should be retried (see the file comment).
bool IsRetryable(const Error& e);

struct WorkerOptions {
  int threads = 1;
  int64_t lease_ms = 60000;     // renewed every lease_ms / 3 while the handler runs
  int64_t poll_ms = 500;        // sleep between claims when idle (a local enqueue wakes earlier)
  std::string name = "worker";  // worker ids are "<name>-<host>-<pid>-<n>"
};

struct WorkerStats {
  int64_t done = 0, retried = 0, dead = 0, released = 0, lease_lost = 0;
};

// Threads claiming the registry's kinds. Start() once; Stop() (or the destructor) stops
// claiming, lets running handlers finish (they see StopRequested()) and releases a job whose
// handler asked to stop. The queue, registry and database must outlive the pool.
class WorkerPool {
 public:
  WorkerPool(Queue& queue, const Registry& registry, WorkerOptions options);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Start();
  // Blocks until every thread has finished its current job and exited.
  void Stop();
  WorkerStats Stats() const;
  const WorkerOptions& options() const { return options_; }

 private:
  struct Impl;
  void Loop(int index);
  void RenewLoop();
  void RunOne(const std::string& worker_id, JobRecord job);

  Queue& queue_;
  const Registry& registry_;
  WorkerOptions options_;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<Impl> impl_;
  std::vector<std::thread> threads_;
  std::thread renewer_;
};

}  // namespace zm::jobs
