// Delivery against real local peers: an SMTP sink (aiosmtpd) and an HTTP receiver (Python
// http.server), both started from testdata/test_servers.py, which also verifies signatures
// with Python's hmac, independently of the C++ signing code. Runs on SQLite, and on
// PostgreSQL when ZHIMIAN_TEST_PG_URL is set.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "common/strings.h"
#include "common/time.h"
#include "notify/application_message.h"
#include "notify/job_entry.h"
#include "notify/notify.h"
#include "security/crypto.h"
#include "storage/contract_test_support.h"
#include "storage/hiring_repository.h"
#include "storage/migrations.h"
#include "storage/org_repository.h"

namespace zm::notify {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using storage::testing::Backend;

#ifndef ZM_NOTIFY_TESTDATA
#define ZM_NOTIFY_TESTDATA "src/notify/testdata"
#endif
const std::string kServers = std::string(ZM_NOTIFY_TESTDATA) + "/test_servers.py";

// The Python peers, shared by every test of the binary.
struct Peers {
  pid_t pid = -1;
  int smtp_port = 0, http_port = 0, starttls_port = 0;
  fs::path dir;

  bool Start() {
    dir = fs::temp_directory_path() / ("zm-notify-peers-" + storage::testing::UniqueSuffix());
    fs::create_directories(dir);
    int fds[2];
    if (pipe(fds) != 0) return false;
    pid = fork();
    if (pid == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      close(fds[1]);
      execl("/usr/bin/python3", "python3", kServers.c_str(), "serve", dir.c_str(), nullptr);
      _exit(127);
    }
    close(fds[1]);
    FILE* f = fdopen(fds[0], "r");
    char line[128] = {0};
    bool ok = fgets(line, sizeof line, f) != nullptr &&
              std::sscanf(line, "READY %d %d %d", &smtp_port, &http_port, &starttls_port) == 3;
    fclose(f);
    return ok;
  }
  void Stop() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  // Recorded files with `prefix`, in arrival order.
  std::vector<fs::path> Files(const std::string& prefix) const {
    std::vector<std::pair<int, fs::path>> out;
    for (const auto& e : fs::directory_iterator(dir)) {
      std::string name = e.path().filename().string();
      if (name.starts_with(prefix + "-") && !name.ends_with(".tmp"))
        out.push_back({std::stoi(name.substr(prefix.size() + 1)), e.path()});
    }
    std::sort(out.begin(), out.end());
    std::vector<fs::path> paths;
    for (auto& [n, p] : out) paths.push_back(p);
    return paths;
  }
  void Clear() const {
    for (const auto& e : fs::directory_iterator(dir)) fs::remove(e.path());
  }
  std::string Verify(const std::string& mode, const std::string& secret,
                     const fs::path& file) const {
    std::string cmd =
        "/usr/bin/python3 " + kServers + " " + mode + " '" + secret + "' '" + file.string() + "'";
    FILE* p = popen(cmd.c_str(), "r");
    char buf[64] = {0};
    if (fgets(buf, sizeof buf, p) == nullptr) buf[0] = 0;
    pclose(p);
    return std::string(Trim(buf));
  }
  std::string Http(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(http_port) + path;
  }
};

Peers* peers = nullptr;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json Record(const fs::path& p) { return json::parse(Slurp(p)); }

class DeliveryTest : public ::testing::TestWithParam<Backend> {
 public:
  static void SetUpTestSuite() {
    peers = new Peers();
    ASSERT_TRUE(peers->Start()) << "cannot start " << kServers << " (python3-aiosmtpd installed?)";
  }
  static void TearDownTestSuite() {
    peers->Stop();
    delete peers;
    peers = nullptr;
  }

