// The contract of the storage port (database.h), run on both adapters. The PostgreSQL
// instantiation needs ZHIMIAN_TEST_PG_URL (scripts/pg-test-cluster.sh start DIR prints one);
// each PostgreSQL test runs in a schema of its own that is dropped afterwards.
#include "storage/database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage/contract_test_support.h"
#include "storage/postgres/postgres_database.h"

namespace zm::storage {
namespace {

namespace fs = std::filesystem;

using namespace zm::storage::testing;  // NOLINT: test scaffolding

class DatabaseContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      base_url_ = PgTestUrl();
      if (base_url_.empty()) GTEST_SKIP() << kPgSkipMessage;
      auto schema = CreatePgSchema(base_url_, "zm_test_", &url_);
      ASSERT_OK(schema);
      schema_ = *schema;
    } else {
      dir_ = fs::temp_directory_path() / ("zm_database_test_" + UniqueSuffix());
      // The parent directory "data/" does not exist yet: Open must create it.
      url_ = "sqlite:" + (dir_ / "data" / "test.db").string();
    }
    db_ = OpenDb();
    ASSERT_NE(db_, nullptr);
  }

  void TearDown() override {
    db_.reset();
    if (!schema_.empty()) DropPgSchema(base_url_, schema_);
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  std::unique_ptr<Database> OpenDb(DatabaseOptions options = {}) {
    auto db = Database::Open(url_, options);
    EXPECT_TRUE(db) << db.error().message;
    return db ? std::move(*db) : nullptr;
  }

  bool IsPostgres() const { return GetParam() == Backend::kPostgres; }

  void CreateParentChild() {
    ASSERT_OK(db_->Write([](Tx& tx) {
      return tx.ExecScript(
          "CREATE TABLE parent (id BIGINT PRIMARY KEY, email TEXT NOT NULL UNIQUE);"
          "CREATE TABLE child (id BIGINT PRIMARY KEY,"
          "  parent_id BIGINT NOT NULL REFERENCES parent(id));");
    }));
  }

  int64_t Count(const std::string& table, Database* db = nullptr) {
    auto n = (db ? db : db_.get())->ReadValue<int64_t>([&](Tx& tx) -> Result<int64_t> {
      ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM " + table));
      return row->Int(0);
    });
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  }

  std::string base_url_;
  std::string schema_;
  fs::path dir_;
  std::string url_;
  std::unique_ptr<Database> db_;
};

TEST_P(DatabaseContractTest, DialectMatchesBackend) {
  EXPECT_EQ(db_->dialect(), IsPostgres() ? Dialect::kPostgres : Dialect::kSqlite);
  ASSERT_OK(db_->Read([&](Tx& tx) -> Status {
    EXPECT_EQ(tx.dialect(), db_->dialect());
    EXPECT_EQ(tx.ForUpdate(), IsPostgres() ? " FOR UPDATE" : "");
    return Ok();
  }));
}

TEST_P(DatabaseContractTest, PingOk) { ASSERT_OK(db_->Ping()); }

