// iCalendar (RFC 5545) invitations attached to next-round e-mails: one VEVENT with
// METHOD:REQUEST, CRLF line ends, TEXT values escaped (\\ \; \, \n) and content lines folded at
// 75 octets without splitting a UTF-8 character. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zm::notify {

struct CalendarEvent {
  std::string uid;  // stable per invitation, e.g. "<delivery id>@zhimian"
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  int64_t stamp_ms = 0;  // DTSTAMP: when the invitation was made
  std::string summary, description, location;
  std::string organizer_name, organizer_email;
  std::string attendee_name, attendee_email;
  int sequence = 0;  // bump when an invitation is updated
};

// "20261215T100000Z".
std::string IcsUtcTime(int64_t unix_ms);
// Escapes a TEXT value (RFC 5545 section 3.3.11).
std::string IcsEscapeText(std::string_view text);
// Folds one unfolded content line (without its CRLF) into CRLF + SPACE continued lines of at
// most 75 octets each; returns it with a trailing CRLF.
std::string IcsFoldLine(std::string_view line);
// The whole VCALENDAR object.
std::string BuildIcs(const CalendarEvent& event);

}  // namespace zm::notify
