#!/usr/bin/env bash
# Builds and tests the web app (web/, Vue 3 + Vite). Used by `make build` and scripts/test.sh.
#   ./scripts/web.sh build   npm ci (when web/node_modules is missing or older than package-lock.json), then
#                            vite build into web/dist; skipped when web/dist is newer than every source file
#   ./scripts/web.sh test    build, then: i18n key-set check, type check (vue-tsc), unit tests (vitest), and the
#                            browser tests (tests/e2e: playwright-core driving Debian's /usr/bin/chromium against
#                            a real `zhimian serve --demo` on a fresh SQLite data dir; ZHIMIAN_BIN, default
#                            build/zhimian). Screenshots go to $E2E_SHOTS_DIR (default /tmp/zhimian-e2e-shots).
#   WEB_FORCE=1              rebuild even when web/dist looks fresh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WEB="$ROOT/web"
export CI=${CI:-true}
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

step() { echo "---- web: $*"; }

deps() {
  if [ ! -f "$WEB/node_modules/.package-lock.json" ] || [ "$WEB/package-lock.json" -nt "$WEB/node_modules/.package-lock.json" ]; then
    step "npm ci"
    (cd "$WEB" && npm ci --loglevel=error)
  fi
}

sources_newer_than_dist() {
  [ -f "$WEB/dist/index.html" ] || return 0
  local newer
  newer=$(find "$WEB/src" "$WEB/index.html" "$WEB/package.json" "$WEB/package-lock.json" "$WEB/vite.config.ts" \
    "$WEB"/tsconfig*.json -newer "$WEB/dist/index.html" -print -quit 2>/dev/null)
  [ -n "$newer" ]
}

build() {
  if [ "${WEB_FORCE:-0}" != "1" ] && ! sources_newer_than_dist; then
    echo "web: web/dist is up to date"
    return
  fi
  deps
  step "vite build"
  local t0=$SECONDS
  (cd "$WEB" && npx vite build --logLevel warn)
  touch "$WEB/dist/index.html"
  echo "web: built web/dist in $((SECONDS - t0))s ($(du -sk "$WEB/dist" | cut -f1) KiB; JS $(cat "$WEB"/dist/assets/*.js | wc -c) bytes, gzip $(cat "$WEB"/dist/assets/*.js | gzip -9 | wc -c) bytes)"
}

run_tests() {
  deps
  build
  step "i18n: zh-CN and en key sets"
  (cd "$WEB" && npx vitest run src/i18n)
  step "type check (vue-tsc, strict)"
  (cd "$WEB" && npx vue-tsc --noEmit -p tsconfig.app.json)
  step "unit tests (vitest)"
  (cd "$WEB" && npx vitest run --exclude 'src/i18n/**')
  step "browser tests (chromium, real server)"
  if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
    echo "web: /usr/bin/chromium is missing (./scripts/install-deps.sh installs it)" >&2
    exit 1
  fi
  export ZHIMIAN_BIN=${ZHIMIAN_BIN:-$ROOT/build/zhimian}
  local t0=$SECONDS
  # The suite stops its server itself (also on failure); the timeout is a last resort (five files, each
  # with its own server; the 10,000-application seeding alone takes 2-3 minutes on a busy 2-core machine).
  timeout --kill-after=20 1800 node --test --test-reporter=spec --test-concurrency=1 "$ROOT/tests/e2e/"
  echo "web: browser tests took $((SECONDS - t0))s; screenshots in ${E2E_SHOTS_DIR:-/tmp/zhimian-e2e-shots}"
}

case "${1:-build}" in
  build) build ;;
  test) run_tests ;;
  *)
    echo "usage: $0 [build|test]" >&2
    exit 2
    ;;
esac