TEST_P(DatabaseContractTest, InsertAndSelectEveryValueType) {
  const std::string chinese = "候选人在回答如何处理生产线上的突发问题时，提到了团队协作。";
  const std::string tricky = "what? it's \"quoted?\" -- not a comment /* nor this */ ?";
  ASSERT_OK(db_->Write([&](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(tx.ExecScript(
        "CREATE TABLE item (id BIGINT PRIMARY KEY, n BIGINT, d DOUBLE PRECISION, s TEXT, "
        "opt TEXT)"));
    const std::string sql = "INSERT INTO item (id, n, d, s, opt) VALUES (?, ?, ?, ?, ?)";
    ZM_RETURN_IF_ERROR(
        tx.Exec(sql, {int64_t{1}, std::numeric_limits<int64_t>::max(), 0.1, chinese, Null{}}));
    ZM_RETURN_IF_ERROR(tx.Exec(
        sql, {int64_t{2}, std::numeric_limits<int64_t>::min(), -2.5e-7, tricky, std::string("x")}));
    ZM_RETURN_IF_ERROR(
        tx.Exec(sql, {int64_t{3}, int64_t{0}, 3.0, std::string(""), OptText(std::nullopt)}));
    ZM_RETURN_IF_ERROR(tx.Exec(sql, {int64_t{4}, OptInt(std::nullopt), 1e300,
                                     std::string("'; DROP TABLE item; --"), OptText("y")}));
    return Ok();
  }));

  ASSERT_OK(db_->Read([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto result, tx.Query("SELECT id, n, d, s, opt FROM item ORDER BY id"));
    EXPECT_EQ(result.columns, (std::vector<std::string>{"id", "n", "d", "s", "opt"}));
    EXPECT_EQ(result.rows.size(), 4u);
    if (result.rows.size() != 4) return Ok();
    const Row& r1 = result.rows[0];
    EXPECT_EQ(r1.size(), 5u);
    EXPECT_EQ(r1.Int(0), 1);
    EXPECT_EQ(r1.Int(1), std::numeric_limits<int64_t>::max());
    EXPECT_DOUBLE_EQ(r1.Double(2), 0.1);
    EXPECT_EQ(r1.Text(3), chinese);
    EXPECT_TRUE(r1.IsNull(4));
    EXPECT_EQ(r1.OptText(4), std::nullopt);
    EXPECT_EQ(r1.Text(4), "");

    const Row& r2 = result.rows[1];
    EXPECT_EQ(r2.Int(1), std::numeric_limits<int64_t>::min());
    EXPECT_DOUBLE_EQ(r2.Double(2), -2.5e-7);
    EXPECT_EQ(r2.Text(3), tricky);
    EXPECT_EQ(r2.OptText(4), "x");

    const Row& r3 = result.rows[2];
    EXPECT_EQ(r3.OptInt(1), 0);
    EXPECT_DOUBLE_EQ(r3.Double(2), 3.0);
    EXPECT_EQ(r3.Int(2), 3);  // "3" on PostgreSQL, "3.0" on SQLite: Int reads both
    EXPECT_FALSE(r3.IsNull(3));
    EXPECT_EQ(r3.Text(3), "");
    EXPECT_TRUE(r3.IsNull(4));

    const Row& r4 = result.rows[3];
    EXPECT_TRUE(r4.IsNull(1));
    EXPECT_EQ(r4.OptInt(1), std::nullopt);
    EXPECT_EQ(r4.Int(1), 0);
    EXPECT_DOUBLE_EQ(r4.Double(2), 1e300);
    EXPECT_EQ(r4.Text(3), "'; DROP TABLE item; --");
    return Ok();
  }));

  // Parameters bind in WHERE clauses too, Chinese text included.
  ASSERT_OK(db_->Read([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM item WHERE s = ?", {chinese}));
    EXPECT_TRUE(row.has_value());
    EXPECT_EQ(row ? row->Int(0) : -1, 1);
    ZM_ASSIGN_OR_RETURN(row, tx.QueryOne("SELECT id FROM item WHERE s = ?", {tricky}));
    EXPECT_EQ(row ? row->Int(0) : -1, 2);
    ZM_ASSIGN_OR_RETURN(row, tx.QueryOne("SELECT id FROM item WHERE n IS NULL"));
    EXPECT_EQ(row ? row->Int(0) : -1, 4);
    return Ok();
  }));
}

TEST_P(DatabaseContractTest, QuotedQuestionMarksAreNotPlaceholders) {
  ASSERT_OK(db_->Read([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT '?' AS a, 'it''s ?' AS b, ? AS c, \"x?\".v AS d -- why?\n"
                              "FROM (SELECT 'q?' AS v) AS \"x?\" /* really? */ WHERE 1 = ?",
                              {std::string("p?"), int64_t{1}}));
    EXPECT_TRUE(row.has_value());
    if (!row) return Ok();
    EXPECT_EQ(row->Text(0), "?");
    EXPECT_EQ(row->Text(1), "it's ?");
    EXPECT_EQ(row->Text(2), "p?");
    EXPECT_EQ(row->Text(3), "q?");
    return Ok();
  }));
}

TEST_P(DatabaseContractTest, QueryOneOnEmptyResultIsNullopt) {
  ASSERT_OK(db_->Write([](Tx& tx) { return tx.ExecScript("CREATE TABLE empty_t (id BIGINT)"); }));
  ASSERT_OK(db_->Read([](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM empty_t WHERE id = ?", {int64_t{7}}));
    EXPECT_FALSE(row.has_value());
    ZM_ASSIGN_OR_RETURN(auto all, tx.Query("SELECT id FROM empty_t"));
    EXPECT_TRUE(all.rows.empty());
    EXPECT_EQ(all.columns, std::vector<std::string>{"id"});
    return Ok();
  }));
}

