#include "http/server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"
#include "http/errors.h"
#include "http/static_files.h"

namespace zm::http {
namespace {

constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                             0.05,  0.1,    0.25,  0.5,  1.0};

// Per-route request counters and latency histograms for /metrics. Thread-safe.
class Metrics {
 public:
  void Observe(const std::string& method, const std::string& route, int status, double seconds) {
    std::lock_guard lock(mu_);
    auto& c = counters_[{method, route, status}];
    ++c;
    auto& h = histograms_[{method, route}];
    for (size_t i = 0; i < kBuckets.size(); ++i)
      if (seconds <= kBuckets[i]) ++h.buckets[i];
    ++h.count;
    h.sum += seconds;
  }
  std::string Render(int64_t in_flight) const {
    std::lock_guard lock(mu_);
    std::string out =
        "# HELP zhimian_http_requests_total HTTP requests by route and status.\n"
        "# TYPE zhimian_http_requests_total counter\n";
    for (const auto& [k, v] : counters_) {
      out += "zhimian_http_requests_total{method=\"" + std::get<0>(k) + "\",route=\"" +
             std::get<1>(k) + "\",status=\"" + std::to_string(std::get<2>(k)) + "\"} " +
             std::to_string(v) + "\n";
    }
    out +=
        "# HELP zhimian_http_request_duration_seconds Request latency by route.\n"
        "# TYPE zhimian_http_request_duration_seconds histogram\n";
    for (const auto& [k, h] : histograms_) {
      std::string labels = "method=\"" + k.first + "\",route=\"" + k.second + "\"";
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        char le[32];
        std::snprintf(le, sizeof(le), "%g", kBuckets[i]);
        out += "zhimian_http_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"} " +
               std::to_string(h.buckets[i]) + "\n";
      }
      out += "zhimian_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
             std::to_string(h.count) + "\n";
      char sum[64];
      std::snprintf(sum, sizeof(sum), "%.6f", h.sum);
      out += "zhimian_http_request_duration_seconds_sum{" + labels + "} " + sum + "\n";
      out += "zhimian_http_request_duration_seconds_count{" + labels + "} " +
             std::to_string(h.count) + "\n";
    }
    out +=
        "# HELP zhimian_http_in_flight_requests Requests being served now.\n"
        "# TYPE zhimian_http_in_flight_requests gauge\n"
        "zhimian_http_in_flight_requests " +
        std::to_string(in_flight) + "\n";
    return out;
  }

 private:
  struct Histogram {
    std::array<int64_t, kBuckets.size()> buckets{};
    int64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, int64_t> counters_;
  std::map<std::pair<std::string, std::string>, Histogram> histograms_;
};

constexpr char kLandingPage[] = R"html(<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>智面 Zhimian</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;max-width:40rem;
margin:3rem auto;padding:0 1rem;line-height:1.6;color:#1f2937}code{background:#f3f4f6;padding:0 .3rem}</style>
</head><body>
<h1>智面 Zhimian</h1>
<p>服务器正在运行。网页应用尚未构建；可通过 REST API 使用全部功能：
<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>（OpenAPI 3.1）。
登录：<code>POST /api/v1/auth/login</code>。</p>
<p lang="en">The server is running. The web app has not been built yet; everything is available through
the REST API described at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).
Sign in with <code>POST /api/v1/auth/login</code>. Health: <a href="/healthz">/healthz</a>,
<a href="/readyz">/readyz</a>, <a href="/metrics">/metrics</a>.</p>
</body></html>
)html";

bool IsUnsafe(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// Matches `path` against a "/a/{x}/b" pattern; fills params on success.
bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>* params) {
  size_t pi = 0, si = 0;
  while (pi < pattern.size() && si < path.size()) {
    if (pattern[pi] == '{') {
      size_t close = pattern.find('}', pi);
      size_t seg_end = path.find('/', si);
      if (seg_end == std::string_view::npos) seg_end = path.size();
      if (seg_end == si) return false;
      (*params)[std::string(pattern.substr(pi + 1, close - pi - 1))] =
          std::string(path.substr(si, seg_end - si));
      pi = close + 1;
      si = seg_end;
    } else {
      if (pattern[pi] != path[si]) return false;
      ++pi;
      ++si;
    }
  }
  return pi == pattern.size() && si == path.size();
}

