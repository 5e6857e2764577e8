#include "storage/postgres/postgres_database.h"

#include <libpq-fe.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "common/strings.h"

namespace zm::storage {
namespace {

// Type OIDs from the server's pg_type catalog (stable across versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kFloat8Oid = 701;

// A connection drops its prepared statements when it holds more than this many.
constexpr size_t kMaxCachedStatements = 256;

struct SqlHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
// Statement name by cache key (SQL text, NUL, one type letter per parameter).
using StatementCache = std::unordered_map<std::string, std::string, SqlHash, std::equal_to<>>;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

std::string TrimMessage(std::string_view s) { return std::string(Trim(s)); }

bool IsConnectionState(std::string_view state) {
  return state.starts_with("08") || state.starts_with("53") || state == "57P01" ||
         state == "57P02" || state == "57P03";
}

// Maps a failed libpq call (res may be null) to our error vocabulary.
Error PgError(PGconn* pg, const PGresult* res) {
  const char* state_c = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view state = state_c ? state_c : "";
  const char* primary_c = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string primary = TrimMessage(primary_c ? primary_c : PQerrorMessage(pg));
  if (state == "23505") {
    const char* constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
    return MakeError(ErrorCode::kConflict, "unique_violation",
                     std::string("unique constraint violated: ") + (constraint ? constraint : ""));
  }
  if (state == "23503") {
    return MakeError(ErrorCode::kConflict, "foreign_key_violation",
                     "foreign key constraint violated");
  }
  if (state == "40001" || state == "40P01") {
    return MakeError(ErrorCode::kUnavailable, "unavailable",
                     "transaction conflict (serialization failure or deadlock), retry");
  }
  if (state == "55P03" || state == "57014") {
    return MakeError(ErrorCode::kUnavailable, "unavailable",
                     "timed out waiting for a lock: " + primary);
  }
  if (PQstatus(pg) != CONNECTION_OK || IsConnectionState(state) || state.empty()) {
    return MakeError(ErrorCode::kUnavailable, "unavailable",
                     "PostgreSQL connection failed: " + primary);
  }
  std::string hint;
  if (state == "42P18") {
    hint = " (a `?` whose type the server cannot infer needs CAST(? AS TEXT) or CAST(? AS BIGINT))";
  } else if (state == "42883") {
    hint = " (integer parameters are bigint: write CAST(? AS INTEGER) where a function wants int)";
  }
  return MakeError(ErrorCode::kInternal, "internal",
                   "postgres " + std::string(state) + ": " + primary + hint);
}

// Runs a parameterless command through the simple protocol.
Status Command(PGconn* pg, const char* sql) {
  PgResult res(PQexec(pg, sql));
  if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
    return std::unexpected(PgError(pg, res.get()));
  }
  return Ok();
}

Status CheckTextParam(const std::string& s) {
  if (std::memchr(s.data(), '\0', s.size()) != nullptr) {
    return InvalidArgument("text contains a NUL byte");
  }
  if (!IsValidUtf8(s)) return InvalidArgument("text is not valid UTF-8");
  return Ok();
}

void FormatDouble(double d, std::string* out) {
  if (std::isnan(d)) {
    *out = "NaN";
  } else if (std::isinf(d)) {
    *out = d > 0 ? "Infinity" : "-Infinity";
  } else {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest exact form
    out->assign(buf, end);
  }
}

}  // namespace

