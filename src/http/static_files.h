// The web app's static files (web/dist), served from memory with validators and caching rules.
//
// Each file is read, hashed (ETag) and gzip-compressed once per version; a version is
// identified by its size and modification time, checked with one stat() per request, so a
// rebuilt web app (including index.html, the single-page app's fallback) is served without a
// restart. Caching: files under /assets/ whose names carry a content hash (Vite's
// `name-HASH.ext`) are `immutable` for a year; everything else, index.html first, is
// `no-cache` (revalidated with If-None-Match, answered 304).
//
// Paths are confined to the root: `..` segments, NUL bytes, backslashes and symbolic links
// leaving the root are refused (nullptr, the caller answers 404). Files over kMaxFileBytes are
// not served.
// Thread-safe: the cache is guarded by a mutex; entries are immutable and shared.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace zm::http {

struct StaticFile {
  std::string body;       // identity encoding
  std::string gzip;       // gzip encoding; empty when not worth it
  std::string etag;       // strong validator of the identity body, quoted
  std::string gzip_etag;  // of the gzip body, quoted
  std::string content_type;
  std::string cache_control;
  int64_t mtime_ns = 0;
  uint64_t size = 0;
};

class StaticFiles {
 public:
  static constexpr uint64_t kMaxFileBytes = 64ull << 20;

  explicit StaticFiles(std::string root);

  // The file at the URL path (decoded, starting with '/'; "/" is index.html), or nullptr when
  // there is none (or it is not servable).
  std::shared_ptr<const StaticFile> Get(std::string_view url_path);
  // index.html, for the single-page app's client-side routes; nullptr when missing.
  std::shared_ptr<const StaticFile> Index() { return Get("/index.html"); }

  // True when the If-None-Match header value names the file's identity or gzip validator
  // (or is "*").
  static bool Matches(const StaticFile& f, std::string_view if_none_match);
  // Whether the Accept-Encoding header value admits gzip.
  static bool AcceptsGzip(std::string_view accept_encoding);

 private:
  std::string root_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const StaticFile>, std::less<>> cache_;
};

}  // namespace zm::http