 protected:
  void SetUp() override {
    std::string url;
    if (GetParam() == Backend::kPostgres) {
      base_url_ = storage::testing::PgTestUrl();
      if (base_url_.empty()) GTEST_SKIP() << storage::testing::kPgSkipMessage;
      auto schema = storage::testing::CreatePgSchema(base_url_, "zm_notify_", &url);
      ASSERT_TRUE(schema) << schema.error().message;
      schema_ = *schema;
    } else {
      path_ = fs::temp_directory_path() / ("zm-notify-" + storage::testing::UniqueSuffix() + ".db");
      url = "sqlite:" + path_.string();
    }
    auto db = storage::Database::Open(url);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(storage::Migrate(*db_));
    auto cipher = security::FieldCipher::Create(security::RandomBytes(32));
    ASSERT_TRUE(cipher);
    cipher_ = std::make_unique<security::FieldCipher>(std::move(*cipher));
    NotifySettings settings;
    settings.organisation_name = "星海科技集团";
    settings.transport.connect_timeout_ms = 2000;
    settings.transport.total_timeout_ms = 5000;
    service_ = std::make_unique<NotifyService>(*db_, *cipher_, settings);
    ASSERT_TRUE(service_->SeedDefaultTemplates());
    admin_.principal = security::Principal::System();
    admin_.request_id = "test";
    peers->Clear();
  }
  void TearDown() override {
    service_.reset();
    db_.reset();
    if (!schema_.empty()) storage::testing::DropPgSchema(base_url_, schema_);
    if (!path_.empty()) {
      std::error_code ec;
      for (auto suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix, ec);
    }
  }

  std::string Channel(const json& body) {
    auto c = service_->CreateChannel(admin_, body);
    EXPECT_TRUE(c) << (c ? ""
                         : c.error().message + " " +
                               (c.error().details.empty() ? ""
                                                          : c.error().details[0].field + ": " +
                                                                c.error().details[0].message));
    return c ? (*c)["id"].get<std::string>() : "";
  }
  std::string EmailChannel() {
    return Channel({{"kind", "email"},
                    {"name", "招聘邮箱"},
                    {"config",
                     {{"host", "127.0.0.1"},
                      {"port", peers->smtp_port},
                      {"tls", "none"},
                      {"from_address", "hr@xinghai.example.com"},
                      {"from_name", "星海科技 招聘"}}}});
  }
  // Subscribes `path` of the receiver to `types`; returns {id, secret}.
  std::pair<std::string, std::string> Subscribe(const std::string& path,
                                                std::vector<std::string> types) {
    auto w = service_->CreateWebhook(admin_, {{"url", peers->Http(path)}, {"event_types", types}});
    EXPECT_TRUE(w);
    return {(*w)["id"], (*w)["secret"]};
  }
  std::vector<std::string> Event(const std::string& type, const std::string& event_id,
                                 const json& data) {
    WebhookEvent e;
    e.event_id = event_id;
    e.type = type;
    e.occurred_ms = 1796392800000;
    e.data_json = data.dump();
    auto ids = db_->WriteValue<std::vector<std::string>>(
        [&](storage::Tx& tx) { return EnqueueWebhookEvent(tx, *cipher_, e); });
    EXPECT_TRUE(ids) << ids.error().message;
    return ids ? *ids : std::vector<std::string>{};
  }
  std::string Message(MessageRequest m) {
    auto id = db_->WriteValue<std::string>([&](storage::Tx& tx) {
      return EnqueueMessage(tx, *cipher_, service_->deps().settings, m);
    });
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : "";
  }
  json Delivery(const std::string& id) {
    auto d = service_->GetDelivery(admin_, id);
    EXPECT_TRUE(d);
    return d ? *d : json();
  }