TEST_P(DatabaseContractTest, BooleanExpressionsReadAsIntegers) {
  ASSERT_OK(db_->Read([](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto row,
                        tx.QueryOne("SELECT 1 = 1, 1 = 0, CAST(? AS TEXT) IS NULL", {Null{}}));
    EXPECT_TRUE(row.has_value());
    if (!row) return Ok();
    EXPECT_EQ(row->Text(0), "1");
    EXPECT_EQ(row->Text(1), "0");
    EXPECT_TRUE(row->Bool(0));
    EXPECT_FALSE(row->Bool(1));
    EXPECT_TRUE(row->Bool(2));
    return Ok();
  }));
}

// Portable parameter typing: on PostgreSQL integer parameters are bigint and strings/NULLs are
// inferred from their context, so a `?` with no context needs a CAST (which SQLite accepts too).
TEST_P(DatabaseContractTest, ParameterTypingIsPortable) {
  ASSERT_OK(db_->Write([](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(tx.ExecScript(
        "CREATE TABLE app (id BIGINT PRIMARY KEY, stage TEXT NOT NULL, created_at BIGINT, "
        "score INTEGER);"
        "INSERT INTO app VALUES (1, 'new', 1700000000000, 70), (2, 'hired', 1700000100000, 90)"));
    // INSERT ... SELECT with parameters in the select list (no column context).
    ZM_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO app (id, stage, created_at, score) SELECT ?, ?, ?, ? "
                "WHERE NOT EXISTS (SELECT 1 FROM app WHERE id = ?)",
                {int64_t{3}, "new", int64_t{1700000200000}, int64_t{50}, int64_t{3}}));
    return Ok();
  }));
  ASSERT_OK(db_->Read([](Tx& tx) -> Status {
    // Optional filter: NULL means "any stage".
    const std::string sql =
        "SELECT COUNT(*) FROM app WHERE (CAST(? AS TEXT) IS NULL OR stage = ?) "
        "AND created_at > ? - 86400000 AND score >= ?";
    ZM_ASSIGN_OR_RETURN(auto any,
                        tx.QueryOne(sql, {Null{}, Null{}, int64_t{1700000050000}, int64_t{0}}));
    EXPECT_EQ(any->Int(0), 3);
    ZM_ASSIGN_OR_RETURN(auto only_new,
                        tx.QueryOne(sql, {"new", "new", int64_t{1700000050000}, int64_t{60}}));
    EXPECT_EQ(only_new->Int(0), 1);
    // Doubles compare with integer columns; integer parameters go to int functions via CAST.
    ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT COUNT(*), SUBSTR(MIN(stage), 1, CAST(? AS "
                                            "INTEGER)) FROM app WHERE score > ?",
                                            {int64_t{3}, 69.5}));
    EXPECT_EQ(r->Int(0), 2);
    EXPECT_EQ(r->Text(1), "hir");
    // Aggregates of integers read back through Int/Double whatever their text form.
    ZM_ASSIGN_OR_RETURN(auto agg, tx.QueryOne("SELECT SUM(score), AVG(score) FROM app"));
    EXPECT_EQ(agg->Int(0), 210);
    EXPECT_DOUBLE_EQ(agg->Double(1), 70.0);
    return Ok();
  }));
}

TEST_P(DatabaseContractTest, ExecReturnsChangedRows) {
  ASSERT_OK(db_->Write([](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(tx.ExecScript("CREATE TABLE flag (id BIGINT PRIMARY KEY, on_off INTEGER)"));
    for (int64_t i = 1; i <= 5; ++i) {
      ZM_ASSIGN_OR_RETURN(
          int64_t n, tx.Exec("INSERT INTO flag (id, on_off) VALUES (?, ?)", {i, int64_t{i % 2}}));
      EXPECT_EQ(n, 1);
    }
    ZM_ASSIGN_OR_RETURN(int64_t updated, tx.Exec("UPDATE flag SET on_off = ? WHERE on_off = ?",
                                                 {int64_t{0}, int64_t{1}}));
    EXPECT_EQ(updated, 3);
    ZM_ASSIGN_OR_RETURN(int64_t none, tx.Exec("DELETE FROM flag WHERE id > ?", {int64_t{100}}));
    EXPECT_EQ(none, 0);
    return Ok();
  }));
}

