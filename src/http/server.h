// The HTTP server. The HTTP library (cpp-httplib) is hidden in server.cc: routes see only
// these plain types. Thread-safe: routes must be added before Run(); handlers run
// concurrently on the worker pool and must never throw (a throw becomes a 500 and is logged).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/config.h"
#include "common/result.h"
#include "security/principal.h"

namespace zm::http {

struct Request {
  std::string method;
  std::string path;
  std::map<std::string, std::string> path_params;  // {id} -> value
  std::multimap<std::string, std::string> query;
  std::multimap<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_addr;
  std::string request_id;
  std::string route;  // the matched pattern, for logs and metrics
  security::Principal principal;

  // First value or nullopt.
  std::optional<std::string> Query(std::string_view name) const;
  std::optional<std::string> Header(std::string_view lower_name) const;
  const std::string& Param(const std::string& name) const { return path_params.at(name); }
  security::Context MakeContext() const;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

using Handler = std::function<Response(const Request&)>;

// What a route requires of the caller.
struct Access {
  enum class Kind { kPublic, kAuthenticated, kPermission };
  Kind kind = Kind::kPublic;
  security::Permission permission = security::Permission::kAuditRead;
  static Access Public() { return {Kind::kPublic}; }
  static Access Authenticated() { return {Kind::kAuthenticated}; }
  static Access Need(security::Permission p) { return {Kind::kPermission, p}; }
  std::string Name() const;
};

struct Route {
  std::string method;   // GET POST PUT PATCH DELETE
  std::string pattern;  // "/api/v1/jobs/{id}"; a {param} matches one non-empty segment
  Access access;
  Handler handler;
};

// Resolves the caller from the request's credentials (cookie or bearer token). Returns an
// anonymous principal when none are given; an error when given credentials are invalid.
using Authenticator = std::function<Result<security::Principal>(const Request&)>;
// Answers /readyz.
using ReadinessCheck = std::function<Status()>;

class Server {
 public:
  Server(Config config, Authenticator authenticate, ReadinessCheck ready);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void Add(Route route);
  const std::vector<Route>& routes() const { return routes_; }

  // Binds and serves until Stop(); returns an error when the address cannot be bound.
  Status Run();
  // Binds now (port 0 picks a free port); then Run() serves. Returns the bound port.
  Result<int> Bind();
  // Stops accepting new connections; requests already accepted (in flight or queued for a
  // worker) are answered, then Run() returns. Thread-safe, async-signal-unsafe (call from a
  // normal thread).
  void Stop();
  // Closes everything now, unanswered (a fallback when Stop() does not finish in time).
  void ForceStop();

  // Dispatches one request through routing, authentication and access checks (also used by
  // tests without sockets).
  Response Dispatch(Request& req) const;

 private:
  struct Impl;
  Config config_;
  Authenticator authenticate_;
  ReadinessCheck ready_;
  std::vector<Route> routes_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zm::http