  std::string base_url_, schema_;
  fs::path path_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<security::FieldCipher> cipher_;
  std::unique_ptr<NotifyService> service_;
  Context admin_;
};

TEST_P(DeliveryTest, NextRoundEmailWithCalendarArrivesOnceInTheSmtpSink) {
  std::string channel = EmailChannel();
  MessageRequest m;
  m.idempotency_key = "rule:r1:event:e1";
  m.template_key = "next_round_invitation";
  m.language = "zh";
  m.to_address = "lilei@example.com";
  m.to_name = "李雷";
  m.variables = {{"candidate_name", "李雷"},
                 {"job_title", "客户成功专员"},
                 {"next_round_time", "2026-12-15 10:00 UTC"},
                 {"next_round_location", "A座301会议室"}};
  CalendarEvent ev;
  ev.start_ms = 1797328800000;
  ev.end_ms = ev.start_ms + 3600000;
  ev.location = "A座301会议室";
  m.calendar = ev;
  std::string id = Message(m);
  // The same key again: the same delivery, no second one.
  EXPECT_EQ(Message(m), id);

  ASSERT_TRUE(DeliverMessage(service_->deps(), id));
  auto mails = peers->Files("smtp");
  ASSERT_EQ(mails.size(), 1u);
  std::string mail = Slurp(mails[0]);
  EXPECT_NE(mail.find("\"to\": [\"lilei@example.com\"]"), std::string::npos);
  EXPECT_NE(mail.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(mail.find("Message-ID: <msg_" + id + "@xinghai.example.com>"), std::string::npos);
  EXPECT_NE(mail.find("Content-Type: multipart/mixed"), std::string::npos);
  EXPECT_NE(mail.find("text/calendar; charset=UTF-8; method=REQUEST; name=\"invitation.ics\""),
            std::string::npos);
  // The body and the calendar decode to the rendered text and a valid VEVENT.
  size_t b = mail.find("Content-Transfer-Encoding: base64\r\n\r\n");
  ASSERT_NE(b, std::string::npos);
  b += 37;
  std::string b64 = mail.substr(b, mail.find("\r\n--", b) - b);
  b64.erase(std::remove(b64.begin(), b64.end(), '\r'), b64.end());
  b64.erase(std::remove(b64.begin(), b64.end(), '\n'), b64.end());
  std::string text;
  ASSERT_TRUE(Base64Decode(b64, &text));
  EXPECT_NE(text.find("李雷，您好"), std::string::npos) << text;
  EXPECT_NE(text.find("时间：2026-12-15 10:00 UTC"), std::string::npos);
  size_t c = mail.find("Content-Transfer-Encoding: base64\r\n\r\n", b);
  ASSERT_NE(c, std::string::npos);
  c += 37;
  std::string cal64 = mail.substr(c, mail.find("\r\n--", c) - c);
  cal64.erase(std::remove(cal64.begin(), cal64.end(), '\r'), cal64.end());
  cal64.erase(std::remove(cal64.begin(), cal64.end(), '\n'), cal64.end());
  std::string ics;
  ASSERT_TRUE(Base64Decode(cal64, &ics));
  EXPECT_NE(ics.find("DTSTART:20261215T100000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("UID:" + id + "@zhimian\r\n"), std::string::npos);
  EXPECT_NE(ics.find("ATTENDEE;CN=\"李雷\""), std::string::npos);

  // A retried job after the recorded success sends nothing.
  ASSERT_TRUE(DeliverMessage(service_->deps(), id));
  EXPECT_EQ(peers->Files("smtp").size(), 1u);
  json d = Delivery(id);
  EXPECT_EQ(d["status"], "succeeded");
  EXPECT_EQ(d["attempts"], 1);
  EXPECT_EQ(d["channel_id"], channel);
  ASSERT_EQ(d["attempt_log"].size(), 1u);
  EXPECT_EQ(d["attempt_log"][0]["outcome"], "succeeded");
  EXPECT_EQ(d["attempt_log"][0]["status_code"], 250);
  EXPECT_TRUE(d["payload"].is_null()) << "message contents are never shown";
}

TEST_P(DeliveryTest, SmtpSubmissionWithStartTlsAndLogin) {
  // The server refuses mail before STARTTLS and AUTH; its certificate is self-signed.
  json config = {{"host", "127.0.0.1"},   {"port", peers->starttls_port},
                 {"tls", "starttls"},     {"verify_tls", false},
                 {"username", "zhimian"}, {"from_address", "hr@xinghai.example.com"}};
  std::string ch = Channel({{"kind", "email"},
                            {"name", "submission"},
                            {"config", config},
                            {"secrets", {{"password", "smtp-Secret-1"}}}});
  MessageRequest m;
  m.idempotency_key = "tls-1";
  m.template_key = "thank_you";
  m.language = "en";
  m.to_address = "hanmeimei@example.com";
  m.to_name = "Han Meimei";
  m.variables = {{"candidate_name", "Han Meimei"}, {"job_title", "Sales Manager"}};
  std::string id = Message(m);
  ASSERT_TRUE(DeliverMessage(service_->deps(), id));
  auto mails = peers->Files("smtp");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(Slurp(mails[0]).find("To: \"Han Meimei\" <hanmeimei@example.com>"), std::string::npos);

  // Verifying the self-signed certificate fails, permanently (no retry can fix it).
  ASSERT_TRUE(service_->UpdateChannel(admin_, ch, {{"config", {{"verify_tls", true}}}}));
  m.idempotency_key = "tls-2";
  Status st = DeliverMessage(service_->deps(), Message(m));
  ASSERT_FALSE(st);
  EXPECT_FALSE(IsRetryable(st.error())) << st.error().message;
  // A wrong password is refused by the server, permanently.
  ASSERT_TRUE(service_->UpdateChannel(
      admin_, ch,
      {{"config", {{"verify_tls", false}}}, {"secrets", {{"password", "wrong-one-123"}}}}));
  m.idempotency_key = "tls-3";
  st = DeliverMessage(service_->deps(), Message(m));
  ASSERT_FALSE(st);
  EXPECT_FALSE(IsRetryable(st.error())) << st.error().message;
  EXPECT_EQ(peers->Files("smtp").size(), 1u);
}

TEST_P(DeliveryTest, ApplicationMessageFillsVariablesFromTheRecords) {
  EmailChannel();
  // A department, a job, a candidate (personal data encrypted as the candidate service does)
  // and an application in the second round.
  std::string app_id = NewId(), cand_id = NewId();
  int64_t now = NowMillis();
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
    domain::Department d{NewId(), "客户成功部", "", now, now};
    ZM_RETURN_IF_ERROR(storage::InsertDepartment(tx, d));
    domain::Job j;
    j.id = NewId();
    j.title = "客户成功专员";
    j.department_id = d.id;
    j.created_at = j.updated_at = now;
    ZM_RETURN_IF_ERROR(storage::InsertJob(tx, j));
    storage::CandidateRecord c;
    c.id = cand_id;
    ZM_ASSIGN_OR_RETURN(c.name_enc, cipher_->Encrypt("韩梅梅", "candidate:" + c.id + ":name"));
    ZM_ASSIGN_OR_RETURN(auto email,
                        cipher_->Encrypt("hanmeimei@example.com", "candidate:" + c.id + ":email"));
    c.email_enc = email;
    c.source = "test";
    c.created_at = c.updated_at = now;
    ZM_RETURN_IF_ERROR(storage::InsertCandidate(tx, c));
    storage::ApplicationRecord a;
    a.id = app_id;
    a.candidate_id = c.id;
    a.job_id = j.id;
    a.department_id = d.id;
    a.stage = "second_round";
    a.source = "test";
    a.created_at = a.updated_at = now;
    return storage::InsertApplication(tx, a);
  }));
  ApplicationMessage m;
  m.application_id = app_id;
  m.template_key = "next_round_invitation";
  m.idempotency_key = "rule:r1:app:" + app_id;
  m.extra = {{"next_round_time", "2026-12-15 10:00"}, {"next_round_location", "A座301"}};
  auto ids = db_->WriteValue<std::vector<std::string>>([&](storage::Tx& tx) {
    return EnqueueApplicationMessage(tx, *cipher_, service_->deps().settings, m);
  });
  ASSERT_TRUE(ids) << ids.error().message;
  ASSERT_EQ(ids->size(), 1u);
  ASSERT_TRUE(DeliverMessage(service_->deps(), (*ids)[0]));
  auto mails = peers->Files("smtp");
  ASSERT_EQ(mails.size(), 1u);
  std::string mail = Slurp(mails[0]);
  EXPECT_NE(mail.find("\"to\": [\"hanmeimei@example.com\"]"), std::string::npos);
  size_t b = mail.find("Content-Transfer-Encoding: base64\r\n\r\n") + 37;
  std::string b64 = mail.substr(b, mail.find("\r\n--", b) - b);
  std::erase(b64, '\r');
  std::erase(b64, '\n');
  std::string text;
  ASSERT_TRUE(Base64Decode(b64, &text));
  EXPECT_NE(text.find("韩梅梅，您好"), std::string::npos) << text;
  EXPECT_NE(text.find("客户成功专员职位"), std::string::npos) << text;
  // The thank-you letter needs nothing else; an invitation without its link cannot be sent.
  m.template_key = "interview_invitation";
  m.idempotency_key = "k2";
  auto bad = db_->WriteValue<std::vector<std::string>>([&](storage::Tx& tx) {
    return EnqueueApplicationMessage(tx, *cipher_, service_->deps().settings, m);
  });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().reason, "template_variable_missing");
  EXPECT_EQ(StageLabelEn("second_round"), "Second round");