TEST_P(DatabaseContractTest, UniqueViolationIsConflict) {
  CreateParentChild();
  ASSERT_OK(db_->Write([](Tx& tx) -> Status {
    return AsStatus(
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{1}, "a@example.com"}));
  }));
  // Same email, other id.
  auto st = db_->Write([](Tx& tx) -> Status {
    return AsStatus(
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{2}, "a@example.com"}));
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kConflict);
  EXPECT_EQ(st.error().reason, "unique_violation");
  // Same primary key.
  st = db_->Write([](Tx& tx) -> Status {
    return AsStatus(
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{1}, "b@example.com"}));
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kConflict);
  EXPECT_EQ(st.error().reason, "unique_violation");
  EXPECT_EQ(Count("parent"), 1);
}

TEST_P(DatabaseContractTest, ForeignKeyViolationIsConflict) {
  CreateParentChild();
  auto st = db_->Write([](Tx& tx) -> Status {
    return AsStatus(
        tx.Exec("INSERT INTO child (id, parent_id) VALUES (?, ?)", {int64_t{1}, int64_t{42}}));
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kConflict);
  EXPECT_EQ(st.error().reason, "foreign_key_violation");
  EXPECT_EQ(Count("child"), 0);

  // Deleting a referenced parent is refused too.
  ASSERT_OK(db_->Write([](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{1}, "p@example.com"}));
    return AsStatus(
        tx.Exec("INSERT INTO child (id, parent_id) VALUES (?, ?)", {int64_t{1}, int64_t{1}}));
  }));
  st = db_->Write([](Tx& tx) -> Status {
    return AsStatus(tx.Exec("DELETE FROM parent WHERE id = ?", {int64_t{1}}));
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().reason, "foreign_key_violation");
}

TEST_P(DatabaseContractTest, FailedCallbackRollsBack) {
  CreateParentChild();
  auto st = db_->Write([](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{1}, "a@example.com"}));
    ZM_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{2}, "b@example.com"}));
    return Conflict("stage_changed", "business rule failed after the inserts");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().reason, "stage_changed");
  EXPECT_EQ(Count("parent"), 0);
}

TEST_P(DatabaseContractTest, SwallowedStatementErrorStillAbortsTheTransaction) {
  CreateParentChild();
  ASSERT_OK(db_->Write([](Tx& tx) -> Status {
    return AsStatus(
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{1}, "a@example.com"}));
  }));
  auto st = db_->Write([](Tx& tx) -> Status {
    EXPECT_TRUE(
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{2}, "b@example.com"}));
    auto dup =
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{3}, "a@example.com"});
    EXPECT_FALSE(dup);
    // Later statements fail on both adapters (PostgreSQL aborts the transaction).
    auto later = tx.Query("SELECT COUNT(*) FROM parent");
    EXPECT_FALSE(later);
    return Ok();  // the error is swallowed
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kConflict);
  EXPECT_EQ(st.error().reason, "unique_violation");
  EXPECT_EQ(Count("parent"), 1);
}

TEST_P(DatabaseContractTest, ThrowingCallbackRollsBackAndRethrows) {
  CreateParentChild();
  EXPECT_THROW((void)db_->Write([](Tx& tx) -> Status {
    (void)tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{1}, "a@example.com"});
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(Count("parent"), 0);
  // Every connection is still usable.
  for (int i = 0; i < 10; ++i) ASSERT_OK(db_->Ping());
  ASSERT_OK(db_->Write([](Tx& tx) -> Status {
    return AsStatus(
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{1}, "a@example.com"}));
  }));
}

