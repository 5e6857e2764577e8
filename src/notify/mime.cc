#include "notify/mime.h"

#include <ctime>

#include "common/strings.h"
#include "security/crypto.h"

namespace zm::notify {
namespace {

std::string OneLine(std::string_view v) {
  std::string out;
  for (char c : v)
    if (c != '\r' && c != '\n') out += c;
  return out;
}

bool PlainAscii(std::string_view v) {
  for (unsigned char c : v)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// Address without characters that could end the header or the angle brackets.
std::string Addr(std::string_view v) {
  std::string out;
  for (char c : v)
    if (static_cast<unsigned char>(c) > 0x20 && c != 0x7f && c != '<' && c != '>' && c != ',' &&
        c != '"')
      out += c;
  return out;
}

std::string Mailbox(std::string_view name, std::string_view address) {
  std::string n = OneLine(name);
  if (n.empty()) return "<" + Addr(address) + ">";
  if (PlainAscii(n)) {
    std::string q;
    for (char c : n)
      if (c != '"' && c != '\\') q += c;
    return "\"" + q + "\" <" + Addr(address) + ">";
  }
  return EncodeHeaderWord(n) + " <" + Addr(address) + ">";
}

std::string Crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string EncodeHeaderWord(std::string_view text) {
  std::string t = OneLine(text);
  if (PlainAscii(t)) return t;
  // 75 - len("=?UTF-8?B?") - len("?=") = 63 base64 chars -> at most 45 input bytes per word.
  constexpr size_t kMaxBytes = 45;
  std::string out;
  size_t i = 0;
  while (i < t.size()) {
    size_t end = i;
    while (end < t.size()) {
      unsigned char c = static_cast<unsigned char>(t[end]);
      size_t len = c < 0x80           ? 1
                   : (c >> 5) == 0x6  ? 2
                   : (c >> 4) == 0xe  ? 3
                   : (c >> 3) == 0x1e ? 4
                                      : 1;
      if (end + len - i > kMaxBytes) break;
      end += len;
    }
    if (end == i) end = i + 1;  // malformed byte: never loop forever
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64Encode(t.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string Base64Lines(std::string_view data) {
  std::string b64 = Base64Encode(data);
  std::string out;
  out.reserve(b64.size() + b64.size() / 76 * 2 + 2);
  for (size_t i = 0; i < b64.size(); i += 76) out.append(b64.substr(i, 76)).append("\r\n");
  return out;
}

std::string MailDate(int64_t unix_ms) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string BuildMail(const MailMessage& m) {
  std::string out;
  out += "Date: " + MailDate(m.date_ms) + "\r\n";
  out += "From: " + Mailbox(m.from_name, m.from_address) + "\r\n";
  out += "To: " + Mailbox(m.to_name, m.to_address) + "\r\n";
  out += "Subject: " + EncodeHeaderWord(m.subject) + "\r\n";
  out += "Message-ID: <" + Addr(m.message_id) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  std::string body = Base64Lines(Crlf(m.text));
  if (!m.attachment) {
    out += "Content-Type: text/plain; charset=UTF-8\r\n";
    out += "Content-Transfer-Encoding: base64\r\n\r\n";
    out += body;
    return out;
  }
  std::string boundary =
      m.boundary.empty() ? "zm-" + HexEncode(security::RandomBytes(12)) : OneLine(m.boundary);
  out += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "This is a multi-part message in MIME format.\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  out += body;
  const auto& a = *m.attachment;
  std::string filename = Addr(a.filename);
  out += "--" + boundary + "\r\n";
  out += "Content-Type: " + OneLine(a.content_type) + "; name=\"" + filename + "\"\r\n";
  out += "Content-Disposition: attachment; filename=\"" + filename + "\"\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  out += Base64Lines(a.data);
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace zm::notify
