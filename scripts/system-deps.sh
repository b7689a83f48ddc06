#!/usr/bin/env bash
# Installs the Debian packages the app and the tests use, when they are missing:
#   chromium          - the browser of the end-to-end test (no browser download is possible)
#   postgresql        - a real server for the store's PostgreSQL tests
#   fonts-dejavu-core - a font with every Kazakh letter for the PDF roadmap
# Needs root and apt-get; otherwise it says what is missing and the tests that need it are skipped.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing ${missing[*]}; install them as root with apt-get (tests that need them are skipped)" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
  || echo "system-deps: could not install ${missing[*]} (tests that need them are skipped)" >&2
exit 0