  // The job a rule enqueues (payload as src/workflow writes it): run twice, one e-mail.
  json payload = {{"template", "thank_you"},
                  {"to", "candidate"},
                  {"application_id", app_id},
                  {"rule_id", "r9"},
                  {"event", "e9"}};
  peers->Clear();
  ASSERT_TRUE(
      HandleApplicationMessageJob(service_->deps(), "email", payload.dump(), "rule:r9:e9:0"));
  ASSERT_TRUE(
      HandleApplicationMessageJob(service_->deps(), "email", payload.dump(), "rule:r9:e9:0"));
  EXPECT_TRUE(peers->Files("smtp").empty());  // sending is the notify.deliver job's
  // One delivery, scheduled as one notify.deliver job keyed by the delivery.
  auto jobs = db_->ReadValue<std::vector<std::string>>(
      [&](storage::Tx& tx) -> Result<std::vector<std::string>> {
        ZM_ASSIGN_OR_RETURN(
            auto rows,
            tx.Query("SELECT j.payload FROM background_jobs j JOIN deliveries d ON "
                     "j.idempotency_key = 'deliver:' || d.id WHERE d.idempotency_key LIKE "
                     "'rule:r9:e9:0%' AND j.kind = 'notify.deliver'"));
        std::vector<std::string> out;
        for (const auto& r : rows.rows) out.push_back(r.Text(0));
        return out;
      });
  ASSERT_TRUE(jobs) << jobs.error().message;
  ASSERT_EQ(jobs->size(), 1u);
  ASSERT_TRUE(HandleDeliverJob(service_->deps(), (*jobs)[0], false));
  ASSERT_TRUE(HandleDeliverJob(service_->deps(), (*jobs)[0], false));  // a retried job
  EXPECT_EQ(peers->Files("smtp").size(), 1u);
  Status bad_payload = HandleApplicationMessageJob(service_->deps(), "email", "[]", "k");
  ASSERT_FALSE(bad_payload);
  EXPECT_FALSE(IsRetryable(bad_payload.error()));
}