// The request path as it may be logged: the segment after ".../interview/" is a candidate's
// link token, a credential, and is replaced by "{token}" (API and web-app paths alike).
std::string LogSafePath(std::string_view path) {
  static constexpr std::string_view kMarker = "/interview/";
  std::string out;
  size_t from = 0;
  for (size_t at = path.find(kMarker); at != std::string_view::npos;
       at = path.find(kMarker, from)) {
    size_t seg = at + kMarker.size();
    size_t end = path.find('/', seg);
    if (end == std::string_view::npos) end = path.size();
    out.append(path.substr(from, seg - from));
    if (end > seg) out.append("{token}");
    from = end;
  }
  out.append(path.substr(from));
  return out;
}

std::string SaneRequestId(const std::string& incoming) {
  if (incoming.empty() || incoming.size() > 64) return NewId();
  for (char c : incoming)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return NewId();
  return incoming;
}

}  // namespace

std::optional<std::string> Request::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::Header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

security::Context Request::MakeContext() const {
  return security::Context{principal, request_id, remote_addr, Header("user-agent").value_or("")};
}

std::string Access::Name() const {
  switch (kind) {
    case Kind::kPublic:
      return "public";
    case Kind::kAuthenticated:
      return "authenticated";
    case Kind::kPermission:
      return std::string(security::PermissionName(permission));
  }
  return "public";
}

struct Server::Impl {
  httplib::Server svr;
  Metrics metrics;
  std::atomic<int64_t> in_flight{0};
  std::atomic<bool> draining{false};
  std::unique_ptr<StaticFiles> static_files;  // null without a web_dir
  bool bound = false;
  int listen_fd = -1;
};