std::string RewritePlaceholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  const size_t size = sql.size();
  size_t i = 0;
  while (i < size) {
    const char c = sql[i];
    const char next = i + 1 < size ? sql[i + 1] : '\0';
    if (c == '\'' || c == '"') {
      // Up to the closing quote; a doubled quote ('it''s') is read as two adjacent literals.
      size_t j = sql.find(c, i + 1);
      j = j == std::string_view::npos ? size : j + 1;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '-' && next == '-') {
      size_t j = sql.find('\n', i);
      j = j == std::string_view::npos ? size : j;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '/' && next == '*') {
      // PostgreSQL block comments nest.
      size_t j = i + 2;
      int depth = 1;
      while (j < size && depth > 0) {
        if (sql[j] == '/' && j + 1 < size && sql[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (sql[j] == '*' && j + 1 < size && sql[j + 1] == '/') {
          --depth;
          j += 2;
        } else {
          ++j;
        }
      }
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  if (count) *count = n;
  return out;
}

std::string RedactPostgresUrl(std::string_view url) {
  std::string out(url);
  const size_t scheme = out.find("://");
  if (scheme == std::string::npos) return out;
  const size_t auth_start = scheme + 3;
  size_t auth_end = out.find_first_of("/?#", auth_start);
  if (auth_end == std::string::npos) auth_end = out.size();
  const size_t at = out.rfind('@', auth_end == 0 ? 0 : auth_end - 1);
  if (at != std::string::npos && at >= auth_start) {
    const size_t colon = out.find(':', auth_start);
    if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
  }
  const size_t query = out.find('?');
  if (query == std::string::npos) return out;
  std::string kept;
  for (const std::string& param : Split(std::string_view(out).substr(query + 1), '&')) {
    if (param.empty() || param.starts_with("password=")) continue;
    kept += kept.empty() ? "?" : "&";
    kept += param;
  }
  out.erase(query);
  return out + kept;
}

// One libpq connection and its prepared statements. Used by one thread at a time.
struct PostgresDatabase::Connection {
  PGconn* pg = nullptr;
  StatementCache statements;
  uint64_t next_statement = 0;
  uint64_t generation = 0;

  ~Connection() {
    if (pg) PQfinish(pg);
  }

  // (Re)connects and configures the session; the statement cache starts empty.
  Status Connect(const std::string& url, const DatabaseOptions& options) {
    if (pg) PQfinish(pg);
    statements.clear();
    // Keywords before dbname are defaults: the expanded URL overrides them.
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {"10", "zhimian", url.c_str(), nullptr};
    pg = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (pg == nullptr) return Unavailable("cannot connect to PostgreSQL: out of memory");
    if (PQstatus(pg) != CONNECTION_OK) {
      std::string msg = TrimMessage(PQerrorMessage(pg));
      PQfinish(pg);
      pg = nullptr;
      return Unavailable("cannot connect to PostgreSQL: " + msg);
    }
    PQsetNoticeProcessor(
        pg, [](void*, const char*) {}, nullptr);
    const std::string setup = "SET client_min_messages = warning; SET lock_timeout = " +
                              std::to_string(options.busy_timeout_ms);
    if (auto st = Command(pg, setup.c_str()); !st) {
      PQfinish(pg);
      pg = nullptr;
      return Unavailable("cannot configure PostgreSQL session: " + st.error().message);
    }
    return Ok();
  }

  bool Healthy() const {
    return pg != nullptr && PQstatus(pg) == CONNECTION_OK &&
           PQtransactionStatus(pg) == PQTRANS_IDLE;
  }

  // Drops every prepared statement (outside or inside a healthy transaction).
  Status DropStatements() {
    statements.clear();
    return Command(pg, "DEALLOCATE ALL");
  }
};

// Returns the connection to the pool when it goes out of scope.
class PostgresDatabase::Lease {
 public:
  Lease(PostgresDatabase* owner, Connection* conn) : owner_(owner), conn_(conn) {}
  Lease(Lease&& other) noexcept
      : owner_(other.owner_), conn_(std::exchange(other.conn_, nullptr)) {}
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (conn_) owner_->Release(conn_);
  }
  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_; }
  // Gives up ownership: the caller returns the connection to the pool.
  Connection* Dismiss() { return std::exchange(conn_, nullptr); }

 private:
  PostgresDatabase* owner_;
  Connection* conn_;
};

namespace {

// A transaction on one leased connection.
class PgTx final : public Tx {
 public:
  PgTx(PGconn* pg, StatementCache* cache, uint64_t* next_statement,
       std::atomic<uint64_t>* schema_generation, uint64_t* conn_generation, bool write)
      : pg_(pg),
        cache_(cache),
        next_statement_(next_statement),
        schema_generation_(schema_generation),
        conn_generation_(conn_generation),
        write_(write) {}

  Dialect dialect() const override { return Dialect::kPostgres; }

  Result<QueryResult> Query(std::string_view sql, const std::vector<Value>& params) override {
    ZM_ASSIGN_OR_RETURN(PgResult res, Execute(sql, params));
    QueryResult out;
    const int ncols = PQnfields(res.get());
    const int nrows = PQntuples(res.get());
    std::vector<bool> is_bool(ncols);
    out.columns.reserve(ncols);
    for (int c = 0; c < ncols; ++c) {
      out.columns.emplace_back(PQfname(res.get(), c));
      is_bool[c] = PQftype(res.get(), c) == kBoolOid;
    }
    out.rows.reserve(nrows);
    for (int r = 0; r < nrows; ++r) {
      std::vector<std::optional<std::string>> cells;
      cells.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res.get(), r, c)) {
          cells.emplace_back(std::nullopt);
        } else if (is_bool[c]) {
          // "t"/"f" -> "1"/"0": booleans read the same as on SQLite.
          cells.emplace_back(PQgetvalue(res.get(), r, c)[0] == 't' ? "1" : "0");
        } else {
          cells.emplace_back(
              std::string(PQgetvalue(res.get(), r, c), PQgetlength(res.get(), r, c)));
        }
      }
      out.rows.emplace_back(std::move(cells));
    }
    return out;
  }

  Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    ZM_ASSIGN_OR_RETURN(PgResult res, Execute(sql, params));
    std::string_view tuples = PQcmdTuples(res.get());
    int64_t n = 0;
    std::from_chars(tuples.data(), tuples.data() + tuples.size(), n);
    return n;
  }

  Status ExecScript(std::string_view sql) override {
    ZM_RETURN_IF_ERROR(CheckUsable());
    std::string text(sql);
    PgResult res(PQexec(pg_, text.c_str()));
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
      return Abort(PgError(pg_, res.get()));
    }
    if (write_) {
      // DDL may change the result types of cached statements ("cached plan must not change
      // result type"): drop this connection's statements now and the others' at next lease.
      *conn_generation_ = ++*schema_generation_;
      cache_->clear();
      if (auto st = Command(pg_, "DEALLOCATE ALL"); !st) return Abort(st.error());
    }
    return Ok();
  }

  const std::optional<Error>& failure() const { return failure_; }

 private:
  std::unexpected<Error> Abort(Error e) {
    if (!failure_) failure_ = e;
    return std::unexpected(std::move(e));
  }

  Status CheckUsable() const {
    if (failure_) {
      return Internal("transaction aborted by an earlier error (" + failure_->reason + ")");
    }
    return Ok();
  }

  // Prepares (once per connection) and runs `sql` with `params`.
  Result<PgResult> Execute(std::string_view sql, const std::vector<Value>& params) {
    ZM_RETURN_IF_ERROR(CheckUsable());
    const size_t n = params.size();
    std::string key;
    key.reserve(sql.size() + 1 + n);
    key.append(sql);
    key.push_back('\0');
    std::vector<Oid> types(n, 0);
    std::vector<std::string> numbers(n);
    std::vector<const char*> values(n, nullptr);
    for (size_t i = 0; i < n; ++i) {
      const Value& v = params[i];
      if (auto* k = std::get_if<int64_t>(&v)) {
        types[i] = kInt8Oid;
        key.push_back('i');
        char buf[24];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *k);
        numbers[i].assign(buf, end);
        values[i] = numbers[i].c_str();
      } else if (auto* d = std::get_if<double>(&v)) {
        types[i] = kFloat8Oid;
        key.push_back('d');
        FormatDouble(*d, &numbers[i]);
        values[i] = numbers[i].c_str();
      } else if (auto* s = std::get_if<std::string>(&v)) {
        if (auto st = CheckTextParam(*s); !st) return Abort(st.error());
        key.push_back('u');
        values[i] = s->c_str();
      } else {
        key.push_back('u');  // NULL: values[i] stays nullptr
      }
    }

    const std::string* name = nullptr;
    if (auto it = cache_->find(key); it != cache_->end()) {
      name = &it->second;
    } else {
      int placeholders = 0;
      const std::string rewritten = RewritePlaceholders(sql, &placeholders);
      if (placeholders != static_cast<int>(n)) {
        return Abort(MakeError(ErrorCode::kInternal, "internal",
                               "statement has " + std::to_string(placeholders) +
                                   " placeholders but " + std::to_string(n) +
                                   " parameters were given"));
      }
      if (cache_->size() >= kMaxCachedStatements) {
        cache_->clear();
        if (auto st = Command(pg_, "DEALLOCATE ALL"); !st) return Abort(st.error());
      }
      std::string stmt_name = "zm_" + std::to_string(++*next_statement_);
      PgResult prepared(
          PQprepare(pg_, stmt_name.c_str(), rewritten.c_str(), static_cast<int>(n), types.data()));
      if (!prepared || PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
        return Abort(PgError(pg_, prepared.get()));
      }
      name = &cache_->emplace(std::move(key), std::move(stmt_name)).first->second;
    }

    PgResult res(PQexecPrepared(pg_, name->c_str(), static_cast<int>(n), values.data(), nullptr,
                                nullptr, /*resultFormat=*/0));
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      const char* state = res ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : nullptr;
      const char* message = res ? PQresultErrorField(res.get(), PG_DIAG_MESSAGE_PRIMARY) : nullptr;
      const bool stale_plan = state && message && std::strcmp(state, "0A000") == 0 &&
                              std::strstr(message, "cached plan") != nullptr;
      if (stale_plan || (state && std::strcmp(state, "26000") == 0)) {
        // "cached plan must not change result type" after DDL by another process, or a
        // statement deallocated behind our back: drop the cache at the next lease; a retry
        // of the transaction succeeds.
        *conn_generation_ = ~uint64_t{0};
        return Abort(MakeError(ErrorCode::kUnavailable, "unavailable",
                               "the database schema changed under a cached statement, retry"));
      }
      return Abort(PgError(pg_, res.get()));
    }
    return res;
  }

  PGconn* pg_;
  StatementCache* cache_;
  uint64_t* next_statement_;
  std::atomic<uint64_t>* schema_generation_;
  uint64_t* conn_generation_;
  bool write_;
  std::optional<Error> failure_;
};

}  // namespace

