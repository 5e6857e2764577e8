// Errors as values. Every layer below http/ returns Result<T> or Status; the http layer
// owns the single mapping from ErrorCode to an HTTP status (http/errors.cc).
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

namespace zm {

enum class ErrorCode {
  kInvalidArgument,   // bad input: validation, parse errors
  kNotFound,          // absent, or outside the caller's scope (ids must not be probeable)
  kConflict,          // duplicate, or state does not allow the change
  kUnauthenticated,   // no or bad credentials
  kPermissionDenied,  // authenticated but the role lacks the permission
  kTooManyRequests,   // throttled (e.g. login lockout)
  kPayloadTooLarge,   // body over the configured limit
  kUnavailable,       // dependency down (database unreachable, shutting down)
  kInternal,          // a bug or an unexpected failure
};

// One problem with one field of the input, e.g. {"dimensions[2].weight", "must be 0..100"}.
struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  // Machine-readable reason in snake_case ("validation_failed", "duplicate_candidate").
  std::string reason;
  // Human-readable, safe to show to the client: never personal data or secrets.
  std::string message;
  std::vector<FieldError> details;
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline Status Ok() { return {}; }

Error MakeError(ErrorCode code, std::string reason, std::string message,
                std::vector<FieldError> details = {});
inline std::unexpected<Error> Fail(Error e) { return std::unexpected(std::move(e)); }

// Shorthands for the common cases; each returns a ready std::unexpected.
std::unexpected<Error> InvalidArgument(std::string message, std::vector<FieldError> details = {});
std::unexpected<Error> NotFound(std::string what);
std::unexpected<Error> Conflict(std::string reason, std::string message,
                                std::vector<FieldError> details = {});
std::unexpected<Error> Unauthenticated(std::string message);
std::unexpected<Error> PermissionDenied(std::string message);
std::unexpected<Error> Internal(std::string message);
std::unexpected<Error> Unavailable(std::string message);

const char* ErrorCodeName(ErrorCode code);

}  // namespace zm

// Propagates the error of an expression yielding Result/Status; otherwise continues.
#define ZM_RETURN_IF_ERROR(expr)                                            \
  do {                                                                      \
    auto zm_status_ = (expr);                                               \
    if (!zm_status_) return std::unexpected(std::move(zm_status_.error())); \
  } while (0)

#define ZM_CONCAT_INNER_(a, b) a##b
#define ZM_CONCAT_(a, b) ZM_CONCAT_INNER_(a, b)
// ZM_ASSIGN_OR_RETURN(auto x, Foo()); declares x from the value or returns the error.
#define ZM_ASSIGN_OR_RETURN(lhs, expr) \
  ZM_ASSIGN_OR_RETURN_IMPL_(ZM_CONCAT_(zm_result_, __LINE__), lhs, expr)
#define ZM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)           \
  auto tmp = (expr);                                        \
  if (!tmp) return std::unexpected(std::move(tmp.error())); \
  lhs = std::move(*tmp)