Server::Server(Config config, Authenticator authenticate, ReadinessCheck ready)
    : config_(std::move(config)),
      authenticate_(std::move(authenticate)),
      ready_(std::move(ready)),
      impl_(std::make_unique<Impl>()) {
  Add({"GET", "/healthz", Access::Public(), [](const Request&) {
         return Response{200, "{\"status\":\"ok\"}"};
       }});
  Add({"GET", "/readyz", Access::Public(), [this](const Request&) {
         auto st = ready_ ? ready_() : Status{};
         if (!st) return ErrorResponse(503, "unavailable", "not ready: " + st.error().message);
         return Response{200, "{\"status\":\"ready\"}"};
       }});
  Add({"GET", "/metrics", Access::Public(), [this](const Request&) {
         return Response{200, impl_->metrics.Render(impl_->in_flight.load()),
                         "text/plain; version=0.0.4"};
       }});

  auto& svr = impl_->svr;
  svr.set_tcp_nodelay(true);
  int threads = config_.http_threads;
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // The real limit is enforced while reading (handle_body below); beyond this the library
  // answers 413 itself without reading.
  svr.set_payload_max_length(static_cast<size_t>(config_.max_body_bytes) * 16);
  svr.set_keep_alive_max_count(10000);
  // Short: an idle keep-alive connection holds a worker, and delays shutdown, this long.
  svr.set_keep_alive_timeout(1);
  svr.set_read_timeout(15, 0);
  svr.set_write_timeout(15, 0);

  // The web app is served by us rather than the library's mount point: files are read and
  // compressed once per version, carry validators and caching rules, and a rebuilt web/dist
  // (index.html included) is picked up without a restart.
  if (!config_.web_dir.empty())
    impl_->static_files = std::make_unique<StaticFiles>(config_.web_dir);

  // Answers GET/HEAD of a web app file, or of a client-side route with index.html (paths that
  // name no server route); false when neither applies.
  auto serve_static = [this](const httplib::Request& hreq, httplib::Response& hres) -> bool {
    if (!impl_->static_files || (hreq.method != "GET" && hreq.method != "HEAD") ||
        StartsWith(hreq.path, "/api/"))
      return false;
    auto start = std::chrono::steady_clock::now();
    auto file = impl_->static_files->Get(hreq.path);
    if (!file) {
      for (const auto& r : routes_) {
        std::map<std::string, std::string> params;
        if (MatchPattern(r.pattern, hreq.path, &params)) return false;
      }
      file = impl_->static_files->Index();
      if (!file) return false;
    }
    bool gzip =
        !file->gzip.empty() && StaticFiles::AcceptsGzip(hreq.get_header_value("Accept-Encoding"));
    hres.set_header("X-Content-Type-Options", "nosniff");
    hres.set_header("Cache-Control", file->cache_control);
    hres.set_header("ETag", gzip ? file->gzip_etag : file->etag);
    if (!file->gzip.empty()) hres.set_header("Vary", "Accept-Encoding");
    if (hreq.has_header("If-None-Match") &&
        StaticFiles::Matches(*file, hreq.get_header_value("If-None-Match"))) {
      hres.status = 304;
    } else {
      hres.status = 200;
      if (gzip) hres.set_header("Content-Encoding", "gzip");
      // A sized content provider: the library neither copies nor compresses it again.
      const std::string& body = gzip ? file->gzip : file->body;
      hres.set_content_provider(
          body.size(), file->content_type,
          [file, &body](size_t offset, size_t length, httplib::DataSink& sink) {
            return sink.write(body.data() + offset, length);
          });
    }
    impl_->metrics.Observe(
        hreq.method, "static", hres.status,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return true;
  };

  // Serves one request whose body has been read (`body`), or answers 413 when it was too large.
  auto serve = [this](const httplib::Request& hreq, httplib::Response& hres, std::string body,
                      bool too_large) {
    auto start = std::chrono::steady_clock::now();
    ++impl_->in_flight;
    Request req;
    req.method = hreq.method;
    req.path = hreq.path;
    for (const auto& [k, v] : hreq.params) req.query.emplace(k, v);
    for (const auto& [k, v] : hreq.headers) req.headers.emplace(AsciiLower(k), v);
    req.body = std::move(body);
    req.remote_addr = hreq.remote_addr;
    req.request_id = SaneRequestId(hreq.get_header_value("X-Request-Id"));
    Response res = too_large ? ErrorResponse(413, "payload_too_large", "request body too large")
                             : Dispatch(req);
    hres.status = res.status;
    hres.set_header("X-Request-Id", req.request_id);
    hres.set_header("X-Content-Type-Options", "nosniff");
    if (StartsWith(req.path, "/api/")) hres.set_header("Cache-Control", "no-store");
    if (impl_->draining || too_large) hres.set_header("Connection", "close");
    for (const auto& [k, v] : res.headers) hres.set_header(k, v);
    if (!res.body.empty() || !res.content_type.empty())
      hres.set_content(std::move(res.body), res.content_type);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string& route = req.route.empty() ? std::string("unmatched") : req.route;
    impl_->metrics.Observe(req.method, route, res.status, seconds);
    --impl_->in_flight;
    Log(LogLevel::kInfo, "http_request",
        {{"request_id", req.request_id},
         {"method", req.method},
         {"route", route},
         {"path", LogSafePath(req.path)},
         {"status", int64_t{res.status}},
         {"duration_ms", seconds * 1000.0},
         {"actor", req.principal.id}});
  };
  auto handle = [serve, serve_static](const httplib::Request& hreq, httplib::Response& hres) {
    if (serve_static(hreq, hres)) return;
    serve(hreq, hres, hreq.body, false);
  };
  // Requests with a body are read through a content reader so that the limit holds for every
  // transfer encoding (the library checks only Content-Length). An oversize body is drained up
  // to kDrainFactor times the limit, so the client can read the 413, then the connection closes.
  const size_t max_body = static_cast<size_t>(config_.max_body_bytes);
  constexpr size_t kDrainFactor = 16;
  auto handle_body = [serve, max_body](const httplib::Request& hreq, httplib::Response& hres,
                                       const httplib::ContentReader& reader) {
    std::string body;
    size_t total = 0;
    auto receive = [&](const char* data, size_t len) {
      total += len;
      if (total <= max_body) body.append(data, len);
      return total <= max_body * kDrainFactor;
    };
    if (hreq.is_multipart_form_data()) {
      // Not an API format (the handler answers 415), but drain it like any body.
      reader([](const httplib::MultipartFormData&) { return true; }, receive);
    } else {
      reader(receive);
    }
    serve(hreq, hres, std::move(body), total > max_body);
  };
  svr.Get(".*", handle);
  svr.Post(".*", handle);
  svr.Put(".*", handle);
  svr.Patch(".*", handle);
  svr.Delete(".*", handle);
  svr.Options(".*", handle);
  svr.Post(".*", handle_body);
  svr.Put(".*", handle_body);
  svr.Patch(".*", handle_body);
  svr.Delete(".*", handle_body);
  // Errors produced by the library itself (413, 400 on malformed requests) get our JSON shape.
  svr.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string code = res.status == 413 ? "payload_too_large" : "validation_failed";
        auto r = ErrorResponse(res.status, code,
                               res.status == 413 ? "request body too large" : "malformed request");
        res.set_content(r.body, "application/json");
        if (!res.has_header("X-Request-Id"))
          res.set_header("X-Request-Id", SaneRequestId(req.get_header_value("X-Request-Id")));
        return httplib::Server::HandlerResponse::Handled;
      }));
  svr.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        auto r = ErrorResponse(500, "internal", "internal error");
        res.status = 500;
        res.set_content(r.body, "application/json");
      });
}