TEST_P(DeliveryTest, MissingTemplateVariableIsRefusedAtEnqueue) {
  EmailChannel();
  MessageRequest m;
  m.idempotency_key = "k-missing";
  m.template_key = "next_round_invitation";
  m.to_address = "lilei@example.com";
  m.variables = {{"candidate_name", "李雷"}};
  auto id = db_->WriteValue<std::string>(
      [&](storage::Tx& tx) { return EnqueueMessage(tx, *cipher_, service_->deps().settings, m); });
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().reason, "template_variable_missing");
  m.template_key = "no_such_template";
  auto id2 = db_->WriteValue<std::string>(
      [&](storage::Tx& tx) { return EnqueueMessage(tx, *cipher_, service_->deps().settings, m); });
  ASSERT_FALSE(id2);
  EXPECT_EQ(id2.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(DeliveryTest, SignedWebhookVerifiesWithPythonHmac) {
  auto [sub, secret] =
      Subscribe("/hooks/hris", {"interview.completed", "application.stage_changed"});
  Subscribe("/hooks/other", {"candidate.hired"});  // not subscribed to this event
  auto ids = Event("interview.completed", "evt-1",
                   {{"application_id", "01JABCDEFGHJKMNPQRSTVWXYZ0"}, {"overall_score", 85.0}});
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(Event("interview.completed", "evt-1", json::object()), ids) << "idempotent per event";
  ASSERT_TRUE(Deliver(service_->deps(), ids[0]));
  auto reqs = peers->Files("http");
  ASSERT_EQ(reqs.size(), 1u);
  json r = Record(reqs[0]);
  EXPECT_EQ(r["path"], "/hooks/hris");
  EXPECT_EQ(r["headers"]["webhook-id"], "msg_" + ids[0]);
  EXPECT_EQ(r["headers"]["content-type"], "application/json");
  EXPECT_TRUE(r["headers"]["webhook-signature"].get<std::string>().starts_with("v1,"));
  json body = json::parse(r["body"].get<std::string>());
  EXPECT_EQ(body["type"], "interview.completed");
  EXPECT_EQ(body["timestamp"], "2026-12-04T14:00:00.000Z");
  EXPECT_EQ(body["data"]["overall_score"], 85.0);
  EXPECT_EQ(peers->Verify("verify-webhook", secret, reqs[0]), "OK");
  // A wrong secret does not verify (the check is real).
  EXPECT_EQ(peers->Verify("verify-webhook", "whsec_" + Base64Encode(std::string(32, 'k')), reqs[0]),
            "BAD");
  // Replay: a new delivery with the same webhook-id, verified again.
  auto replay = service_->ReplayDelivery(admin_, ids[0]);
  ASSERT_TRUE(replay);
  EXPECT_EQ((*replay)["replay_of"], ids[0]);
  EXPECT_EQ((*replay)["status"], "pending");
  ASSERT_TRUE(Deliver(service_->deps(), (*replay)["id"]));
  reqs = peers->Files("http");
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(Record(reqs[1])["headers"]["webhook-id"], "msg_" + ids[0]);
  EXPECT_EQ(Record(reqs[1])["body"], r["body"]);
  EXPECT_EQ(peers->Verify("verify-webhook", secret, reqs[1]), "OK");
  json d = Delivery(ids[0]);
  EXPECT_EQ(d["payload"]["type"], "interview.completed");
  EXPECT_EQ(d["attempt_log"][0]["status_code"], 200);
}

TEST_P(DeliveryTest, RetryableAndPermanentFailuresAreRecorded) {
  Subscribe("/status/503", {"candidate.hired"});
  Subscribe("/status/410", {"candidate.rejected"});
  auto retry = Event("candidate.hired", "e-503", {{"application_id", "a"}});
  auto perm = Event("candidate.rejected", "e-410", {{"application_id", "b"}});
  ASSERT_EQ(retry.size(), 1u);
  ASSERT_EQ(perm.size(), 1u);

  Status st = Deliver(service_->deps(), retry[0]);
  ASSERT_FALSE(st);
  EXPECT_TRUE(IsRetryable(st.error())) << st.error().message;
  json d = Delivery(retry[0]);
  EXPECT_EQ(d["status"], "pending");
  EXPECT_EQ(d["last_status_code"], 503);
  EXPECT_EQ(d["last_error"], "HTTP 503");
  // Retrying again makes a second attempt.
  ASSERT_FALSE(Deliver(service_->deps(), retry[0]));
  EXPECT_EQ(Delivery(retry[0])["attempts"], 2);
  // The job's last try gives up: the delivery fails instead of staying pending.
  st = Deliver(service_->deps(), retry[0], /*last_attempt=*/true);
  ASSERT_FALSE(st);
  EXPECT_FALSE(IsRetryable(st.error()));
  d = Delivery(retry[0]);
  EXPECT_EQ(d["status"], "failed");
  EXPECT_EQ(d["last_error"], "HTTP 503 (gave up after 3 attempts)");

  st = Deliver(service_->deps(), perm[0]);
  ASSERT_FALSE(st);
  EXPECT_FALSE(IsRetryable(st.error()));
  EXPECT_EQ(Delivery(perm[0])["status"], "failed");
  // A permanently failed delivery is never sent again.
  size_t before = peers->Files("http").size();
  st = Deliver(service_->deps(), perm[0]);
  ASSERT_FALSE(st);
  EXPECT_FALSE(IsRetryable(st.error()));
  EXPECT_EQ(peers->Files("http").size(), before);
  EXPECT_EQ(Delivery(perm[0])["attempts"], 1);
}

TEST_P(DeliveryTest, UnreachableReceiverIsRetryable) {
  auto w = service_->CreateWebhook(
      admin_, {{"url", "http://127.0.0.1:9/none"}, {"event_types", {"interview.scored"}}});
  ASSERT_TRUE(w);
  auto ids = Event("interview.scored", "e-refused", json::object());
  ASSERT_EQ(ids.size(), 1u);
  auto t0 = std::chrono::steady_clock::now();
  Status st = Deliver(service_->deps(), ids[0]);
  ASSERT_FALSE(st);
  EXPECT_TRUE(IsRetryable(st.error()));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  json d = Delivery(ids[0]);
  EXPECT_TRUE(d["last_status_code"].is_null());
  EXPECT_FALSE(d["last_error"].get<std::string>().empty());
}

TEST_P(DeliveryTest, ConcurrentWorkersSendOnce) {
  Subscribe("/slow", {"interview.completed"});
  auto ids = Event("interview.completed", "e-slow", json::object());
  ASSERT_EQ(ids.size(), 1u);
  Status a, b;
  std::thread t1([&] { a = Deliver(service_->deps(), ids[0]); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::thread t2([&] { b = Deliver(service_->deps(), ids[0]); });
  t1.join();
  t2.join();
  EXPECT_TRUE(a);
  // The second worker found it being sent (retry later) or already sent.
  EXPECT_TRUE(b || IsRetryable(b.error()));
  ASSERT_TRUE(Deliver(service_->deps(), ids[0]));
  EXPECT_EQ(peers->Files("http").size(), 1u);
  EXPECT_EQ(Delivery(ids[0])["attempts"], 1);
}

TEST_P(DeliveryTest, WeComRobotGetsItsDocumentedTextFormat) {
  std::string ch = Channel({{"kind", "wecom"},
                            {"name", "招聘群机器人"},
                            {"secrets", {{"webhook_url", peers->Http("/wecom?key=abc-123")}}}});
  MessageRequest m;
  m.idempotency_key = "wecom-1";
  m.template_key = "thank_you";
  m.channel_kind = "wecom";
  m.variables = {{"candidate_name", "韩梅梅"}, {"job_title", "销售经理"}};
  std::string id = Message(m);
  ASSERT_TRUE(DeliverMessage(service_->deps(), id));
  auto reqs = peers->Files("http");
  ASSERT_EQ(reqs.size(), 1u);
  json r = Record(reqs[0]);
  EXPECT_EQ(r["path"], "/wecom?key=abc-123");
  json body = json::parse(r["body"].get<std::string>());
  EXPECT_EQ(body["msgtype"], "text");
  EXPECT_NE(body["text"]["content"].get<std::string>().find("韩梅梅，您好"), std::string::npos);
  EXPECT_EQ(body.size(), 2u);
  // The channel shows only a hint of the secret URL.
  auto got = service_->GetChannel(admin_, ch);
  ASSERT_TRUE(got);
  EXPECT_EQ((*got)["secrets"]["webhook_url"],
            "http://127.0.0.1:" + std::to_string(peers->http_port) + "/…-123");
  EXPECT_EQ(got->dump().find("abc-123"), std::string::npos);

  // errcode 45009 (rate limit) in a 200 answer is a retryable failure.
  ASSERT_TRUE(service_->UpdateChannel(
      admin_, ch, {{"secrets", {{"webhook_url", peers->Http("/wecom-limit?key=abc")}}}}));
  m.idempotency_key = "wecom-2";
  Status st = DeliverMessage(service_->deps(), Message(m));
  ASSERT_FALSE(st);
  EXPECT_TRUE(IsRetryable(st.error()));
  EXPECT_NE(st.error().message.find("45009"), std::string::npos);
}

TEST_P(DeliveryTest, PermanentMessageFailureRaisesMessageFailedWebhook) {
  auto [sub, secret] = Subscribe("/hris", {"message.failed"});
  Channel({{"kind", "wecom"},
           {"name", "失效的群机器人"},
           {"secrets", {{"webhook_url", peers->Http("/status/400")}}}});
  MessageRequest m;
  m.idempotency_key = "wecom-gone";
  m.template_key = "thank_you";
  m.channel_kind = "wecom";
  m.variables = {{"candidate_name", "韩梅梅"}, {"job_title", "销售经理"}};
  std::string id = Message(m);
  Status st = DeliverMessage(service_->deps(), id);
  ASSERT_FALSE(st);
  EXPECT_FALSE(IsRetryable(st.error()));
  // One pending message.failed delivery to the subscriber: ids and the status, no text.
  auto listed = service_->ListDeliveries(admin_, {.kind = "webhook"}, {std::nullopt, 50});
  ASSERT_TRUE(listed);
  ASSERT_EQ((*listed)["items"].size(), 1u);
  std::string hook = (*listed)["items"][0]["id"];
  peers->Clear();
  ASSERT_TRUE(DeliverWebhook(service_->deps(), hook));
  auto reqs = peers->Files("http");
  ASSERT_EQ(reqs.size(), 1u);
  json body = json::parse(Record(reqs[0])["body"].get<std::string>());
  EXPECT_EQ(body["type"], "message.failed");
  EXPECT_EQ(body["data"]["delivery_id"], id);
  EXPECT_EQ(body["data"]["template_key"], "thank_you");
  EXPECT_EQ(body["data"]["channel_kind"], "wecom");
  EXPECT_EQ(body["data"]["last_status_code"], 400);
  EXPECT_EQ(Record(reqs[0]).dump().find("韩梅梅"), std::string::npos);
  // A failed webhook raises nothing further.
  ASSERT_TRUE(service_->UpdateWebhook(admin_, sub, {{"url", peers->Http("/status/410")}}));
  auto again = service_->ReplayDelivery(admin_, hook);
  ASSERT_TRUE(again);
  EXPECT_FALSE(DeliverWebhook(service_->deps(), (*again)["id"]));
  auto after = service_->ListDeliveries(admin_, {.kind = "webhook"}, {std::nullopt, 50});
  ASSERT_TRUE(after);
  EXPECT_EQ((*after)["items"].size(), 2u);
}

TEST_P(DeliveryTest, DingTalkAndFeishuSignedRobots) {
  const std::string secret = "SEC0123456789abcdef0123456789";
  Channel(
      {{"kind", "dingtalk"},
       {"name", "钉钉群"},
       {"secrets",
        {{"webhook_url", peers->Http("/dingtalk?access_token=tok")}, {"sign_secret", secret}}}});
  Channel({{"kind", "feishu"},
           {"name", "飞书群"},
           {"secrets", {{"webhook_url", peers->Http("/feishu")}, {"sign_secret", secret}}}});
  for (std::string kind : {"dingtalk", "feishu"}) {
    MessageRequest m;
    m.idempotency_key = "robot-" + kind;
    m.template_key = "interview_reminder";
    m.channel_kind = kind;
    m.language = "en";
    m.variables = {{"candidate_name", "Li Lei"},
                   {"job_title", "Sales"},
                   {"interview_deadline", "2026-12-11 18:00 UTC"},
                   {"interview_link", "https://hr.example.com/interview/x"}};
    ASSERT_TRUE(DeliverMessage(service_->deps(), Message(m))) << kind;
  }
  auto reqs = peers->Files("http");
  ASSERT_EQ(reqs.size(), 2u);
  json ding = Record(reqs[0]), feishu = Record(reqs[1]);
  EXPECT_TRUE(ding["path"].get<std::string>().starts_with("/dingtalk?access_token=tok&timestamp="));
  EXPECT_EQ(json::parse(ding["body"].get<std::string>())["msgtype"], "text");
  EXPECT_EQ(peers->Verify("verify-dingtalk", secret, reqs[0]), "OK");
  json fb = json::parse(feishu["body"].get<std::string>());
  EXPECT_EQ(fb["msg_type"], "text");
  EXPECT_NE(fb["content"]["text"].get<std::string>().find("Dear Li Lei"), std::string::npos);
  EXPECT_EQ(peers->Verify("verify-feishu", secret, reqs[1]), "OK");
}

TEST_P(DeliveryTest, SmsGatewayTemplateEscapesValues) {
  Channel(
      {{"kind", "sms"},
       {"name", "短信网关"},
       {"config",
        {{"url", peers->Http("/sms")},
         {"body_template", R"({"to": "{{phone}}", "text": "{{message}}", "key": "{{api_key}}"})"}}},
       {"secrets", {{"api_key", "k\"ey-123456789"}}}});
  MessageRequest m;
  m.idempotency_key = "sms-1";
  m.template_key = "thank_you";
  m.channel_kind = "sms";
  m.to_address = "+86 139 0000 1111";
  m.variables = {{"candidate_name", "王\"芳\""}, {"job_title", "销售经理"}};
  ASSERT_TRUE(DeliverMessage(service_->deps(), Message(m)));
  auto reqs = peers->Files("http");
  ASSERT_EQ(reqs.size(), 1u);
  json body = json::parse(Record(reqs[0])["body"].get<std::string>());
  EXPECT_EQ(body["to"], "+86 139 0000 1111");
  EXPECT_EQ(body["key"], "k\"ey-123456789");
  EXPECT_NE(body["text"].get<std::string>().find("王\"芳\"，您好"), std::string::npos);
}

TEST_P(DeliveryTest, DeletedSubscriptionFailsPermanently) {
  auto [sub, secret] = Subscribe("/hooks/gone", {"candidate.hired"});
  auto ids = Event("candidate.hired", "e-gone", json::object());
  ASSERT_TRUE(service_->DeleteWebhook(admin_, sub));
  Status st = Deliver(service_->deps(), ids[0]);
  ASSERT_FALSE(st);
  EXPECT_FALSE(IsRetryable(st.error()));
  EXPECT_EQ(Delivery(ids[0])["last_error"], "the subscription was deleted");
  EXPECT_TRUE(peers->Files("http").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, DeliveryTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         storage::testing::BackendName);

}  // namespace
}  // namespace zm::notify
