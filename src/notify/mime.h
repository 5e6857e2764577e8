// E-mail messages (RFC 5322 + MIME): UTF-8 text body in base64, non-ASCII header words as RFC
// 2047 encoded-words, an optional text/calendar attachment (multipart/mixed). CRLF line ends,
// base64 lines of 76 characters. CR and LF are removed from every header value, so user text
// can never inject a header. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zm::notify {

struct MailAttachment {
  std::string filename;      // ASCII, e.g. "invitation.ics"
  std::string content_type;  // e.g. "text/calendar; charset=UTF-8; method=REQUEST"
  std::string data;
};

struct MailMessage {
  std::string from_name, from_address;
  std::string to_name, to_address;
  std::string subject;
  std::string text;        // plain-text body (UTF-8, "\n" line ends)
  std::string message_id;  // without angle brackets; stable per delivery (receivers dedupe on it)
  int64_t date_ms = 0;
  std::optional<MailAttachment> attachment;
  std::string boundary;  // multipart boundary; generated when empty
};

// "=?UTF-8?B?...?=" words (each at most 75 characters, split on character boundaries) joined by
// CRLF SPACE; ASCII-only printable text is returned unchanged.
std::string EncodeHeaderWord(std::string_view text);
// Base64 wrapped at 76 characters per CRLF-terminated line.
std::string Base64Lines(std::string_view data);
// RFC 5322 date, e.g. "Fri, 04 Dec 2026 14:25:56 +0000".
std::string MailDate(int64_t unix_ms);
// The complete message, headers and body, ready for SMTP DATA.
std::string BuildMail(const MailMessage& m);

}  // namespace zm::notify