TEST_P(DatabaseContractTest, ConcurrentWritersAllLand) {
  ASSERT_OK(db_->Write([](Tx& tx) {
    return tx.ExecScript(
        "CREATE TABLE event (id BIGINT PRIMARY KEY, worker BIGINT NOT NULL, seq BIGINT NOT NULL);"
        "CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);"
        "INSERT INTO counter (id, n) VALUES (1, 0);");
  }));
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto st = db_->Write([&](Tx& tx) -> Status {
          ZM_RETURN_IF_ERROR(tx.Exec("INSERT INTO event (id, worker, seq) VALUES (?, ?, ?)",
                                     {int64_t{t * 1000 + i}, int64_t{t}, int64_t{i}}));
          // A read-modify-write in one statement: must not lose updates.
          ZM_RETURN_IF_ERROR(tx.Exec("UPDATE counter SET n = n + 1 WHERE id = ?", {int64_t{1}}));
          return Ok();
        });
        if (!st) {
          ++failures;
          ADD_FAILURE() << st.error().reason << ": " << st.error().message;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Count("event"), kThreads * kPerThread);
  ASSERT_OK(db_->Read([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT n FROM counter WHERE id = 1"));
    EXPECT_EQ(row->Int(0), kThreads * kPerThread);
    ZM_ASSIGN_OR_RETURN(auto per_worker,
                        tx.Query("SELECT worker, COUNT(*) FROM event GROUP BY worker ORDER BY "
                                 "worker"));
    EXPECT_EQ(per_worker.rows.size(), static_cast<size_t>(kThreads));
    for (const Row& r : per_worker.rows) EXPECT_EQ(r.Int(1), kPerThread);
    return Ok();
  }));
}

TEST_P(DatabaseContractTest, ReadSeesCommittedDataAndRefusesWrites) {
  CreateParentChild();
  ASSERT_OK(db_->Write([](Tx& tx) -> Status {
    return AsStatus(
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{1}, "a@example.com"}));
  }));
  // A second pool on the same database sees the commit (durable, not per-connection).
  auto other = OpenDb({.pool_size = 2});
  ASSERT_NE(other, nullptr);
  auto email = other->ReadValue<std::string>([](Tx& tx) -> Result<std::string> {
    ZM_ASSIGN_OR_RETURN(auto row,
                        tx.QueryOne("SELECT email FROM parent WHERE id = ?", {int64_t{1}}));
    if (!row) return NotFound("parent");
    return row->Text(0);
  });
  ASSERT_OK(email);
  EXPECT_EQ(*email, "a@example.com");

  auto st = db_->Read([](Tx& tx) -> Status {
    return AsStatus(
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{2}, "b@example.com"}));
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
  EXPECT_EQ(Count("parent"), 1);
}

TEST_P(DatabaseContractTest, ReadIsAConsistentSnapshot) {
  CreateParentChild();
  ASSERT_OK(db_->Read([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto before, tx.QueryOne("SELECT COUNT(*) FROM parent"));
    EXPECT_EQ(before->Int(0), 0);
    // Committed by another thread while this snapshot is open.
    std::thread writer([&] {
      ASSERT_OK(db_->Write([](Tx& w) -> Status {
        return AsStatus(
            w.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{1}, "a@example.com"}));
      }));
    });
    writer.join();
    ZM_ASSIGN_OR_RETURN(auto after, tx.QueryOne("SELECT COUNT(*) FROM parent"));
    EXPECT_EQ(after->Int(0), 0);
    return Ok();
  }));
  EXPECT_EQ(Count("parent"), 1);
}

