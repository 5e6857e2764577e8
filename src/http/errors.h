// The single mapping from service errors to HTTP responses (DESIGN §5 error shape).
#pragma once

#include "common/result.h"
#include "http/server.h"

namespace zm::http {

int HttpStatusFor(ErrorCode code);
// {"error": {"code", "message", "details": [...]}} with the fitting status.
Response ErrorResponse(const Error& error);
Response ErrorResponse(int status, std::string_view code, std::string_view message);

}  // namespace zm::http
