#include "common/result.h"

namespace zm {

Error MakeError(ErrorCode code, std::string reason, std::string message,
                std::vector<FieldError> details) {
  return Error{code, std::move(reason), std::move(message), std::move(details)};
}

std::unexpected<Error> InvalidArgument(std::string message, std::vector<FieldError> details) {
  return Fail(MakeError(ErrorCode::kInvalidArgument, "validation_failed", std::move(message),
                        std::move(details)));
}
std::unexpected<Error> NotFound(std::string what) {
  return Fail(MakeError(ErrorCode::kNotFound, "not_found", what + " not found"));
}
std::unexpected<Error> Conflict(std::string reason, std::string message,
                                std::vector<FieldError> details) {
  return Fail(
      MakeError(ErrorCode::kConflict, std::move(reason), std::move(message), std::move(details)));
}
std::unexpected<Error> Unauthenticated(std::string message) {
  return Fail(MakeError(ErrorCode::kUnauthenticated, "unauthenticated", std::move(message)));
}
std::unexpected<Error> PermissionDenied(std::string message) {
  return Fail(MakeError(ErrorCode::kPermissionDenied, "forbidden", std::move(message)));
}
std::unexpected<Error> Internal(std::string message) {
  return Fail(MakeError(ErrorCode::kInternal, "internal", std::move(message)));
}
std::unexpected<Error> Unavailable(std::string message) {
  return Fail(MakeError(ErrorCode::kUnavailable, "unavailable", std::move(message)));
}

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kTooManyRequests:
      return "too_many_requests";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace zm
