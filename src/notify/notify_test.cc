// Unit tests of the pure parts of src/notify: templates, signatures (test vectors computed
// independently with Python's hmac), iCalendar, MIME and URL validation.
#include <gtest/gtest.h>

#include "common/strings.h"
#include "notify/ics.h"
#include "notify/mime.h"
#include "notify/signing.h"
#include "notify/template.h"
#include "notify/transport.h"
#include "notify/url.h"

namespace zm::notify {
namespace {

std::vector<FieldError> Check(std::string_view text) {
  std::vector<FieldError> errors;
  CheckTemplate(text, "body_zh", errors);
  return errors;
}

TEST(Template, KnownVariablesPassAndAreListed) {
  std::vector<FieldError> errors;
  auto used =
      CheckTemplate("{{candidate_name}}，您好：{{ job_title }} {{candidate_name}}", "b", errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(used, (std::vector<std::string>{"candidate_name", "job_title"}));
}

TEST(Template, UnknownVariableIsRefusedWithItsPosition) {
  auto errors = Check("您好 {{candidate_nam}}！");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "body_zh");
  EXPECT_NE(errors[0].message.find("unknown variable {{candidate_nam}} at character 4"),
            std::string::npos)
      << errors[0].message;
  EXPECT_NE(errors[0].message.find("known: candidate_name"), std::string::npos);
}

TEST(Template, UnbalancedBracesAreRefused) {
  EXPECT_EQ(Check("hello {{candidate_name").size(), 1u);
  EXPECT_NE(Check("hello {{candidate_name")[0].message.find("unclosed {{ at character 7"),
            std::string::npos);
  EXPECT_NE(Check("score}} x")[0].message.find("unmatched }} at character 6"), std::string::npos);
  EXPECT_EQ(Check("{{ {{job_title}}").size(), 1u);
  EXPECT_EQ(Check("{{}}").size(), 1u);
  // Single braces are ordinary text.
  EXPECT_TRUE(Check("{a} {b}").empty());
}

TEST(Template, RenderSubstitutesAndRefusesMissingValues) {
  Variables v{{"candidate_name", "王芳"}, {"job_title", "销售经理"}};
  auto out = RenderTemplate("{{candidate_name}}您好，{{ job_title }}。", v);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "王芳您好，销售经理。");
  auto missing = RenderTemplate("{{overall_score}}", v);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().reason, "template_variable_missing");
  EXPECT_FALSE(RenderTemplate("{{nope}}", v));
}

