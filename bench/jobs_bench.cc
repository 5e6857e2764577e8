// Job queue benchmark: N interview-completed events through a pool of workers.
//
//   build/src/jobs/jobs_bench [--db URL] [--jobs 10000] [--workers 2] [--producers 1] [--rate R]
//
// --rate 0 (default) enqueues as fast as the producers can: the drain throughput. --rate R paces
// the producers to R jobs/s in total, below capacity: the latency a single event sees.
// Producers enqueue `interview.completed`-shaped jobs (payload with two ids, idempotency key per
// interview) each in its own transaction while the workers drain them. Each job's handler does
// what the real one does to the database at minimum: one write transaction that reads the
// application row, records a firing row and completes the job in the same transaction. Prints
// throughput (jobs per second from the first enqueue to the last completion) and the
// enqueue-to-done latency percentiles (finished_at - created_at, ms). The database must be
// empty of background jobs (a fresh SQLite file by default).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "common/ids.h"
#include "common/log.h"
#include "common/time.h"
#include "jobs/queue.h"
#include "jobs/worker.h"
#include "storage/migrations.h"

using namespace zm;  // NOLINT: a benchmark program

int main(int argc, char** argv) {
  std::string url;
  int n = 10000, workers = 2, producers = 1;
  double rate = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--db") url = argv[i + 1];
    if (a == "--jobs") n = std::atoi(argv[i + 1]);
    if (a == "--workers") workers = std::atoi(argv[i + 1]);
    if (a == "--producers") producers = std::atoi(argv[i + 1]);
    if (a == "--rate") rate = std::atof(argv[i + 1]);
  }
  SetLogQuiet(true);
  std::filesystem::path dir;
  if (url.empty()) {
    dir = std::filesystem::temp_directory_path() / ("zm_jobs_bench_" + NewId());
    std::filesystem::create_directories(dir);
    url = "sqlite:" + (dir / "bench.db").string();
  }
  auto db = storage::Database::Open(url, {.pool_size = workers + producers + 4});
  if (!db) {
    std::fprintf(stderr, "open: %s\n", db.error().message.c_str());
    return 1;
  }
  if (auto m = storage::Migrate(**db); !m) {
    std::fprintf(stderr, "migrate: %s\n", m.error().message.c_str());
    return 1;
  }
  auto setup = (*db)->Write([](storage::Tx& tx) {
    return tx.ExecScript(
        "DROP TABLE IF EXISTS bench_firings; CREATE TABLE bench_firings (job_id TEXT PRIMARY "
        "KEY, interview_id TEXT NOT NULL, fired_at BIGINT NOT NULL); DELETE FROM "
        "background_jobs WHERE kind = 'interview.completed'");
  });
  if (!setup) {
    std::fprintf(stderr, "setup: %s\n", setup.error().message.c_str());
    return 1;
  }

  jobs::Queue queue(**db);
  jobs::Registry registry;
  std::atomic<int> handled{0};
  registry.Register("interview.completed", [&](jobs::JobContext& job) -> Status {
    return job.db().Write([&](storage::Tx& tx) -> Status {
      ZM_RETURN_IF_ERROR(tx.QueryOne("SELECT COUNT(*) FROM bench_firings WHERE interview_id = ?",
                                     {job.job().idempotency_key}));
      ZM_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO bench_firings (job_id, interview_id, fired_at) VALUES (?, ?, ?)",
                  {job.job().id, job.job().idempotency_key, NowMillis()}));
      ZM_RETURN_IF_ERROR(job.CompleteIn(tx));
      ++handled;
      return Ok();
    });
  });
  jobs::WorkerPool pool(queue, registry, {.threads = workers, .lease_ms = 60000, .poll_ms = 50});
  pool.Start();

  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> prod;
  std::atomic<int> failed{0};
  for (int p = 0; p < producers; ++p)
    prod.emplace_back([&, p] {
      for (int i = p; i < n; i += producers) {
        if (rate > 0)  // job i is due at t0 + i / rate
          std::this_thread::sleep_until(
              t0 + std::chrono::microseconds(static_cast<int64_t>(1e6 * i / rate)));
        std::string interview = NewId(), application = NewId();
        auto r = queue.Enqueue({.kind = "interview.completed",
                                .payload_json = R"({"interview_id":")" + interview +
                                                R"(","application_id":")" + application + "\"}",
                                .idempotency_key = "interview.completed:" + interview});
        if (!r) ++failed;
      }
    });
  for (auto& t : prod) t.join();
  auto t_enqueued = std::chrono::steady_clock::now();
  while (handled.load() < n - failed.load())
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto t1 = std::chrono::steady_clock::now();
  pool.Stop();

  auto lat =
      (*db)->ReadValue<std::vector<int64_t>>([](storage::Tx& tx) -> Result<std::vector<int64_t>> {
        ZM_ASSIGN_OR_RETURN(auto rows,
                            tx.Query("SELECT finished_at - created_at FROM background_jobs "
                                     "WHERE kind = 'interview.completed' AND state = "
                                     "'done'"));
        std::vector<int64_t> out;
        for (const auto& r : rows.rows) out.push_back(r.Int(0));
        return out;
      });
  if (!lat || lat->empty()) {
    std::fprintf(stderr, "no latencies\n");
    return 1;
  }
  std::sort(lat->begin(), lat->end());
  auto pct = [&](double q) {
    return (
        *lat)[std::min(lat->size() - 1, static_cast<size_t>(q * static_cast<double>(lat->size())))];
  };
  double secs = std::chrono::duration<double>(t1 - t0).count();
  double enq_secs = std::chrono::duration<double>(t_enqueued - t0).count();
  std::printf(
      "backend=%s jobs=%zu workers=%d producers=%d rate=%.0f/s failed_enqueues=%d\n"
      "enqueue: %.0f jobs/s (%.2f s)\n"
      "throughput (first enqueue -> last done): %.0f jobs/s (%.2f s)\n"
      "enqueue-to-done latency ms: p50=%lld p90=%lld p99=%lld max=%lld\n",
      (*db)->dialect() == storage::Dialect::kSqlite ? "sqlite" : "postgresql", lat->size(), workers,
      producers, rate, failed.load(), n / enq_secs, enq_secs,
      static_cast<double>(lat->size()) / secs, secs, static_cast<long long>(pct(0.5)),
      static_cast<long long>(pct(0.9)), static_cast<long long>(pct(0.99)),
      static_cast<long long>(lat->back()));
  db->reset();
  if (!dir.empty()) std::filesystem::remove_all(dir);
  return 0;
}
