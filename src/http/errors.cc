#include "http/errors.h"

#include "common/strings.h"

namespace zm::http {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Response ErrorResponse(const Error& e) {
  Response r;
  r.status = HttpStatusFor(e.code);
  if (e.reason == "unsupported_media_type") r.status = 415;
  std::string reason = e.reason.empty() ? ErrorCodeName(e.code) : e.reason;
  // Internal details never reach the client.
  std::string message = e.code == ErrorCode::kInternal ? "internal error" : e.message;
  r.body = "{\"error\":{\"code\":" + JsonQuote(reason) + ",\"message\":" + JsonQuote(message) +
           ",\"details\":[";
  for (size_t i = 0; i < e.details.size(); ++i) {
    if (i) r.body += ',';
    r.body += "{\"field\":" + JsonQuote(e.details[i].field) +
              ",\"message\":" + JsonQuote(e.details[i].message) + "}";
  }
  r.body += "]}}";
  return r;
}

Response ErrorResponse(int status, std::string_view code, std::string_view message) {
  Response r;
  r.status = status;
  r.body = "{\"error\":{\"code\":" + JsonQuote(code) + ",\"message\":" + JsonQuote(message) +
           ",\"details\":[]}}";
  return r;
}

}  // namespace zm::http