PostgresDatabase::PostgresDatabase(std::string url, DatabaseOptions options)
    : url_(std::move(url)), options_(options) {}

PostgresDatabase::~PostgresDatabase() = default;

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(const std::string& url,
                                                                 const DatabaseOptions& options) {
  if (options.pool_size < 1) return InvalidArgument("database pool_size must be at least 1");
  std::unique_ptr<PostgresDatabase> db(new PostgresDatabase(url, options));
  for (int i = 0; i < options.pool_size; ++i) {
    db->connections_.push_back(std::make_unique<Connection>());
  }
  // The first connection proves the server is reachable and the credentials work.
  ZM_RETURN_IF_ERROR(db->connections_.front()->Connect(url, options));
  for (auto it = db->connections_.rbegin(); it != db->connections_.rend(); ++it) {
    db->idle_.push_back(it->get());  // the connected one is leased first
  }
  return db;
}

Result<PostgresDatabase::Connection*> PostgresDatabase::Acquire() {
  Connection* conn = nullptr;
  {
    std::unique_lock lock(pool_mu_);
    if (!pool_cv_.wait_for(lock, std::chrono::milliseconds(options_.busy_timeout_ms),
                           [&] { return !idle_.empty(); })) {
      return Unavailable("database connection pool exhausted");
    }
    conn = idle_.back();
    idle_.pop_back();
  }
  Lease lease(this, conn);  // returns it on failure
  if (!conn->Healthy()) {
    ZM_RETURN_IF_ERROR(conn->Connect(url_, options_));
    conn->generation = schema_generation_.load();
  }
  if (const uint64_t gen = schema_generation_.load(); conn->generation != gen) {
    if (auto st = conn->DropStatements(); !st) return std::unexpected(st.error());
    conn->generation = gen;
  }
  return lease.Dismiss();
}