TEST(Signing, StandardWebhooksSpecVector) {
  // The example of the Standard Webhooks reference libraries, recomputed with Python hmac.
  auto sig = StandardWebhookSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                      "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                                      R"({"test": 2432232314})");
  ASSERT_TRUE(sig);
  EXPECT_EQ(*sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  EXPECT_FALSE(StandardWebhookSignature("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "m", 1, "{}"));
  EXPECT_FALSE(StandardWebhookSignature("whsec_!!!", "m", 1, "{}"));
}

TEST(Signing, NewSecretsAreWhsecBase64Of32Bytes) {
  std::string a = NewWebhookSecret(), b = NewWebhookSecret();
  EXPECT_NE(a, b);
  auto key = WebhookSecretKey(a);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->size(), 32u);
}

TEST(Signing, DingTalkAndFeishuVectors) {
  // Python: quote_plus(b64encode(hmac.new(s, f"{ts}\n{s}", sha256).digest()))
  EXPECT_EQ(DingTalkSign("SEC0123456789abcdef", 1700000000000),
            "TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
  // Python: b64encode(hmac.new(f"{ts}\n{s}", b"", sha256).digest())
  EXPECT_EQ(FeishuSign("SEC0123456789abcdef", 1700000000),
            "PiO7POLlSx/DM2qf8Dy/XCWeJK3exVnevp5G99LEN2M=");
  EXPECT_EQ(UrlEncode("a b+/=~"), "a%20b%2B%2F%3D~");
}

TEST(Ics, EscapesFoldsAndUsesCrlf) {
  CalendarEvent e;
  e.uid = "01ABC@zhimian";
  e.start_ms = 1797328800000;  // 2026-12-15T10:00:00Z
  e.end_ms = e.start_ms + 3600000;
  e.stamp_ms = 1796392800000;
  e.summary = "复试：客户成功专员, 第二轮; 面试";
  e.description = std::string("第一行\n第二行 \\ 结束 ") + std::string(60, 'x') + "中文折行测试";
  e.location = "A座301";
  e.organizer_name = "星海\"科技\"";
  e.organizer_email = "hr@example.com";
  e.attendee_name = "李雷";
  e.attendee_email = "lilei@example.com";
  std::string ics = BuildIcs(e);
  EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0), 0u);
  EXPECT_NE(ics.find("METHOD:REQUEST\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTSTART:20261215T100000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTEND:20261215T110000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("SUMMARY:复试：客户成功专员\\, 第二轮\\; 面试\r\n"), std::string::npos);
  EXPECT_NE(ics.find("ORGANIZER;CN=\"星海科技\":mailto:hr@example.com"), std::string::npos);
  EXPECT_TRUE(ics.ends_with("END:VCALENDAR\r\n"));
  // Every physical line: CRLF-terminated, at most 75 octets, never a bare LF; unfolding gives
  // back the escaped description.
  size_t at = 0;
  std::string unfolded;
  while (at < ics.size()) {
    size_t end = ics.find("\r\n", at);
    ASSERT_NE(end, std::string::npos);
    std::string line = ics.substr(at, end - at);
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_TRUE(IsValidUtf8(line)) << "a fold split a character: " << line;
    if (!line.empty() && line[0] == ' ')
      unfolded += line.substr(1);
    else
      unfolded += (unfolded.empty() ? "" : "\n") + line;
    at = end + 2;
  }
  EXPECT_NE(unfolded.find("DESCRIPTION:第一行\\n第二行 \\\\ 结束 " + std::string(60, 'x') +
                          "中文折行测试"),
            std::string::npos);
}

TEST(Ics, FoldLineBoundaries) {
  EXPECT_EQ(IcsFoldLine(std::string(75, 'a')), std::string(75, 'a') + "\r\n");
  EXPECT_EQ(IcsFoldLine(std::string(76, 'a')), std::string(75, 'a') + "\r\n a\r\n");
}

TEST(Mime, PlainMessageHeadersAndBody) {
  MailMessage m;
  m.from_name = "星海科技 招聘";
  m.from_address = "hr@example.com";
  m.to_name = "Li Lei";
  m.to_address = "lilei@example.com";
  m.subject = "【星海科技】复试邀请";
  m.text = "第一行\n第二行";
  m.message_id = "msg_01ABC@example.com";
  m.date_ms = 1796392800000;
  std::string mail = BuildMail(m);
  EXPECT_NE(mail.find("Subject: =?UTF-8?B?" + Base64Encode("【星海科技】复试邀请") + "?=\r\n"),
            std::string::npos);
  EXPECT_NE(mail.find("To: \"Li Lei\" <lilei@example.com>\r\n"), std::string::npos);
  EXPECT_NE(mail.find("Message-ID: <msg_01ABC@example.com>\r\n"), std::string::npos);
  EXPECT_NE(mail.find("Date: Fri, 04 Dec 2026 14:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(mail.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  EXPECT_NE(mail.find("\r\n\r\n" + Base64Encode("第一行\r\n第二行")), std::string::npos);
}

TEST(Mime, HeaderInjectionIsImpossible) {
  MailMessage m;
  m.from_address = "hr@example.com";
  m.to_address = "a@example.com";
  m.subject = "Hi\r\nBcc: victim@example.com";
  m.to_name = "x\r\nBcc: v@example.com";
  std::string mail = BuildMail(m);
  EXPECT_EQ(mail.find("\r\nBcc:"), std::string::npos);
}

TEST(Mime, LongSubjectsAreSplitIntoShortEncodedWords) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "复试";
  std::string enc = EncodeHeaderWord(subject);
  size_t at = 0, words = 0;
  std::string decoded;
  while (at < enc.size()) {
    size_t end = enc.find("\r\n ", at);
    std::string word = enc.substr(at, end == std::string::npos ? std::string::npos : end - at);
    EXPECT_LE(word.size(), 75u);
    ASSERT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?="));
    std::string part;
    ASSERT_TRUE(Base64Decode(word.substr(10, word.size() - 12), &part));
    EXPECT_TRUE(IsValidUtf8(part));
    decoded += part;
    ++words;
    at = end == std::string::npos ? enc.size() : end + 3;
  }
  EXPECT_GT(words, 1u);
  EXPECT_EQ(decoded, subject);
}

TEST(Mime, CalendarAttachmentIsMultipartMixed) {
  MailMessage m;
  m.from_address = "hr@example.com";
  m.to_address = "a@example.com";
  m.subject = "Next round";
  m.text = "See the invitation.";
  m.boundary = "zm-boundary";
  m.attachment = MailAttachment{"invitation.ics", "text/calendar; charset=UTF-8; method=REQUEST",
                                "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"};
  std::string mail = BuildMail(m);
  EXPECT_NE(mail.find("Content-Type: multipart/mixed; boundary=\"zm-boundary\"\r\n"),
            std::string::npos);
  EXPECT_NE(mail.find("--zm-boundary\r\nContent-Type: text/calendar; charset=UTF-8; "
                      "method=REQUEST; name=\"invitation.ics\"\r\n"),
            std::string::npos);
  EXPECT_NE(mail.find("Content-Disposition: attachment; filename=\"invitation.ics\"\r\n"),
            std::string::npos);
  EXPECT_TRUE(mail.ends_with("--zm-boundary--\r\n"));
  // No bare LF anywhere in the message.
  for (size_t i = 0; i < mail.size(); ++i)
    if (mail[i] == '\n') {
      ASSERT_TRUE(i > 0 && mail[i - 1] == '\r') << "bare LF at " << i;
    }
}

TEST(Url, OutboundUrlRules) {
  auto problems = [](std::string_view url) {
    std::vector<FieldError> e;
    CheckOutboundUrl(url, "url", e);
    return e.empty() ? std::string() : e[0].message;
  };
  EXPECT_EQ(problems("https://hris.example.com/hooks/zhimian?x=1"), "");
  EXPECT_EQ(problems("http://127.0.0.1:8080/hook"), "");
  EXPECT_EQ(problems("http://[::1]:8080/hook"), "");
  EXPECT_NE(problems("ftp://example.com/x").find("http:// or https://"), std::string::npos);
  EXPECT_NE(problems("https://user:pw@example.com/").find("credentials"), std::string::npos);
  EXPECT_NE(problems("https://example.com/a#frag").find("fragment"), std::string::npos);
  EXPECT_NE(problems("https:///path").find("host"), std::string::npos);
  EXPECT_NE(problems("https://example.com:99999/").find("port"), std::string::npos);
  EXPECT_NE(problems("https://example.com/a b").find("spaces"), std::string::npos);
  EXPECT_NE(problems("javascript:alert(1)").find("http"), std::string::npos);
  EXPECT_EQ(UrlHint("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdef123456"),
            "https://qyapi.weixin.qq.com/…3456");
  EXPECT_EQ(SecretHint("short"), "••••");
  EXPECT_EQ(SecretHint("SEC0123456789abcdef"), "••••cdef");
}

TEST(Transport, RetryClassificationOfHttpStatuses) {
  EXPECT_TRUE(IsRetryableHttpStatus(500));
  EXPECT_TRUE(IsRetryableHttpStatus(503));
  EXPECT_TRUE(IsRetryableHttpStatus(429));
  EXPECT_TRUE(IsRetryableHttpStatus(408));
  EXPECT_FALSE(IsRetryableHttpStatus(400));
  EXPECT_FALSE(IsRetryableHttpStatus(404));
  EXPECT_FALSE(IsRetryableHttpStatus(410));
}

TEST(Transport, ConnectionRefusedIsRetryableAndFast) {
  // Port 9 on loopback: nothing listens (discard service is never enabled here).
  HttpRequest req;
  req.url = "http://127.0.0.1:9/hook";
  req.body = "{}";
  SendOutcome o = SendHttp(req);
  EXPECT_FALSE(o.ok);
  EXPECT_TRUE(o.retryable) << o.error;
  EXPECT_LT(o.duration_ms, 5000);
}

}  // namespace
}  // namespace zm::notify