TEST_P(DatabaseContractTest, TypedWrappersReturnTheValue) {
  CreateParentChild();
  auto id = db_->WriteValue<int64_t>([](Tx& tx) -> Result<int64_t> {
    ZM_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{9}, "n@example.com"}));
    return int64_t{9};
  });
  ASSERT_OK(id);
  EXPECT_EQ(*id, 9);
  auto missing = db_->ReadValue<std::string>([](Tx& tx) -> Result<std::string> {
    ZM_ASSIGN_OR_RETURN(auto row,
                        tx.QueryOne("SELECT email FROM parent WHERE id = ?", {int64_t{10}}));
    if (!row) return NotFound("parent");
    return row->Text(0);
  });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(DatabaseContractTest, BadStatementsAreInternalErrors) {
  auto st = db_->Read([](Tx& tx) { return AsStatus(tx.Query("SELEC 1")); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);

  st = db_->Read(
      [](Tx& tx) { return AsStatus(tx.Query("SELECT no_such_column FROM no_such_table")); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);

  // Parameter count must match the placeholders.
  st = db_->Read([](Tx& tx) {
    return AsStatus(tx.Query("SELECT ? + 1", {int64_t{1}, int64_t{2}}));
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
}

TEST_P(DatabaseContractTest, TextParametersMustBeUtf8WithoutNul) {
  for (const std::string& bad : {std::string("ab\xff"), std::string("a\0b", 3)}) {
    auto st = db_->Read([&](Tx& tx) { return AsStatus(tx.Query("SELECT ?", {bad})); });
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST_P(DatabaseContractTest, ExecScriptRunsSeveralStatements) {
  ASSERT_OK(db_->Write([](Tx& tx) {
    return tx.ExecScript(
        "-- a migration\n"
        "CREATE TABLE a (id BIGINT PRIMARY KEY);\n"
        "CREATE TABLE b (id BIGINT PRIMARY KEY, a_id BIGINT REFERENCES a(id));\n"
        "CREATE INDEX b_a ON b (a_id);\n"
        "INSERT INTO a (id) VALUES (1), (2);\n");
  }));
  EXPECT_EQ(Count("a"), 2);
  EXPECT_EQ(Count("b"), 0);
}

TEST_P(DatabaseContractTest, SchemaChangeInvalidatesCachedStatements) {
  DatabaseOptions options;
  options.pool_size = 2;
  auto db = OpenDb(options);
  ASSERT_NE(db, nullptr);
  ASSERT_OK(db->Write([](Tx& tx) {
    return tx.ExecScript(
        "CREATE TABLE evolve (id BIGINT PRIMARY KEY); "
        "INSERT INTO evolve (id) VALUES (1);");
  }));
  auto select_all = [&](size_t expected_columns) {
    // Both pooled connections run (and cache) the statement.
    std::atomic<int> ok{0};
    std::thread a([&] {
      auto st = db->Read([&](Tx& tx) -> Status {
        ZM_ASSIGN_OR_RETURN(auto r, tx.Query("SELECT * FROM evolve"));
        EXPECT_EQ(r.columns.size(), expected_columns);
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        return Ok();
      });
      if (st) ++ok;
    });
    auto st = db->Read([&](Tx& tx) -> Status {
      ZM_ASSIGN_OR_RETURN(auto r, tx.Query("SELECT * FROM evolve"));
      EXPECT_EQ(r.columns.size(), expected_columns);
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      return Ok();
    });
    if (st) ++ok;
    a.join();
    EXPECT_EQ(ok.load(), 2);
  };
  select_all(1);
  ASSERT_OK(
      db->Write([](Tx& tx) { return tx.ExecScript("ALTER TABLE evolve ADD COLUMN note TEXT"); }));
  select_all(2);
}

// Regression guard for cached statements: DDL from another process (here: another pool).
TEST_P(DatabaseContractTest, SchemaChangeByAnotherProcessIsRetryable) {
  DatabaseOptions options;
  options.pool_size = 1;
  auto db = OpenDb(options);
  auto other = OpenDb(options);
  ASSERT_NE(db, nullptr);
  ASSERT_NE(other, nullptr);
  ASSERT_OK(db->Write([](Tx& tx) {
    return tx.ExecScript(
        "CREATE TABLE evolve2 (id BIGINT PRIMARY KEY); "
        "INSERT INTO evolve2 (id) VALUES (1);");
  }));
  auto columns = [&]() -> Result<size_t> {
    return db->ReadValue<size_t>([](Tx& tx) -> Result<size_t> {
      ZM_ASSIGN_OR_RETURN(auto r, tx.Query("SELECT * FROM evolve2"));
      return r.columns.size();
    });
  };
  ASSERT_OK(columns());
  ASSERT_OK(other->Write(
      [](Tx& tx) { return tx.ExecScript("ALTER TABLE evolve2 ADD COLUMN note TEXT"); }));
  // PostgreSQL may answer kUnavailable once (stale cached plan); the retry must succeed.
  auto n = columns();
  if (!n) {
    EXPECT_EQ(n.error().code, ErrorCode::kUnavailable) << n.error().message;
    n = columns();
  }
  ASSERT_OK(n);
  EXPECT_EQ(*n, 2u);
}

TEST_P(DatabaseContractTest, PoolBlocksWhenAllConnectionsAreLeased) {
  DatabaseOptions options;
  options.pool_size = 1;
  auto db = OpenDb(options);
  ASSERT_NE(db, nullptr);
  std::atomic<int> inside{0};
  std::atomic<int> max_inside{0};
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto st = db->Read([&](Tx& tx) -> Status {
        int now = ++inside;
        int seen = max_inside.load();
        while (now > seen && !max_inside.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        --inside;
        return AsStatus(tx.Query("SELECT 1"));
      });
      if (st) ++ok;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(max_inside.load(), 1);
}

TEST_P(DatabaseContractTest, BackupCopiesSqliteAndPointsPostgresToPgDump) {
  CreateParentChild();
  ASSERT_OK(db_->Write([](Tx& tx) -> Status {
    return AsStatus(
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{1}, "备份@example.com"}));
  }));
  if (IsPostgres()) {
    auto st = db_->Backup("/tmp/never-written.db");
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(st.error().message.find("use pg_dump for PostgreSQL backups: pg_dump '"),
              std::string::npos)
        << st.error().message;
    // The password of the test URL never appears in the message.
    const std::string url = base_url_;
    const size_t at = url.find('@');
    const size_t colon = url.find(':', url.find("://") + 3);
    if (at != std::string::npos && colon < at) {
      const std::string password = url.substr(colon + 1, at - colon - 1);
      EXPECT_EQ(st.error().message.find(password), std::string::npos);
    }
    EXPECT_FALSE(fs::exists("/tmp/never-written.db"));
    return;
  }
  const fs::path copy = dir_ / "backups" / "copy.db";
  ASSERT_OK(db_->Backup(copy.string()));
  ASSERT_TRUE(fs::exists(copy));
  EXPECT_FALSE(fs::exists(copy.string() + ".tmp"));
  // Writes after the backup do not reach the copy.
  ASSERT_OK(db_->Write([](Tx& tx) -> Status {
    return AsStatus(
        tx.Exec("INSERT INTO parent (id, email) VALUES (?, ?)", {int64_t{2}, "late@example.com"}));
  }));
  auto restored = Database::Open("sqlite:" + copy.string(), {.pool_size = 1});
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(Count("parent", restored->get()), 1);
  auto email = (*restored)->ReadValue<std::string>([](Tx& tx) -> Result<std::string> {
    ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT email FROM parent WHERE id = 1"));
    return row->Text(0);
  });
  ASSERT_OK(email);
  EXPECT_EQ(*email, "备份@example.com");
  // A second backup replaces the first.
  restored->reset();
  ASSERT_OK(db_->Backup(copy.string()));
  restored = Database::Open("sqlite:" + copy.string(), {.pool_size = 1});
  ASSERT_TRUE(restored);
  EXPECT_EQ(Count("parent", restored->get()), 2);
  // The database itself is not a valid destination.
  auto self = db_->Backup((dir_ / "data" / "test.db").string());
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(DatabaseContractTest, ReconnectsAfterTheServerDropsTheConnection) {
  if (!IsPostgres()) GTEST_SKIP() << "PostgreSQL only: SQLite has no server connection";
  DatabaseOptions options;
  options.pool_size = 1;
  auto db = OpenDb(options);
  ASSERT_NE(db, nullptr);
  // The server ends this session, as on a restart or an idle timeout.
  auto st = db->Write(
      [](Tx& tx) { return AsStatus(tx.Query("SELECT pg_terminate_backend(pg_backend_pid())")); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  ASSERT_OK(db->Ping());
  // And a session killed while idle in the pool is noticed at BEGIN and replaced.
  auto pid = db->ReadValue<int64_t>([](Tx& tx) -> Result<int64_t> {
    ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT pg_backend_pid()"));
    return row->Int(0);
  });
  ASSERT_OK(pid);
  ASSERT_OK(db_->Read([&](Tx& tx) {
    return AsStatus(tx.Query("SELECT pg_terminate_backend(CAST(? AS INTEGER))", {*pid}));
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_OK(db->Ping());
}

TEST_P(DatabaseContractTest, NestedWriteOnSqliteFailsInsteadOfDeadlocking) {
  if (IsPostgres()) GTEST_SKIP() << "SQLite only: PostgreSQL nests on a second connection";
  auto st = db_->Write([&](Tx&) -> Status { return db_->Write([](Tx&) { return Ok(); }); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
}

TEST_P(DatabaseContractTest, SqliteConnectionsUseWalFullSyncAndForeignKeys) {
  if (IsPostgres()) GTEST_SKIP() << "SQLite only";
  // Every pooled connection, not just the first one.
  DatabaseOptions options;
  options.pool_size = 3;
  auto db = OpenDb(options);
  ASSERT_NE(db, nullptr);
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      ASSERT_OK(db->Read([](Tx& tx) -> Status {
        ZM_ASSIGN_OR_RETURN(auto mode, tx.QueryOne("SELECT * FROM pragma_journal_mode()"));
        EXPECT_EQ(mode->Text(0), "wal");
        ZM_ASSIGN_OR_RETURN(auto sync, tx.QueryOne("SELECT * FROM pragma_synchronous()"));
        EXPECT_EQ(sync->Int(0), 2);  // FULL
        ZM_ASSIGN_OR_RETURN(auto fk, tx.QueryOne("SELECT * FROM pragma_foreign_keys()"));
        EXPECT_EQ(fk->Int(0), 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return Ok();
      }));
    });
  }
  for (auto& th : threads) th.join();
}

INSTANTIATE_TEST_SUITE_P(Adapters, DatabaseContractTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

// --- Not parameterized --------------------------------------------------------------------

TEST(DatabaseOpenTest, UnknownSchemeIsInvalidArgument) {
  for (const char* url : {"mysql://localhost/db", "", "sqlite3:/tmp/x.db", "/tmp/x.db"}) {
    auto db = Database::Open(url);
    ASSERT_FALSE(db) << url;
    EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument) << url;
  }
}

TEST(DatabaseOpenTest, SqliteInMemoryIsRefused) {
  auto db = Database::Open("sqlite::memory:");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
  db = Database::Open("sqlite:");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
}

TEST(DatabaseOpenTest, BadPoolSizeIsInvalidArgument) {
  auto db = Database::Open("sqlite:/tmp/zm_never_created.db", {.pool_size = 0});
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
}

TEST(DatabaseOpenTest, UnreachablePostgresIsUnavailable) {
  // Port 1 on loopback: nothing listens there.
  auto db = Database::Open("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(db.error().message.find("secret"), std::string::npos);
}

TEST(DatabaseOpenTest, UnusableSqlitePathIsUnavailable) {
  // The parent "directory" is a regular file: nobody, not even root, can create the database.
  const fs::path file = fs::temp_directory_path() / ("zm_not_a_dir_" + UniqueSuffix());
  { std::ofstream(file) << "x"; }
  auto db = Database::Open("sqlite:" + (file / "x.db").string());
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  fs::remove(file);
}

TEST(RewritePlaceholdersTest, NumbersPlaceholdersOutsideQuotesAndComments) {
  int n = -1;
  EXPECT_EQ(RewritePlaceholders("SELECT a FROM t WHERE b = ? AND c = ?", &n),
            "SELECT a FROM t WHERE b = $1 AND c = $2");
  EXPECT_EQ(n, 2);
  EXPECT_EQ(RewritePlaceholders("SELECT '?', 'it''s ?', \"col?\" FROM t WHERE x=?", &n),
            "SELECT '?', 'it''s ?', \"col?\" FROM t WHERE x=$1");
  EXPECT_EQ(n, 1);
  EXPECT_EQ(RewritePlaceholders("SELECT 1 -- what?\n, ? /* a /* nested? */ b? */ , ?", &n),
            "SELECT 1 -- what?\n, $1 /* a /* nested? */ b? */ , $2");
  EXPECT_EQ(n, 2);
  EXPECT_EQ(RewritePlaceholders("SELECT 'unterminated ?", &n), "SELECT 'unterminated ?");
  EXPECT_EQ(n, 0);
  EXPECT_EQ(RewritePlaceholders("VALUES (?,?,?,?,?,?,?,?,?,?,?)", &n),
            "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)");
  EXPECT_EQ(n, 11);
  EXPECT_EQ(RewritePlaceholders("SELECT ?::text", nullptr), "SELECT $1::text");
}

TEST(RedactPostgresUrlTest, RemovesPasswords) {
  EXPECT_EQ(RedactPostgresUrl("postgresql://zm:s3cr%40t@db.local:5432/zhimian"),
            "postgresql://zm@db.local:5432/zhimian");
  EXPECT_EQ(RedactPostgresUrl("postgres://zm@db/zhimian?sslmode=require&password=x&a=b"),
            "postgres://zm@db/zhimian?sslmode=require&a=b");
  EXPECT_EQ(RedactPostgresUrl("postgresql://db/zhimian?password=x"), "postgresql://db/zhimian");
  EXPECT_EQ(RedactPostgresUrl("postgresql://h1:5432,h2:5433/zhimian"),
            "postgresql://h1:5432,h2:5433/zhimian");
}

}  // namespace
}  // namespace zm::storage
