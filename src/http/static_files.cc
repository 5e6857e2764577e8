#include "http/static_files.h"

#include <sys/stat.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>

#include "common/strings.h"

namespace zm::http {
namespace {

std::string ContentTypeOf(std::string_view path) {
  auto dot = path.rfind('.');
  std::string ext = dot == std::string_view::npos ? "" : AsciiLower(std::string(path.substr(dot)));
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "application/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".gif") return "image/gif";
  if (ext == ".webp") return "image/webp";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".ttf") return "font/ttf";
  if (ext == ".wasm") return "application/wasm";
  return "application/octet-stream";
}

bool Compressible(std::string_view content_type) {
  return StartsWith(content_type, "text/") || StartsWith(content_type, "application/javascript") ||
         StartsWith(content_type, "application/json") || content_type == "image/svg+xml" ||
         content_type == "image/x-icon" || content_type == "font/ttf" ||
         content_type == "application/wasm";
}

// Vite names built assets `name-HASH.ext` (HASH: 8+ characters of [A-Za-z0-9_-]); such a URL
// never changes content, so it may be cached for good.
bool HashedAsset(std::string_view path) {
  if (!StartsWith(path, "/assets/")) return false;
  auto name = path.substr(path.rfind('/') + 1);
  auto dot = name.find('.');
  if (dot == std::string_view::npos) return false;
  auto stem = name.substr(0, dot);
  auto dash = stem.rfind('-');
  if (dash == std::string_view::npos) return false;
  auto hash = stem.substr(dash + 1);
  if (hash.size() < 8) return false;
  for (char c : hash)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  return true;
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// gzip at the best level (done once per file version); empty on failure.
std::string Gzip(std::string_view in) {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&zs, in.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  size_t n = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return {};
  out.resize(n);
  return out;
}

bool ReadFile(const std::string& path, uint64_t size, std::string* out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  out->resize(size);
  size_t n = size ? std::fread(out->data(), 1, size, f) : 0;
  std::fclose(f);
  out->resize(n);
  return true;
}

// The URL path is safe to map below the root: absolute, no "..", ".", empty-name tricks,
// NULs or backslashes.
bool SafePath(std::string_view p) {
  if (p.empty() || p[0] != '/' || p.size() > 1024) return false;
  if (p.find('\0') != std::string_view::npos || p.find('\\') != std::string_view::npos)
    return false;
  size_t i = 1;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    auto seg = p.substr(i, j - i);
    if (seg == ".." || seg == ".") return false;
    i = j + 1;
  }
  return true;
}

}  // namespace

StaticFiles::StaticFiles(std::string root) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(root, ec);
  root_ = ec ? root : canonical.string();
}

std::shared_ptr<const StaticFile> StaticFiles::Get(std::string_view url_path) {
  if (!SafePath(url_path)) return nullptr;
  std::string rel(url_path == "/" ? std::string_view("/index.html") : url_path);
  std::string full = root_ + rel;
  struct stat st {};
  if (::stat(full.c_str(), &st) != 0) return nullptr;
  if (S_ISDIR(st.st_mode)) {
    if (rel.back() != '/') rel += '/';
    rel += "index.html";
    full = root_ + rel;
    if (::stat(full.c_str(), &st) != 0) return nullptr;
  }
  if (!S_ISREG(st.st_mode) || static_cast<uint64_t>(st.st_size) > kMaxFileBytes) return nullptr;
  int64_t mtime_ns = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
  uint64_t size = static_cast<uint64_t>(st.st_size);
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(rel);
    if (it != cache_.end() && it->second->mtime_ns == mtime_ns && it->second->size == size)
      return it->second;
  }
  // A symbolic link must not lead out of the root.
  std::error_code ec;
  auto real = std::filesystem::canonical(full, ec).string();
  if (ec || !StartsWith(real, root_ + "/")) return nullptr;

  auto f = std::make_shared<StaticFile>();
  if (!ReadFile(full, size, &f->body)) return nullptr;
  f->mtime_ns = mtime_ns;
  f->size = size;
  f->content_type = ContentTypeOf(rel);
  f->cache_control = HashedAsset(rel) ? "public, max-age=31536000, immutable" : "no-cache";
  char tag[48];
  std::snprintf(tag, sizeof(tag), "\"%016llx-%llx\"",
                static_cast<unsigned long long>(Fnv1a(f->body)),
                static_cast<unsigned long long>(f->body.size()));
  f->etag = tag;
  f->gzip_etag = f->etag.substr(0, f->etag.size() - 1) + "-gz\"";
  if (Compressible(f->content_type) && f->body.size() >= 256) {
    std::string z = Gzip(f->body);
    if (!z.empty() && z.size() + 64 < f->body.size()) f->gzip = std::move(z);
  }
  // The file may have changed while it was read: then the next request reads it again.
  std::lock_guard lock(mu_);
  cache_[rel] = f;
  return f;
}

bool StaticFiles::Matches(const StaticFile& f, std::string_view header) {
  size_t i = 0;
  while (i < header.size()) {
    size_t j = header.find(',', i);
    if (j == std::string_view::npos) j = header.size();
    auto tag = Trim(header.substr(i, j - i));
    if (StartsWith(tag, "W/")) tag = tag.substr(2);
    if (tag == "*" || tag == f.etag || tag == f.gzip_etag) return true;
    i = j + 1;
  }
  return false;
}

bool StaticFiles::AcceptsGzip(std::string_view header) {
  bool star = false;
  size_t i = 0;
  while (i < header.size()) {
    size_t j = header.find(',', i);
    if (j == std::string_view::npos) j = header.size();
    auto item = header.substr(i, j - i);
    i = j + 1;
    auto semi = item.find(';');
    std::string coding = AsciiLower(std::string(Trim(item.substr(0, semi))));
    bool refused = false;
    if (semi != std::string_view::npos) {
      auto params = AsciiLower(std::string(item.substr(semi + 1)));
      std::erase(params, ' ');
      // q=0, q=0.0, q=0.00, q=0.000 refuse the coding.
      auto q = params.find("q=");
      if (q != std::string::npos) {
        auto v = params.substr(q + 2);
        refused = !v.empty() && v.find_first_not_of("0.") == std::string::npos;
      }
    }
    if (coding == "gzip" || coding == "x-gzip") return !refused;
    if (coding == "*") star = !refused;
  }
  return star;
}

}  // namespace zm::http
