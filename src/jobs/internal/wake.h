// The process-wide wake-up of idle workers (internal to jobs/). Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace zm::jobs::internal {

class Wake {
 public:
  // Bumps the generation and wakes every waiter.
  void Notify() {
    {
      std::lock_guard lock(mu_);
      ++generation_;
    }
    cv_.notify_all();
  }
  uint64_t Generation() {
    std::lock_guard lock(mu_);
    return generation_;
  }
  // Waits until the generation differs from `seen`, `stop()` is true (re-checked on
  // NotifyStop) or `timeout` passes. Returns the current generation.
  template <class Stop>
  uint64_t WaitFor(uint64_t seen, std::chrono::milliseconds timeout, Stop stop) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return generation_ != seen || stop(); });
    return generation_;
  }
  // Wakes waiters so they re-check their stop predicate.
  void NotifyStop() {
    { std::lock_guard lock(mu_); }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t generation_ = 0;
};

Wake& WakeSignal();

}  // namespace zm::jobs::internal
