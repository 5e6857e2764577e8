#!/usr/bin/env bash
# Installs every Debian package Zhimian needs to build, run and test. Idempotent.
# Runs as root, or through sudo when available. Debian 12 (bookworm).
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: run as root or install sudo" >&2; exit 1
  fi
fi

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config clang-format git
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  # libraries
  libsqlite3-dev sqlite3 libpq-dev libsodium-dev libcpp-httplib-dev nlohmann-json3-dev
  libtomlplusplus-dev libssl-dev libjemalloc-dev
  # notifications: SMTP (STARTTLS) and webhook delivery
  libcurl4-openssl-dev
  libicu-dev libopencc-dev opencc
  # supervised answer scoring (src/scoring/supervised) and its scikit-learn baseline
  libxgboost-dev liblinear-dev python3-sklearn
  # database server for tests and PostgreSQL deployments
  postgresql postgresql-client
  # integration tests and benchmarks
  python3 python3-pytest python3-requests python3-jsonschema python3-yaml wrk curl procps
  # a real SMTP sink for the notification tests
  python3-aiosmtpd
  # web tooling (OpenAPI lint)
  nodejs npm
  # web app browser tests: Debian's chromium (never a downloaded browser) and CJK fonts for screenshots
  chromium fonts-noto-cjk
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node and npm may be preinstalled outside Debian's packages (e.g. /usr/local/bin): keep those.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do
    case "$p" in nodejs|npm) ;; *) filtered+=("$p") ;; esac
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all packages present"
fi
