#include "notify/ics.h"

#include <ctime>

namespace zm::notify {
namespace {

// Removes characters that would break a parameter value or a line (quotes, control chars).
std::string ParamValue(std::string_view v) {
  std::string out;
  for (char c : v)
    if (c != '"' && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
  return "\"" + out + "\"";
}

std::string MailAddress(std::string_view v) {
  std::string out;
  for (char c : v)
    if (static_cast<unsigned char>(c) > 0x20 && c != 0x7f && c != '"' && c != ';' && c != ':' &&
        c != ',')
      out += c;
  return out;
}

}  // namespace

std::string IcsUtcTime(int64_t unix_ms) {
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string IcsEscapeText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out += c;
    }
  }
  return out;
}

std::string IcsFoldLine(std::string_view line) {
  std::string out;
  out.reserve(line.size() + line.size() / 70 * 3 + 2);
  size_t limit = 75;  // octets on the first line; continuation lines carry a leading space
  size_t used = 0;
  size_t i = 0;
  while (i < line.size()) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xe  ? 3
                 : (c >> 3) == 0x1e ? 4
                                    : 1;
    if (i + len > line.size()) len = line.size() - i;
    if (used + len > limit) {
      out += "\r\n ";
      used = 1;
    }
    out.append(line.substr(i, len));
    used += len;
    i += len;
  }
  out += "\r\n";
  return out;
}

std::string BuildIcs(const CalendarEvent& e) {
  std::string out;
  auto line = [&](std::string_view l) { out += IcsFoldLine(l); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//Zhimian//Zhimian Interview Platform//ZH");
  line("CALSCALE:GREGORIAN");
  line("METHOD:REQUEST");
  line("BEGIN:VEVENT");
  line("UID:" + IcsEscapeText(e.uid));
  line("DTSTAMP:" + IcsUtcTime(e.stamp_ms));
  line("DTSTART:" + IcsUtcTime(e.start_ms));
  line("DTEND:" + IcsUtcTime(e.end_ms));
  line("SEQUENCE:" + std::to_string(e.sequence));
  line("SUMMARY:" + IcsEscapeText(e.summary));
  if (!e.description.empty()) line("DESCRIPTION:" + IcsEscapeText(e.description));
  if (!e.location.empty()) line("LOCATION:" + IcsEscapeText(e.location));
  if (!e.organizer_email.empty())
    line("ORGANIZER;CN=" + ParamValue(e.organizer_name) +
         ":mailto:" + MailAddress(e.organizer_email));
  if (!e.attendee_email.empty())
    line("ATTENDEE;CN=" + ParamValue(e.attendee_name) +
         ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:" +
         MailAddress(e.attendee_email));
  line("STATUS:CONFIRMED");
  line("END:VEVENT");
  line("END:VCALENDAR");
  return out;
}

}  // namespace zm::notify