void PostgresDatabase::Release(Connection* conn) {
  {
    std::lock_guard lock(pool_mu_);
    idle_.push_back(conn);
  }
  pool_cv_.notify_one();
}

Status PostgresDatabase::RunTransaction(bool write, const std::function<Status(Tx&)>& fn) {
  ZM_ASSIGN_OR_RETURN(Connection * raw, Acquire());
  Lease conn(this, raw);

  const char* begin = write ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                            : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
  if (auto st = Command(conn->pg, begin); !st) {
    // A server restart is only noticed on use: reconnect once, nothing has run yet.
    if (PQstatus(conn->pg) == CONNECTION_OK) return st;
    ZM_RETURN_IF_ERROR(conn->Connect(url_, options_));
    conn->generation = schema_generation_.load();
    ZM_RETURN_IF_ERROR(Command(conn->pg, begin));
  }
  auto rollback = [&] {
    if (PQtransactionStatus(conn->pg) != PQTRANS_IDLE) (void)Command(conn->pg, "ROLLBACK");
  };

  PgTx tx(conn->pg, &conn->statements, &conn->next_statement, &schema_generation_,
          &conn->generation, write);
  Status status;
  try {
    status = fn(tx);
  } catch (...) {
    rollback();
    throw;
  }
  if (status && tx.failure()) status = std::unexpected(*tx.failure());
  if (!status) {
    rollback();
    return status;
  }
  PgResult res(PQexec(conn->pg, "COMMIT"));
  if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
    Error e = PgError(conn->pg, res.get());
    rollback();
    return Fail(std::move(e));
  }
  if (std::strcmp(PQcmdStatus(res.get()), "COMMIT") != 0) {
    return Internal("PostgreSQL rolled the transaction back at COMMIT");
  }
  return Ok();
}

Status PostgresDatabase::Write(const std::function<Status(Tx&)>& fn) {
  return RunTransaction(true, fn);
}

Status PostgresDatabase::Read(const std::function<Status(Tx&)>& fn) {
  return RunTransaction(false, fn);
}

Status PostgresDatabase::Backup(const std::string&) {
  return InvalidArgument("use pg_dump for PostgreSQL backups: pg_dump '" + RedactPostgresUrl(url_) +
                         "' > backup.sql");
}

}  // namespace zm::storage