Server::~Server() = default;

void Server::Add(Route route) { routes_.push_back(std::move(route)); }

Response Server::Dispatch(Request& req) const {
  const Route* found = nullptr;
  bool path_matched = false;
  std::string allowed;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(r.pattern, req.path, &params)) continue;
    path_matched = true;
    if (r.method == req.method || (req.method == "HEAD" && r.method == "GET")) {
      found = &r;
      req.path_params = std::move(params);
      break;
    }
    allowed += allowed.empty() ? r.method : ", " + r.method;
  }
  if (!found) {
    if (path_matched) {
      auto res = ErrorResponse(405, "method_not_allowed", "method not allowed for this path");
      res.headers.emplace_back("Allow", allowed);
      return res;
    }
    if (req.method == "GET" && req.path == "/") {
      // No web app built yet: say what is running instead of a bare 404.
      return Response{200, kLandingPage, "text/html; charset=utf-8"};
    }
    return ErrorResponse(404, "not_found", "no such route");
  }
  req.route = found->pattern;

  if (found->access.kind != Access::Kind::kPublic) {
    auto principal = authenticate_ ? authenticate_(req) : Result<security::Principal>{};
    if (!principal) return ErrorResponse(principal.error());
    req.principal = std::move(*principal);
    if (!req.principal.IsAuthenticated())
      return ErrorResponse(401, "unauthenticated", "sign in or send an API token");
    if (found->access.kind == Access::Kind::kPermission &&
        !req.principal.Has(found->access.permission))
      return ErrorResponse(403, "forbidden", "missing permission " + found->access.Name());
    if (IsUnsafe(req.method) && !req.principal.session_id.empty()) {
      auto token = req.Header("x-csrf-token");
      if (!token || *token != req.principal.csrf_token)
        return ErrorResponse(403, "csrf_failed", "missing or wrong X-CSRF-Token header");
    }
  }
  try {
    return found->handler(req);
  } catch (const std::exception& e) {
    Log(LogLevel::kError, "handler_threw", {{"route", found->pattern}, {"what", e.what()}});
    return ErrorResponse(500, "internal", "internal error");
  }
}

Result<int> Server::Bind() {
  int port = config_.listen_port;
  if (port == 0) {
    port = impl_->svr.bind_to_any_port(config_.listen_host);
    if (port < 0) return Unavailable("cannot bind " + config_.listen_host);
  } else if (!impl_->svr.bind_to_port(config_.listen_host, port)) {
    return Unavailable("cannot bind " + config_.listen_host + ":" + std::to_string(port));
  }
  config_.listen_port = port;
  impl_->bound = true;
  // The library does not expose its listening socket; find it for the graceful Stop().
  for (int fd = 0; fd < 4096; ++fd) {
    int accepting = 0;
    socklen_t len = sizeof(accepting);
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) != 0 || !accepting) continue;
    sockaddr_storage addr{};
    socklen_t alen = sizeof(addr);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &alen) != 0) continue;
    int bound = addr.ss_family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port)
                : addr.ss_family == AF_INET6
                    ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
                    : -1;
    if (bound == port) {
      impl_->listen_fd = fd;
      // The library listens with a backlog of 5 (compiled into Debian's build): a burst of
      // connects overflows it, the kernel drops SYNs and clients wait for the 1 s SYN retry.
      // Calling listen() again on a listening socket raises the backlog (capped by somaxconn).
      ::listen(fd, 1024);
      break;
    }
  }
  return port;
}

Status Server::Run() {
  if (!impl_->svr.is_valid()) return Internal("http server invalid");
  if (!impl_->bound) ZM_RETURN_IF_ERROR(Bind());
  bool ok = impl_->svr.listen_after_bind();
  // After a graceful Stop() the accept loop ends with an error by design.
  if (!ok && !impl_->draining) return Unavailable("http server stopped with an error");
  return Ok();
}

void Server::Stop() {
  // Graceful: stop accepting by shutting the listening socket down. The library's accept loop
  // then ends, and connections already accepted (also those still queued for a worker) are
  // served; responses carry "Connection: close". The library's own stop() would instead close
  // queued connections unanswered, so it is only the fallback (ForceStop).
  impl_->draining = true;
  if (impl_->listen_fd >= 0) {
    ::shutdown(impl_->listen_fd, SHUT_RDWR);
  } else {
    impl_->svr.stop();
  }
}

void Server::ForceStop() { impl_->svr.stop(); }

}  // namespace zm::http
